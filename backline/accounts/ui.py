"""The workspace UI shell: a navigation and dashboard-panel registry that apps fill in their
``AppConfig.ready`` (so accounts shows acts' and venues' pages without importing them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required

from .models import WorkspaceKind
from .permissions import WORKSPACE_VIEW, WorkspaceAccess, access_workspace
from .selectors import memberships_for_user

ALL_KINDS = frozenset(WorkspaceKind.values)

# The sidebar's sections, by the job a page serves, in the order the sidebar shows them (ADR 0010).
PLAN, DEALS, PEOPLE, BUSINESS, WORKSPACE = "Plan", "Deals", "People", "Business", "Workspace"
GROUPS = (PLAN, DEALS, PEOPLE, BUSINESS, WORKSPACE)


@dataclass(frozen=True)
class NavItem:
    """One page in a workspace's sidebar. ``icon`` is a Tabler icon name (``ti ti-<icon>``);
    ``group`` is one of :data:`GROUPS`; inside a group items follow ``order``."""

    label: str
    url_name: str
    icon: str
    capability: str = WORKSPACE_VIEW
    kinds: frozenset[str] = ALL_KINDS
    order: int = 50
    group: str | None = None  # None only until the registering app names one (a test insists)


@dataclass
class Panel:
    """A dashboard card: a template, its context, profile-completeness checks (label, done, url), and
    the static scripts it needs (e.g. ``dist/charts.js``), loaded once per page whatever the panels."""

    template: str
    context: dict = field(default_factory=dict)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    order: int = 50
    scripts: tuple[str, ...] = ()


_NAV: list[NavItem] = []
_PANELS: list[tuple[frozenset[str], Callable[[WorkspaceAccess], Panel | None]]] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)
        _NAV.sort(key=lambda i: i.order)


def register_panel(kinds, provider: Callable[[WorkspaceAccess], Panel | None]) -> None:
    _PANELS.append((frozenset(kinds), provider))


def nav_for(access: WorkspaceAccess) -> list[NavItem]:
    return [i for i in _NAV if access.workspace.kind in i.kinds and access.can(i.capability)]


def nav_groups_for(access: WorkspaceAccess) -> list[tuple[str, list[NavItem]]]:
    """The sidebar: the groups that have a page for this role, in :data:`GROUPS` order, each with
    its items in registration order. An item without a group shows under Workspace."""
    items = nav_for(access)
    grouped = [(g, [i for i in items if (i.group if i.group in GROUPS else WORKSPACE) == g]) for g in GROUPS]
    return [(g, group_items) for g, group_items in grouped if group_items]


def panels_for(access: WorkspaceAccess) -> list[Panel]:
    panels = [p for kinds, provider in _PANELS if access.workspace.kind in kinds if (p := provider(access))]
    return sorted(panels, key=lambda p: p.order)


def workspace_view(capability: str = WORKSPACE_VIEW):
    """Decorate a web view under ``/w/<slug>/``: log-in required, membership and capability checked
    (non-members get 404), ``request.access`` set, and the workspace remembered as the current one."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            # One query serves both the access check and the workspace switcher in the page.
            request.my_memberships = list(memberships_for_user(request.user))
            request.access = access_workspace(user=request.user, slug=slug, capability=capability,
                                              memberships=request.my_memberships)
            if request.session.get("workspace") != slug:
                request.session["workspace"] = slug
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
