"""What the clock does: expiring holds and offers, warning of holds about to run out."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backline.core.events import emit

from .. import events
from ..models import Booking, Status
from .closing import _close


def expire_due(*, now: dt.datetime | None = None) -> int:
    """Holds and offers past their time expire; a challenged 1st hold that did not confirm in time is
    released. Run by the scheduler (Celery beat in production)."""
    now = now or timezone.now()
    done = 0
    for pk in Booking.objects.filter(status=Status.HOLD, hold_expires_at__lte=now).values_list("pk", flat=True):
        _close(None, pk, Status.EXPIRED, "The hold ran out.", "booking.hold_expired", system=True)
        done += 1
    for pk in Booking.objects.filter(status=Status.OFFER, offer_expires_at__lte=now).values_list("pk", flat=True):
        _close(None, pk, Status.EXPIRED, "The offer ran out.", "booking.offer_expired", system=True)
        done += 1
    for pk in Booking.objects.filter(status__in=(Status.HOLD, Status.OFFER), challenge_deadline__lte=now
                                     ).values_list("pk", flat=True):
        _close(None, pk, Status.RELEASED, "Did not confirm in time after a challenge.", "booking.hold_released",
               system=True)
        done += 1
    return done


def warn_expiring_holds(*, now: dt.datetime | None = None) -> int:
    """Tell both sides once when a hold will run out within HOLD_WARNING_HOURS (the ``hold_expiring``
    event). Run with ``expire_due`` by the scheduler."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.HOLD_WARNING_HOURS)
    warned = 0
    with transaction.atomic():
        due = list(Booking.objects.select_for_update(of=("self",)).filter(status=Status.HOLD, hold_warned_at__isnull=True,
                                                              hold_expires_at__gt=now, hold_expires_at__lte=horizon)
                   .select_related("act"))
        for booking in due:
            booking.hold_warned_at = now
            booking.save(update_fields=["hold_warned_at"])
            emit(events.hold_expiring, booking_id=booking.pk, workspace_id=booking.workspace_id, actor_id=None,
                 act_workspace_id=booking.act.workspace_id if booking.act_id else None,
                 expires_at=booking.hold_expires_at.isoformat())
            warned += 1
    return warned
