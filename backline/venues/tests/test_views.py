"""The venues web interface through the Django test client: forms render, bad input is refused
clearly and changes nothing, good input redirects and persists, lists use a constant number of queries."""

import pytest

from backline.accounts.models import Role, Workspace, WorkspaceKind
from backline.core.places import find_city
from backline.venues import services
from backline.venues.models import Stage, Venue
from tests.factories import UserFactory
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(make_team):
    """A venue workspace (capacity 300) and its people."""
    return make_team(WorkspaceKind.VENUE, name="Club Test")


@pytest.fixture
def promoter(make_team):
    return make_team(WorkspaceKind.PROMOTER, name="Night Promotions")




def venue_data(place, **changes):
    data = {"name": "The Hall", "city": place.geoname_id, "address": "Hauptstr. 1", "postal_code": "10827",
            "capacity": "450", "website": "", "phone": "", "description": ""}
    data.update(changes)
    return data


# --- a venue operator's workspace -----------------------------------------------------------------

def test_new_venue_workspace_form_renders(login_client):
    response = login_client(UserFactory()).get("/workspaces/new-venue/")
    assert response.status_code == 200
    assert b'data-autocomplete-url="/api/v1/places/cities"' in response.content


@pytest.mark.parametrize("changes,error", [
    ({"city": "999999999"}, "Choose a city from the list."),
    ({"city": ""}, "This field is required."),
    ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
    ({"name": ""}, "This field is required."),
    ({"website": "not a url"}, "Enter a valid URL."),
])
def test_new_venue_workspace_with_bad_input_is_refused_and_creates_nothing(login_client, berlin, changes, error):
    workspaces, venues = Workspace.objects.count(), Venue.objects.count()
    response = login_client(UserFactory()).post("/workspaces/new-venue/", venue_data(berlin, **changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert (Workspace.objects.count(), Venue.objects.count()) == (workspaces, venues)


def test_new_venue_workspace_is_created_with_its_first_stage(login_client, berlin):
    operator = UserFactory()
    response = login_client(operator).post("/workspaces/new-venue/", venue_data(berlin))
    venue = Venue.objects.select_related("workspace").get(name="The Hall")
    assert response.status_code == 302 and response["Location"] == url(venue.workspace)
    assert (venue.workspace.kind, venue.capacity, venue.time_zone) == (WorkspaceKind.VENUE, 450, "Europe/Berlin")
    assert list(venue.stages.values_list("name", "capacity")) == [("Main room", 450)]
    assert venue.workspace.memberships.get().user == operator


# --- venues of a workspace ------------------------------------------------------------------------

@pytest.mark.parametrize("team", ["club", "promoter"])
def test_venue_list_renders_for_venue_and_promoter_workspaces(request, login_client, team):
    workspace, people = request.getfixturevalue(team)
    response = login_client(people[Role.VIEWER]).get(url(workspace, "venues/"))
    assert response.status_code == 200
    assert b"Add a venue" not in response.content  # a viewer does not manage venues
    owner_page = login_client(people[Role.OWNER]).get(url(workspace, "venues/")).content
    assert b"Add a venue" in owner_page


def test_venues_of_an_act_are_not_found(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT)
    assert login_client(people[Role.OWNER]).get(url(workspace, "venues/")).status_code == 404


def test_promoter_adds_a_venue(promoter, login_client):
    workspace, people = promoter
    client = login_client(people[Role.COORDINATOR])
    assert client.get(url(workspace, "venues/new/")).status_code == 200
    hamburg = find_city("Hamburg", "DE")
    response = client.post(url(workspace, "venues/new/"), venue_data(hamburg, name="Harbour Stage", capacity="800"))
    venue = Venue.objects.get(workspace=workspace, name="Harbour Stage")
    assert response.status_code == 302 and response["Location"] == url(workspace, f"venues/{venue.pk}/")
    assert (venue.city_name, venue.capacity) == ("Hamburg", 800)


def test_promoter_venue_with_unknown_city_or_capacity_0_is_refused(promoter, login_client, berlin):
    workspace, people = promoter
    client = login_client(people[Role.OWNER])
    for changes, error in [({"city": "123"}, "Choose a city from the list."),
                           ({"capacity": "0"}, "Ensure this value is greater than or equal to 1.")]:
        response = client.post(url(workspace, "venues/new/"), venue_data(berlin, **changes))
        assert response.status_code == 200
        assert error in response.content.decode()
    assert not Venue.objects.filter(workspace=workspace).exists()


def test_a_viewer_cannot_add_a_venue(promoter, login_client, berlin):
    workspace, people = promoter
    response = login_client(people[Role.VIEWER]).post(url(workspace, "venues/new/"), venue_data(berlin))
    assert response.status_code == 403
    assert not Venue.objects.filter(workspace=workspace).exists()


def test_venue_edit_refuses_bad_input_and_saves_good_input(club, login_client, berlin):
    workspace, people = club
    venue = Venue.objects.get(workspace=workspace)
    client = login_client(people[Role.ADMIN])
    page = client.get(url(workspace, f"venues/{venue.pk}/"))
    assert page.status_code == 200 and b'data-testid="stages"' in page.content

    response = client.post(url(workspace, f"venues/{venue.pk}/"), venue_data(berlin, name="Renamed", capacity="-5"))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    venue.refresh_from_db()
    assert (venue.name, venue.capacity) == ("Club Test", 300)

    vienna = find_city("Vienna", "AT")
    response = client.post(url(workspace, f"venues/{venue.pk}/"), venue_data(vienna, name="Renamed", capacity="350"))
    assert response.status_code == 302 and response["Location"] == url(workspace, f"venues/{venue.pk}/")
    venue.refresh_from_db()
    assert (venue.name, venue.capacity, venue.city_name, venue.time_zone) == ("Renamed", 350, "Vienna", "Europe/Vienna")


def test_venue_of_another_workspace_is_not_found(club, make_team, login_client):
    other, _ = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = Venue.objects.get(workspace=other)
    client = login_client(club[1][Role.OWNER])
    assert client.get(url(club[0], f"venues/{foreign.pk}/")).status_code == 404
    assert client.post(url(club[0], f"venues/{foreign.pk}/stages/"), {"name": "Sneaky", "capacity": "10"}).status_code == 404
    assert not Stage.objects.filter(name="Sneaky").exists()


# --- stages ---------------------------------------------------------------------------------------

def test_stage_bigger_than_the_venue_is_refused(club, login_client):
    workspace, people = club
    venue = Venue.objects.get(workspace=workspace)
    response = login_client(people[Role.OWNER]).post(url(workspace, f"venues/{venue.pk}/stages/"),
                                                     {"name": "Arena", "capacity": "301"})
    assert response.status_code == 200
    assert "A stage cannot hold more than the venue (300)." in response.content.decode()
    assert list(venue.stages.values_list("name", flat=True)) == ["Main room"]


def test_stage_with_a_taken_name_or_no_capacity_is_refused(club, login_client):
    workspace, people = club
    venue = Venue.objects.get(workspace=workspace)
    client = login_client(people[Role.OWNER])
    response = client.post(url(workspace, f"venues/{venue.pk}/stages/"), {"name": "Main room", "capacity": "50"})
    assert response.status_code == 200
    assert "Club Test already has a stage called Main room." in response.content.decode()
    response = client.post(url(workspace, f"venues/{venue.pk}/stages/"), {"name": "Bar", "capacity": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert venue.stages.count() == 1


def test_stage_is_added_and_removed(club, login_client):
    workspace, people = club
    venue = Venue.objects.get(workspace=workspace)
    client = login_client(people[Role.COORDINATOR])
    response = client.post(url(workspace, f"venues/{venue.pk}/stages/"), {"name": "Basement", "capacity": "120"})
    assert response.status_code == 302 and response["Location"] == url(workspace, f"venues/{venue.pk}/")
    stage = venue.stages.get(name="Basement")
    assert stage.capacity == 120
    response = client.post(url(workspace, f"venues/{venue.pk}/stages/{stage.pk}/remove/"))
    assert response.status_code == 302
    assert not Stage.objects.filter(pk=stage.pk).exists()


def test_the_last_stage_cannot_be_removed(club, login_client):
    workspace, people = club
    venue = Venue.objects.get(workspace=workspace)
    stage = venue.stages.get()
    client = login_client(people[Role.OWNER])
    back = url(workspace, f"venues/{venue.pk}/")
    response = client.post(url(workspace, f"venues/{venue.pk}/stages/{stage.pk}/remove/"), HTTP_REFERER=back)
    assert response.status_code == 302 and response["Location"] == back
    assert Stage.objects.filter(pk=stage.pk).exists()
    assert "A venue needs at least one stage." in client.get(back).content.decode()


# --- query counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("team", ["club", "promoter"])
def test_venue_list_and_dashboard_queries_are_constant_in_venues(request, login_client, team,
                                                                 django_assert_max_num_queries):
    workspace, people = request.getfixturevalue(team)
    owner = people[Role.OWNER]
    berlin = find_city("Berlin", "DE")

    def add_rows():
        for i in range(9):
            venue = services.venue_create(actor=owner, workspace_id=workspace.pk, name=f"Room {i}", capacity=500,
                                          geoname_id=berlin.geoname_id, address=f"Street {i}")
            for j in range(2):
                services.stage_add(actor=owner, venue_id=venue.pk, name=f"Side {j}", capacity=100)

    if not Venue.objects.filter(workspace=workspace).exists():  # "few" means one, not none (none skips prefetches)
        services.venue_create(actor=owner, workspace_id=workspace.pk, name="First", capacity=50,
                              geoname_id=berlin.geoname_id)
    client = login_client(owner)
    # (the dashboard adds 2 for the bookings cards, attention lists and chart, and 2 for the unread
    # conversations card) (+1: the notification bell)
    assert_constant_queries(client, {url(workspace, "venues/"): 5, url(workspace): 12}, add_rows,
                            django_assert_max_num_queries)
    listing = client.get(url(workspace, "venues/")).content.decode()
    assert "Room 8" in listing and "Side 1 (100)" in listing
