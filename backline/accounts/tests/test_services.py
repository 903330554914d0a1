"""Account services: workspaces, social links, memberships, the user profile and allauth signup.

Invitations have their own file (test_services_invitations.py)."""

import pytest
from django.core import mail

from backline.accounts import services
from backline.accounts.models import Membership, Role, SocialLink, User, Workspace, WorkspaceKind
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.models import AuditEntry
from backline.core.places import find_city
from tests.factories import PASSWORD


def entries(action, obj=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


# --- workspaces -----------------------------------------------------------------------------------

def test_workspace_create_makes_the_actor_owner_fills_the_city_and_audits(user, berlin):
    ws = services.workspace_create(actor=user, kind=WorkspaceKind.PROMOTER, name="  Night Owls  ",
                                   geoname_id=berlin.geoname_id, bio="Indie shows")

    ws.refresh_from_db()
    assert (ws.name, ws.slug, ws.bio) == ("Night Owls", "night-owls", "Indie shows")
    assert (ws.city_name, ws.country_code, ws.time_zone) == ("Berlin", "DE", "Europe/Berlin")
    assert ws.latitude == pytest.approx(berlin.latitude)
    assert Membership.objects.get(workspace=ws).user == user
    assert Membership.objects.get(workspace=ws).role == Role.OWNER
    created = entries("workspace.created", ws).get()
    assert created.actor == user and created.workspace_id == ws.pk and created.before is None
    assert created.after["name"] == "Night Owls" and created.after["kind"] == "promoter"
    assert created.after["geoname_id"] == berlin.geoname_id
    assert entries("membership.created").get(workspace_id=ws.pk).after == {"role": "owner", "user": user.email}


def test_workspace_create_gives_each_workspace_its_own_slug(user):
    first = services.workspace_create(actor=user, kind=WorkspaceKind.AGENCY, name="Blue Note")
    second = services.workspace_create(actor=user, kind=WorkspaceKind.AGENCY, name="Blue Note")
    assert (first.slug, second.slug) == ("blue-note", "blue-note-2")


def test_workspace_create_without_a_city_takes_the_creators_time_zone(make_user):
    actor = make_user(time_zone="America/Chicago")
    ws = services.workspace_create(actor=actor, kind=WorkspaceKind.PROMOTER, name="Loop")
    assert (ws.time_zone, ws.city_name, ws.geoname_id) == ("America/Chicago", "", None)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "label", "name": "X"}, "kind"),
    ({"kind": "promoter", "name": "   "}, "name"),
    ({"kind": "promoter", "name": "X", "geoname_id": 999_999_999}, "city"),
    ({"kind": "promoter", "name": "X", "currency": "EURO"}, "currency"),
])
def test_workspace_create_refuses_bad_input_and_creates_nothing(user, kwargs, field):
    with pytest.raises(Invalid) as exc:
        services.workspace_create(actor=user, **kwargs)
    assert field in exc.value.errors
    assert not Workspace.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_workspace_update_moves_the_workspace_to_another_city_and_audits_before_after(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    lisbon = find_city("Lisbon", "PT")

    services.workspace_update(actor=people[Role.ADMIN], workspace_id=ws.pk, geoname_id=lisbon.geoname_id,
                              name="Night Owls Lisboa")

    ws.refresh_from_db()
    assert (ws.name, ws.city_name, ws.country_code, ws.time_zone) == ("Night Owls Lisboa", "Lisbon", "PT",
                                                                      "Europe/Lisbon")
    assert ws.longitude == pytest.approx(lisbon.longitude)
    entry = entries("workspace.updated", ws).get()
    assert entry.actor == people[Role.ADMIN]
    assert (entry.before["name"], entry.after["name"]) == ("The Testers", "Night Owls Lisboa")
    assert (entry.before["time_zone"], entry.after["time_zone"]) == ("Europe/Berlin", "Europe/Lisbon")
    assert entry.after["geoname_id"] == lisbon.geoname_id


def test_workspace_update_with_no_city_clears_the_place(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    services.workspace_update(actor=people[Role.OWNER], workspace_id=ws.pk, geoname_id=None)
    ws.refresh_from_db()
    assert (ws.geoname_id, ws.city_name, ws.country_code, ws.latitude) == (None, "", "", None)


def test_workspace_update_without_a_real_change_writes_no_audit_entry(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    services.workspace_update(actor=people[Role.OWNER], workspace_id=ws.pk, name=ws.name)
    assert not entries("workspace.updated").exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"geoname_id": 999_999_999, "name": "Renamed"}, "city"),
    ({"website": "not a url", "name": "Renamed"}, "website"),
    ({"time_zone": "Mars/Olympus_Mons", "name": "Renamed"}, "time_zone"),
])
def test_workspace_update_refuses_bad_input_and_changes_nothing(make_team, changes, field):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    with pytest.raises(Invalid) as exc:
        services.workspace_update(actor=people[Role.OWNER], workspace_id=ws.pk, **changes)
    assert field in exc.value.errors
    ws.refresh_from_db()
    assert (ws.name, ws.time_zone, ws.city_name) == ("The Testers", "Europe/Berlin", "Berlin")
    assert not entries("workspace.updated").exists()


def test_workspace_update_refuses_unknown_fields(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    with pytest.raises(Invalid):
        services.workspace_update(actor=people[Role.OWNER], workspace_id=ws.pk, slug="hijacked")
    ws.refresh_from_db()
    assert ws.slug == "the-testers"


def test_workspace_update_needs_workspace_edit_and_membership(make_team, user):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    with pytest.raises(Forbidden):
        services.workspace_update(actor=people[Role.COORDINATOR], workspace_id=ws.pk, name="Mine now")
    with pytest.raises(NotFound):
        services.workspace_update(actor=user, workspace_id=ws.pk, name="Mine now")
    ws.refresh_from_db()
    assert ws.name == "The Testers"


# --- social links ---------------------------------------------------------------------------------

def test_set_social_links_replaces_the_links_and_audits_before_after(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    owner = people[Role.OWNER]
    services.workspace_set_social_links(actor=owner, workspace_id=ws.pk,
                                        links=[("spotify", "https://open.spotify.com/artist/abc")])
    services.workspace_set_social_links(actor=owner, workspace_id=ws.pk, links=[
        ("bandcamp", "https://nightowls.bandcamp.com/"), ("youtube", " https://youtu.be/xyz ")])

    assert sorted(ws.social_links.values_list("platform", "url")) == [
        ("bandcamp", "https://nightowls.bandcamp.com/"), ("youtube", "https://youtu.be/xyz")]
    last = entries("workspace.links_updated", ws).order_by("-id").first()
    assert last.before == {"links": [["spotify", "https://open.spotify.com/artist/abc"]]}
    assert last.after == {"links": [["bandcamp", "https://nightowls.bandcamp.com/"],
                                    ["youtube", "https://youtu.be/xyz"]]}
    # Setting the same list again is not a change.
    services.workspace_set_social_links(actor=owner, workspace_id=ws.pk, links=[
        ("bandcamp", "https://nightowls.bandcamp.com/"), ("youtube", "https://youtu.be/xyz")])
    assert entries("workspace.links_updated", ws).count() == 2


@pytest.mark.parametrize(("platform", "url"), [
    ("spotify", "https://soundcloud.com/night-owls"),            # another platform's domain
    ("spotify", "https://open.spotify.com.evil.example/artist"),  # look-alike host
    ("instagram", "https://notinstagram.com/owls"),               # suffix without a dot
    ("spotify", "ftp://open.spotify.com/artist/abc"),             # not a web address
    ("spotify", "open.spotify.com/artist/abc"),                   # no scheme
    ("myspace", "https://myspace.com/owls"),                      # unknown platform
])
def test_set_social_links_refuses_a_link_off_its_platform_and_keeps_the_old_links(make_team, platform, url):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    SocialLink.objects.create(workspace=ws, platform="bandcamp", url="https://owls.bandcamp.com/")
    with pytest.raises(Invalid) as exc:
        services.workspace_set_social_links(actor=people[Role.OWNER], workspace_id=ws.pk, links=[
            ("bandcamp", "https://other.bandcamp.com/"), (platform, url)])
    assert list(exc.value.errors) == ["links[1]"]
    assert list(ws.social_links.values_list("url", flat=True)) == ["https://owls.bandcamp.com/"]
    assert not entries("workspace.links_updated").exists()


def test_set_social_links_accepts_any_host_for_other_and_mastodon(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    services.workspace_set_social_links(actor=people[Role.OWNER], workspace_id=ws.pk, links=[
        ("mastodon", "https://musician.social/@owls"), ("other", "https://owls.example/")])
    assert ws.social_links.count() == 2


def test_set_social_links_refuses_the_same_address_twice(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    with pytest.raises(Invalid) as exc:
        services.workspace_set_social_links(actor=people[Role.OWNER], workspace_id=ws.pk, links=[
            ("other", "https://owls.example/"), ("other", "https://owls.example/")])
    assert "links" in exc.value.errors
    assert not ws.social_links.exists()


def test_set_social_links_needs_workspace_edit(make_team, user):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    links = [("other", "https://owls.example/")]
    with pytest.raises(Forbidden):
        services.workspace_set_social_links(actor=people[Role.MEMBER], workspace_id=ws.pk, links=links)
    with pytest.raises(NotFound):
        services.workspace_set_social_links(actor=user, workspace_id=ws.pk, links=links)
    assert not ws.social_links.exists()


# --- memberships ----------------------------------------------------------------------------------

def membership(ws, person):
    return Membership.objects.get(workspace=ws, user=person)


def test_change_role_saves_the_role_and_audits_before_after(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[Role.MEMBER])

    services.membership_change_role(actor=people[Role.ADMIN], membership_id=target.pk, role=Role.COORDINATOR)

    assert membership(ws, people[Role.MEMBER]).role == Role.COORDINATOR
    entry = entries("membership.role_changed", target).get()
    assert (entry.actor, entry.before, entry.after) == (people[Role.ADMIN], {"role": "member"}, {"role": "coordinator"})


def test_an_owner_can_make_another_owner_and_then_step_down(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    owner = people[Role.OWNER]
    services.membership_change_role(actor=owner, membership_id=membership(ws, people[Role.ADMIN]).pk, role=Role.OWNER)
    services.membership_change_role(actor=owner, membership_id=membership(ws, owner).pk, role=Role.ADMIN)
    assert membership(ws, people[Role.ADMIN]).role == Role.OWNER
    assert membership(ws, owner).role == Role.ADMIN


@pytest.mark.parametrize(("actor_role", "target_role", "new_role"), [
    (Role.ADMIN, Role.MEMBER, Role.OWNER),        # only owners make owners
    (Role.ADMIN, Role.OWNER, Role.MEMBER),        # an admin cannot touch an owner
    (Role.ADMIN, Role.ADMIN, Role.OWNER),         # nor promote a fellow admin to owner
    (Role.COORDINATOR, Role.VIEWER, Role.MEMBER),  # no members.manage
    (Role.MEMBER, Role.VIEWER, Role.MEMBER),
    (Role.VIEWER, Role.VIEWER, Role.ADMIN),       # not even on oneself
])
def test_change_role_refuses_escalation_and_missing_capability(make_team, actor_role, target_role, new_role):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[target_role])
    with pytest.raises(Forbidden):
        services.membership_change_role(actor=people[actor_role], membership_id=target.pk, role=new_role)
    assert membership(ws, people[target_role]).role == target_role
    assert not entries("membership.role_changed").exists()


def test_change_role_refuses_a_non_member_as_not_found(make_team, user):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[Role.MEMBER])
    with pytest.raises(NotFound):
        services.membership_change_role(actor=user, membership_id=target.pk, role=Role.ADMIN)
    with pytest.raises(NotFound):
        services.membership_change_role(actor=people[Role.OWNER], membership_id=10**9, role=Role.ADMIN)
    assert membership(ws, people[Role.MEMBER]).role == Role.MEMBER


def test_change_role_refuses_a_role_the_workspace_kind_does_not_have(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[Role.MEMBER])
    for role in ("performer", "superuser"):
        with pytest.raises(Invalid):
            services.membership_change_role(actor=people[Role.OWNER], membership_id=target.pk, role=role)
    assert membership(ws, people[Role.MEMBER]).role == Role.MEMBER


def test_the_last_owner_cannot_be_demoted(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    owner = people[Role.OWNER]
    with pytest.raises(Conflict) as exc:
        services.membership_change_role(actor=owner, membership_id=membership(ws, owner).pk, role=Role.ADMIN)
    assert exc.value.code == "last_owner"
    assert membership(ws, owner).role == Role.OWNER


def test_the_last_owner_cannot_leave_or_be_removed(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    owner = people[Role.OWNER]
    with pytest.raises(Conflict):
        services.membership_leave(actor=owner, workspace_id=ws.pk)
    with pytest.raises(Conflict):
        services.membership_remove(actor=owner, membership_id=membership(ws, owner).pk)
    assert membership(ws, owner).role == Role.OWNER
    assert not entries("membership.removed").exists()


def test_an_owner_can_leave_once_there_is_another_owner(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    owner = people[Role.OWNER]
    services.membership_change_role(actor=owner, membership_id=membership(ws, people[Role.ADMIN]).pk, role=Role.OWNER)
    services.membership_leave(actor=owner, workspace_id=ws.pk)
    assert not Membership.objects.filter(workspace=ws, user=owner).exists()


def test_remove_deletes_the_membership_and_audits_who_it_was(make_team):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[Role.VIEWER])
    services.membership_remove(actor=people[Role.ADMIN], membership_id=target.pk)
    assert not Membership.objects.filter(pk=target.pk).exists()
    entry = entries("membership.removed", target).get()
    assert entry.before == {"role": "viewer", "user": people[Role.VIEWER].email}
    assert entry.actor == people[Role.ADMIN] and entry.workspace_id == ws.pk


@pytest.mark.parametrize(("actor_role", "target_role"), [
    (Role.ADMIN, Role.OWNER), (Role.COORDINATOR, Role.VIEWER), (Role.MEMBER, Role.VIEWER)])
def test_remove_refuses_actors_without_the_right(make_team, actor_role, target_role):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    target = membership(ws, people[target_role])
    with pytest.raises(Forbidden):
        services.membership_remove(actor=people[actor_role], membership_id=target.pk)
    assert Membership.objects.filter(pk=target.pk).exists()


def test_members_leave_on_their_own_and_strangers_cannot_leave(make_team, user):
    ws, people = make_team(WorkspaceKind.PROMOTER)
    services.membership_leave(actor=people[Role.VIEWER], workspace_id=ws.pk)
    assert not Membership.objects.filter(workspace=ws, user=people[Role.VIEWER]).exists()
    assert entries("membership.removed").get().actor == people[Role.VIEWER]
    with pytest.raises(NotFound):
        services.membership_leave(actor=user, workspace_id=ws.pk)


# --- the user's own profile -----------------------------------------------------------------------

def test_profile_update_saves_stripped_values_and_audits_before_after(make_user):
    person = make_user(name="Ada", time_zone="Europe/Berlin")
    services.user_update_profile(actor=person, name="  Ada L.  ", pronouns="she/her", time_zone="Asia/Tokyo")
    person.refresh_from_db()
    assert (person.name, person.pronouns, person.time_zone) == ("Ada L.", "she/her", "Asia/Tokyo")
    entry = entries("user.profile_updated", person).get()
    assert entry.workspace_id is None
    assert (entry.before["name"], entry.after["name"]) == ("Ada", "Ada L.")
    assert (entry.before["time_zone"], entry.after["time_zone"]) == ("Europe/Berlin", "Asia/Tokyo")


def test_profile_update_refuses_a_bad_time_zone_and_changes_nothing(make_user):
    person = make_user(name="Ada", time_zone="Europe/Berlin")
    with pytest.raises(Invalid) as exc:
        services.user_update_profile(actor=person, name="Changed", time_zone="Europe/Atlantis")
    assert "time_zone" in exc.value.errors
    person.refresh_from_db()
    assert (person.name, person.time_zone) == ("Ada", "Europe/Berlin")
    assert not AuditEntry.objects.exists()


def test_profile_update_cannot_change_the_email_or_staff_flags(make_user):
    person = make_user()
    for change in ({"email": "new@example.org"}, {"is_staff": True}):
        with pytest.raises(Invalid):
            services.user_update_profile(actor=person, **change)
    person.refresh_from_db()
    assert person.email.startswith("person") and not person.is_staff


# --- signup (allauth's form) ----------------------------------------------------------------------

def signup(client, email, password, name="Nina Simone"):
    return client.post("/accounts/signup/", {"name": name, "email": email, "password1": password,
                                             "password2": password})


def test_signup_without_a_name_is_refused_with_the_error_beside_the_field(client, db):
    response = signup(client, "new.person@example.org", "a-long-and-unusual-passphrase", name="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    page = response.content.decode()
    assert 'id="id_name"' in page and "Your name" in page
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_signup_saves_the_name_so_others_see_it_rather_than_the_email(client, db):
    response = signup(client, "fe.tester@example.org", "a-long-and-unusual-passphrase", name="  Nina   Simone ")
    assert response.status_code == 302
    user = User.objects.get(email="fe.tester@example.org")
    assert user.name == "Nina Simone"
    assert user.display_name == "Nina Simone"


def test_signup_creates_an_unverified_account_and_sends_a_verification_email(client, db):
    response = signup(client, "new.person@example.org", "a-long-and-unusual-passphrase")
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("a-long-and-unusual-passphrase")
    assert not user.emailaddress_set.get().verified
    assert mail.outbox[-1].to == ["new.person@example.org"]


@pytest.mark.parametrize(("password", "message"), [
    ("short1", "too short"),
    ("password123", "too common"),
    ("4815162342", "entirely numeric"),
])
def test_signup_refuses_a_weak_password_and_creates_no_user(client, db, password, message):
    response = signup(client, "new.person@example.org", password)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["password1"])
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_signup_with_a_taken_email_creates_no_second_account_and_tells_the_owner(client, user):
    # Enumeration prevention (allauth's default with mandatory verification): the form does not say the
    # address is taken; the owner of the address gets an "account already exists" email instead.
    response = signup(client, user.email.upper(), "a-long-and-unusual-passphrase")
    assert response.status_code == 302
    assert "form" not in (response.context or {})
    assert User.objects.filter(email__iexact=user.email).count() == 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert mail.outbox[-1].to == [user.email]
    assert mail.outbox[-1].subject == "You already have a Backline account"


def test_signup_refuses_a_password_that_resembles_the_email(client, db):
    response = signup(client, "marvellous.musician@example.org", "marvellous.musician")
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="marvellous.musician@example.org").exists()
