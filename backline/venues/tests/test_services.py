"""Venue and stage services."""

import pytest

from backline.accounts.models import Role, Workspace, WorkspaceKind
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound
from backline.core.models import AuditEntry
from backline.core.places import find_city
from backline.venues import services
from backline.venues.models import Stage, Venue


def entries(action, obj=None):
    qs = AuditEntry.objects.filter(action=action)
    return qs.filter(object_id=str(obj.pk)) if obj is not None else qs


@pytest.fixture
def club(make_team):
    """A venue workspace whose first venue, "The Testers", holds 300 on one stage."""
    ws, people = make_team(WorkspaceKind.VENUE)
    return ws, people, Venue.objects.get(workspace=ws)


# --- venue workspaces -----------------------------------------------------------------------------

def test_venue_workspace_create_makes_workspace_venue_and_main_stage(user, berlin):
    venue = services.venue_workspace_create(actor=user, name="Lido", capacity=450, geoname_id=berlin.geoname_id,
                                            address="Cuvrystraße 7", postal_code="10997")

    ws = venue.workspace
    assert (ws.kind, ws.name, ws.city_name, ws.time_zone) == ("venue", "Lido", "Berlin", "Europe/Berlin")
    assert ws.memberships.get().user == user and ws.memberships.get().role == Role.OWNER
    assert (venue.name, venue.capacity, venue.address, venue.city_name, venue.time_zone) == (
        "Lido", 450, "Cuvrystraße 7", "Berlin", "Europe/Berlin")
    assert list(venue.stages.values_list("name", "capacity")) == [("Main room", 450)]
    entry = entries("venue.created", venue).get()
    assert entry.after["capacity"] == 450 and entry.after["geoname_id"] == berlin.geoname_id
    assert entry.actor == user and entry.workspace_id == ws.pk


@pytest.mark.parametrize("capacity", [1, 200_000])
def test_venue_capacity_bounds_are_inclusive(user, berlin, capacity):
    venue = services.venue_workspace_create(actor=user, name="Edge", capacity=capacity, geoname_id=berlin.geoname_id)
    assert venue.capacity == capacity


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"geoname_id": 999_999_999}, "city"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": 200_001}, "capacity"),
    ({"name": ""}, "name"),
    ({"website": "not a url"}, "website"),
])
def test_venue_workspace_create_refuses_bad_input_and_creates_nothing(user, berlin, kwargs, field):
    with pytest.raises(Invalid) as exc:
        services.venue_workspace_create(actor=user, **{"name": "Lido", "capacity": 450,
                                                       "geoname_id": berlin.geoname_id, **kwargs})
    assert field in exc.value.errors
    assert not Workspace.objects.exists() and not Venue.objects.exists() and not Stage.objects.exists()
    assert not AuditEntry.objects.exists()


# --- venues ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [WorkspaceKind.VENUE, WorkspaceKind.PROMOTER])
def test_venue_create_in_venue_and_promoter_workspaces(make_team, kind):
    ws, people = make_team(kind)
    hamburg = find_city("Hamburg", "DE")
    venue = services.venue_create(actor=people[Role.COORDINATOR], workspace_id=ws.pk, name="  Hafenklang  ",
                                  capacity=400, geoname_id=hamburg.geoname_id)
    assert (venue.workspace, venue.name, venue.city_name) == (ws, "Hafenklang", "Hamburg")
    assert venue.stages.get().capacity == 400
    assert entries("venue.created", venue).get().actor == people[Role.COORDINATOR]


@pytest.mark.parametrize("kind", [WorkspaceKind.ACT, WorkspaceKind.AGENCY])
def test_venue_create_is_refused_in_acts_and_agencies(make_team, berlin, kind):
    ws, people = make_team(kind)
    with pytest.raises(NotFound):
        services.venue_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Garage", capacity=50,
                              geoname_id=berlin.geoname_id)
    assert not Venue.objects.exists()


def test_venue_create_needs_roster_manage(club, berlin, user):
    ws, people, _ = club
    kwargs = {"workspace_id": ws.pk, "name": "Annex", "capacity": 80, "geoname_id": berlin.geoname_id}
    with pytest.raises(Forbidden):
        services.venue_create(actor=people[Role.MEMBER], **kwargs)
    with pytest.raises(NotFound):
        services.venue_create(actor=user, **kwargs)
    assert Venue.objects.count() == 1


def test_venue_update_changes_fields_and_city_and_audits_before_after(club):
    ws, people, venue = club
    lisbon = find_city("Lisbon", "PT")
    services.venue_update(actor=people[Role.COORDINATOR], venue_id=venue.pk, name=" The Testers Lisboa ",
                          capacity=500, geoname_id=lisbon.geoname_id)

    venue.refresh_from_db()
    assert (venue.name, venue.capacity, venue.city_name, venue.country_code, venue.time_zone) == (
        "The Testers Lisboa", 500, "Lisbon", "PT", "Europe/Lisbon")
    entry = entries("venue.updated", venue).get()
    assert (entry.before["capacity"], entry.after["capacity"]) == (300, 500)
    assert (entry.before["time_zone"], entry.after["time_zone"]) == ("Europe/Berlin", "Europe/Lisbon")
    assert entry.actor == people[Role.COORDINATOR] and entry.workspace_id == ws.pk


def test_venue_update_without_a_change_writes_no_audit_entry(club):
    _, people, venue = club
    services.venue_update(actor=people[Role.OWNER], venue_id=venue.pk, name="The Testers", capacity=300)
    assert not entries("venue.updated").exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"capacity": 0, "name": "Renamed"}, "capacity"),
    ({"capacity": 200_001}, "capacity"),
    ({"geoname_id": 999_999_999, "name": "Renamed"}, "city"),
    ({"name": "   "}, "name"),
    ({"time_zone": "Nowhere/Land"}, "time_zone"),
])
def test_venue_update_refuses_bad_input_and_changes_nothing(club, changes, field):
    _, people, venue = club
    with pytest.raises(Invalid) as exc:
        services.venue_update(actor=people[Role.OWNER], venue_id=venue.pk, **changes)
    assert field in exc.value.errors
    venue.refresh_from_db()
    assert (venue.name, venue.capacity, venue.city_name, venue.time_zone) == ("The Testers", 300, "Berlin",
                                                                              "Europe/Berlin")
    assert not entries("venue.updated").exists()


def test_venue_update_refuses_unknown_fields_and_outsiders(club, make_team):
    ws, people, venue = club
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Other")
    with pytest.raises(Invalid):
        services.venue_update(actor=people[Role.OWNER], venue_id=venue.pk, workspace=other_ws)
    with pytest.raises(Forbidden):
        services.venue_update(actor=people[Role.VIEWER], venue_id=venue.pk, name="Mine")
    outsider_venue = Venue.objects.get(workspace=other_ws)
    with pytest.raises(NotFound):
        services.venue_update(actor=people[Role.OWNER], venue_id=outsider_venue.pk, name="Mine")
    with pytest.raises(NotFound):
        services.venue_update(actor=people[Role.OWNER], venue_id=10**9, name="Mine")
    venue.refresh_from_db()
    outsider_venue.refresh_from_db()
    assert (venue.workspace_id, venue.name, outsider_venue.name) == (ws.pk, "The Testers", "Other")


# --- stages ---------------------------------------------------------------------------------------

def test_stage_add_stores_the_stage_and_audits(club):
    ws, people, venue = club
    stage = services.stage_add(actor=people[Role.COORDINATOR], venue_id=venue.pk, name="  Basement  ", capacity=120)
    assert (stage.venue, stage.name, stage.capacity) == (venue, "Basement", 120)
    entry = entries("stage.added", stage).get()
    assert entry.after == {"name": "Basement", "capacity": 120} and entry.workspace_id == ws.pk


def test_a_stage_may_be_as_big_as_the_venue_but_not_bigger(club):
    _, people, venue = club
    services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Open air", capacity=300)
    with pytest.raises(Invalid) as exc:
        services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Arena", capacity=301)
    assert "capacity" in exc.value.errors
    assert list(venue.stages.order_by("name").values_list("name", flat=True)) == ["Main room", "Open air"]


def test_stage_add_refuses_a_duplicate_name(club):
    _, people, venue = club
    with pytest.raises(Conflict) as exc:
        services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name=" Main room ", capacity=50)
    assert exc.value.code == "stage_exists"
    assert venue.stages.count() == 1 and not entries("stage.added").exists()


@pytest.mark.parametrize(("name", "capacity", "field"), [("", 50, "name"), ("Tiny", 0, "capacity"),
                                                         ("x" * 81, 50, "name")])
def test_stage_add_refuses_bad_input(club, name, capacity, field):
    _, people, venue = club
    with pytest.raises(Invalid) as exc:
        services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name=name, capacity=capacity)
    assert field in exc.value.errors
    assert venue.stages.count() == 1


def test_stage_changes_need_roster_manage(club, user):
    _, people, venue = club
    extra = services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Bar", capacity=40)
    for actor, error in ((people[Role.MEMBER], Forbidden), (user, NotFound)):
        with pytest.raises(error):
            services.stage_add(actor=actor, venue_id=venue.pk, name="Mine", capacity=10)
        with pytest.raises(error):
            services.stage_remove(actor=actor, stage_id=extra.pk)
    assert venue.stages.count() == 2


def test_stage_remove_deletes_and_audits_but_keeps_the_last_stage(club):
    ws, people, venue = club
    bar = services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Bar", capacity=40)
    services.stage_remove(actor=people[Role.COORDINATOR], stage_id=bar.pk)
    assert not Stage.objects.filter(pk=bar.pk).exists()
    assert entries("stage.removed", bar).get().before == {"name": "Bar", "capacity": 40}

    main = venue.stages.get()
    with pytest.raises(Conflict) as exc:
        services.stage_remove(actor=people[Role.OWNER], stage_id=main.pk)
    assert exc.value.code == "last_stage"
    assert venue.stages.get() == main
    assert entries("stage.removed").count() == 1
    with pytest.raises(NotFound):
        services.stage_remove(actor=people[Role.OWNER], stage_id=bar.pk)
