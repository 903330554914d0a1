"""Invitation services: create, resend, revoke, accept, decline, expiry."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from backline.accounts import services
from backline.accounts.models import Invitation, InvitationStatus, Membership, Role, WorkspaceKind
from backline.core.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from backline.core.models import AuditEntry


def entries(action, obj=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


@pytest.fixture
def team(make_team):
    return make_team(WorkspaceKind.PROMOTER)


@pytest.fixture
def invite(team, django_capture_on_commit_callbacks):
    """``invite(email, role="member", actor=owner)`` → a pending invitation (its email sent)."""
    ws, people = team

    def build(email, role=Role.MEMBER, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(actor=actor or people[Role.OWNER], workspace_id=ws.pk, email=email,
                                              role=role)

    return build


def lapse(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


# --- create ---------------------------------------------------------------------------------------

def test_create_stores_a_pending_invitation_emails_the_link_and_audits(team, invite):
    ws, people = team
    mail.outbox.clear()
    before = timezone.now()

    invitation = invite("  New.Person@Example.org ", Role.COORDINATOR)

    invitation.refresh_from_db()
    assert (invitation.email, invitation.role, invitation.status) == ("new.person@example.org", "coordinator", "pending")
    assert invitation.invited_by == people[Role.OWNER] and invitation.sent_count == 1
    assert before + settings.INVITATION_TTL <= invitation.expires_at <= timezone.now() + settings.INVITATION_TTL
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert f"/invitations/{invitation.token}/" in message.body
    assert ws.name in message.subject
    entry = entries("invitation.created", invitation).get()
    assert entry.after == {"email": "new.person@example.org", "role": "coordinator", "status": "pending"}
    assert entry.actor == people[Role.OWNER] and entry.workspace_id == ws.pk


def test_no_email_is_sent_when_the_invitation_is_rolled_back(team, django_capture_on_commit_callbacks):
    ws, people = team
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Invalid):
        services.invitation_create(actor=people[Role.OWNER], workspace_id=ws.pk, email="not-an-address", role="member")
    assert callbacks == [] and mail.outbox == []


def test_a_second_pending_invitation_for_the_same_address_is_a_conflict(team, invite):
    first = invite("dup@example.org")
    with pytest.raises(Conflict) as exc:
        invite("DUP@example.org", Role.VIEWER)
    assert exc.value.code == "invitation_pending"
    assert exc.value.extra["conflicting"] == {"type": "invitation", "id": first.pk}
    assert Invitation.objects.filter(email="dup@example.org").count() == 1


def test_inviting_someone_who_is_already_a_member_is_a_conflict(team, invite):
    ws, people = team
    with pytest.raises(Conflict) as exc:
        invite(people[Role.MEMBER].email.upper())
    assert exc.value.code == "already_member"
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


@pytest.mark.parametrize(("email", "role", "field"), [
    ("not-an-address", Role.MEMBER, "email"),
    ("x@example.org", Role.PERFORMER, "role"),  # performers only exist in agencies
    ("x@example.org", "janitor", "role"),
])
def test_create_refuses_bad_input(team, invite, email, role, field):
    with pytest.raises(Invalid) as exc:
        invite(email, role)
    assert field in exc.value.errors
    assert not Invitation.objects.filter(status=InvitationStatus.PENDING).exists()


@pytest.mark.parametrize(("actor_role", "role", "error"), [
    (Role.ADMIN, Role.OWNER, Forbidden),          # only owners hand out ownership
    (Role.COORDINATOR, Role.VIEWER, Forbidden),   # no members.manage
    (Role.VIEWER, Role.VIEWER, Forbidden),
])
def test_create_refuses_actors_without_the_right(team, invite, actor_role, role, error):
    ws, people = team
    with pytest.raises(error):
        invite("x@example.org", role, actor=people[actor_role])
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_create_in_a_foreign_workspace_is_not_found(invite, user):
    with pytest.raises(NotFound):
        invite("x@example.org", actor=user)
    assert not Invitation.objects.filter(email="x@example.org").exists()


# --- resend and revoke ----------------------------------------------------------------------------

def test_resend_issues_a_new_link_and_expiry_and_the_old_link_stops_working(team, invite, make_user,
                                                                             django_capture_on_commit_callbacks):
    ws, people = team
    invitee = make_user(email="late@example.org")
    invitation = invite("late@example.org")
    old_token = invitation.token
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resent = services.invitation_resend(actor=people[Role.ADMIN], invitation_id=invitation.pk)

    resent.refresh_from_db()
    assert resent.pk == invitation.pk and resent.token != old_token
    assert resent.sent_count == 2
    assert resent.expires_at > timezone.now() + settings.INVITATION_TTL - timedelta(minutes=1)
    assert f"/invitations/{resent.token}/" in mail.outbox[0].body
    assert entries("invitation.resent", resent).get().after["sent_count"] == 2
    with pytest.raises(NotFound):
        services.invitation_accept(user=invitee, token=old_token)
    services.invitation_accept(user=invitee, token=resent.token)
    assert Membership.objects.filter(workspace=ws, user=invitee).exists()


def test_resend_of_an_expired_invitation_issues_a_new_one(team, invite):
    ws, people = team
    invitation = invite("late@example.org")
    lapse(invitation)
    assert services.invitations_expire_due() == 1

    fresh = services.invitation_resend(actor=people[Role.OWNER], invitation_id=invitation.pk)

    assert fresh.pk != invitation.pk and fresh.status == InvitationStatus.PENDING and fresh.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    assert entries("invitation.resent_as_new", invitation).exists()


def test_resend_of_an_expired_invitation_is_a_conflict_when_a_newer_one_is_pending(team, invite):
    ws, people = team
    old = invite("late@example.org")
    lapse(old)
    services.invitations_expire_due()
    newer = invite("late@example.org")

    with pytest.raises(Conflict) as exc:
        services.invitation_resend(actor=people[Role.OWNER], invitation_id=old.pk)

    assert exc.value.code == "invitation_pending"
    assert exc.value.extra["conflicting"] == {"type": "invitation", "id": newer.pk}
    assert Invitation.objects.filter(email="late@example.org").count() == 2


def test_resend_of_an_answered_invitation_is_refused(team, invite, make_user):
    ws, people = team
    invitee = make_user(email="in@example.org")
    invitation = invite("in@example.org")
    services.invitation_accept(user=invitee, token=invitation.token)
    with pytest.raises(InvalidTransition):
        services.invitation_resend(actor=people[Role.OWNER], invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_count) == (InvitationStatus.ACCEPTED, 1)


def test_revoke_marks_the_invitation_revoked_and_it_can_no_longer_be_accepted(team, invite, make_user):
    ws, people = team
    invitee = make_user(email="gone@example.org")
    invitation = invite("gone@example.org")

    services.invitation_revoke(actor=people[Role.ADMIN], invitation_id=invitation.pk)

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED and invitation.responded_at is not None
    entry = entries("invitation.revoked", invitation).get()
    assert (entry.before, entry.after, entry.actor) == ({"status": "pending"}, {"status": "revoked"}, people[Role.ADMIN])
    with pytest.raises(InvalidTransition) as exc:
        services.invitation_accept(user=invitee, token=invitation.token)
    assert exc.value.code == "invitation_revoked"
    with pytest.raises(InvalidTransition):
        services.invitation_revoke(actor=people[Role.ADMIN], invitation_id=invitation.pk)
    assert not Membership.objects.filter(user=invitee).exists()


def test_resend_and_revoke_need_members_manage(team, invite, user):
    ws, people = team
    invitation = invite("x@example.org")
    for service in (services.invitation_resend, services.invitation_revoke):
        with pytest.raises(Forbidden):
            service(actor=people[Role.COORDINATOR], invitation_id=invitation.pk)
        with pytest.raises(NotFound):
            service(actor=user, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_count) == (InvitationStatus.PENDING, 1)


# --- accept and decline ---------------------------------------------------------------------------

def test_accept_creates_the_membership_with_the_invited_role_and_audits(team, invite, make_user):
    ws, people = team
    invitee = make_user(email="joiner@example.org")
    invitation = invite("Joiner@example.org", Role.COORDINATOR)

    membership = services.invitation_accept(user=invitee, token=invitation.token)

    assert (membership.workspace_id, membership.user, membership.role) == (ws.pk, invitee, "coordinator")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.accepted_by == invitee
    assert invitation.responded_at is not None
    accepted = entries("invitation.accepted", invitation).get()
    assert (accepted.actor, accepted.before, accepted.after) == (invitee, {"status": "pending"}, {"status": "accepted"})
    assert entries("membership.created", membership).get().after == {"role": "coordinator", "user": invitee.email}


def test_an_accepted_invitation_cannot_be_used_again(team, invite, make_user):
    invitee = make_user(email="joiner@example.org")
    invitation = invite("joiner@example.org")
    services.invitation_accept(user=invitee, token=invitation.token)
    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(InvalidTransition) as exc:
            answer(user=invitee, token=invitation.token)
        assert exc.value.code == "invitation_accepted"
    assert Membership.objects.filter(user=invitee).count() == 1


def test_decline_records_the_answer_and_creates_no_membership(team, invite, make_user):
    invitee = make_user(email="nope@example.org")
    invitation = invite("nope@example.org")

    services.invitation_decline(user=invitee, token=invitation.token)

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED and invitation.responded_at is not None
    assert entries("invitation.declined", invitation).get().after == {"status": "declined"}
    assert not Membership.objects.filter(user=invitee).exists()
    with pytest.raises(InvalidTransition):
        services.invitation_accept(user=invitee, token=invitation.token)


@pytest.mark.parametrize("answer", [services.invitation_accept, services.invitation_decline])
def test_an_expired_invitation_is_refused_and_marked_expired(team, invite, make_user, answer):
    invitee = make_user(email="late@example.org")
    invitation = invite("late@example.org")
    lapse(invitation)

    with pytest.raises(InvalidTransition) as exc:
        answer(user=invitee, token=invitation.token)

    assert exc.value.code == "invitation_expired"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED and invitation.responded_at is None
    entry = entries("invitation.expired", invitation).get()
    assert (entry.actor, entry.before, entry.after) == (None, {"status": "pending"}, {"status": "expired"})
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.parametrize("answer", [services.invitation_accept, services.invitation_decline])
def test_only_the_invited_address_can_answer(team, invite, user, answer):
    invitation = invite("someone.else@example.org")
    with pytest.raises(Forbidden) as exc:
        answer(user=user, token=invitation.token)
    assert exc.value.code == "invitation_wrong_account"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not Membership.objects.filter(user=user).exists()


def test_an_unknown_token_is_not_found(user):
    import uuid

    with pytest.raises(NotFound):
        services.invitation_accept(user=user, token=uuid.uuid4())


# --- the periodic job -----------------------------------------------------------------------------

def test_invitations_expire_due_marks_only_lapsed_pending_invitations(team, invite, make_user):
    lapsed = [invite("a@example.org"), invite("b@example.org")]
    invite("c@example.org")
    answered = invite("d@example.org")
    services.invitation_decline(user=make_user(email="d@example.org"), token=answered.token)
    for invitation in (*lapsed, answered):
        lapse(invitation)

    assert services.invitations_expire_due() == 2

    mine = ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]
    statuses = dict(Invitation.objects.filter(email__in=mine).values_list("email", "status"))
    assert statuses == {"a@example.org": "expired", "b@example.org": "expired", "c@example.org": "pending",
                        "d@example.org": "declined"}
    assert entries("invitation.expired").count() == 2
    assert services.invitations_expire_due() == 0
