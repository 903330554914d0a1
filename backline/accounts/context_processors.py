from django.conf import settings

from backline.core.mailbox import may_read_mailbox

from .selectors import memberships_for_user
from .ui import nav_for


def workspaces(request):
    """The switcher's workspaces (lazy: one query if the page uses them) and the current workspace's nav."""
    access = getattr(request, "access", None)
    return {
        "my_memberships": getattr(request, "my_memberships", None) or memberships_for_user(getattr(request, "user", None)),
        "access": access,
        "current_workspace": access.workspace if access else None,
        "workspace_nav": nav_for(access) if access else [],
        "dev_mailbox_enabled": settings.DEV_MAILBOX_ENABLED and may_read_mailbox(request),
    }
