"""Act, line-up and agency performer services, and the member_joined reaction."""

import pytest

from backline.accounts import services as accounts
from backline.accounts.models import Role, Workspace, WorkspaceKind
from backline.artists import services
from backline.artists.models import Act, ActMember, Performer
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.models import AuditEntry


def entries(action, obj=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT)


@pytest.fixture
def agency(make_team):
    return make_team(WorkspaceKind.AGENCY)


def line_up(ws):
    return ActMember.objects.filter(act__workspace=ws)


# --- acts -----------------------------------------------------------------------------------------

def test_act_create_makes_the_creator_owner_and_first_line_up_member(make_user, berlin):
    creator = make_user(name="Mia Wong")
    act = services.act_create(actor=creator, name="The Foxes", act_type="duo", genres=["indie-rock", "post-punk"],
                              geoname_id=berlin.geoname_id, instruments="vocals, bass", bio="Loud.")

    ws = act.workspace
    assert (ws.kind, ws.name, ws.bio, ws.city_name) == ("act", "The Foxes", "Loud.", "Berlin")
    assert ws.memberships.get().user == creator and ws.memberships.get().role == Role.OWNER
    assert act.act_type == "duo"
    assert sorted(act.genres.values_list("slug", flat=True)) == ["indie-rock", "post-punk"]
    [member] = act.members.all()
    assert (member.user, member.name, member.email, member.instruments) == (creator, "Mia Wong", creator.email,
                                                                          "vocals, bass")
    entry = entries("act.created", act).get()
    assert entry.after == {"act_type": "duo", "genres": ["indie-rock", "post-punk"]}
    assert entry.actor == creator and entry.workspace_id == ws.pk


def test_act_create_for_a_manager_who_does_not_play_leaves_the_line_up_empty(user):
    act = services.act_create(actor=user, name="Managed", plays_in_act=False)
    assert not act.members.exists()
    assert act.workspace.memberships.get().role == Role.OWNER


def test_act_create_ignores_repeated_genres(user):
    act = services.act_create(actor=user, name="Repeat", genres=["rock", "rock", "punk"])
    assert act.genres.count() == 2


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"genres": ["rock", "polka-metal"]}, "genres"),
    ({"genres": ["rock", "punk", "jazz", "funk", "soul", "ska"]}, "genres"),
    ({"act_type": "orchestra"}, "act_type"),
    ({"name": " "}, "name"),
    ({"geoname_id": 1}, "city"),
])
def test_act_create_refuses_bad_input_and_creates_nothing(user, kwargs, field):
    with pytest.raises(Invalid) as exc:
        services.act_create(actor=user, **{"name": "The Foxes", **kwargs})
    assert field in exc.value.errors
    assert not Workspace.objects.exists() and not Act.objects.exists() and not ActMember.objects.exists()
    assert not AuditEntry.objects.exists()


def test_five_genres_are_allowed(user):
    act = services.act_create(actor=user, name="Eclectic", genres=["rock", "punk", "jazz", "funk", "soul"])
    assert act.genres.count() == 5


def test_act_update_changes_type_genres_and_year_and_audits_before_after(band):
    ws, people = band
    services.act_update(actor=people[Role.ADMIN], workspace_id=ws.pk, genres=["jazz"])
    act = services.act_update(actor=people[Role.OWNER], workspace_id=ws.pk, act_type="ensemble",
                              genres=["jazz", "swing"], formed_year=2011)

    act.refresh_from_db()
    assert (act.act_type, act.formed_year) == ("ensemble", 2011)
    assert sorted(act.genres.values_list("slug", flat=True)) == ["jazz", "swing"]
    last = entries("act.updated", act).order_by("-id").first()
    assert last.before == {"act_type": "band", "genres": ["jazz"], "formed_year": None}
    assert last.after == {"act_type": "ensemble", "genres": ["jazz", "swing"], "formed_year": 2011}
    services.act_update(actor=people[Role.OWNER], workspace_id=ws.pk, formed_year=None)
    act.refresh_from_db()
    assert act.formed_year is None


def test_act_update_without_a_change_writes_no_audit_entry(band):
    ws, people = band
    services.act_update(actor=people[Role.OWNER], workspace_id=ws.pk, act_type="band", genres=[])
    assert not entries("act.updated").exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"formed_year": 1850, "act_type": "duo"}, "formed_year"),
    ({"genres": ["rock", "nope"], "act_type": "duo", "formed_year": 2000}, "genres"),
    ({"genres": ["rock", "punk", "jazz", "funk", "soul", "ska"]}, "genres"),
    ({"act_type": "choir"}, "act_type"),
])
def test_act_update_refuses_bad_input_and_changes_nothing(band, changes, field):
    ws, people = band
    services.act_update(actor=people[Role.OWNER], workspace_id=ws.pk, genres=["folk"])
    with pytest.raises(Invalid) as exc:
        services.act_update(actor=people[Role.OWNER], workspace_id=ws.pk, **changes)
    assert field in exc.value.errors
    act = Act.objects.get(workspace=ws)
    assert (act.act_type, act.formed_year, list(act.genres.values_list("slug", flat=True))) == ("band", None, ["folk"])
    assert entries("act.updated").count() == 1


def test_act_update_needs_workspace_edit_and_an_act(band, make_team, user):
    ws, people = band
    with pytest.raises(Forbidden):
        services.act_update(actor=people[Role.COORDINATOR], workspace_id=ws.pk, act_type="duo")
    with pytest.raises(NotFound):
        services.act_update(actor=user, workspace_id=ws.pk, act_type="duo")
    promoter, promoter_people = make_team(WorkspaceKind.PROMOTER)
    with pytest.raises(NotFound):
        services.act_update(actor=promoter_people[Role.OWNER], workspace_id=promoter.pk, act_type="duo")
    assert Act.objects.get(workspace=ws).act_type == "band"


# --- line-up --------------------------------------------------------------------------------------

def test_make_team_put_every_playing_role_but_the_viewer_in_the_line_up(band):
    ws, people = band
    assert set(line_up(ws).values_list("user", flat=True)) == {
        people[r].pk for r in (Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER)}


def test_line_up_add_stores_a_member_without_an_account_and_audits(band):
    ws, people = band
    member = services.act_member_add(actor=people[Role.COORDINATOR], workspace_id=ws.pk, name=" Sam ",
                                     email=" Sam@Example.org ", instruments=" drums ", is_optional=True)
    member.refresh_from_db()
    assert (member.name, member.email, member.instruments, member.is_optional, member.user) == (
        "Sam", "sam@example.org", "drums", True, None)
    assert entries("act_member.added", member).get().after == {
        "name": "Sam", "email": "sam@example.org", "instruments": "drums", "is_optional": True}


def test_line_up_add_links_an_existing_account_by_email(band, make_user):
    ws, people = band
    player = make_user(email="player@example.org")
    member = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="P", email="PLAYER@example.org")
    assert member.user == player


def test_line_up_add_refuses_a_duplicate_email(band):
    ws, people = band
    services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam", email="sam@example.org")
    before = line_up(ws).count()
    for email in ("SAM@example.org", people[Role.MEMBER].email):
        with pytest.raises(Conflict) as exc:
            services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam again", email=email)
        assert exc.value.code == "member_exists"
    assert line_up(ws).count() == before


def test_line_up_add_allows_several_members_without_email(band):
    ws, people = band
    for name in ("Stand-in A", "Stand-in B"):
        services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name=name)
    assert line_up(ws).filter(email="").count() == 2


@pytest.mark.parametrize(("kwargs", "field"), [({"name": ""}, "name"), ({"name": "X", "email": "nope"}, "email")])
def test_line_up_add_refuses_bad_input(band, kwargs, field):
    ws, people = band
    before = line_up(ws).count()
    with pytest.raises(Invalid) as exc:
        services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, **kwargs)
    assert field in exc.value.errors
    assert line_up(ws).count() == before


def test_line_up_changes_need_roster_manage(band, user):
    ws, people = band
    sam = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam")
    for actor, error in ((people[Role.MEMBER], Forbidden), (people[Role.VIEWER], Forbidden), (user, NotFound)):
        with pytest.raises(error):
            services.act_member_add(actor=actor, workspace_id=ws.pk, name="Intruder")
        with pytest.raises(error):
            services.act_member_update(actor=actor, member_id=sam.pk, name="Renamed")
        with pytest.raises(error):
            services.act_member_remove(actor=actor, member_id=sam.pk)
    sam.refresh_from_db()
    assert sam.name == "Sam" and not line_up(ws).filter(name="Intruder").exists()


def test_line_up_update_saves_and_audits_before_after(band):
    ws, people = band
    sam = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam", instruments="drums")
    services.act_member_update(actor=people[Role.COORDINATOR], member_id=sam.pk, instruments="drums, percussion",
                               is_optional=True)
    sam.refresh_from_db()
    assert (sam.instruments, sam.is_optional) == ("drums, percussion", True)
    entry = entries("act_member.updated", sam).get()
    assert (entry.before["instruments"], entry.after["instruments"]) == ("drums", "drums, percussion")
    assert (entry.before["is_optional"], entry.after["is_optional"]) == (False, True)


def test_line_up_update_refuses_an_email_already_in_the_line_up(band):
    ws, people = band
    services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam", email="sam@example.org")
    kim = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Kim", email="kim@example.org")
    with pytest.raises(Conflict) as exc:
        services.act_member_update(actor=people[Role.OWNER], member_id=kim.pk, email="Sam@Example.org")
    assert exc.value.code == "member_exists"
    kim.refresh_from_db()
    assert kim.email == "kim@example.org"
    # Keeping one's own address (in another case) is not a clash, and is stored normalised.
    services.act_member_update(actor=people[Role.OWNER], member_id=kim.pk, email="KIM@example.org")
    kim.refresh_from_db()
    assert kim.email == "kim@example.org"


def test_line_up_update_refuses_bad_input_and_unknown_fields(band):
    ws, people = band
    sam = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam")
    for changes in ({"name": ""}, {"email": "nope"}, {"user": people[Role.VIEWER]}):
        with pytest.raises(Invalid):
            services.act_member_update(actor=people[Role.OWNER], member_id=sam.pk, **changes)
    sam.refresh_from_db()
    assert (sam.name, sam.email, sam.user) == ("Sam", "", None)


def test_line_up_remove_deletes_and_audits(band):
    ws, people = band
    sam = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Sam", instruments="drums")
    services.act_member_remove(actor=people[Role.ADMIN], member_id=sam.pk)
    assert not ActMember.objects.filter(pk=sam.pk).exists()
    assert entries("act_member.removed", sam).get().before["instruments"] == "drums"
    with pytest.raises(NotFound):
        services.act_member_remove(actor=people[Role.ADMIN], member_id=sam.pk)


# --- the member_joined reaction -------------------------------------------------------------------

def join(ws, owner, person, role, capture):
    with capture(execute=True):
        invitation = accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=person.email, role=role)
        accounts.invitation_accept(user=person, token=invitation.token)


def test_joining_an_act_links_the_line_up_entry_with_the_same_email(band, make_user,
                                                                    django_capture_on_commit_callbacks):
    ws, people = band
    entry = services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Newbie",
                                    email="newbie@example.org", instruments="keys")
    newbie = make_user(email="newbie@example.org")
    before = line_up(ws).count()

    join(ws, people[Role.OWNER], newbie, Role.MEMBER, django_capture_on_commit_callbacks)

    entry.refresh_from_db()
    assert entry.user == newbie and entry.instruments == "keys"
    assert line_up(ws).count() == before
    assert entries("act_member.linked", entry).get().after == {"user": "newbie@example.org"}


def test_joining_an_act_without_a_line_up_entry_adds_one(band, make_user, django_capture_on_commit_callbacks):
    ws, people = band
    newbie = make_user(name="New Person")
    join(ws, people[Role.OWNER], newbie, Role.COORDINATOR, django_capture_on_commit_callbacks)
    added = line_up(ws).get(user=newbie)
    assert (added.name, added.email) == ("New Person", newbie.email)


def test_a_viewer_joining_an_act_is_not_put_in_the_line_up(band, make_user, django_capture_on_commit_callbacks):
    ws, people = band
    services.act_member_add(actor=people[Role.OWNER], workspace_id=ws.pk, name="Fan", email="fan@example.org")
    fan = make_user(email="fan@example.org")
    join(ws, people[Role.OWNER], fan, Role.VIEWER, django_capture_on_commit_callbacks)
    assert line_up(ws).get(email="fan@example.org").user is None


# --- agency performers ----------------------------------------------------------------------------

def test_performer_create_and_update_are_audited(agency):
    ws, people = agency
    performer = services.performer_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, name=" Rosa ",
                                          email="Rosa@Example.org", skills="violin")
    assert (performer.name, performer.email, performer.is_active, performer.user) == ("Rosa", "rosa@example.org",
                                                                                       True, None)
    assert entries("performer.created", performer).get().after["skills"] == "violin"

    services.performer_update(actor=people[Role.ADMIN], performer_id=performer.pk, skills="violin, viola",
                              is_active=False)
    performer.refresh_from_db()
    assert (performer.skills, performer.is_active) == ("violin, viola", False)
    entry = entries("performer.updated", performer).get()
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)


def test_performers_exist_only_in_agencies(band):
    ws, people = band
    with pytest.raises(NotFound):
        services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    assert not Performer.objects.exists()


def test_performer_changes_need_roster_manage(agency, user):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    for actor, error in ((people[Role.MEMBER], Forbidden), (people[Role.PERFORMER], Forbidden), (user, NotFound)):
        with pytest.raises(error):
            services.performer_create(actor=actor, workspace_id=ws.pk, name="Intruder")
        with pytest.raises(error):
            services.performer_update(actor=actor, performer_id=rosa.pk, name="Renamed")
        with pytest.raises(error):
            services.performer_link_user(actor=actor, performer_id=rosa.pk, user_id=people[Role.PERFORMER].pk)
    rosa.refresh_from_db()
    assert (rosa.name, rosa.user) == ("Rosa", None) and Performer.objects.count() == 1


def test_performer_update_refuses_bad_input(agency):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    for changes in ({"email": "nope"}, {"name": ""}, {"user": people[Role.PERFORMER]}):
        with pytest.raises(Invalid):
            services.performer_update(actor=people[Role.OWNER], performer_id=rosa.pk, **changes)
    rosa.refresh_from_db()
    assert (rosa.name, rosa.email, rosa.user) == ("Rosa", "", None)


def test_performer_link_user_links_a_member_and_unlinks(agency):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    services.performer_link_user(actor=people[Role.COORDINATOR], performer_id=rosa.pk, user_id=people[Role.PERFORMER].pk)
    rosa.refresh_from_db()
    assert rosa.user == people[Role.PERFORMER]
    assert entries("performer.linked", rosa).get().after == {"user": people[Role.PERFORMER].pk}

    services.performer_link_user(actor=people[Role.OWNER], performer_id=rosa.pk, user_id=None)
    rosa.refresh_from_db()
    assert rosa.user is None
    assert entries("performer.unlinked", rosa).get().before == {"user": people[Role.PERFORMER].pk}


def test_only_agency_members_can_be_linked(agency, user):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    with pytest.raises(Invalid) as exc:
        services.performer_link_user(actor=people[Role.OWNER], performer_id=rosa.pk, user_id=user.pk)
    assert "user" in exc.value.errors
    rosa.refresh_from_db()
    assert rosa.user is None and not entries("performer.linked").exists()


def test_one_performer_record_per_user(agency):
    ws, people = agency
    rosa = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa")
    other = services.performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Rosa (duplicate)")
    services.performer_link_user(actor=people[Role.OWNER], performer_id=rosa.pk, user_id=people[Role.PERFORMER].pk)
    # Re-linking the same record is fine …
    services.performer_link_user(actor=people[Role.OWNER], performer_id=rosa.pk, user_id=people[Role.PERFORMER].pk)
    # … a second record for the same account is not.
    with pytest.raises(Conflict) as exc:
        services.performer_link_user(actor=people[Role.OWNER], performer_id=other.pk, user_id=people[Role.PERFORMER].pk)
    assert exc.value.code == "performer_linked"
    assert exc.value.extra["conflicting"] == {"type": "performer", "id": rosa.pk}
    other.refresh_from_db()
    assert other.user is None
