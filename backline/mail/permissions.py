"""Who may see and decide held mail: the outreach managers of the workspace it is held for; mail that
names no workspace is the site's staff's (Django admin). Another workspace's held mail is 404."""

from __future__ import annotations

from dataclasses import dataclass

from backline.accounts.permissions import OUTREACH_MANAGE, WorkspaceAccess, access_workspace
from backline.core.errors import NotFound

from .models import QuarantinedEmail


@dataclass(frozen=True)
class QuarantineAccess:
    item: QuarantinedEmail
    access: WorkspaceAccess


def access_quarantine(*, user, quarantine_id: int, capability: str = OUTREACH_MANAGE, lock: bool = False,
                      workspace_id: int | None = None) -> QuarantineAccess:
    """The held email, if ``user`` holds ``capability`` in the workspace it is held for (and, when
    given, that workspace is ``workspace_id``). Missing, another workspace's, or staff-only: 404."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such held email.")
    qs = QuarantinedEmail.objects.select_for_update(of=("self",)) if lock else QuarantinedEmail.objects
    item = qs.select_related("thread", "workspace").filter(pk=quarantine_id, workspace__isnull=False).first()
    if item is None or (workspace_id is not None and item.workspace_id != workspace_id):
        raise NotFound("No such held email.")
    access = access_workspace(user=user, workspace_id=item.workspace_id, capability=capability)
    return QuarantineAccess(item=item, access=access)
