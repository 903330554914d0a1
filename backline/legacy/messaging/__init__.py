"""The former ``messaging`` app: only its migrations. Its models moved to ``contacts``,
``notifications``, ``conversations``, ``mail`` and ``outreach`` (ADR 0009); migration 0003 hands the
tables over without touching them."""
