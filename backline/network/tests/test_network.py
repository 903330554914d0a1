"""The venue network: membership workflow, visibility to members only, public show facts, the
sharing board and its conversations, co-presented shows, query counts and roles."""

import pytest
from django.urls import reverse

from backline.accounts.models import Role
from backline.conversations.models import ThreadParty
from backline.core.errors import Forbidden, InvalidTransition
from backline.network import selectors, services
from backline.network.models import CoPresentStatus, MemberStatus, NetworkMember, PostStatus, RequestStatus

pytestmark = pytest.mark.django_db


def _post(c, **kw):
    data = {"kind": "offer", "resource": "backline", "title": "Drum kit to lend", "city": "Berlin", **kw}
    return services.post_create(actor=c.venue_people[Role.OWNER], workspace_id=c.venue.pk, network_id=c.network.pk,
                                **data)


# --- membership workflow --------------------------------------------------------------------------

def test_an_invitation_is_accepted_once_and_a_second_answer_is_refused(circuit, bearer, client):
    m = NetworkMember.objects.get(network=circuit.network, workspace=circuit.promoter)
    assert m.status == MemberStatus.ACTIVE and m.shares_shows
    with pytest.raises(InvalidTransition):  # no invitation pending any more: an active member answering
        services.network_invite_answer(actor=circuit.promoter_people[Role.OWNER], workspace_id=circuit.promoter.pk,
                                       network_id=circuit.network.pk, accept=False)


def test_declined_then_invited_again_then_left_then_invited_again(circuit):
    owner = circuit.outsider_people[Role.OWNER]
    vo = circuit.venue_people[Role.OWNER]
    args = {"workspace_id": circuit.outsider.pk, "network_id": circuit.network.pk}
    services.network_invite(actor=vo, workspace_id=circuit.venue.pk, network_id=circuit.network.pk,
                            invitee_id=circuit.outsider.pk)
    assert services.network_invite_answer(actor=owner, accept=False, **args).status == MemberStatus.DECLINED
    services.network_invite(actor=vo, workspace_id=circuit.venue.pk, network_id=circuit.network.pk,
                            invitee_id=circuit.outsider.pk)
    assert services.network_invite_answer(actor=owner, accept=True, **args).status == MemberStatus.ACTIVE
    assert services.network_leave(actor=owner, **args).status == MemberStatus.LEFT
    member = services.network_invite(actor=vo, workspace_id=circuit.venue.pk, network_id=circuit.network.pk,
                                      invitee_id=circuit.outsider.pk)
    assert member.status == MemberStatus.INVITED


def test_inviting_a_current_member_is_a_409_in_the_api(circuit, client, bearer):
    vo = circuit.venue_people[Role.OWNER]
    url = f"/api/v1/workspaces/{circuit.venue.pk}/networks/{circuit.network.pk}/members"
    r = client.post(url, {"invitee_id": circuit.act.pk}, content_type="application/json", **bearer(vo))
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")
    assert r.json()["code"] == "networkmember_active"


def test_answering_a_request_twice_is_a_409(circuit, client, bearer):
    post = _post(circuit)
    req = services.request_create(actor=circuit.promoter_people[Role.OWNER], workspace_id=circuit.promoter.pk,
                                  post_id=post.pk, message="Friday?")
    vo = circuit.venue_people[Role.OWNER]
    url = f"/api/v1/workspaces/{circuit.venue.pk}/network-requests/{req.pk}/answer"
    assert client.post(url, {"decision": "decline"}, content_type="application/json", **bearer(vo)).status_code == 200
    r = client.post(url, {"decision": "accept"}, content_type="application/json", **bearer(vo))
    assert r.status_code == 409 and r.json()["code"] == "resourcerequest_declined"
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED


def test_the_only_admin_cannot_leave_while_others_remain(circuit):
    with pytest.raises(Exception) as exc:
        services.network_leave(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                               network_id=circuit.network.pk)
    assert getattr(exc.value, "code", "") == "last_network_admin"


def test_a_closed_post_cannot_be_closed_again(circuit):
    post = _post(circuit)
    services.post_close(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk, post_id=post.pk)
    with pytest.raises(InvalidTransition):
        services.post_close(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk, post_id=post.pk)


# --- visibility -----------------------------------------------------------------------------------

def test_a_non_member_gets_404_for_every_page_and_api_of_the_network(circuit, login_client, client, bearer):
    post = _post(circuit)
    req = services.request_create(actor=circuit.act_people[Role.OWNER], workspace_id=circuit.act.pk, post_id=post.pk,
                                  message="Saturday?")
    owner = circuit.outsider_people[Role.OWNER]
    web = login_client(owner)
    slug, n = circuit.outsider.slug, circuit.network.pk
    for name, args in (("network_detail", [slug, n]), ("network_invite", [slug, n]), ("network_co_present", [slug, n]),
                       ("network_post_new", [slug, n]), ("network_post_detail", [slug, post.pk])):
        assert web.get(reverse(f"network:{name}", args=args)).status_code == 404, name
    for name, args in (("network_post_ask", [slug, post.pk]), ("network_request_answer", [slug, req.pk]),
                       ("network_leave", [slug, n]), ("network_answer", [slug, n])):
        assert web.post(reverse(f"network:{name}", args=args), {"decision": "accept", "message": "x"}).status_code == 404
    base = f"/api/v1/workspaces/{circuit.outsider.pk}/networks/{n}"
    h = bearer(owner)
    for path in ("/members", "/shows", "/posts", "/requests"):
        assert client.get(base + path, **h).status_code == 404, path
    r = client.post(f"/api/v1/workspaces/{circuit.outsider.pk}/network-posts/{post.pk}/requests", {"message": "hi"},
                    content_type="application/json", **h)
    assert r.status_code == 404
    assert client.get(f"/api/v1/workspaces/{circuit.outsider.pk}/networks", **h).json() == []


def test_an_invited_workspace_sees_only_the_invitation(circuit, login_client):
    services.network_invite(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                            network_id=circuit.network.pk, invitee_id=circuit.outsider.pk)
    _post(circuit, title="Secret PA")
    page = login_client(circuit.outsider_people[Role.OWNER]).get(
        reverse("network:network_detail", args=[circuit.outsider.slug, circuit.network.pk]))
    assert page.status_code == 200
    assert b"Join the network" in page.content and b"Secret PA" not in page.content


# --- shows ----------------------------------------------------------------------------------------

def test_only_public_facts_of_a_show_are_shared_never_the_fee(circuit, confirmed_show, client, bearer):
    show = confirmed_show()
    r = client.get(f"/api/v1/workspaces/{circuit.promoter.pk}/networks/{circuit.network.pk}/shows",
                   **bearer(circuit.promoter_people[Role.VIEWER]))
    assert r.status_code == 200
    [row] = r.json()
    assert set(row) == {"booking_id", "act", "venue", "city", "starts_at", "time_zone", "presenters"}
    assert row["booking_id"] == show.pk and row["act"] == "The Velvet Owls" and row["city"] == "Berlin"
    assert "800" not in r.content.decode()
    in_town = client.get(f"/api/v1/workspaces/{circuit.promoter.pk}/networks/{circuit.network.pk}/shows?in_town=true",
                         **bearer(circuit.promoter_people[Role.OWNER])).json()
    assert [s["booking_id"] for s in in_town] == [show.pk]


def test_shows_in_more_than_a_week_are_not_also_in_town(circuit, confirmed_show):
    confirmed_show(days=12)
    assert selectors.also_in_town(circuit.network.pk, city="Berlin") == []
    assert len(selectors.network_shows(circuit.network.pk)) == 1


def test_a_member_that_stops_sharing_is_not_shown(circuit, confirmed_show):
    confirmed_show()
    for ws, people in ((circuit.venue, circuit.venue_people), (circuit.act, circuit.act_people)):
        services.network_sharing_set(actor=people[Role.OWNER], workspace_id=ws.pk, network_id=circuit.network.pk,
                                     shares_shows=False)
    assert selectors.network_shows(circuit.network.pk) == []


def test_a_co_presented_show_credits_both_once_the_partner_agrees(circuit, confirmed_show):
    show = confirmed_show()
    co = services.co_presentation_propose(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                                          network_id=circuit.network.pk, booking_id=show.pk,
                                          partner_id=circuit.promoter.pk)
    assert selectors.co_presenters_for([show.pk]) == {}
    with pytest.raises(Exception):  # the proposer cannot accept its own proposal
        services.co_presentation_answer(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                                        co_presentation_id=co.pk, decision="accept")
    co = services.co_presentation_answer(actor=circuit.promoter_people[Role.OWNER], workspace_id=circuit.promoter.pk,
                                         co_presentation_id=co.pk, decision="accept")
    assert co.status == CoPresentStatus.ACCEPTED
    assert selectors.co_presenters_for([show.pk]) == {show.pk: ("Lantern Hall", "Nightjar Promotions")}
    assert selectors.network_shows(circuit.network.pk)[0].presenters == ("Lantern Hall", "Nightjar Promotions")
    featured = selectors.shows_featured_for(circuit.promoter.pk)
    assert [s.booking_id for s in featured] == [show.pk]
    assert selectors.shows_featured_for(circuit.venue.pk) == []  # its own show is not featured back to it


# --- the sharing board ----------------------------------------------------------------------------

def test_asking_for_a_post_opens_a_conversation_between_the_two_workspaces(circuit, django_capture_on_commit_callbacks):
    post = _post(circuit)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_create(actor=circuit.promoter_people[Role.COORDINATOR], workspace_id=circuit.promoter.pk,
                                      post_id=post.pk, message="Could we borrow it on Friday?")
    assert req.status == RequestStatus.REQUESTED and req.thread_id
    parties = set(ThreadParty.objects.filter(thread=req.thread).values_list("workspace_id", flat=True))
    assert parties == {circuit.venue.pk, circuit.promoter.pk}
    first = req.thread.messages.order_by("id").first()
    assert "Drum kit to lend" in first.body and f"/network/board/{post.pk}/" in first.body
    req = services.request_answer(actor=circuit.venue_people[Role.ADMIN], workspace_id=circuit.venue.pk,
                                  request_id=req.pk, decision="accept")
    assert req.status == RequestStatus.ACCEPTED


def test_closed_and_past_posts_leave_the_board_but_are_kept(circuit):
    import datetime as dt

    kept = _post(circuit)
    closed = _post(circuit, title="Old PA")
    services.post_close(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk, post_id=closed.pk)
    past = _post(circuit, title="Last week's lights", available_from=dt.date(2020, 1, 1), available_to=dt.date(2020, 1, 2))
    assert [p.pk for p in selectors.board_for(circuit.network.pk)] == [kept.pk]
    closed.refresh_from_db()
    assert closed.status == PostStatus.CLOSED and past.pk


def test_a_fee_needs_an_amount_and_a_currency(circuit, client, bearer):
    h = bearer(circuit.venue_people[Role.OWNER])
    url = f"/api/v1/workspaces/{circuit.venue.pk}/networks/{circuit.network.pk}/posts"
    bad = client.post(url, {"kind": "offer", "resource": "pa", "title": "PA", "terms": "fee", "currency": "XX"},
                      content_type="application/json", **h)
    assert bad.status_code == 422 and {"fee", "currency"} <= {e["field"] for e in bad.json()["errors"]}
    ok = client.post(url, {"kind": "offer", "resource": "pa", "title": "PA", "terms": "fee", "fee": "150.00",
                           "currency": "EUR"}, content_type="application/json", **h)
    assert ok.status_code == 201 and ok.json()["fee"] in ("150.00", 150.0, "150")


# --- roles and query counts -----------------------------------------------------------------------

def test_viewers_read_the_network_but_do_not_post_or_answer(circuit, login_client):
    viewer = circuit.promoter_people[Role.VIEWER]
    page = login_client(viewer).get(reverse("network:network_detail", args=[circuit.promoter.slug, circuit.network.pk]))
    assert page.status_code == 200 and b"Post on the board" not in page.content
    with pytest.raises(Forbidden):
        services.post_create(actor=viewer, workspace_id=circuit.promoter.pk, network_id=circuit.network.pk,
                             kind="offer", resource="pa", title="PA")
    with pytest.raises(Forbidden):  # coordinators post, but only owners and admins decide on membership
        services.network_leave(actor=circuit.promoter_people[Role.COORDINATOR], workspace_id=circuit.promoter.pk,
                               network_id=circuit.network.pk)
    assert services.post_create(actor=circuit.promoter_people[Role.COORDINATOR], workspace_id=circuit.promoter.pk,
                                network_id=circuit.network.pk, kind="request", resource="crew", title="Lighting tech")


@pytest.mark.parametrize("count", [1, 12])
def test_the_network_page_and_lists_take_the_same_number_of_queries_whatever_their_size(
        circuit, confirmed_show, login_client, client, bearer, django_assert_max_num_queries, count, make_team):
    for i in range(count):
        _post(circuit, title=f"Post {i}")
        ws, people = make_team("promoter", f"Member {i}")
        services.network_invite(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                                network_id=circuit.network.pk, invitee_id=ws.pk)
    confirmed_show()
    web = login_client(circuit.act_people[Role.OWNER])
    url = reverse("network:network_detail", args=[circuit.act.slug, circuit.network.pk])
    with django_assert_max_num_queries(20):
        assert web.get(url).status_code == 200
    h = bearer(circuit.act_people[Role.OWNER])
    base = f"/api/v1/workspaces/{circuit.act.pk}/networks/{circuit.network.pk}"
    for path in ("/posts", "/members"):
        with django_assert_max_num_queries(8):
            assert len(client.get(base + path, **h).json()) >= count
