"""What the browser and the API both do to run a network: co-present a show and answer, close a board
post, remove a member, and choose the network's admins (admins only; the last admin keeps the role and
cannot leave). Bad input is refused with problem+json and changes nothing; the member count reads
"1 member" / "3 members"."""

import pytest
from django.urls import reverse

from backline.accounts.models import Role
from backline.core.errors import Conflict
from backline.core.models import AuditEntry
from backline.network import services
from backline.network.models import CoPresentation, MemberStatus, NetworkMember, PostStatus

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _base(c, ws) -> str:
    return f"/api/v1/workspaces/{ws.pk}/networks/{c.network.pk}"


def _member(c, ws) -> NetworkMember:
    return NetworkMember.objects.get(network=c.network, workspace=ws)


def test_the_api_co_presents_a_show_and_the_partner_answers(circuit, confirmed_show, client, bearer):
    show = confirmed_show()
    h = bearer(circuit.venue_people[Role.OWNER])
    r = client.post(_base(circuit, circuit.venue) + "/co-presentations",
                    {"booking_id": show.pk, "partner_id": circuit.promoter.pk},
                    content_type="application/json", **h)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["partner_name"], body["show"]) == ("proposed", "Nightjar Promotions", show.title)
    again = client.post(_base(circuit, circuit.venue) + "/co-presentations",
                        {"booking_id": show.pk, "partner_id": circuit.promoter.pk}, content_type="application/json", **h)
    assert again.status_code == 409 and again["Content-Type"] == PROBLEM
    hp = bearer(circuit.promoter_people[Role.OWNER])
    listed = client.get(_base(circuit, circuit.promoter) + "/co-presentations", **hp).json()
    assert [c["id"] for c in listed] == [body["id"]]
    answer = f"/api/v1/workspaces/{circuit.promoter.pk}/network-co-presentations/{body['id']}/answer"
    assert client.post(answer, {"decision": "accept"}, content_type="application/json", **hp).json()["status"] == "accepted"
    twice = client.post(answer, {"decision": "accept"}, content_type="application/json", **hp)
    assert twice.status_code == 409 and twice["Content-Type"] == PROBLEM
    outsider = bearer(circuit.outsider_people[Role.OWNER])
    foreign = f"/api/v1/workspaces/{circuit.outsider.pk}/network-co-presentations/{body['id']}/answer"
    assert client.post(foreign, {"decision": "withdraw"}, content_type="application/json", **outsider).status_code == 404


@pytest.mark.parametrize("payload, field", [
    ({"booking_id": 0, "partner_id": 0}, "booking_id"),
    ({"booking_id": -1, "partner_id": 1}, "booking_id"),
    ({"booking_id": 1, "partner_id": 2**63}, "partner_id"),
    ({"booking_id": "x", "partner_id": 1}, "booking_id"),
])
def test_bad_co_presentations_are_refused_and_nothing_changes(circuit, client, bearer, payload, field):
    r = client.post(_base(circuit, circuit.venue) + "/co-presentations", payload, content_type="application/json",
                    **bearer(circuit.venue_people[Role.OWNER]))
    assert r.status_code == 422 and r["Content-Type"] == PROBLEM and field in r.content.decode()
    assert not CoPresentation.objects.exists()


def test_a_show_the_workspace_does_not_run_or_a_non_member_partner_is_refused(circuit, confirmed_show, client, bearer):
    show = confirmed_show()
    h = bearer(circuit.promoter_people[Role.OWNER])  # the promoter does not run the venue's show
    r = client.post(_base(circuit, circuit.promoter) + "/co-presentations",
                    {"booking_id": show.pk, "partner_id": circuit.venue.pk},
                    content_type="application/json", **h)
    assert r.status_code == 422 and "booking_id" in r.json()["errors"][0]["field"]
    r = client.post(_base(circuit, circuit.venue) + "/co-presentations",
                    {"booking_id": show.pk, "partner_id": circuit.outsider.pk},
                    content_type="application/json", **bearer(circuit.venue_people[Role.OWNER]))
    assert r.status_code == 422 and not CoPresentation.objects.exists()


def test_the_api_closes_a_post_once(circuit, client, bearer):
    post = services.post_create(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                                network_id=circuit.network.pk, kind="offer", resource="pa", title="PA to lend")
    url = f"/api/v1/workspaces/{circuit.venue.pk}/network-posts/{post.pk}/close"
    h = bearer(circuit.venue_people[Role.COORDINATOR])
    r = client.post(url, **h)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    again = client.post(url, **h)
    assert again.status_code == 409 and again["Content-Type"] == PROBLEM
    other = f"/api/v1/workspaces/{circuit.promoter.pk}/network-posts/{post.pk}/close"  # not the poster: 404
    assert client.post(other, **bearer(circuit.promoter_people[Role.OWNER])).status_code == 404
    post.refresh_from_db()
    assert post.status == PostStatus.CLOSED


def test_the_api_removes_a_member_admins_only(circuit, client, bearer):
    promoter = _member(circuit, circuit.promoter)
    url = _base(circuit, circuit.act) + f"/members/{promoter.pk}"
    not_admin = client.delete(url, **bearer(circuit.act_people[Role.OWNER]))
    assert not_admin.status_code == 409 and not_admin.json()["code"] == "not_network_admin"
    me = _base(circuit, circuit.venue) + f"/members/{_member(circuit, circuit.venue).pk}"
    assert client.delete(me, **bearer(circuit.venue_people[Role.OWNER])).json()["code"] == "remove_self"
    assert client.delete(url.replace(str(circuit.act.pk), str(circuit.venue.pk), 1),
                         **bearer(circuit.venue_people[Role.VIEWER])).status_code == 403
    promoter.refresh_from_db()
    assert promoter.status == MemberStatus.ACTIVE  # nothing changed
    r = client.delete(_base(circuit, circuit.venue) + f"/members/{promoter.pk}", **bearer(circuit.venue_people[Role.ADMIN]))
    assert r.status_code == 200 and r.json()["status"] == "removed"


def test_admins_choose_admins_and_the_last_admin_keeps_the_role(circuit, client, bearer, login_client):
    venue, act = _member(circuit, circuit.venue), _member(circuit, circuit.act)
    h = bearer(circuit.venue_people[Role.OWNER])
    demote_self = client.patch(_base(circuit, circuit.venue) + f"/members/{venue.pk}", {"is_admin": False},
                               content_type="application/json", **h)
    assert demote_self.status_code == 409 and demote_self.json()["code"] == "last_network_admin"
    with pytest.raises(Conflict):
        services.network_leave(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                               network_id=circuit.network.pk)
    by_non_admin = client.patch(_base(circuit, circuit.act) + f"/members/{act.pk}", {"is_admin": True},
                                content_type="application/json", **bearer(circuit.act_people[Role.OWNER]))
    assert by_non_admin.status_code == 409 and by_non_admin.json()["code"] == "not_network_admin"
    bad = client.patch(_base(circuit, circuit.venue) + f"/members/{act.pk}", {"is_admin": "maybe"},
                       content_type="application/json", **h)
    assert bad.status_code == 422 and bad["Content-Type"] == PROBLEM
    act.refresh_from_db()
    assert not act.is_admin and not AuditEntry.objects.filter(action__startswith="network.admin_").exists()
    r = client.patch(_base(circuit, circuit.venue) + f"/members/{act.pk}", {"is_admin": True},
                     content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["is_admin"] is True
    assert AuditEntry.objects.filter(action="network.admin_granted").count() == 1
    # now the venue may step down, and leave
    r = client.patch(_base(circuit, circuit.venue) + f"/members/{venue.pk}", {"is_admin": False},
                     content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["is_admin"] is False
    page = login_client(circuit.act_people[Role.OWNER]).get(
        reverse("network:network_detail", args=[circuit.act.slug, circuit.network.pk])).content.decode()
    assert "You are the only admin" in page and 'data-testid="network-make-admin"' in page


def test_an_invited_workspace_cannot_be_made_admin(circuit, make_team, client, bearer):
    ws, _ = make_team("venue", "Velvet Room")
    invited = services.network_invite(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                                      network_id=circuit.network.pk, invitee_id=ws.pk)
    r = client.patch(_base(circuit, circuit.venue) + f"/members/{invited.pk}", {"is_admin": True},
                     content_type="application/json", **bearer(circuit.venue_people[Role.OWNER]))
    assert r.status_code == 409 and r.json()["code"] == "not_a_member_yet"


def test_the_page_makes_an_admin_and_counts_members_in_words(circuit, make_team, login_client):
    web = login_client(circuit.venue_people[Role.OWNER])
    url = reverse("network:network_detail", args=[circuit.venue.slug, circuit.network.pk])
    page = web.get(url).content.decode()
    assert "3 members</span>" in page and "invitation" not in page.split('data-testid="network-member-count"')[1][:80]
    act = _member(circuit, circuit.act)
    web.post(reverse("network:network_member_admin", args=[circuit.venue.slug, circuit.network.pk, act.pk]), {"is_admin": "on"})
    act.refresh_from_db()
    assert act.is_admin
    ws, _ = make_team("venue", "Velvet Room")
    services.network_invite(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk,
                            network_id=circuit.network.pk, invitee_id=ws.pk)
    assert "3 members · 1 invitation waiting" in web.get(url).content.decode()
    solo = services.network_create(actor=circuit.venue_people[Role.OWNER], workspace_id=circuit.venue.pk, name="Solo")
    solo_page = web.get(reverse("network:network_detail", args=[circuit.venue.slug, solo.pk])).content.decode()
    assert "1 member</span>" in solo_page and "1 members" not in solo_page
    listing = web.get(reverse("network:network_list", args=[circuit.venue.slug])).content.decode()
    assert "1 member" in listing and "1 members" not in listing and "3 members" in listing
