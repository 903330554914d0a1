"""Commitments made from bookings carried the buyer's own booking title (often a private client's name)
into every performer's feed and calendar. They now say "Booked: <act> at <venue>" (or "Booked via
<agency> at <venue>"); this rewrites the ones already stored, with a new SEQUENCE so subscribers update."""

from django.db import migrations
from django.db.models import F


def _title(booking) -> str:
    who = f"Booked: {booking.act.workspace.name}" if booking.act_id else f"Booked via {booking.workspace.name}"
    return (f"{who} at {booking.venue.name}" if booking.venue_id else who)[:160]


def forwards(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    Commitment = apps.get_model("scheduling", "Commitment")
    ids = set(Commitment.objects.filter(source_type="booking").values_list("source_id", flat=True).distinct())
    for booking in Booking.objects.filter(pk__in=ids).select_related("act__workspace", "workspace", "venue").iterator():
        title = _title(booking)
        (Commitment.objects.filter(source_type="booking", source_id=booking.pk).exclude(title=title)
         .update(title=title, sequence=F("sequence") + 1))


class Migration(migrations.Migration):

    dependencies = [
        ("bookings", "0005_engagements"),
        ("scheduling", "0002_commitment_exclusive"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
