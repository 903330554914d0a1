"""Writes for an act's verification: the vouches of those who booked it (recorded by
``bookings.vouches``, which checks the show) and Backline's staff verifying it in the admin."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from backline.core import audit
from backline.core.errors import Conflict, Forbidden, NotFound

from .models import Act, ActVerification, ActVouch


def act_vouch_record(*, actor, act_id: int, workspace_id: int, booking_id: int, booking_reference: str) -> ActVouch:
    """Record a buyer's vouch for an act. Only ``bookings.vouches`` calls this, after checking that the
    act played a confirmed show for ``workspace_id`` and that ``actor`` may speak for that workspace."""
    with transaction.atomic():
        act = Act.objects.select_for_update().select_related("workspace").filter(pk=act_id).first()
        if act is None:
            raise NotFound("No such act.")
        try:
            with transaction.atomic():
                vouch = ActVouch.objects.create(act=act, workspace_id=workspace_id, booking_id=booking_id,
                                                booking_reference=booking_reference, by=actor)
        except IntegrityError as exc:
            raise Conflict(f"You vouched for {act} already.", code="already_vouched") from exc
        audit.record(actor=actor, action="act.vouched", obj=act, after={"booking": booking_reference},
                     workspace_id=workspace_id)
    return vouch


def act_vouch_withdraw(*, actor, act_id: int, workspace_id: int) -> None:
    with transaction.atomic():
        vouch = ActVouch.objects.select_for_update().select_related("act__workspace").filter(
            act_id=act_id, workspace_id=workspace_id).first()
        if vouch is None:
            raise Conflict("There is no vouch to withdraw.", code="not_vouched")
        audit.record(actor=actor, action="act.vouch_withdrawn", obj=vouch.act, before={"booking": vouch.booking_reference},
                     workspace_id=workspace_id)
        vouch.delete()


def act_verify(*, actor, act_id: int, note: str = "") -> ActVerification:
    """Backline's staff verify an act (from the admin)."""
    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only Backline's staff verify acts.")
    with transaction.atomic():
        act = Act.objects.select_for_update().select_related("workspace").filter(pk=act_id).first()
        if act is None:
            raise NotFound("No such act.")
        verification, created = ActVerification.objects.get_or_create(
            act=act, defaults={"verified_by": actor, "verified_at": timezone.now(), "note": (note or "")[:300]})
        if not created:
            raise Conflict(f"{act} is verified by Backline already.", code="already_verified")
        audit.record(actor=actor, action="act.verified", obj=act, after={"note": verification.note},
                     workspace_id=act.workspace_id)
    return verification
