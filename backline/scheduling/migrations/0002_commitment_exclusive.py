"""Exclusive commitments (shows) and, on PostgreSQL, the exclusion constraint that refuses two
overlapping confirmed exclusive commitments of one person (ARCHITECTURE.md, "double-booking").

The constraint lives here rather than in ``Meta.constraints`` because SQLite cannot create it; on
SQLite the service check under ``transaction_mode="IMMEDIATE"`` is the rule. Ranges are half-open
(``'[)'``): a show ending at 22:00 and one starting at 22:00 do not overlap."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

CONSTRAINT = "commitment_no_double_booking"


class BtreeGistOnPostgres(BtreeGistExtension):
    """``CreateExtension`` skips other databases going forwards but not backwards (it asks
    ``pg_extension``, which SQLite does not have), so the reverse is guarded here too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("scheduling", "Commitment")._meta.db_table)
    schema_editor.execute(
        f"ALTER TABLE {table} ADD CONSTRAINT {schema_editor.quote_name(CONSTRAINT)} "
        "EXCLUDE USING gist (user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (status = 'confirmed' AND exclusive)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("scheduling", "Commitment")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {schema_editor.quote_name(CONSTRAINT)}")


class Migration(migrations.Migration):

    dependencies = [
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="exclusive",
            field=models.BooleanField(default=False),
        ),
        BtreeGistOnPostgres(),
        migrations.RunPython(add_exclusion, drop_exclusion, elidable=False),
    ]
