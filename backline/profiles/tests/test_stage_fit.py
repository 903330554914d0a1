"""A promoter or venue looking at an act's press kit sees how the act's technical rider fits each of its
stages (issue 13, item 4's "wherever an act and a stage meet"), and asks for a date at one of its venues."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from backline.accounts.models import WorkspaceKind
from backline.artists import riders
from backline.bookings.models import Booking
from backline.venues.models import Stage
from backline.venues.services import stage_spec_update

SOON = (dt.date.today() + dt.timedelta(days=60)).isoformat()
CHANNELS = [{"channel": i + 1, "source": f"Source {i + 1}"} for i in range(20)]


@pytest.fixture
def rider(owls):
    workspace, people, _ = owls
    draft = riders.rider_draft(actor=people["owner"], workspace_id=workspace.pk, kind="technical")
    riders.rider_update(actor=people["owner"], workspace_id=workspace.pk, rider_id=draft.pk, inputs=CHANNELS,
                        monitor_mixes=["Vox", "Gtr", "Bass", "Keys", "Drums", "Side"],
                        stage_width_m=Decimal("8"), stage_depth_m=Decimal("5"), backline_needs=["drum_kit"])
    return riders.rider_publish(actor=people["owner"], workspace_id=workspace.pk, rider_id=draft.pk)


@pytest.fixture
def hall(make_team):
    workspace, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    stage = Stage.objects.get(venue__workspace=workspace)
    stage_spec_update(actor=people["owner"], stage_id=stage.pk, width_m=Decimal("6"), depth_m=Decimal("4"),
                      monitor_mixes=4, inputs=16, backline_available=["bass_amp"])
    return workspace, people, stage


def test_a_venue_member_sees_what_does_not_fit_its_stage_in_words(owls, rider, hall, login_client):
    workspace, _, _ = owls
    page = login_client(hall[1]["member"]).get(f"/a/{workspace.slug}/").content.decode()
    assert 'data-testid="fits-your-stages"' in page
    assert "Needs 6 monitor mixes; the stage has 4." in page
    assert "Stage 6 × 4 m; the act needs 8 × 5 m." in page
    assert re.search(r"\d+ to solve", page)  # the stage is flagged with how many problems


def test_strangers_and_the_public_never_see_the_fit(owls, rider, hall, client, login_client):
    workspace, people, _ = owls
    assert 'data-testid="fits-your-stages"' not in client.get(f"/a/{workspace.slug}/").content.decode()
    act_member_page = login_client(people["member"]).get(f"/a/{workspace.slug}/").content.decode()
    assert 'data-testid="fits-your-stages"' not in act_member_page


def test_without_a_rider_the_buyer_is_told_there_is_nothing_to_compare(owls, hall, login_client):
    workspace, _, _ = owls
    page = login_client(hall[1]["owner"]).get(f"/a/{workspace.slug}/").content.decode()
    assert "has not published a technical rider yet" in page


def test_the_date_request_names_the_venue_chosen(owls, hall, login_client):
    workspace, _, kit = owls
    venue_ws, people, stage = hall
    response = login_client(people["coordinator"]).post(f"/a/{workspace.slug}/request/", {
        "buyer": venue_ws.pk, "venue": stage.venue_id, "date": SOON, "message": "", "website": ""})
    booking = Booking.objects.get(workspace=venue_ws)
    assert response.status_code == 302 and booking.venue_id == stage.venue_id and booking.act_id == kit.act_id


def test_a_venue_of_another_workspace_is_refused_and_nothing_is_logged(owls, hall, make_team, login_client):
    workspace, _, _ = owls
    venue_ws, people, _ = hall
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Other Hall")
    other_stage = Stage.objects.get(venue__workspace=other_ws)
    response = login_client(people["owner"]).post(f"/a/{workspace.slug}/request/", {
        "buyer": venue_ws.pk, "venue": other_stage.venue_id, "date": SOON, "message": "", "website": ""})
    assert response.status_code == 422 and not Booking.objects.exists()
