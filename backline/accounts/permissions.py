"""Roles, capabilities and the access helpers. The role → capability mapping lives here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field

from backline.core.errors import Forbidden, NotFound

from .models import Membership, Role, Workspace, WorkspaceKind

# Capability names. Later apps add theirs here so the whole matrix stays in one table.
WORKSPACE_VIEW = "workspace.view"
WORKSPACE_EDIT = "workspace.edit"
WORKSPACE_DELETE = "workspace.delete"
MEMBERS_VIEW = "members.view"
MEMBERS_MANAGE = "members.manage"
AUDIT_VIEW = "audit.view"
ROSTER_MANAGE = "roster.manage"  # act line-up, venues and stages, agency performers
SCHEDULE_VIEW = "schedule.view"  # an act's events, green zone and date polls
SCHEDULE_MANAGE = "schedule.manage"  # create and change act events, polls and public share links
BOOKINGS_VIEW = "bookings.view"  # the workspace's inquiries, holds, offers and shows
BOOKINGS_MANAGE = "bookings.manage"  # log inquiries, place holds, make and answer offers, confirm, cancel
BOOKINGS_OVERRIDE = "bookings.override"  # assign a performer despite a conflict, with a written reason
MESSAGES_VIEW = "messages.view"  # read the workspace's conversations (its inbox) and attachments
MESSAGES_SEND = "messages.send"  # write in them, start conversations with other workspaces
CONTACTS_VIEW = "contacts.view"  # the contacts book and each contact's history
CONTACTS_MANAGE = "contacts.manage"  # add, edit, import, merge and delete contacts
OUTREACH_SEND = "outreach.send"  # send outreach email in the workspace's name
OUTREACH_MANAGE = "outreach.manage"  # templates, the sender identity, and held (quarantined) incoming mail
MEDIA_VIEW = "media.view"  # the workspace's media library: logos, photos, press photos, documents
MEDIA_MANAGE = "media.manage"  # upload, describe and delete them

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({WORKSPACE_VIEW, WORKSPACE_EDIT, WORKSPACE_DELETE, MEMBERS_VIEW, MEMBERS_MANAGE,
                           AUDIT_VIEW, ROSTER_MANAGE, SCHEDULE_VIEW, SCHEDULE_MANAGE, BOOKINGS_VIEW, BOOKINGS_MANAGE,
                           BOOKINGS_OVERRIDE, MESSAGES_VIEW, MESSAGES_SEND, CONTACTS_VIEW, CONTACTS_MANAGE,
                           OUTREACH_SEND, OUTREACH_MANAGE, MEDIA_VIEW, MEDIA_MANAGE}),
    Role.ADMIN: frozenset({WORKSPACE_VIEW, WORKSPACE_EDIT, MEMBERS_VIEW, MEMBERS_MANAGE, AUDIT_VIEW, ROSTER_MANAGE,
                           SCHEDULE_VIEW, SCHEDULE_MANAGE, BOOKINGS_VIEW, BOOKINGS_MANAGE, BOOKINGS_OVERRIDE,
                           MESSAGES_VIEW, MESSAGES_SEND, CONTACTS_VIEW, CONTACTS_MANAGE, OUTREACH_SEND, OUTREACH_MANAGE,
                           MEDIA_VIEW, MEDIA_MANAGE}),
    Role.COORDINATOR: frozenset({WORKSPACE_VIEW, MEMBERS_VIEW, ROSTER_MANAGE, SCHEDULE_VIEW, SCHEDULE_MANAGE, BOOKINGS_VIEW,
                                 BOOKINGS_MANAGE, MESSAGES_VIEW, MESSAGES_SEND, CONTACTS_VIEW, CONTACTS_MANAGE,
                                 OUTREACH_SEND, MEDIA_VIEW, MEDIA_MANAGE}),
    Role.MEMBER: frozenset({WORKSPACE_VIEW, MEMBERS_VIEW, SCHEDULE_VIEW, BOOKINGS_VIEW, MESSAGES_VIEW, MESSAGES_SEND,
                            CONTACTS_VIEW, MEDIA_VIEW, MEDIA_MANAGE}),
    Role.VIEWER: frozenset({WORKSPACE_VIEW, MEMBERS_VIEW, SCHEDULE_VIEW, BOOKINGS_VIEW, MESSAGES_VIEW, CONTACTS_VIEW,
                            MEDIA_VIEW}),
    # An agency's performer sees their own portal, not the agency's staff or books.
    Role.PERFORMER: frozenset({WORKSPACE_VIEW}),
}

# Who may hand out or take away which role: an actor acts only on roles at or below their own rank,
# and only an owner makes or unmakes owners.
ROLE_RANK = {Role.OWNER: 5, Role.ADMIN: 4, Role.COORDINATOR: 3, Role.MEMBER: 2, Role.VIEWER: 1, Role.PERFORMER: 1}


def roles_with(capability: str) -> list[str]:
    """The roles that hold ``capability`` (for querying memberships by role)."""
    return [str(role) for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def roles_for_kind(kind: str) -> list[str]:
    roles = [Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER]
    if kind == WorkspaceKind.AGENCY:
        roles.append(Role.PERFORMER)
    return [str(r) for r in roles]


def capabilities_of(role: str) -> frozenset[str]:
    return ROLE_CAPABILITIES.get(role, frozenset())


def can_grant(actor_role: str, role: str) -> bool:
    if role == Role.OWNER:
        return actor_role == Role.OWNER
    return ROLE_RANK.get(actor_role, 0) >= ROLE_RANK.get(role, 99)


@dataclass(frozen=True)
class WorkspaceAccess:
    workspace: Workspace
    membership: Membership
    # What panels of one page share, read once per request (the access lives as long as the request).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: str, load):
        """``load()`` once for this request: two dashboard panels that both need the act read it once."""
        if key not in self.memo:
            self.memo[key] = load()
        return self.memo[key]

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, capability: str) -> bool:
        return capability in capabilities_of(self.membership.role)


def access_workspace(*, user, capability: str = WORKSPACE_VIEW, slug: str | None = None,
                     workspace_id: int | None = None, memberships: list[Membership] | None = None) -> WorkspaceAccess:
    """The workspace and the user's membership, if they hold ``capability`` there.

    A workspace the user does not belong to is ``NotFound`` (404), exactly like a missing one;
    a member whose role lacks the capability gets ``Forbidden`` (403). Pass the user's already
    loaded ``memberships`` (with workspaces) to decide without another query.
    """
    if not getattr(user, "is_authenticated", False) or (slug is None and workspace_id is None):
        raise NotFound("No such workspace.")
    if memberships is not None:
        membership = next((m for m in memberships if m.user_id == user.pk and (
            m.workspace.slug == slug if slug is not None else m.workspace_id == workspace_id)), None)
    else:
        qs = Membership.objects.select_related("workspace").filter(user=user)
        qs = qs.filter(workspace__slug=slug) if slug is not None else qs.filter(workspace_id=workspace_id)
        membership = qs.first()
    if membership is None:
        raise NotFound("No such workspace.")
    access = WorkspaceAccess(workspace=membership.workspace, membership=membership)
    if not access.can(capability):
        raise Forbidden(f"Your role ({membership.get_role_display()}) does not allow this.")
    return access
