"""An act's verification: Backline's staff verify it (the admin's action calls the service), vouches from
buyers make it "vouched for", the badge's words, and the API."""

import pytest
from django.template.loader import render_to_string

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.services import workspace_create
from backline.artists.models import Act
from backline.artists.trust import trust_of, verified_act_q, with_trust
from backline.artists.verification import act_verify, act_vouch_record
from backline.core.errors import Conflict, Forbidden
from backline.core.places import find_city
from tests.factories import UserFactory


@pytest.fixture
def owls(make_team):
    ws, people = make_team(WorkspaceKind.ACT, name="The Owls")
    return ws.act, people


def badge(act) -> str:
    return render_to_string("profiles/_act_badge.html", {"act": Act.objects.get(pk=act.pk)})


def test_only_staff_verify_an_act(owls):
    act, people = owls
    with pytest.raises(Forbidden):
        act_verify(actor=people[Role.OWNER], act_id=act.pk)
    assert "Not verified yet" in badge(act)
    act_verify(actor=UserFactory(is_staff=True), act_id=act.pk)
    assert "Verified by Backline on " in badge(act) and trust_of(act).level == "verified"
    with pytest.raises(Conflict):
        act_verify(actor=UserFactory(is_staff=True), act_id=act.pk)


def test_vouches_from_venues_and_agencies_make_the_act_vouched_for(owls, settings):
    act, _ = owls
    settings.ACT_VOUCHES_REQUIRED = 3
    berlin = find_city("Berlin", "DE").geoname_id
    for i, kind in enumerate((WorkspaceKind.VENUE, WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY)):
        owner = UserFactory()
        ws = workspace_create(actor=owner, kind=kind, name=f"Buyer {i}", geoname_id=berlin)
        act_vouch_record(actor=owner, act_id=act.pk, workspace_id=ws.pk, booking_id=i + 1, booking_reference=f"BL-{i}")
    assert "Vouched for by 2 venues and 1 agency that booked them" in badge(act)
    annotated = with_trust(Act.objects.filter(pk=act.pk)).get()
    assert (annotated.trust_level, annotated.trust_vouches, annotated.trust_agency_vouches) == ("vouched", 3, 1)
    assert Act.objects.filter(verified_act_q()).count() == 1


def test_the_admin_action_verifies(owls, client):
    act, _ = owls
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post("/admin/artists/act/", {"action": "verify", "_selected_action": [act.pk]})
    assert trust_of(act).level == "verified"


def test_the_api_reads_the_acts_level(owls, client, bearer):
    act, people = owls
    body = client.get(f"/api/v1/acts/{act.workspace_id}/verification", **bearer(people[Role.VIEWER])).json()
    assert body["level"] == "unverified" and body["summary"] == "Not verified yet" and body["vouches_required"] == 2
