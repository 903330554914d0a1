"""Every write to accounts, workspaces, memberships and invitations. See ARCHITECTURE.md §3."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from backline.core import audit
from backline.core.email import absolute_url, send_templated_email_on_commit
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.events import emit
from backline.core.places import get_city
from backline.core.validation import validate_model

from . import events
from .models import Invitation, InvitationStatus, Membership, Role, SocialLink, User, Workspace, WorkspaceKind
from .permissions import MEMBERS_MANAGE, WORKSPACE_EDIT, access_workspace, can_grant, roles_for_kind
from .workflow import invitation_transition

USER_PROFILE_FIELDS = ("name", "pronouns", "phone", "time_zone", "avatar")
WORKSPACE_FIELDS = ("name", "bio", "website", "contact_email", "phone", "currency", "commission_percent",
                    "geoname_id", "city_name", "country_code", "latitude", "longitude", "time_zone")


# --- people ---------------------------------------------------------------------------------------

def user_update_profile(*, actor: User, **changes) -> User:
    """Edit one's own profile: name, pronouns, phone, time zone, avatar."""
    audit.check_known_fields(changes, USER_PROFILE_FIELDS)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        return audit.apply_audited_changes(user, actor=actor, action="user.profile_updated", fields=USER_PROFILE_FIELDS,
                                           changes=changes, workspace_id=None, exclude=["password", "email"])


# --- workspaces -----------------------------------------------------------------------------------

def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def workspace_create(*, actor: User, kind: str, name: str, geoname_id: int | None = None,
                     **fields) -> Workspace:
    """Create a workspace with ``actor`` as its owner. Kind-specific profiles are added by the
    services of the apps that own them (``artists.services.act_create``, ``venues.services...``)."""
    if kind not in WorkspaceKind.values:
        raise Invalid("Unknown workspace kind.", errors={"kind": [f"Choose one of {', '.join(WorkspaceKind.values)}."]})
    name = (name or "").strip()
    if not name:
        raise Invalid("A name is required.", errors={"name": ["This field is required."]})
    with transaction.atomic():
        ws = Workspace(kind=kind, name=name, slug=_unique_slug(name), **fields)
        if geoname_id is not None:
            city = get_city(geoname_id)
            if city is None:
                raise Invalid("Unknown city.", errors={"city": ["Choose a city from the list."]})
            ws.set_city(city)
        elif actor.time_zone and "time_zone" not in fields:
            ws.time_zone = actor.time_zone
        validate_model(ws)
        ws.save()
        membership = Membership.objects.create(user=actor, workspace=ws, role=Role.OWNER)
        audit.record(actor=actor, action="workspace.created", obj=ws, after=audit.snapshot(ws, ("kind", *WORKSPACE_FIELDS)),
                     workspace_id=ws.pk)
        audit.record(actor=actor, action="membership.created", obj=membership, after={"role": Role.OWNER,
                     "user": actor.email}, workspace_id=ws.pk)
        emit(events.workspace_created, workspace_id=ws.pk, actor_id=actor.pk)
    return ws


def workspace_update(*, actor: User, workspace_id: int, geoname_id: int | None | str = "", **changes) -> Workspace:
    """Edit the shared profile fields. ``geoname_id`` picks a city (filling coordinates and zone)."""
    audit.check_known_fields(changes, WORKSPACE_FIELDS)
    with transaction.atomic():
        access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_EDIT)
        ws = Workspace.objects.select_for_update().get(pk=workspace_id)
        before = audit.snapshot(ws, WORKSPACE_FIELDS)
        for field, value in changes.items():
            setattr(ws, field, value)
        if geoname_id != "":
            city = get_city(geoname_id) if geoname_id is not None else None
            if geoname_id is not None and city is None:
                raise Invalid("Unknown city.", errors={"city": ["Choose a city from the list."]})
            ws.set_city(city)
            if "time_zone" in changes and city is not None:
                ws.time_zone = changes["time_zone"]
        validate_model(ws)
        ws.save()
        after = audit.snapshot(ws, WORKSPACE_FIELDS)
        if after != before:
            audit.record(actor=actor, action="workspace.updated", obj=ws, before=before, after=after,
                         workspace_id=ws.pk)
    return ws


def workspace_set_social_links(*, actor: User, workspace_id: int, links: list[tuple[str, str]]) -> list[SocialLink]:
    """Replace the workspace's social and streaming links. Each URL must belong to its platform."""
    from .validation import validate_social_link

    errors: dict[str, list[str]] = {}
    cleaned = []
    for i, (platform, url) in enumerate(links):
        try:
            cleaned.append(validate_social_link(platform, url))
        except Invalid as exc:
            errors[f"links[{i}]"] = [exc.detail]
    if len({u for _, u in cleaned}) != len(cleaned):
        errors["links"] = ["The same address is listed twice."]
    if errors:
        raise Invalid("Some links are not valid.", errors=errors)
    with transaction.atomic():
        access_workspace(user=actor, workspace_id=workspace_id, capability=WORKSPACE_EDIT)
        ws = Workspace.objects.select_for_update().get(pk=workspace_id)
        before = [[link.platform, link.url] for link in ws.social_links.all()]
        ws.social_links.all().delete()
        created = SocialLink.objects.bulk_create(SocialLink(workspace=ws, platform=p, url=u) for p, u in cleaned)
        after = [[p, u] for p, u in cleaned]
        if before != after:
            audit.record(actor=actor, action="workspace.links_updated", obj=ws, before={"links": before},
                         after={"links": after}, workspace_id=ws.pk)
    return created


# --- invitations ----------------------------------------------------------------------------------

def _invitation_email(invitation: Invitation) -> None:
    send_templated_email_on_commit(
        to=[invitation.email],
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "workspace": invitation.workspace,
            "inviter": invitation.invited_by,
            "url": absolute_url(reverse("invitation_detail", args=[invitation.token])),
        },
    )


def invitation_create(*, actor: User, workspace_id: int, email: str, role: str) -> Invitation:
    email = (email or "").strip().lower()
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=workspace_id, capability=MEMBERS_MANAGE)
        ws = access.workspace
        if role not in roles_for_kind(ws.kind):
            raise Invalid("Unknown role.", errors={"role": [f"Choose one of {', '.join(roles_for_kind(ws.kind))}."]})
        if not can_grant(access.role, role):
            raise Forbidden(f"A {access.membership.get_role_display().lower()} cannot invite someone as {role}.")
        if Membership.objects.filter(workspace=ws, user__email__iexact=email).exists():
            raise Conflict(f"{email} is already a member of {ws.name}.", code="already_member")
        pending = Invitation.objects.filter(workspace=ws, email=email, status=InvitationStatus.PENDING).first()
        if pending is not None:
            raise Conflict(f"{email} already has a pending invitation; resend it instead.",
                           code="invitation_pending", conflicting={"type": "invitation", "id": pending.pk})
        # After the conflict checks: full_clean also checks the one-pending constraint, which would
        # otherwise answer a duplicate with a bare 422 instead of the 409 naming the pending invitation.
        invitation = Invitation(workspace=ws, email=email, role=role, invited_by=actor,
                                expires_at=timezone.now() + settings.INVITATION_TTL)
        validate_model(invitation, exclude=["token", "invited_by", "accepted_by"])
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError as exc:  # a concurrent request won the race
            raise Conflict(f"{email} already has a pending invitation.", code="invitation_pending") from exc
        audit.record(actor=actor, action="invitation.created", obj=invitation,
                     after={"email": email, "role": role, "status": invitation.status}, workspace_id=ws.pk)
        _invitation_email(invitation)
        emit(events.member_invited, invitation_id=invitation.pk, workspace_id=ws.pk, email=email, actor_id=actor.pk)
    return invitation


def _managed_invitation(actor: User, invitation_id: int) -> Invitation:
    """Lock an invitation of a workspace where ``actor`` manages members (404 otherwise)."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such invitation.")
    access_workspace(user=actor, workspace_id=invitation.workspace_id, capability=MEMBERS_MANAGE)
    return invitation


def _expire_if_due(invitation: Invitation) -> bool:
    if invitation.status == InvitationStatus.PENDING and invitation.is_expired:
        invitation_transition(invitation, InvitationStatus.EXPIRED)
        invitation.save(update_fields=["status", "updated_at"])
        audit.record(actor=None, action="invitation.expired", obj=invitation, before={"status": "pending"},
                     after={"status": "expired"}, workspace_id=invitation.workspace_id)
        return True
    return False


def invitation_resend(*, actor: User, invitation_id: int) -> Invitation:
    """Send a pending (or lapsed) invitation again with a fresh link and a new 14-day expiry."""
    import uuid

    with transaction.atomic():
        invitation = _managed_invitation(actor, invitation_id)
        if invitation.status not in (InvitationStatus.PENDING, InvitationStatus.EXPIRED):
            invitation_transition(invitation, InvitationStatus.PENDING)  # raises: answered ones stay answered
        if invitation.status == InvitationStatus.EXPIRED:
            # An expired invitation is history; resending issues a new one for the same address and role.
            pending = Invitation.objects.filter(workspace_id=invitation.workspace_id, email=invitation.email,
                                                status=InvitationStatus.PENDING).first()
            if pending is not None:
                raise Conflict(f"{invitation.email} already has a newer pending invitation; resend that one.",
                               code="invitation_pending", conflicting={"type": "invitation", "id": pending.pk})
            audit.record(actor=actor, action="invitation.resent_as_new", obj=invitation, workspace_id=invitation.workspace_id)
            invitation = Invitation.objects.create(
                workspace_id=invitation.workspace_id, email=invitation.email, role=invitation.role, invited_by=actor,
                expires_at=timezone.now() + settings.INVITATION_TTL)
        else:
            invitation.token = uuid.uuid4()  # the old link stops working
            invitation.expires_at = timezone.now() + settings.INVITATION_TTL
            invitation.sent_count += 1
            invitation.save(update_fields=["token", "expires_at", "sent_count", "updated_at"])
        audit.record(actor=actor, action="invitation.resent", obj=invitation,
                     after={"expires_at": invitation.expires_at, "sent_count": invitation.sent_count},
                     workspace_id=invitation.workspace_id)
        _invitation_email(invitation)
    return invitation


def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = _managed_invitation(actor, invitation_id)
        invitation_transition(invitation, InvitationStatus.REVOKED)
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor=actor, action="invitation.revoked", obj=invitation, before={"status": "pending"},
                     after={"status": "revoked"}, workspace_id=invitation.workspace_id)
    return invitation


def _answerable_invitation(user: User, token) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("workspace").filter(token=token).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid. Ask for a new one.")
    if invitation.email.lower() != user.email.lower():
        raise Forbidden(f"This invitation was sent to {invitation.email}. Log in with that address to answer it.",
                        code="invitation_wrong_account")
    return invitation


def invitation_accept(*, user: User, token) -> Membership:
    """Join the workspace. An expired link is marked expired (that is kept) and refused."""
    with transaction.atomic():
        invitation = _answerable_invitation(user, token)
        expired = _expire_if_due(invitation)
        if not expired:
            invitation_transition(invitation, InvitationStatus.ACCEPTED)
            if Membership.objects.filter(workspace_id=invitation.workspace_id, user=user).exists():
                raise Conflict("You are already a member of this workspace.", code="already_member")
            invitation.responded_at = timezone.now()
            invitation.accepted_by = user
            invitation.save(update_fields=["status", "responded_at", "accepted_by", "updated_at"])
            membership = Membership.objects.create(user=user, workspace_id=invitation.workspace_id,
                                                   role=invitation.role)
            audit.record(actor=user, action="invitation.accepted", obj=invitation, before={"status": "pending"},
                         after={"status": "accepted"}, workspace_id=invitation.workspace_id)
            audit.record(actor=user, action="membership.created", obj=membership,
                         after={"role": membership.role, "user": user.email}, workspace_id=invitation.workspace_id)
            emit(events.member_joined, membership_id=membership.pk, workspace_id=invitation.workspace_id,
                 user_id=user.pk, invitation_id=invitation.pk)
            emit(events.invitation_answered, invitation_id=invitation.pk, workspace_id=invitation.workspace_id,
                 user_id=user.pk, answer="accepted")
    if expired:
        raise invitation_expired_error()
    return membership


def invitation_expired_error():
    from backline.core.errors import InvalidTransition

    return InvalidTransition("This invitation has expired. Ask for a new one.", code="invitation_expired")


def invitation_decline(*, user: User, token) -> Invitation:
    with transaction.atomic():
        invitation = _answerable_invitation(user, token)
        expired = _expire_if_due(invitation)
        if not expired:
            invitation_transition(invitation, InvitationStatus.DECLINED)
            invitation.responded_at = timezone.now()
            invitation.save(update_fields=["status", "responded_at", "updated_at"])
            audit.record(actor=user, action="invitation.declined", obj=invitation, before={"status": "pending"},
                         after={"status": "declined"}, workspace_id=invitation.workspace_id)
            emit(events.invitation_answered, invitation_id=invitation.pk, workspace_id=invitation.workspace_id,
                 user_id=user.pk, answer="declined")
    if expired:
        raise invitation_expired_error()
    return invitation


def invitations_expire_due() -> int:
    """Mark every pending invitation past its expiry as expired (the periodic job)."""
    count = 0
    due = Invitation.objects.filter(status=InvitationStatus.PENDING, expires_at__lte=timezone.now())
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=pk)
            count += _expire_if_due(invitation)
    return count


# --- memberships ----------------------------------------------------------------------------------

def _owner_count(workspace_id: int) -> int:
    return Membership.objects.filter(workspace_id=workspace_id, role=Role.OWNER).count()


def _managed_membership(actor: User, membership_id: int):
    membership = Membership.objects.select_for_update().select_related("user").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No such member.")
    access = access_workspace(user=actor, workspace_id=membership.workspace_id, capability=MEMBERS_MANAGE)
    if not can_grant(access.role, membership.role):
        raise Forbidden(f"A {access.membership.get_role_display().lower()} cannot change a {membership.role}.")
    return access, membership


def membership_change_role(*, actor: User, membership_id: int, role: str) -> Membership:
    with transaction.atomic():
        access, membership = _managed_membership(actor, membership_id)
        allowed = roles_for_kind(access.workspace.kind)
        if role not in allowed:
            raise Invalid("Unknown role.", errors={"role": [f"Choose one of {', '.join(allowed)}."]})
        if not can_grant(access.role, role):
            raise Forbidden(f"A {access.membership.get_role_display().lower()} cannot grant the role {role}.")
        if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(membership.workspace_id) == 1:
            raise Conflict("A workspace needs at least one owner. Make someone else owner first.", code="last_owner")
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit.record(actor=actor, action="membership.role_changed", obj=membership, before={"role": before},
                     after={"role": role}, workspace_id=membership.workspace_id)
    return membership


def membership_remove(*, actor: User, membership_id: int) -> None:
    with transaction.atomic():
        access, membership = _managed_membership(actor, membership_id)
        _delete_membership(actor, membership)


def membership_leave(*, actor: User, workspace_id: int) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=actor, workspace_id=workspace_id).first()
        if membership is None:
            raise NotFound("No such workspace.")
        _delete_membership(actor, membership)


def _delete_membership(actor: User, membership: Membership) -> None:
    if membership.role == Role.OWNER and _owner_count(membership.workspace_id) == 1:
        raise Conflict("The last owner cannot leave. Make someone else owner first.", code="last_owner")
    audit.record(actor=actor, action="membership.removed", obj=membership,
                 before={"role": membership.role, "user": membership.user.email}, workspace_id=membership.workspace_id)
    workspace_id, user_id = membership.workspace_id, membership.user_id
    membership.delete()
    emit(events.member_removed, workspace_id=workspace_id, user_id=user_id, actor_id=actor.pk)
