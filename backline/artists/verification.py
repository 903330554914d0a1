"""Writes for an act's verification: the vouches of those who booked it (recorded by
``bookings.vouches``, which checks the show) and Backline's staff verifying it in the admin."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backline.core import audit
from backline.core.errors import Conflict, Forbidden, NotFound
from backline.core.events import emit
from backline.core.trust import revoke_checked, vouch_record, vouch_withdraw

from . import events
from .models import Act, ActVerification, ActVouch


def act_vouch_record(*, actor, act_id: int, workspace_id: int, booking_id: int, booking_reference: str) -> ActVouch:
    """Record a buyer's vouch for an act. Only ``bookings.vouches`` calls this, after checking that the
    act played a confirmed show for ``workspace_id`` and that ``actor`` may speak for that workspace."""
    with transaction.atomic():
        act = Act.objects.select_for_update().select_related("workspace").filter(pk=act_id).first()
        if act is None:
            raise NotFound("No such act.")
        return vouch_record(actor=actor, subject=act, model=ActVouch, audit_workspace_id=workspace_id, action="act.vouched",
                            act=act, workspace_id=workspace_id, booking_id=booking_id,
                            booking_reference=booking_reference)


def act_vouch_withdraw(*, actor, act_id: int, workspace_id: int) -> None:
    with transaction.atomic():
        vouch_withdraw(actor=actor, vouches=ActVouch.objects.filter(act_id=act_id, workspace_id=workspace_id),
                       subject_field="act", workspace_id=workspace_id, action="act.vouch_withdrawn")


def act_verify(*, actor, act_id: int, note: str = "") -> ActVerification:
    """Backline's staff verify an act (from the admin)."""
    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only Backline's staff verify acts.")
    with transaction.atomic():
        act = Act.objects.select_for_update().select_related("workspace").filter(pk=act_id).first()
        if act is None:
            raise NotFound("No such act.")
        verification, created = ActVerification.objects.select_for_update().get_or_create(
            act=act, defaults={"verified_by": actor, "verified_at": timezone.now(), "note": (note or "")[:300]})
        if not created and verification.revoked_at is None:
            raise Conflict(f"{act} is verified by Backline already.", code="already_verified")
        if not created:  # verified again after a withdrawal
            verification.verified_by, verification.verified_at, verification.note = actor, timezone.now(), (note or "")[:300]
            verification.revoked_by, verification.revoked_at, verification.revoke_reason = None, None, ""
            verification.save()
        audit.record(actor=actor, action="act.verified", obj=act, after={"note": verification.note},
                     workspace_id=act.workspace_id)
    return verification


def act_verification_revoke(*, actor, act_id: int, reason: str) -> ActVerification:
    """Staff withdraw an act's verification with a reason the act sees; the badge drops at once (vouches
    still count). Audited; the act's owners and admins are told. 409 ``not_verified`` if it is not."""
    reason = revoke_checked(actor=actor, reason=reason)
    with transaction.atomic():
        act = Act.objects.select_for_update().select_related("workspace").filter(pk=act_id).first()
        if act is None:
            raise NotFound("No such act.")
        verification = ActVerification.objects.select_for_update().filter(act=act, revoked_at__isnull=True).first()
        if verification is None:
            raise Conflict(f"{act} is not verified by Backline.", code="not_verified")
        verification.revoked_by, verification.revoked_at, verification.revoke_reason = actor, timezone.now(), reason
        verification.save(update_fields=["revoked_by", "revoked_at", "revoke_reason"])
        audit.record(actor=actor, action="act.verification_revoked", obj=act, before={"status": "verified"},
                     after={"reason": reason}, workspace_id=act.workspace_id)
        emit(events.verification_revoked, act_id=act.pk, reason=reason, actor_id=actor.pk)
    return verification
