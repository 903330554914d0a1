"""The represents relation: an agency asks to represent an act (or the act invites it), the other side
accepts or declines, either side ends it; who may do what, by role; audited in both histories."""

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists import representations as reps
from backline.artists.models import RepresentationStatus as S
from backline.core.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from backline.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_team):
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return {"agency_ws": agency_ws, "agency": agency, "act_ws": act_ws, "band": band, "venue_ws": venue_ws,
            "venue": venue}


def request(w, role=Role.OWNER):
    return reps.representation_request(actor=w["agency"][role], agency_workspace_id=w["agency_ws"].pk,
                                       act_workspace_id=w["act_ws"].pk)


def test_the_agency_asks_the_act_grants_and_both_histories_say_so(w):
    rep = request(w)
    assert (rep.status, rep.asked_by_agency, rep.asked_by) == (S.REQUESTED, True, w["agency"][Role.OWNER])
    assert reps.awaits(rep, w["act_ws"]) and not reps.awaits(rep, w["agency_ws"])
    assert list(reps.represented_acts(w["agency_ws"])) == []
    rep = reps.representation_accept(actor=w["band"][Role.ADMIN], workspace_id=w["act_ws"].pk, representation_id=rep.pk)
    assert (rep.status, rep.granted_by) == (S.ACTIVE, w["band"][Role.ADMIN]) and rep.granted_at is not None
    assert list(reps.represented_acts(w["agency_ws"])) == [w["act_ws"].act]
    assert reps.represents(agency_workspace_id=w["agency_ws"].pk, act_id=w["act_ws"].act.pk)
    for action in ("representation.requested", "representation.accepted"):
        assert set(AuditEntry.objects.filter(action=action).values_list("workspace_id", flat=True)) == {
            w["agency_ws"].pk, w["act_ws"].pk}


def test_the_act_invites_the_agency_which_declines(w):
    rep = reps.representation_invite(actor=w["band"][Role.OWNER], act_workspace_id=w["act_ws"].pk,
                                     agency_workspace_id=w["agency_ws"].pk)
    assert reps.awaits(rep, w["agency_ws"])
    with pytest.raises(Conflict):  # the side that asked does not answer its own request
        reps.representation_accept(actor=w["band"][Role.OWNER], workspace_id=w["act_ws"].pk, representation_id=rep.pk)
    rep = reps.representation_decline(actor=w["agency"][Role.ADMIN], workspace_id=w["agency_ws"].pk,
                                      representation_id=rep.pk)
    assert (rep.status, rep.end_reason, rep.ended_by) == (S.ENDED, "declined", w["agency"][Role.ADMIN])
    assert not reps.represents(agency_workspace_id=w["agency_ws"].pk, act_id=w["act_ws"].act.pk)
    request(w)  # after a decline, asking again is allowed: the old row stays as history
    assert reps.representations_for(w["act_ws"]).count() == 2


def test_either_side_ends_it_and_an_ended_one_does_not_change_again(w):
    for ender, ws in ((w["band"][Role.OWNER], "act_ws"), (w["agency"][Role.ADMIN], "agency_ws")):
        rep = request(w)
        reps.representation_accept(actor=w["band"][Role.OWNER], workspace_id=w["act_ws"].pk, representation_id=rep.pk)
        rep = reps.representation_end(actor=ender, workspace_id=w[ws].pk, representation_id=rep.pk)
        assert (rep.status, rep.end_reason, rep.ended_by) == (S.ENDED, "ended", ender)
        with pytest.raises(InvalidTransition):
            reps.representation_accept(actor=w["band"][Role.OWNER], workspace_id=w["act_ws"].pk,
                                       representation_id=rep.pk)


def test_the_asking_side_withdraws_its_request(w):
    rep = request(w)
    rep = reps.representation_end(actor=w["agency"][Role.OWNER], workspace_id=w["agency_ws"].pk, representation_id=rep.pk)
    assert rep.status == S.ENDED


def test_one_live_link_per_agency_and_act(w):
    request(w)
    with pytest.raises(Conflict) as exc:
        reps.representation_invite(actor=w["band"][Role.OWNER], act_workspace_id=w["act_ws"].pk,
                                   agency_workspace_id=w["agency_ws"].pk)
    assert exc.value.code == "representation_exists"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.VIEWER])
def test_only_owners_and_admins_ask_and_answer(w, role):
    with pytest.raises(Forbidden):
        request(w, role)
    rep = request(w)
    for change in (reps.representation_accept, reps.representation_decline, reps.representation_end):
        with pytest.raises(Forbidden):
            change(actor=w["band"][role], workspace_id=w["act_ws"].pk, representation_id=rep.pk)
    assert rep.__class__.objects.get(pk=rep.pk).status == S.REQUESTED


def test_strangers_and_wrong_kinds_are_refused(w, make_team):
    rep = request(w)
    rival_ws, rival = make_team(WorkspaceKind.ACT, name="The Larks")
    with pytest.raises(NotFound):  # another act's owner, through their own workspace
        reps.representation_accept(actor=rival[Role.OWNER], workspace_id=rival_ws.pk, representation_id=rep.pk)
    with pytest.raises(NotFound):  # a venue does not represent acts
        reps.representation_request(actor=w["venue"][Role.OWNER], agency_workspace_id=w["venue_ws"].pk,
                                    act_workspace_id=w["act_ws"].pk)
    with pytest.raises(Invalid):  # an agency is not an act
        reps.representation_request(actor=w["agency"][Role.OWNER], agency_workspace_id=w["agency_ws"].pk,
                                    act_workspace_id=w["venue_ws"].pk)
    with pytest.raises(Invalid):
        reps.representation_invite(actor=w["band"][Role.OWNER], act_workspace_id=w["act_ws"].pk,
                                   agency_workspace_id=w["venue_ws"].pk)


def _api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def test_the_api_asks_lists_accepts_and_ends(w):
    agency, band = _api(w["agency"][Role.OWNER]), _api(w["band"][Role.ADMIN])
    r = agency.post(f"/api/v1/workspaces/{w['agency_ws'].pk}/representations",
                    {"partner_workspace_id": w["act_ws"].pk}, content_type="application/json")
    assert r.status_code == 201, r.content
    rep_id = r.json()["id"]
    assert r.json()["status"] == "requested" and r.json()["act_name"] == "The Owls"
    again = agency.post(f"/api/v1/workspaces/{w['agency_ws'].pk}/representations",
                        {"partner_workspace_id": w["act_ws"].pk}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "representation_exists"
    listed = band.get(f"/api/v1/workspaces/{w['act_ws'].pk}/representations").json()
    assert [(x["id"], x["agency_name"]) for x in listed] == [(rep_id, "Silver Lining")]
    r = band.post(f"/api/v1/workspaces/{w['act_ws'].pk}/representations/{rep_id}/accept")
    assert (r.status_code, r.json()["status"]) == (200, "active")
    r = agency.post(f"/api/v1/workspaces/{w['agency_ws'].pk}/representations/{rep_id}/end")
    assert (r.status_code, r.json()["status"], r.json()["end_reason"]) == (200, "ended", "ended")
    bad = agency.post(f"/api/v1/workspaces/{w['agency_ws'].pk}/representations",
                      {"partner_workspace_id": w["venue_ws"].pk}, content_type="application/json")
    assert bad.status_code == 422 and "act_workspace_id" in str(bad.json())


def test_the_other_sides_owners_and_admins_are_told(w, django_capture_on_commit_callbacks):
    from backline.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        rep = request(w)
    told = Notification.objects.filter(type="representation")
    assert set(told.values_list("user_id", flat=True)) == {w["band"][Role.OWNER].pk, w["band"][Role.ADMIN].pk}
    assert told.first().title == "Silver Lining asks to represent The Owls"
    assert told.first().url == f"/w/{w['act_ws'].slug}/agencies/"
    told.delete()
    with django_capture_on_commit_callbacks(execute=True):
        reps.representation_accept(actor=w["band"][Role.ADMIN], workspace_id=w["act_ws"].pk, representation_id=rep.pk)
    assert set(told.values_list("user_id", flat=True)) == {w["agency"][Role.OWNER].pk, w["agency"][Role.ADMIN].pk}
    assert told.first().title == "The Owls accepted: Silver Lining now represents The Owls"


def test_the_api_list_reads_in_a_fixed_number_of_queries(w, make_team, django_assert_max_num_queries):
    for i in range(5):
        act_ws, _ = make_team(WorkspaceKind.ACT, name=f"Act {i}")
        reps.representation_request(actor=w["agency"][Role.OWNER], agency_workspace_id=w["agency_ws"].pk,
                                    act_workspace_id=act_ws.pk)
    client = _api(w["agency"][Role.VIEWER])
    with django_assert_max_num_queries(5):
        r = client.get(f"/api/v1/workspaces/{w['agency_ws'].pk}/representations")
    assert len(r.json()) == 5
