"""Only agency workspaces keep clients, packages and performers on bookings: anyone else gets 404, as for
a workspace that is not theirs."""

from __future__ import annotations

from backline.accounts.models import Workspace, WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, WorkspaceAccess, access_workspace
from backline.core.errors import NotFound

NOT_AN_AGENCY = "Only agencies keep clients and packages."


def agency_of(access: WorkspaceAccess, *, refusal: str = NOT_AN_AGENCY) -> Workspace:
    """The workspace of an access already checked, if it is an agency; else ``NotFound(refusal)``."""
    if access.workspace.kind != WorkspaceKind.AGENCY:
        raise NotFound(refusal)
    return access.workspace


def access_agency(*, user, workspace_id: int, capability: str = BOOKINGS_MANAGE, refusal: str = NOT_AN_AGENCY) -> Workspace:
    """The agency ``workspace_id`` where ``user``'s role holds ``capability`` (``access_workspace``'s
    refusals otherwise), or ``NotFound(refusal)`` when the workspace is not an agency."""
    return agency_of(access_workspace(user=user, workspace_id=workspace_id, capability=capability), refusal=refusal)
