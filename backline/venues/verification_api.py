"""A venue's verification: its level and vouches, and asking Backline to verify it."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from backline.accounts.permissions import ROSTER_MANAGE, WORKSPACE_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id
from backline.core.errors import NotFound

from . import trust, verification
from .models import Venue

router = Router(tags=["venues"])


class VerificationRequestOut(Schema):
    id: int
    status: str
    status_label: str
    business_registration: str
    website: str
    evidence: str
    document_ids: list[int]
    submitted_at: dt.datetime
    reviewed_at: dt.datetime | None
    reason: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_document_ids(obj):
        return [d.pk for d in obj.documents.all()]

    @staticmethod
    def resolve_submitted_at(obj):
        return obj.created_at


class VenueVerificationOut(Schema):
    venue_id: int
    level: str  # unverified, vouched, verified
    level_label: str
    summary: str  # how it was earned, in words
    vouches: int
    vouches_required: int
    verified_at: dt.datetime | None
    latest_request: VerificationRequestOut | None


class VerificationRequestIn(Schema):
    business_registration: str = Field("", max_length=200)
    website: str = Field("", max_length=200)
    evidence: str = Field("", max_length=3000)
    document_ids: list[Id] = Field(default_factory=list, max_length=10)


def _venue(request, venue_id: int, capability: str) -> Venue:
    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    access_workspace(user=request.auth, workspace_id=venue.workspace_id, capability=capability)
    return venue


def verification_out(venue: Venue) -> dict:
    t = trust.trust_of(venue)
    latest = venue.verification_requests.prefetch_related("documents").first()
    return {"venue_id": venue.pk, "level": t.level, "level_label": t.label, "summary": t.summary, "vouches": t.vouches,
            "vouches_required": t.required, "verified_at": t.verified_at, "latest_request": latest}


@router.get("/venues/{venue_id}/verification", response={200: VenueVerificationOut, **ERROR_RESPONSES})
def venue_verification(request, venue_id: int):
    """The venue's trust level (not verified yet, vouched for, verified by Backline), how it was earned,
    its vouches and its latest verification request."""
    return verification_out(_venue(request, venue_id, WORKSPACE_VIEW))


@router.post("/venues/{venue_id}/verification-requests", response={201: VerificationRequestOut, **ERROR_RESPONSES})
def verification_request_submit(request, venue_id: int, payload: VerificationRequestIn):
    """Ask Backline to verify the venue, with evidence (documents from the workspace's media library).
    409 while a request waits for review or once the venue is verified."""
    _venue(request, venue_id, ROSTER_MANAGE)
    return 201, verification.verification_request_submit(actor=request.auth, venue_id=venue_id, **payload.dict())
