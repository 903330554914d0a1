"""Stage tech specs: bounds and validation (service, form and API), the plain data for the rider match,
the spec in words, public page addresses, genres, and who may edit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.core.errors import Forbidden, Invalid
from backline.core.stagefit import StageOffer
from backline.media.models import Asset, AssetKind
from backline.venues import services
from backline.venues.models import Stage, Venue
from backline.venues.specs import stage_headline, stage_offer, stage_words

PROBLEM = "application/problem+json"


@pytest.fixture
def club(make_team):
    ws, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    venue = Venue.objects.get(workspace=ws)
    return ws, people, venue, venue.stages.get()


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


SMALL_CLUB = {"width_m": Decimal("5"), "depth_m": Decimal("3.5"), "monitor_mixes": 2, "inputs": 12,
              "console": "Soundcraft Ui16", "backline_available": ["mic_stands", "di_boxes"], "power_outlets": 6,
              "three_phase": False}


def test_a_spec_is_saved_audited_and_kept_in_the_shared_backline_order(club):
    ws, people, venue, stage = club
    services.stage_spec_update(actor=people[Role.ADMIN], stage_id=stage.pk, **SMALL_CLUB)
    stage.refresh_from_db()
    assert stage.width_m == Decimal("5") and stage.inputs == 12
    assert stage.backline_available == ["di_boxes", "mic_stands"]
    from backline.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="stage.spec_updated", object_id=str(stage.pk)).exists()


@pytest.mark.parametrize("field,value", [("width_m", Decimal("1000")), ("depth_m", Decimal("0.1")), ("inputs", 500),
                                         ("monitor_mixes", 65), ("load_in_distance_m", 5000),
                                         ("capacity_standing", 0), ("backline_available", ["jet_engine"])])
def test_out_of_bounds_values_are_refused_and_nothing_changes(club, field, value):
    ws, people, venue, stage = club
    with pytest.raises(Invalid) as refused:
        services.stage_spec_update(actor=people[Role.OWNER], stage_id=stage.pk, pa_make="d&b", **{field: value})
    assert field in refused.value.errors
    stage.refresh_from_db()
    assert stage.pa_make == "" and getattr(stage, field) in (None, [])


def test_a_stage_bigger_than_the_venue_is_refused(club):
    ws, people, venue, stage = club
    with pytest.raises(Invalid) as refused:
        services.stage_spec_update(actor=people[Role.OWNER], stage_id=stage.pk, capacity=venue.capacity + 1)
    assert "capacity" in refused.value.errors


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_cannot_edit_a_spec(club, role):
    ws, people, venue, stage = club
    with pytest.raises(Forbidden):
        services.stage_spec_update(actor=people[role], stage_id=stage.pk, inputs=8)


def test_photos_and_tech_pack_come_only_from_the_venues_own_library(club, make_team):
    ws, people, venue, stage = club
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    photo = Asset.objects.create(workspace=ws, kind=AssetKind.PHOTO, title="Stage", file="library/x.jpg",
                                 content_type="image/jpeg")
    doc = Asset.objects.create(workspace=ws, kind=AssetKind.DOCUMENT, title="Tech pack", file="library/x.pdf",
                               content_type="application/pdf")
    foreign = Asset.objects.create(workspace=other_ws, kind=AssetKind.PHOTO, file="library/y.jpg",
                                   content_type="image/jpeg")
    owner = people[Role.OWNER]
    for kwargs in ({"photo_ids": [foreign.pk]}, {"photo_ids": [doc.pk]}, {"document_ids": [photo.pk]}):
        with pytest.raises(Invalid):
            services.stage_spec_update(actor=owner, stage_id=stage.pk, **kwargs)
    assert not stage.photos.exists()
    services.stage_spec_update(actor=owner, stage_id=stage.pk, photo_ids=[photo.pk], document_ids=[doc.pk])
    assert list(stage.photos.all()) == [photo] and list(stage.documents.all()) == [doc]


def test_stage_offer_is_the_plain_data_with_none_where_not_stated(club):
    ws, people, venue, stage = club
    assert stage_offer(stage) == StageOffer()  # nothing stated: nothing claimed
    services.stage_spec_update(actor=people[Role.OWNER], stage_id=stage.pk, **SMALL_CLUB)
    stage.refresh_from_db()
    offer = stage_offer(stage)
    assert offer == StageOffer(inputs=12, monitor_mixes=2, width_m=Decimal("5"), depth_m=Decimal("3.5"),
                               backline_available=frozenset({"di_boxes", "mic_stands"}), power_outlets=6,
                               three_phase=False)
    assert "drum_kit" not in offer.backline_available


def test_the_spec_reads_as_words(club):
    ws, people, venue, stage = club
    services.stage_spec_update(actor=people[Role.OWNER], stage_id=stage.pk, width_m=Decimal("6"), depth_m=Decimal("4"),
                               monitor_mixes=4, inputs=16, console="Allen & Heath SQ-5", curfew=dt.time(23, 0),
                               load_in_steps=0, load_in_lift=False, step_free=True, backline_available=["di_boxes"])
    stage.refresh_from_db()
    assert stage_headline(stage) == "6 × 4 m stage, 4 monitor mixes, 16 inputs on an Allen & Heath SQ-5"
    words = dict(stage_words(stage))
    assert words["Curfew"] == "23:00 local time."
    assert words["Load-in"] == "No steps, no lift."
    assert words["Backline"] == "Available: DI boxes."
    assert words["Access"] == "Step-free access."


def test_public_address_is_made_from_name_and_city_and_duplicates_are_refused(club, make_team):
    ws, people, venue, stage = club
    assert venue.slug == "lantern-hall-berlin"
    other_ws, other_people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other = Venue.objects.get(workspace=other_ws)
    assert other.slug == "lantern-hall-berlin-2"
    with pytest.raises(Invalid) as refused:
        services.venue_update(actor=other_people[Role.OWNER], venue_id=other.pk, slug="lantern-hall-berlin")
    assert "already uses" in refused.value.errors["slug"][0]
    with pytest.raises(Invalid):
        services.venue_update(actor=other_people[Role.OWNER], venue_id=other.pk, slug="Not a slug!")
    other.refresh_from_db()
    assert other.slug == "lantern-hall-berlin-2"
    services.venue_update(actor=other_people[Role.OWNER], venue_id=other.pk, slug="lantern-hall-kreuzberg")
    assert Venue.objects.get(pk=other.pk).slug == "lantern-hall-kreuzberg"


def test_genres_are_cleaned_and_bounded(club):
    ws, people, venue, stage = club
    services.venue_update(actor=people[Role.OWNER], venue_id=venue.pk, genres=[" indie  rock", "Jazz", "jazz", ""])
    assert Venue.objects.get(pk=venue.pk).genres == ["indie rock", "Jazz"]
    with pytest.raises(Invalid):
        services.venue_update(actor=people[Role.OWNER], venue_id=venue.pk, genres=[f"g{i}" for i in range(13)])


# --- API ---------------------------------------------------------------------------------------------

def test_api_lists_reads_and_patches_stage_specs(club, django_assert_max_num_queries):
    ws, people, venue, stage = club
    services.stage_add(actor=people[Role.OWNER], venue_id=venue.pk, name="Upstairs", capacity=80)
    client = _api(people[Role.VIEWER])
    with django_assert_max_num_queries(8):
        listed = client.get(f"/api/v1/venues/{venue.pk}/stages")
    assert listed.status_code == 200 and [s["name"] for s in listed.json()] == ["Main room", "Upstairs"]
    answer = _api(people[Role.COORDINATOR]).patch(
        f"/api/v1/venues/{venue.pk}/stages/{stage.pk}",
        {"width_m": "6", "depth_m": "4", "monitor_mixes": 4, "inputs": 16, "curfew": "23:00",
         "backline_available": ["drum_kit"]}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["summary"] == "6 × 4 m stage, 4 monitor mixes, 16 inputs" and body["curfew"] == "23:00"
    assert client.get(f"/api/v1/venues/{venue.pk}/stages/{stage.pk}").json()["backline_available"] == ["drum_kit"]
    forbidden = client.patch(f"/api/v1/venues/{venue.pk}/stages/{stage.pk}", {"inputs": 8},
                             content_type="application/json")
    assert forbidden.status_code == 403


@pytest.mark.parametrize("body,field", [({"width_m": "1000"}, "width_m"), ({"inputs": 500}, "inputs"),
                                        ({"backline_available": ["jet_engine"]}, "backline_available"),
                                        ({"curfew": "23:00+02:00"}, "curfew"), ({"name": None}, "name")])
def test_api_refuses_bad_specs_with_field_errors_and_changes_nothing(club, body, field):
    ws, people, venue, stage = club
    answer = _api(people[Role.OWNER]).patch(f"/api/v1/venues/{venue.pk}/stages/{stage.pk}", body,
                                            content_type="application/json")
    assert answer.status_code == 422 and answer["Content-Type"] == PROBLEM
    assert any(field in str(e.get("field", "")) for e in answer.json()["errors"]), answer.json()
    assert Stage.objects.get(pk=stage.pk).width_m is None


def test_api_hides_another_venues_stage(club, make_team):
    ws, people, venue, stage = club
    other_ws, _ = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    foreign = Venue.objects.get(workspace=other_ws).stages.get()
    client = _api(people[Role.OWNER])
    assert client.get(f"/api/v1/venues/{venue.pk}/stages/{foreign.pk}").status_code == 404
    assert client.get(f"/api/v1/venues/{foreign.venue_id}/stages").status_code == 404


# --- pages --------------------------------------------------------------------------------------------

def test_the_sectioned_form_saves_and_the_detail_page_reads_in_words(club):
    ws, people, venue, stage = club
    web = Client()
    web.force_login(people[Role.ADMIN])
    url = f"/w/{ws.slug}/venues/{venue.pk}/stages/{stage.pk}/edit/"
    page = web.get(url)
    assert page.status_code == 200 and b"Load-in and curfew" in page.content
    bad = web.post(url, {"name": "Main room", "capacity": "300", "width_m": "1000"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode(), bad.content.decode()[-3000:]
    saved = web.post(url, {"name": "Main room", "capacity": "300", "width_m": "6", "depth_m": "4", "monitor_mixes": "4",
                           "inputs": "16", "console": "Allen & Heath SQ-5", "three_phase": "true",
                           "step_free": "unknown", "backline_available": ["drum_kit", "bass_amp"]})
    assert saved.status_code == 302
    detail = web.get(saved["Location"])
    assert "6 × 4 m stage, 4 monitor mixes, 16 inputs on an Allen &amp; Heath SQ-5" in detail.content.decode()
    stage.refresh_from_db()
    assert stage.three_phase is True and stage.step_free is None and stage.backline_available == ["drum_kit", "bass_amp"]
