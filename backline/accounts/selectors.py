"""Reads for accounts, already permission-scoped."""

from backline.core.audit import AuditEntry

from .models import Invitation, InvitationStatus, Membership, SocialLink
from .permissions import WorkspaceAccess


def memberships_for_user(user):
    """The user's memberships with their workspaces (one query)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")


def members_for(access: WorkspaceAccess):
    return (Membership.objects.filter(workspace=access.workspace).select_related("user")
            .order_by("user__name", "user__email"))


def invitations_for(access: WorkspaceAccess, *, status: str | None = InvitationStatus.PENDING):
    qs = Invitation.objects.filter(workspace=access.workspace).select_related("invited_by")
    return qs.filter(status=status) if status else qs


def social_links_for(workspace):
    return SocialLink.objects.filter(workspace=workspace)


def audit_for(access: WorkspaceAccess, *, object_type: str | None = None, object_id: str | None = None):
    """The workspace's audit entries, newest first; narrowed to one object's history when
    ``object_type`` (a model name such as ``invitation``) and ``object_id`` are given."""
    qs = AuditEntry.objects.filter(workspace_id=access.workspace.pk).select_related("actor", "object_type")
    if object_type:
        qs = qs.filter(object_type__model=object_type.lower())
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    return qs


def pending_invitations_for_user(user):
    """Invitations waiting for this person to answer (by their address), newest first."""
    from django.utils import timezone

    return (Invitation.objects.filter(email__iexact=user.email, status=InvitationStatus.PENDING,
                                      expires_at__gt=timezone.now())
            .select_related("workspace", "invited_by"))


def dashboard_invitations(access: WorkspaceAccess, user, *, include_workspace: bool):
    """The dashboard's two invitation lists in one query: the workspace's pending ones (when
    ``include_workspace``: the people it invited) and the ones waiting for this person to answer.
    Both newest first, each exactly as ``invitations_for`` and ``pending_invitations_for_user`` read them."""
    from django.db.models import BooleanField, ExpressionWrapper, Q
    from django.utils import timezone

    now = timezone.now()
    mine = Q(email__iexact=user.email, expires_at__gt=now)
    wanted = (Q(workspace=access.workspace) | mine) if include_workspace else mine
    rows = list(Invitation.objects.filter(wanted, status=InvitationStatus.PENDING)
                .annotate(for_me=ExpressionWrapper(mine, output_field=BooleanField()))
                .select_related("workspace", "invited_by"))
    theirs = [i for i in rows if include_workspace and i.workspace_id == access.workspace.pk]
    for_me = [i for i in rows if i.for_me]
    return theirs, for_me
