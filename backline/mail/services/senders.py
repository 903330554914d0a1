"""Who a workspace's email comes from: the sender identity (name, address, signature) and its hourly
limit, shown and changed on outreach's settings page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from email_validator import EmailNotValidError, validate_email

from backline.accounts.models import Workspace
from backline.accounts.permissions import OUTREACH_MANAGE, access_workspace
from backline.core import audit
from backline.core.errors import Invalid
from backline.core.text import breaks_line, control_error

from ..models import SenderIdentity
from .outbox import sender_for

SENDER_FIELDS = ("from_name", "from_email", "signature", "hourly_limit")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors))
        raise Invalid(f"{first.replace('_', ' ').capitalize()}: {errors[first][0]}", errors=errors)



@dataclass(frozen=True)
class SenderView:
    from_name: str
    from_email: str
    signature: str
    hourly_limit: int | None  # the workspace's own limit (None: the site's)
    site_limit: int
    is_default: bool  # no identity set: the workspace's name at the site's address

    @property
    def effective_limit(self) -> int:
        return self.hourly_limit if self.hourly_limit is not None else self.site_limit


def sender_identity_of(workspace: Workspace) -> SenderView:
    identity = SenderIdentity.objects.filter(workspace=workspace).first()
    from_name, from_email = sender_for(workspace)
    return SenderView(from_name=from_name, from_email=from_email, signature=identity.signature if identity else "",
                      hourly_limit=identity.hourly_limit if identity else None,
                      site_limit=settings.OUTREACH_HOURLY_LIMIT, is_default=identity is None)


def sender_identity_set(*, actor, workspace_id: int, from_name: str, from_email: str, signature: str = "",
                        hourly_limit: int | None = None) -> SenderIdentity:
    """Who the workspace's outreach comes from: a name and address (no line breaks: they become headers),
    a signature (Markdown, added under every email) and an hourly limit no higher than the site's."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=OUTREACH_MANAGE)
    from_name, from_email, signature = (from_name or "").strip(), (from_email or "").strip(), (signature or "").strip()
    errors: dict[str, list[str]] = {}
    if not from_name:
        errors["from_name"] = ["Give the name your emails come from."]
    elif breaks_line(from_name) or any(unicodedata.category(c) == "Cf" for c in from_name):
        errors["from_name"] = ["The name must be one line, without control characters."]
    elif len(from_name) > 100:
        errors["from_name"] = ["At most 100 characters."]
    if breaks_line(from_email):
        errors["from_email"] = ["The address must be one line, without control characters."]
    else:
        try:
            from_email = validate_email(from_email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["from_email"] = [f"Not a valid email address: {exc}"]
    if problem := control_error(signature):
        errors["signature"] = [problem]
    elif len(signature) > 2000:
        errors["signature"] = ["At most 2,000 characters."]
    site = settings.OUTREACH_HOURLY_LIMIT
    if hourly_limit is not None and not 1 <= hourly_limit <= site:
        errors["hourly_limit"] = [f"Between 1 and {site} emails an hour (this site's limit); leave it empty for {site}."]
    _raise(errors)
    with transaction.atomic():
        identity = SenderIdentity.objects.select_for_update().filter(workspace=access.workspace).first()
        before = audit.snapshot(identity, SENDER_FIELDS) if identity else None
        if identity is None:
            identity = SenderIdentity(workspace=access.workspace)
        identity.from_name, identity.from_email, identity.signature, identity.hourly_limit = (
            from_name, from_email, signature, hourly_limit)
        identity.save()
        after = audit.snapshot(identity, SENDER_FIELDS)
        if before != after:
            audit.record(actor=actor, action="sender_identity.changed", obj=identity, workspace_id=access.workspace.pk,
                         before=before, after=after)
    access.workspace.sender_identity = identity
    return identity
