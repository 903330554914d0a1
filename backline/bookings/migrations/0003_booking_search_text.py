"""``Booking.search_text``, the one column booking search matches (``backline.bookings.search``): the field,
its text for the existing bookings (in batches), and, on PostgreSQL, the GIN index over
``to_tsvector('simple'::regconfig, search_text)`` — the exact expression ``search._BookingDocument`` queries,
so the planner can use it. The index lives here rather than in ``Meta.indexes`` because SQLite has no GIN.
"""

from django.db import migrations, models

INDEX = "booking_search_text_gin"
BATCH = 2000


def _text(b) -> str:
    """``search.booking_text`` as it was when this migration was written (migrations stay frozen)."""
    parts = (b.reference, b.title, b.contact_name, b.contact_email, b.location,
             b.act.workspace.name if b.act_id else "", b.venue.name if b.venue_id else "",
             b.client.name if b.client_id else "", b.client.company if b.client_id else "")
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip()).lower()


def fill_search_text(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    bookings = (Booking.objects.using(schema_editor.connection.alias)
                .select_related("act__workspace", "venue", "client").order_by("pk"))
    last = 0
    while True:
        batch = list(bookings.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        for b in batch:
            b.search_text = _text(b)
        Booking.objects.using(schema_editor.connection.alias).bulk_update(batch, ["search_text"], batch_size=500)
        last = batch[-1].pk


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("bookings", "Booking")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(INDEX)} ON {table} "
                          "USING gin (to_tsvector('simple'::regconfig, search_text))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0002_advance"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_index, drop_index, elidable=False),
    ]
