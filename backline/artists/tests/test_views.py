"""The acts and performers web interface through the Django test client: forms render, bad input
is refused clearly and changes nothing, good input redirects and persists, lists use a constant
number of queries."""

import pytest

from backline.accounts import services as accounts
from backline.accounts.models import Membership, Role, Workspace, WorkspaceKind
from backline.artists import services
from backline.artists.models import Act, ActMember, Performer
from tests.factories import UserFactory
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT, name="The Testers")


@pytest.fixture
def agency(make_team):
    return make_team(WorkspaceKind.AGENCY, name="Big Agency")




# --- creating an act ------------------------------------------------------------------------------

def test_new_act_form_renders_with_the_city_autocomplete(login_client):
    response = login_client(UserFactory()).get("/workspaces/new-act/")
    assert response.status_code == 200
    assert b'data-autocomplete-url="/api/v1/places/cities"' in response.content


def test_act_without_a_name_is_refused_and_nothing_is_created(login_client, berlin):
    count = Workspace.objects.count()
    response = login_client(UserFactory()).post("/workspaces/new-act/", {"name": "  ", "act_type": "band",
                                                                          "city": berlin.geoname_id})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Workspace.objects.count() == count


def test_act_with_an_unknown_city_is_refused(login_client):
    count = Workspace.objects.count()
    response = login_client(UserFactory()).post("/workspaces/new-act/", {"name": "Lost", "act_type": "band", "city": "999999999"})
    assert response.status_code == 200
    assert "Choose a city from the list." in response.content.decode()
    assert Workspace.objects.count() == count


def test_act_is_created_with_its_owner_in_the_line_up(login_client, berlin):
    founder = UserFactory(name="Ana Founder")
    response = login_client(founder).post("/workspaces/new-act/", {
        "name": "Night Owls", "act_type": "band", "genres": ["indie-rock", "post-punk"], "city": berlin.geoname_id,
        "plays_in_act": "on", "instruments": "bass"})
    act = Act.objects.select_related("workspace").get(workspace__name="Night Owls")
    assert response.status_code == 302 and response["Location"] == url(act.workspace)
    assert (act.workspace.city_name, act.workspace.time_zone) == ("Berlin", "Europe/Berlin")
    assert sorted(act.genres.values_list("slug", flat=True)) == ["indie-rock", "post-punk"]
    assert list(act.members.values_list("name", "instruments", "user")) == [("Ana Founder", "bass", founder.pk)]
    assert Membership.objects.get(workspace=act.workspace).role == Role.OWNER


# --- the line-up ----------------------------------------------------------------------------------

def test_line_up_shows_forms_to_managers_and_a_summary_to_members(band, login_client):
    workspace, people = band
    owner_page = login_client(people[Role.OWNER]).get(url(workspace, "line-up/")).content.decode()
    member_page = login_client(people[Role.MEMBER]).get(url(workspace, "line-up/")).content.decode()
    assert 'data-testid="line-up"' in owner_page and "Add a member" in owner_page and "Save details" in owner_page
    assert 'data-testid="line-up"' in member_page and "Add a member" not in member_page and "Save details" not in member_page


def test_line_up_of_a_venue_workspace_is_not_found(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.VENUE)
    assert login_client(people[Role.OWNER]).get(url(workspace, "line-up/")).status_code == 404


def test_act_details_with_a_bad_year_or_too_many_genres_change_nothing(band, login_client):
    workspace, people = band
    client = login_client(people[Role.OWNER])
    response = client.post(url(workspace, "line-up/details/"), {"act_type": "solo", "formed_year": "1492"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1900." in response.content.decode()
    response = client.post(url(workspace, "line-up/details/"), {
        "act_type": "solo", "genres": ["rock", "pop", "punk", "jazz", "soul", "funk"]})
    assert response.status_code == 200
    assert "Choose at most 5 genres." in response.content.decode()
    act = Act.objects.get(workspace=workspace)
    assert (act.act_type, act.formed_year, act.genres.count()) == ("band", None, 0)


def test_act_details_save_and_redirect(band, login_client):
    workspace, people = band
    response = login_client(people[Role.ADMIN]).post(url(workspace, "line-up/details/"), {
        "act_type": "duo",
        "genres": ["jazz", "soul"], "formed_year": "2011"})
    assert response.status_code == 302 and response["Location"] == url(workspace, "line-up/")
    act = Act.objects.get(workspace=workspace)
    assert (act.act_type, act.formed_year) == ("duo", 2011)
    assert sorted(act.genres.values_list("slug", flat=True)) == ["jazz", "soul"]


def test_line_up_member_without_a_name_is_refused(band, login_client):
    workspace, people = band
    count = ActMember.objects.count()
    response = login_client(people[Role.COORDINATOR]).post(url(workspace, "line-up/add/"), {"name": "", "email": "bad"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content and "Enter a valid email address." in content
    assert ActMember.objects.count() == count


def test_line_up_member_already_listed_is_refused(band, login_client):
    workspace, people = band
    existing = ActMember.objects.filter(act__workspace=workspace, user__isnull=False).first()
    count = ActMember.objects.count()
    response = login_client(people[Role.OWNER]).post(url(workspace, "line-up/add/"), {
        "name": "Twin", "email": existing.user.email.upper()})
    assert response.status_code == 200
    assert "is already in the line-up." in response.content.decode()
    assert ActMember.objects.count() == count


def test_line_up_member_is_added_edited_and_removed(band, login_client):
    workspace, people = band
    client = login_client(people[Role.COORDINATOR])
    response = client.post(url(workspace, "line-up/add/"), {"name": "Sam Sub", "instruments": "drums", "is_optional": "on"})
    assert response.status_code == 302 and response["Location"] == url(workspace, "line-up/")
    member = ActMember.objects.get(act__workspace=workspace, name="Sam Sub")
    assert (member.instruments, member.is_optional) == ("drums", True)

    edit = url(workspace, f"line-up/{member.pk}/")
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "", "instruments": "drums"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Sam Sub"
    response = client.post(edit, {"name": "Sam Sub", "instruments": "drums, percussion"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.instruments, member.is_optional) == ("drums, percussion", False)

    response = client.post(url(workspace, f"line-up/{member.pk}/remove/"))
    assert response.status_code == 302
    assert not ActMember.objects.filter(pk=member.pk).exists()


def test_a_member_cannot_change_the_line_up(band, login_client):
    workspace, people = band
    count = ActMember.objects.count()
    response = login_client(people[Role.MEMBER]).post(url(workspace, "line-up/add/"), {"name": "Intruder"})
    assert response.status_code == 403
    assert ActMember.objects.count() == count


def test_line_up_member_of_another_act_is_not_found(band, make_team, login_client):
    other, _ = make_team(WorkspaceKind.ACT, name="Other Band")
    foreign = ActMember.objects.filter(act__workspace=other).first()
    response = login_client(band[1][Role.OWNER]).post(url(band[0], f"line-up/{foreign.pk}/remove/"))
    assert response.status_code == 404
    assert ActMember.objects.filter(pk=foreign.pk).exists()


def test_line_up_and_dashboard_queries_are_constant_in_members(band, login_client, django_assert_max_num_queries):
    workspace, people = band
    owner = people[Role.OWNER]
    client = login_client(owner)

    def add_rows():
        for i in range(12):
            person = UserFactory() if i % 2 else None
            services.act_member_add(actor=owner, workspace_id=workspace.pk, name=f"Player {i}",
                                    email=person.email if person else "", instruments="keys")
        services.act_update(actor=owner, workspace_id=workspace.pk, genres=["rock", "pop", "jazz"])

    # The dashboard: the shell's 3 (user, memberships, bell); the band card's 3 (the act, read once for
    # every card, its genres, the line-up); the green-zone card's 5 with a cold availability cache
    # (line-up, patterns, blocks, commitments, open polls); the bookings cards' 2 (attention, chart);
    # unread conversations 1 (+1 for their parties when there are some); social links, members and
    # invitations (the workspace's and the person's at once) 3. docs/benchmarks.md, "Query budgets".
    assert_constant_queries(client, {url(workspace, "line-up/"): 7, url(workspace): 17}, add_rows,
                            django_assert_max_num_queries)
    content = client.get(url(workspace, "line-up/")).content.decode()
    assert "Player 11" in content


def test_member_line_up_view_reads_genres_without_extra_queries(band, login_client, django_assert_max_num_queries):
    workspace, people = band
    client = login_client(people[Role.MEMBER])
    assert_constant_queries(client, {url(workspace, "line-up/"): 6},  # (+1: the notification bell)
                            lambda: services.act_update(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                                        genres=["rock", "pop", "jazz", "soul"]),
                            django_assert_max_num_queries)


def table(response) -> str:
    """The performers table of a page (not the messages above it)."""
    content = response.content.decode()
    start = content.index('data-testid="performers"')
    return content[start:content.index("</table>", start)]


# --- agency performers ----------------------------------------------------------------------------

def test_performer_pages_render(agency, login_client):
    workspace, people = agency
    client = login_client(people[Role.OWNER])
    assert b'data-testid="performers"' in client.get(url(workspace, "performers/")).content
    assert client.get(url(workspace, "performers/new/")).status_code == 200


def test_performers_of_an_act_are_not_found(band, login_client):
    assert login_client(band[1][Role.OWNER]).get(url(band[0], "performers/")).status_code == 404


def test_performer_without_a_name_or_with_a_bad_email_is_refused(agency, login_client):
    workspace, people = agency
    response = login_client(people[Role.COORDINATOR]).post(url(workspace, "performers/new/"), {
        "name": "", "email": "nope", "is_active": "on", "user": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content and "Enter a valid email address." in content
    assert not Performer.objects.filter(workspace=workspace).exists()


def test_performer_is_created_linked_and_edited(agency, login_client):
    workspace, people = agency
    client = login_client(people[Role.OWNER])
    artist = people[Role.PERFORMER]
    response = client.post(url(workspace, "performers/new/"), {
        "name": "DJ Test", "email": "dj@example.org", "skills": "decks", "is_active": "on", "user": artist.pk})
    assert response.status_code == 302 and response["Location"] == url(workspace, "performers/")
    performer = Performer.objects.get(workspace=workspace, name="DJ Test")
    assert (performer.user_id, performer.is_active, performer.skills) == (artist.pk, True, "decks")

    response = client.post(url(workspace, f"performers/{performer.pk}/"), {
        "name": "DJ Test", "email": "dj@example.org", "skills": "decks, mc", "user": ""})
    assert response.status_code == 302
    performer.refresh_from_db()
    assert (performer.user_id, performer.is_active, performer.skills) == (None, False, "decks, mc")
    active = table(client.get(url(workspace, "performers/")))
    everyone = table(client.get(url(workspace, "performers/?show=all")))
    assert "DJ Test" not in active and "DJ Test" in everyone and "inactive" in everyone


def test_performer_linked_to_an_account_already_linked_is_refused_and_nothing_is_created(agency, login_client):
    workspace, people = agency
    owner, artist = people[Role.OWNER], people[Role.PERFORMER]
    first = services.performer_create(actor=owner, workspace_id=workspace.pk, name="First")
    services.performer_link_user(actor=owner, performer_id=first.pk, user_id=artist.pk)
    response = login_client(owner).post(url(workspace, "performers/new/"), {
        "name": "Second", "is_active": "on", "user": artist.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "That account is already linked to First." in content
    assert "<title>New performer" in content
    assert list(Performer.objects.filter(workspace=workspace).values_list("name", flat=True)) == ["First"]


def test_a_member_cannot_add_performers(agency, login_client):
    workspace, people = agency
    response = login_client(people[Role.MEMBER]).post(url(workspace, "performers/new/"), {"name": "X", "is_active": "on"})
    assert response.status_code == 403
    assert not Performer.objects.filter(workspace=workspace).exists()


def test_performers_and_agency_dashboard_queries_are_constant(agency, login_client, django_assert_max_num_queries):
    workspace, people = agency
    owner = people[Role.OWNER]
    client = login_client(owner)
    services.performer_create(actor=owner, workspace_id=workspace.pk, name="Solo")

    def add_rows():
        for i in range(10):
            performer = services.performer_create(actor=owner, workspace_id=workspace.pk, name=f"Performer {i}",
                                                  skills="guitar")
            if i < 4:
                person = UserFactory()
                accounts.invitation_accept(user=person, token=accounts.invitation_create(
                    actor=owner, workspace_id=workspace.pk, email=person.email, role=Role.PERFORMER).token)
                services.performer_link_user(actor=owner, performer_id=performer.pk, user_id=person.pk)

    # (the dashboard adds 2 for the bookings cards, attention lists and chart, and 2 for the unread
    # conversations card) (+1: the notification bell)
    assert_constant_queries(client, {url(workspace, "performers/?show=all"): 4, url(workspace): 10}, add_rows,
                            django_assert_max_num_queries)
    assert "Performer 9" in client.get(url(workspace, "performers/")).content.decode()
