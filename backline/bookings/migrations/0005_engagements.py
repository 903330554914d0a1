"""Engagements: a confirmed booking's claim on an act or an agency performer (ADR 0008), filled in for
the bookings confirmed or played already, and on PostgreSQL one exclusion constraint per act and per
performer over half-open time ranges among exclusive engagements (``btree_gist`` comes from
scheduling 0002). Not in ``Meta.constraints`` because SQLite cannot create them; there the service
check under IMMEDIATE transactions is the rule.

The backfill keeps the first claim (by confirmation time) exclusive; a later overlapping one, which the
old check let through, is kept non-exclusive so that the constraint can be created and nothing that
was confirmed is lost (the agency sees both shows as before; new confirmations are refused)."""

import django.db.models.deletion
from django.db import migrations, models

CONSTRAINTS = {"engagement_performer_no_overlap": "performer_id", "engagement_act_no_overlap": "act_id"}


def backfill(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    Engagement = apps.get_model("bookings", "Engagement")
    confirmed = (Booking.objects.filter(status__in=("confirmed", "completed"), starts_at__isnull=False,
                                        ends_at__isnull=False)
                 .order_by("confirmed_at", "id").prefetch_related("assignments"))
    for b in confirmed.iterator(chunk_size=500):
        claims = [("act_id", b.act_id, True)] if b.act_id else []
        claims += [("performer_id", a.performer_id, not a.override_reason) for a in b.assignments.all()]
        for field, key, exclusive in claims:
            clash = Engagement.objects.filter(**{field: key}, exclusive=True, starts_at__lt=b.ends_at,
                                              ends_at__gt=b.starts_at).exists()
            Engagement.objects.create(booking_id=b.pk, starts_at=b.starts_at, ends_at=b.ends_at,
                                      exclusive=exclusive and not clash, **{field: key})


def add_exclusions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("bookings", "Engagement")._meta.db_table)
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {schema_editor.quote_name(name)} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            f"WHERE (exclusive AND {column} IS NOT NULL)"
        )


def drop_exclusions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("bookings", "Engagement")._meta.db_table)
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):

    dependencies = [
        ('artists', '0002_genres'),
        ('bookings', '0004_hold_warned_at'),
        ('scheduling', '0002_commitment_exclusive'),
    ]

    operations = [
        migrations.CreateModel(
            name='Engagement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField()),
                ('ends_at', models.DateTimeField()),
                ('exclusive', models.BooleanField(default=True)),
                ('act', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='artists.act')),
                ('booking', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='engagements', to='bookings.booking')),
                ('performer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='artists.performer')),
            ],
            options={
                'ordering': ['starts_at', 'id'],
                'indexes': [models.Index(fields=['act', 'starts_at'], name='bookings_en_act_id_6fbdfe_idx'), models.Index(fields=['performer', 'starts_at'], name='bookings_en_perform_fde8b8_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('act__isnull', False), ('performer__isnull', True)), models.Q(('act__isnull', True), ('performer__isnull', False)), _connector='OR'), name='engagement_act_or_performer'), models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='engagement_ends_after_start'), models.UniqueConstraint(condition=models.Q(('act__isnull', False)), fields=('booking', 'act'), name='engagement_one_per_act'), models.UniqueConstraint(condition=models.Q(('performer__isnull', False)), fields=('booking', 'performer'), name='engagement_one_per_performer')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_exclusions, drop_exclusions, elidable=False),
    ]
