"""An act's verification: its level and how it was earned."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from backline.accounts.permissions import WORKSPACE_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.errors import NotFound

from . import selectors, trust
from .models import ActVerification

router = Router(tags=["acts"])


class ActVerificationOut(Schema):
    act_workspace_id: int
    level: str  # unverified, vouched, verified
    level_label: str
    summary: str
    vouches: int
    vouches_required: int
    verified_at: dt.datetime | None
    withdrawn_at: dt.datetime | None = None  # when Backline's staff last withdrew its verification
    withdrawn_reason: str = ""  # and why


@router.get("/acts/{workspace_id}/verification", response={200: ActVerificationOut, **ERROR_RESPONSES})
def act_verification(request, workspace_id: int):
    """The act's trust level: not verified yet, vouched for by those who booked it, or verified by Backline."""
    act = selectors.act_for(access_workspace(user=request.auth, workspace_id=workspace_id, capability=WORKSPACE_VIEW))
    if act is None:
        raise NotFound("This workspace is not an act.")
    t = trust.trust_of(act)
    withdrawn = ActVerification.objects.filter(act=act, revoked_at__isnull=False).first() or ActVerification(verified_at=None)
    return {"withdrawn_at": withdrawn.revoked_at, "withdrawn_reason": withdrawn.revoke_reason,
            "act_workspace_id": workspace_id, "level": t.level, "level_label": t.label, "summary": t.summary,
            "vouches": t.vouches, "vouches_required": t.required, "verified_at": t.verified_at}
