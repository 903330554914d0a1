from django.conf import settings
from django.utils.functional import cached_property

from backline.core.mailbox import may_read_mailbox

from .permissions import WorkspaceAccess
from .selectors import memberships_for_user
from .ui import nav_for, nav_groups_for


class Sidebar:
    """What the shell's sidebar shows, worked out only if the page draws it (htmx fragments do not,
    so they cost no query): the current workspace's pages by group, or, on a page outside any
    workspace (profile, search, my availability), the pages of the workspace last opened."""

    def __init__(self, request, memberships):
        self.request = request
        self.memberships = memberships

    @cached_property
    def access(self) -> WorkspaceAccess | None:
        access = getattr(self.request, "access", None)
        if access is not None:
            return access
        remembered = getattr(self.request, "session", {}).get("workspace")
        if not remembered:
            return None
        membership = next((m for m in self.memberships if m.workspace.slug == remembered), None)
        return WorkspaceAccess(workspace=membership.workspace, membership=membership) if membership else None

    @cached_property
    def workspace(self):
        return self.access.workspace if self.access else None

    @cached_property
    def groups(self):
        return nav_groups_for(self.access) if self.access else []


def workspaces(request):
    """The switcher's workspaces (lazy: one query if the page uses them) and the current workspace's nav."""
    access = getattr(request, "access", None)
    memberships = getattr(request, "my_memberships", None)
    if memberships is None:  # a page outside a workspace that did not read them: lazily, one query if drawn
        memberships = memberships_for_user(getattr(request, "user", None))
    return {
        "my_memberships": memberships,
        "access": access,
        "current_workspace": access.workspace if access else None,
        "workspace_nav": nav_for(access) if access else [],
        "sidebar": Sidebar(request, memberships),
        "dev_mailbox_enabled": settings.DEV_MAILBOX_ENABLED and may_read_mailbox(request),
        "support_email": settings.SUPPORT_EMAIL,
    }
