"""Writes for a venue's verification: requests with evidence that Backline's staff approve or reject,
and the vouches of acts that played there (recorded by ``bookings.vouches``, which checks the show)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import ROSTER_MANAGE, access_workspace
from backline.core import audit
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.events import emit
from backline.core.trust import TrustLevel, revoke_checked, vouch_record, vouch_withdraw
from backline.core.validation import validate_model
from backline.media.models import Asset

from . import events, trust
from .models import Venue, VenueVouch, VerificationRequest, VerificationStatus
from .workflow import verification_transition

MAX_DOCUMENTS = 10


def verification_request_submit(*, actor, venue_id: int, business_registration: str = "", website: str = "",
                                evidence: str = "", document_ids=()) -> VerificationRequest:
    """Ask Backline to verify the venue. At least one piece of evidence; documents from the venue
    workspace's media library. One request waits for review at a time."""
    with transaction.atomic():
        venue = Venue.objects.select_for_update().filter(pk=venue_id).first()
        if venue is None:
            raise NotFound("No such venue.")
        access_workspace(user=actor, workspace_id=venue.workspace_id, capability=ROSTER_MANAGE)
        if trust.trust_of(venue).level == TrustLevel.VERIFIED:
            raise Conflict(f"{venue.name} is verified by Backline already.", code="already_verified")
        if venue.verification_requests.filter(status=VerificationStatus.SUBMITTED).exists():
            raise Conflict(f"A request for {venue.name} is waiting for review.", code="verification_pending")
        document_ids = list(dict.fromkeys(document_ids or ()))
        if len(document_ids) > MAX_DOCUMENTS:
            raise Invalid("Too many documents.", errors={"document_ids": [f"Choose at most {MAX_DOCUMENTS} documents."]})
        documents = list(Asset.objects.filter(pk__in=document_ids, workspace_id=venue.workspace_id))
        if len(documents) != len(document_ids):
            raise Invalid("Unknown document.", errors={"document_ids": ["Choose documents from your media library."]})
        request = VerificationRequest(venue=venue, submitted_by=actor, website=(website or "").strip(),
                                      business_registration=(business_registration or "").strip(),
                                      evidence=(evidence or "").strip())
        validate_model(request, exclude=["venue", "submitted_by", "reviewed_by"])
        if not (request.business_registration or request.website or request.evidence or documents):
            raise Invalid("Add some evidence.", errors={"evidence": [
                "Give a business registration, a website, a few words or documents that show the venue is real."]})
        request.save()
        request.documents.set(documents)
        audit.record(actor=actor, action="venue.verification_requested", obj=venue,
                     after={"business_registration": request.business_registration, "website": request.website,
                            "documents": len(documents)}, workspace_id=venue.workspace_id)
    return request


def _review(actor, request_id: int, to: str, reason: str = "") -> VerificationRequest:
    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only Backline's staff review verification requests.")
    with transaction.atomic():
        request = VerificationRequest.objects.select_for_update().select_related("venue").filter(pk=request_id).first()
        if request is None:
            raise NotFound("No such verification request.")
        verification_transition(request, to)
        request.reviewed_by, request.reviewed_at, request.reason = actor, timezone.now(), reason
        request.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason", "updated_at"])
        action = "venue.verified" if to == VerificationStatus.APPROVED else "venue.verification_rejected"
        audit.record(actor=actor, action=action, obj=request.venue,
                     after={"reason": reason} if reason else None,
                     workspace_id=request.venue.workspace_id)
    return request


def verification_request_approve(*, actor, request_id: int) -> VerificationRequest:
    """Staff approve: the venue is verified by Backline, by ``actor``, now."""
    return _review(actor, request_id, VerificationStatus.APPROVED)


def verification_request_reject(*, actor, request_id: int, reason: str) -> VerificationRequest:
    """Staff reject with a reason the venue sees; it stays as it was and may send a new request."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Say why.", errors={"reason": ["Give the venue a reason."]})
    if len(reason) > 500:
        raise Invalid("Too long.", errors={"reason": ["At most 500 characters."]})
    return _review(actor, request_id, VerificationStatus.REJECTED, reason)


def venue_verification_revoke(*, actor, venue_id: int, reason: str) -> VerificationRequest:
    """Staff withdraw a venue's verification with a reason the venue sees: its approved request becomes
    *withdrawn*, so the badge drops at once (vouches still count). Audited; the venue's owners and admins
    are told. 409 ``not_verified`` if Backline has not verified it."""
    reason = revoke_checked(actor=actor, reason=reason)
    with transaction.atomic():
        venue = Venue.objects.select_for_update().filter(pk=venue_id).first()
        if venue is None:
            raise NotFound("No such venue.")
        request = (venue.verification_requests.select_for_update().filter(status=VerificationStatus.APPROVED)
                   .order_by("reviewed_at").first())
        if request is None:
            raise Conflict(f"{venue.name} is not verified by Backline.", code="not_verified")
        verification_transition(request, VerificationStatus.REVOKED)
        request.revoked_by, request.revoked_at, request.reason = actor, timezone.now(), reason
        request.save(update_fields=["status", "revoked_by", "revoked_at", "reason", "updated_at"])
        # Any other approved request (none in practice) goes too, so nothing keeps the badge up.
        venue.verification_requests.filter(status=VerificationStatus.APPROVED).update(
            status=VerificationStatus.REVOKED, revoked_by=actor, revoked_at=request.revoked_at, reason=reason)
        audit.record(actor=actor, action="venue.verification_revoked", obj=venue, before={"status": "verified"},
                     after={"reason": reason}, workspace_id=venue.workspace_id)
        emit(events.verification_revoked, venue_id=venue.pk, reason=reason, actor_id=actor.pk)
    return request


def venue_vouch_record(*, actor, venue_id: int, act_workspace_id: int, booking_id: int, booking_reference: str) -> VenueVouch:
    """Record an act's vouch for a venue. Only ``bookings.vouches`` calls this, after checking that the
    act played a confirmed show there and that ``actor`` may speak for the act."""
    with transaction.atomic():
        venue = Venue.objects.select_for_update().filter(pk=venue_id).first()
        if venue is None:
            raise NotFound("No such venue.")
        return vouch_record(actor=actor, subject=venue, model=VenueVouch, audit_workspace_id=act_workspace_id,
                            action="venue.vouched", venue=venue, act_workspace_id=act_workspace_id,
                            booking_id=booking_id, booking_reference=booking_reference)


def venue_vouch_withdraw(*, actor, venue_id: int, act_workspace_id: int) -> None:
    """Take an act's vouch back (``bookings.vouches`` checks who may)."""
    with transaction.atomic():
        vouch_withdraw(actor=actor, vouches=VenueVouch.objects.filter(venue_id=venue_id, act_workspace_id=act_workspace_id),
                       subject_field="venue", workspace_id=act_workspace_id, action="venue.vouch_withdrawn")
