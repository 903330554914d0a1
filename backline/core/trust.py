"""What venues and acts share about trust (verification): the three levels, the badge's words, the level
as a query expression over ``trust_vouches`` and ``trust_verified_at`` annotations, and recording or
withdrawing a vouch (one per subject and vouching workspace, audited). Each app keeps its own models and
rules (``venues.trust``, ``artists.trust``); the bookings layer checks the show (``bookings.vouches``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Case, CharField, Value, When
from django.utils import dateformat, timezone

from . import audit
from .errors import Conflict, Forbidden, Invalid

MAX_REVOKE_REASON = 500


class TrustLevel(models.TextChoices):
    UNVERIFIED = "unverified", "Not verified yet"
    VOUCHED = "vouched", "Vouched for"
    VERIFIED = "verified", "Verified by Backline"


def level_of(*, verified_at, vouches: int, required: int) -> str:
    if verified_at:
        return TrustLevel.VERIFIED.value
    return TrustLevel.VOUCHED.value if vouches >= required else TrustLevel.UNVERIFIED.value


def level_case(required: int) -> Case:
    """``level_of`` over a queryset annotated with ``trust_verified_at`` and ``trust_vouches``."""
    return Case(When(trust_verified_at__isnull=False, then=Value(TrustLevel.VERIFIED.value)),
                When(trust_vouches__gte=required, then=Value(TrustLevel.VOUCHED.value)),
                default=Value(TrustLevel.UNVERIFIED.value), output_field=CharField())


@dataclass(frozen=True)
class Trust:
    level: str
    vouches: int
    required: int
    verified_at: object = None
    vouched_by: str = ""  # who vouched, in words: "4 acts who played here"
    from_whom: str = ""  # who may vouch, in words: "acts that played here"

    @property
    def label(self) -> str:
        return TrustLevel(self.level).label

    @property
    def is_trusted(self) -> bool:
        return self.level != TrustLevel.UNVERIFIED

    @property
    def summary(self) -> str:
        """How it was earned: the badge's sentence."""
        if self.level == TrustLevel.VERIFIED:
            return f"Verified by Backline on {dateformat.format(timezone.localtime(self.verified_at), 'j M Y')}"
        if self.level == TrustLevel.VOUCHED:
            return f"Vouched for by {self.vouched_by}"
        return "Not verified yet"

    @property
    def progress(self) -> str:
        return f"{self.vouches} of {self.required} vouches from {self.from_whom}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def revoke_checked(*, actor, reason: str) -> str:
    """Only Backline's staff withdraw a verification, always with a reason the owner sees (at most
    ``MAX_REVOKE_REASON`` characters): the reason, stripped, or a 403 / 422."""
    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only Backline's staff withdraw a verification.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why.", errors={"reason": ["Tell the owner why the verification is withdrawn."]})
    if len(reason) > MAX_REVOKE_REASON:
        raise Invalid("Too long.", errors={"reason": [f"At most {MAX_REVOKE_REASON} characters."]})
    return reason


def vouch_record(*, actor, subject: models.Model, model, audit_workspace_id: int, action: str, **fields):
    """Create ``model(**fields, by=actor)`` for ``subject`` (locked by the caller); a second vouch of the
    same workspace is a 409 ``already_vouched``. Audited in the vouching workspace."""
    try:
        with transaction.atomic():
            vouch = model.objects.create(by=actor, **fields)
    except IntegrityError as exc:
        raise Conflict(f"You vouched for {subject} already.", code="already_vouched") from exc
    audit.record(actor=actor, action=action, obj=subject, after={"booking": vouch.booking_reference},
                 workspace_id=audit_workspace_id)
    return vouch


def vouch_withdraw(*, actor, vouches, subject_field: str, workspace_id: int, action: str) -> None:
    """Delete the one vouch in ``vouches`` (a queryset), audited; 409 ``not_vouched`` if there is none."""
    vouch = vouches.select_for_update().select_related(subject_field).first()
    if vouch is None:
        raise Conflict("There is no vouch to withdraw.", code="not_vouched")
    audit.record(actor=actor, action=action, obj=getattr(vouch, subject_field), before={"booking": vouch.booking_reference},
                 workspace_id=workspace_id)
    vouch.delete()
