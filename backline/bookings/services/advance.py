"""The advance: the show-day details both sides settle before the show."""

from __future__ import annotations

from django.db import transaction

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.core import audit
from backline.core.errors import Invalid

from ..models import Advance, Status
from ..permissions import access_booking

ADVANCE_FIELDS = ("load_in", "soundcheck", "doors", "set_times", "changeover_minutes", "curfew", "parking", "contacts",
                  "hospitality", "guest_list", "backline", "notes")


def advance_update(*, actor, booking_id: int, **changes):
    """Fill in the advance (either side of a confirmed show). Times are local to the show."""
    audit.check_known_fields(changes, ADVANCE_FIELDS)
    with transaction.atomic():
        ba = access_booking(user=actor, booking_id=booking_id, capability=BOOKINGS_MANAGE, lock=True)
        booking = ba.booking
        if booking.status not in (Status.CONFIRMED, Status.COMPLETED):
            raise Invalid("Advance a confirmed show.", errors={"booking": ["The advance opens once the show is confirmed."]})
        advance, _ = Advance.objects.select_for_update().get_or_create(booking=booking)
        advance.updated_by = actor
        audit.apply_audited_changes(advance, actor=actor, action="booking.advanced", fields=ADVANCE_FIELDS,
                                    changes=changes, workspace_id=booking.workspace_id, exclude=["booking", "updated_by"])
    return advance
