"""Apps that hold no code any more, kept only for their migration history (ADR 0009).

An installation made before an app was split has that app's migrations applied; the app stays
installed under its old label so that those migrations, and the last one that hands its tables to
the new apps, keep a home. Never add code here."""
