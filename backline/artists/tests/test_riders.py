"""Riders: versions, drafts and publishing, their limits and refusals, the PDF, and who may do what."""

from decimal import Decimal

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists import riders
from backline.artists.models import Rider, RiderStatus
from backline.core.errors import Conflict, Invalid
from backline.core.models import AuditEntry

PROBLEM = "application/problem+json"
FOUR_PIECE = [{"channel": i + 1, "source": s, "mic": m} for i, (s, m) in enumerate(
    [("Kick", "Beta 91"), ("Snare", "SM57"), ("Hi-hat", "SM81"), ("Bass", "DI"), ("Guitar", "e906"), ("Vocals", "SM58")])]


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT)


def published(ws, owner, **fields):
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    riders.rider_update(actor=owner, workspace_id=ws.pk, rider_id=draft.pk, **{"inputs": FOUR_PIECE, **fields})
    return riders.rider_publish(actor=owner, workspace_id=ws.pk, rider_id=draft.pk)


def test_publishing_puts_a_version_in_force_and_replaces_the_one_before(band):
    ws, people = band
    owner = people[Role.OWNER]
    first = published(ws, owner, monitor_mixes=["Vocals", "Guitar", "Bass", "Drums"])
    second_draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    assert second_draft.version == 2 and second_draft.monitor_mixes == ["Vocals", "Guitar", "Bass", "Drums"]
    assert second_draft.inputs.count() == 6  # the draft starts as a copy of the version in force
    riders.rider_update(actor=owner, workspace_id=ws.pk, rider_id=second_draft.pk, monitor_mixes=["A"] * 6)
    riders.rider_publish(actor=owner, workspace_id=ws.pk, rider_id=second_draft.pk)
    first.refresh_from_db()
    second_draft.refresh_from_db()
    assert (first.status, second_draft.status) == (RiderStatus.SUPERSEDED, RiderStatus.CURRENT)
    assert riders.changes_between(first, second_draft) == [
        "Monitor mixes: 4 (Vocals; Guitar; Bass; Drums) → 6 (A; A; A; A; A; A)"]
    assert AuditEntry.objects.filter(action="rider.published", workspace_id=ws.pk).count() == 2


def test_a_published_version_never_changes(band):
    ws, people = band
    owner = people[Role.OWNER]
    rider = published(ws, owner)
    with pytest.raises(Conflict):
        riders.rider_update(actor=owner, workspace_id=ws.pk, rider_id=rider.pk, notes="changed")
    with pytest.raises(Conflict):
        riders.rider_publish(actor=owner, workspace_id=ws.pk, rider_id=rider.pk)
    response = api(owner).patch(f"/api/v1/acts/{ws.pk}/riders/{rider.pk}", {"notes": "x"},
                                content_type="application/json")
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert Rider.objects.get(pk=rider.pk).notes == ""


def test_an_input_list_of_500_channels_is_refused_clearly_and_nothing_changes(band):
    ws, people = band
    owner = people[Role.OWNER]
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    rows = [{"channel": (i % 96) + 1, "source": f"Source {i}"} for i in range(500)]
    response = api(owner).patch(f"/api/v1/acts/{ws.pk}/riders/{draft.pk}", {"inputs": rows, "notes": "new"},
                                content_type="application/json")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "at most 96 channels; this one has 500" in response.content.decode()
    draft.refresh_from_db()
    assert draft.inputs.count() == 0 and draft.notes == ""


@pytest.mark.parametrize("fields, field", [
    ({"inputs": [{"channel": 1, "source": "Kick"}, {"channel": 1, "source": "Snare"}]}, "inputs"),
    ({"inputs": [{"channel": 1, "source": ""}]}, "inputs"),
    ({"backline_needs": ["spaceship"]}, "backline_needs"),
    ({"stage_width_m": "0.1"}, "stage_width_m"),
    ({"monitor_mixes": ["x"] * 17}, "monitor_mixes"),
    ({"guest_list": 4}, "guest_list"),  # a technical rider has no guest list
])
def test_bad_rider_input_is_refused_by_field(band, fields, field):
    ws, people = band
    owner = people[Role.OWNER]
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    with pytest.raises(Invalid) as caught:
        riders.rider_update(actor=owner, workspace_id=ws.pk, rider_id=draft.pk, **fields)
    assert field in caught.value.errors


def test_publishing_a_technical_rider_needs_an_input_list(band):
    ws, people = band
    draft = riders.rider_draft(actor=people[Role.OWNER], workspace_id=ws.pk, kind="technical")
    with pytest.raises(Invalid):
        riders.rider_publish(actor=people[Role.OWNER], workspace_id=ws.pk, rider_id=draft.pk)


def test_stage_needs_reads_the_technical_rider(band):
    ws, people = band
    rider = published(ws, people[Role.OWNER], monitor_mixes=["", "", "", ""], stage_width_m="8", stage_depth_m="5",
                      backline_needs=["drum_kit"], power_outlets=6, three_phase=True, changeover_minutes=20)
    needs = riders.stage_needs(riders.rider_get(rider.act, rider.pk))
    assert (needs.inputs, needs.monitor_mixes, needs.stage_width_m, needs.stage_depth_m) == (6, 4, Decimal(8), Decimal(5))
    assert needs.backline_needed == frozenset({"drum_kit"}) and needs.three_phase and needs.power_outlets == 6
    assert riders.stage_needs(None).inputs is None


def test_the_api_drafts_patches_publishes_and_lists(band, django_assert_max_num_queries):
    ws, people = band
    client = api(people[Role.OWNER])
    draft = client.post(f"/api/v1/acts/{ws.pk}/riders", {"kind": "hospitality"}, content_type="application/json")
    assert draft.status_code == 201, draft.content
    rid = draft.json()["id"]
    patched = client.patch(f"/api/v1/acts/{ws.pk}/riders/{rid}", {"guest_list": 6, "meals": 5, "meal_notes": "2 vegan"},
                           content_type="application/json")
    assert patched.json()["guest_list"] == 6
    assert client.post(f"/api/v1/acts/{ws.pk}/riders/{rid}/publish").json()["status"] == "current"
    published(ws, people[Role.OWNER])
    for _ in range(3):  # more versions cost no more queries
        d = riders.rider_draft(actor=people[Role.OWNER], workspace_id=ws.pk, kind="technical")
        riders.rider_publish(actor=people[Role.OWNER], workspace_id=ws.pk, rider_id=d.pk)
    with django_assert_max_num_queries(9):
        listing = client.get(f"/api/v1/acts/{ws.pk}/riders")
    body = listing.json()
    assert [r["kind"] for r in body["current"]] == ["technical", "hospitality"]
    assert len(body["versions"]) == 5


def test_the_pdf_is_a_pdf(band):
    ws, people = band
    rider = published(ws, people[Role.OWNER])
    response = api(people[Role.VIEWER]).get(f"/api/v1/acts/{ws.pk}/riders/{rider.pk}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_members_read_riders_coordinators_and_up_write_them_strangers_see_nothing(band, make_team):
    ws, people = band
    rider = published(ws, people[Role.OWNER])
    for role, user in people.items():
        assert api(user).get(f"/api/v1/acts/{ws.pk}/riders/{rider.pk}").status_code == 200
        status = api(user).post(f"/api/v1/acts/{ws.pk}/riders", {"kind": "technical"},
                                content_type="application/json").status_code
        assert status == (201 if role in (Role.OWNER, Role.ADMIN, Role.COORDINATOR) else 403), role
    other, others = make_team(WorkspaceKind.ACT, name="Others")
    assert api(others[Role.OWNER]).get(f"/api/v1/acts/{ws.pk}/riders/{rider.pk}").status_code == 404
    assert api(people[Role.OWNER]).get(f"/api/v1/acts/{other.pk}/riders/{rider.pk}").status_code == 404


def test_the_editor_saves_the_input_list_and_publishes(band, login_client):
    ws, people = band
    owner = people[Role.OWNER]
    client = login_client(owner)
    response = client.post(f"/w/{ws.slug}/riders/new/", {"kind": "technical"})
    rider = Rider.objects.get(act__workspace=ws)
    assert response.url == f"/w/{ws.slug}/riders/{rider.pk}/edit/"
    page = client.get(response.url)
    assert page.status_code == 200 and b"Input list" in page.content
    text = page.content.decode()  # the confirm modal says what will happen, without inline script
    assert 'data-testid="publish-modal"' in text and "confirm(" not in text and 'data-testid="publish-replaces"' not in text
    assert "Offers already accepted keep the version they recorded" in text
    data = {"inputs-TOTAL_FORMS": "3", "inputs-INITIAL_FORMS": "0", "inputs-MIN_NUM_FORMS": "0",
            "inputs-MAX_NUM_FORMS": "96", "inputs-0-channel": "1", "inputs-0-source": "Kick", "inputs-0-mic": "Beta 91",
            "inputs-1-channel": "2", "inputs-1-source": "Vocals", "monitor_mix_count": "2",
            "monitor_mix_notes": "Vocals\nDrums", "backline_needs": ["drum_kit"], "publish": "1"}
    response = client.post(f"/w/{ws.slug}/riders/{rider.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rider.refresh_from_db()
    assert rider.status == RiderStatus.CURRENT and rider.monitor_mixes == ["Vocals", "Drums"]
    assert [c.source for c in rider.inputs.all()] == ["Kick", "Vocals"]
    listing = client.get(f"/w/{ws.slug}/riders/")
    assert b"In force" in listing.content and b"version 1" in listing.content
    assert client.get(f"/w/{ws.slug}/riders/{rider.pk}/pdf/").content.startswith(b"%PDF")


def test_the_riders_page_costs_the_same_queries_however_many_versions(band, login_client,
                                                                      django_assert_max_num_queries):
    from tests.pages import SHELL_QUERIES, assert_constant_queries

    ws, people = band
    owner = people[Role.OWNER]
    published(ws, owner)

    def add_rows():
        for _ in range(4):
            d = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
            riders.rider_publish(actor=owner, workspace_id=ws.pk, rider_id=d.pk)

    # the act (and its genres), the versions
    assert_constant_queries(login_client(owner), {f"/w/{ws.slug}/riders/": 3 + SHELL_QUERIES}, add_rows,
                            django_assert_max_num_queries)


def test_changes_name_a_changed_mix_and_ignore_backline_ticked_in_another_order(band):
    ws, people = band
    owner = people[Role.OWNER]
    first = published(ws, owner, monitor_mixes=["Lead vocal, wedge", "Drums"], backline_brings=["guitar_amp", "bass_amp"])
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    riders.rider_update(actor=owner, workspace_id=ws.pk, rider_id=draft.pk, monitor_mixes=["Vocals, wedge", "Drums"],
                        backline_brings=["bass_amp", "guitar_amp"])
    draft.refresh_from_db()
    assert riders.changes_between(first, draft) == [
        "Monitor mixes: 2 (Lead vocal, wedge; Drums) → 2 (Vocals, wedge; Drums)"]


def test_the_confirm_modal_names_the_version_that_becomes_the_previous_one(band, login_client):
    ws, people = band
    owner = people[Role.OWNER]
    first = published(ws, owner)
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    text = login_client(owner).get(f"/w/{ws.slug}/riders/{draft.pk}/edit/").content.decode()
    assert f"Put version {draft.version} of the technical rider in force?" in text
    assert f"Version {first.version}, in force since" in text and "becomes the <strong>previous version</strong>" in text


def test_a_draft_is_thrown_away_and_the_version_in_force_stays(band, login_client):
    ws, people = band
    owner = people[Role.OWNER]
    first = published(ws, owner)
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical")
    page = login_client(owner).get(f"/w/{ws.slug}/riders/{draft.pk}/edit/").content.decode()
    assert "Throw away the draft of version 2?" in page and "Version 1 stays in force, unchanged." in page
    response = login_client(owner).post(f"/w/{ws.slug}/riders/{draft.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == f"/w/{ws.slug}/riders/"
    assert not Rider.objects.filter(pk=draft.pk).exists()
    first.refresh_from_db()
    assert first.status == RiderStatus.CURRENT and first.inputs.count() == 6
    assert AuditEntry.objects.filter(action="rider.discarded", workspace_id=ws.pk).count() == 1
    assert riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="technical").version == 2  # a new draft


def test_a_version_that_was_in_force_is_never_thrown_away(band, login_client):
    ws, people = band
    owner = people[Role.OWNER]
    rider = published(ws, owner)
    with pytest.raises(Conflict):
        riders.rider_discard(actor=owner, workspace_id=ws.pk, rider_id=rider.pk)
    response = api(owner).delete(f"/api/v1/acts/{ws.pk}/riders/{rider.pk}")
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    response = login_client(owner).post(f"/w/{ws.slug}/riders/{rider.pk}/discard/", follow=True)
    assert "Only a draft can be thrown away" in response.content.decode()
    assert Rider.objects.filter(pk=rider.pk, status=RiderStatus.CURRENT).exists()
    assert not AuditEntry.objects.filter(action="rider.discarded").exists()


def test_the_api_throws_a_draft_away(band):
    ws, people = band
    owner = people[Role.OWNER]
    draft = riders.rider_draft(actor=owner, workspace_id=ws.pk, kind="hospitality")
    assert api(owner).delete(f"/api/v1/acts/{ws.pk}/riders/{draft.pk}").status_code == 204
    assert not Rider.objects.filter(act__workspace=ws).exists()
    assert api(owner).delete(f"/api/v1/acts/{ws.pk}/riders/{draft.pk}").status_code == 404


def test_a_row_without_its_channel_is_named_at_the_top_of_the_form_and_nothing_is_published(band, login_client):
    ws, people = band
    client = login_client(people[Role.OWNER])
    client.post(f"/w/{ws.slug}/riders/new/", {"kind": "technical"})
    rider = Rider.objects.get(act__workspace=ws)
    data = {"inputs-TOTAL_FORMS": "3", "inputs-INITIAL_FORMS": "0", "inputs-MIN_NUM_FORMS": "0",
            "inputs-MAX_NUM_FORMS": "96", "inputs-0-channel": "1", "inputs-0-source": "Kick",
            "inputs-2-source": "Vocals", "monitor_mix_count": "0", "publish": "1"}
    page = client.post(f"/w/{ws.slug}/riders/{rider.pk}/edit/", data).content.decode()
    summary = page.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert page.index('data-testid="error-summary"') < page.index('id="input-rows"')  # above the table
    assert 'href="#id_inputs-2-channel">Input 3: Enter the channel number.</a>' in summary
    assert "autofocus" in page.split('data-testid="error-summary"')[0].rsplit("<div", 1)[1]
    rider.refresh_from_db()
    assert rider.status == RiderStatus.DRAFT and not rider.inputs.exists()
