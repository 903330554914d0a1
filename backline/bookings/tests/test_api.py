"""The bookings API: the pipeline through explicit transition endpoints, problem+json codes for every
refusal, scoping (a venue never sees another venue's holds), agencies' books and query counts."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import performer_create, performer_link_user
from backline.bookings import services
from backline.bookings.models import Booking, Status
from backline.venues.models import Venue

PROBLEM = "application/problem+json"


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


def problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    if code:
        assert body["code"] == code, body
    return body


def soon(days=30, hour=20):
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(make_team):
    venue_ws, buyer = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    other_ws, other = make_team(WorkspaceKind.VENUE, name="Blue Door")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    return {"ws": venue_ws, "venue": Venue.objects.get(workspace=venue_ws), "buyer": buyer, "other_ws": other_ws,
            "other": other, "act": act_ws.act, "act_ws": act_ws, "band": band}


def log_inquiry(api, w, **kw):
    body = {"title": "Club night", "act_id": w["act"].pk, "venue_id": w["venue"].pk, "budget": "700"} | kw
    response = api(w["buyer"][Role.OWNER]).post(f"/api/v1/workspaces/{w['ws'].pk}/inquiries", body,
                                                content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_hold_offer_counter_confirm_through_the_api(api, world):
    buyer, band = api(world["buyer"][Role.OWNER]), api(world["band"][Role.OWNER])
    booking = log_inquiry(api, world)
    bid = booking["id"]
    problem(band.get(f"/api/v1/bookings/{bid}"), 404)  # the act does not see an inquiry
    held = buyer.post(f"/api/v1/bookings/{bid}/hold", {"starts_at": soon().isoformat(),
                                                         "ends_at": soon(hour=22).isoformat()},
                      content_type="application/json").json()
    assert (held["status"], held["hold_rank"]) == ("hold", 1)
    offered = buyer.post(f"/api/v1/bookings/{bid}/offers", {"deal_type": "guarantee", "guarantee": "500"},
                         content_type="application/json")
    assert offered.status_code == 201 and offered.json()["status"] == "offer"
    seen = band.get(f"/api/v1/bookings/{bid}").json()
    assert seen["side"] == "act" and seen["notes"] == "" and seen["deal"] == "€500 guarantee"
    countered = band.post(f"/api/v1/bookings/{bid}/offers", {"deal_type": "versus", "guarantee": "500", "percent": "70",
                                                               "basis": "net", "expenses": "200"},
                          content_type="application/json").json()
    assert [o["status"] for o in countered["offers"]] == ["superseded", "proposed"]
    assert any(row[0] == "Deal type" for row in countered["offers"][1]["changes"])
    problem(band.post(f"/api/v1/bookings/{bid}/confirm", {}, content_type="application/json"), 403, "forbidden")
    confirmed = buyer.post(f"/api/v1/bookings/{bid}/confirm", {}, content_type="application/json").json()
    assert confirmed["status"] == "confirmed" and confirmed["deal"].startswith("€500 vs 70% of net")
    illegal = problem(buyer.post(f"/api/v1/bookings/{bid}/hold", {"starts_at": soon().isoformat(),
                                                                  "ends_at": soon(hour=22).isoformat()},
                                 content_type="application/json"), 409, "booking_confirmed")
    assert illegal["allowed"] == ["cancelled", "completed"]
    history = buyer.get(f"/api/v1/bookings/{bid}/history").json()
    assert [h["action"] for h in history][:2] == ["booking.inquiry_logged", "booking.hold_placed"]


@pytest.mark.parametrize("body, field", [
    ({"deal_type": "guarantee", "guarantee": "-5"}, "guarantee"),
    ({"deal_type": "door", "percent": "101"}, "percent"),
    ({"deal_type": "guarantee", "guarantee": "100", "deposit_percent": "150"}, "deposit_percent"),
    ({"deal_type": "guarantee", "guarantee": "100", "currency": "DOLLARS"}, "currency"),
    ({"deal_type": "guarantee", "guarantee": "not money"}, "guarantee"),
])
def test_bad_offers_are_422_naming_the_field(api, world, body, field):
    bid = log_inquiry(api, world)["id"]
    response = api(world["buyer"][Role.OWNER]).post(f"/api/v1/bookings/{bid}/offers", body, content_type="application/json")
    body = problem(response, 422)
    assert field in {e["field"] for e in body["errors"]}
    assert Booking.objects.get(pk=bid).status == Status.INQUIRY


def test_a_hold_in_the_past_is_422_and_an_offer_on_a_cancelled_booking_409(api, world):
    buyer = api(world["buyer"][Role.OWNER])
    bid = log_inquiry(api, world)["id"]
    problem(buyer.post(f"/api/v1/bookings/{bid}/hold", {"starts_at": soon(-3).isoformat(), "ends_at": soon(-3, 22).isoformat()},
                       content_type="application/json"), 422)
    buyer.post(f"/api/v1/bookings/{bid}/cancel", {"reason": "Venue closed that week"}, content_type="application/json")
    problem(buyer.post(f"/api/v1/bookings/{bid}/offers", {"deal_type": "guarantee", "guarantee": "1"},
                       content_type="application/json"), 409, "booking_cancelled")


def test_a_venue_never_sees_another_venues_holds(api, world):
    bid = log_inquiry(api, world)["id"]
    services.hold_place(actor=world["buyer"][Role.OWNER], booking_id=bid, starts_at=soon(), ends_at=soon(hour=22))
    other = api(world["other"][Role.OWNER])
    problem(other.get(f"/api/v1/bookings/{bid}"), 404)
    assert other.get("/api/v1/bookings").json()["count"] == 0
    problem(other.post(f"/api/v1/bookings/{bid}/release", {"reason": "x"}, content_type="application/json"), 404)
    mine = api(world["buyer"][Role.VIEWER]).get("/api/v1/bookings", {"status": "hold"}).json()
    assert [b["id"] for b in mine["items"]] == [bid]


def test_the_list_filters_and_uses_a_constant_number_of_queries(api, world, django_assert_max_num_queries):
    buyer = api(world["buyer"][Role.OWNER])
    for n in range(3):
        log_inquiry(api, world, title=f"Night {n}", date_from=(soon(10 + n)).date().isoformat())
    url = f"/api/v1/bookings?workspace_id={world['ws'].pk}&page_size=50"
    with django_assert_max_num_queries(5) as few:
        assert buyer.get(url).json()["count"] == 3
    queries = len(few.captured_queries)  # read now: the next request resets the connection's query log
    for n in range(12):
        log_inquiry(api, world, title=f"More {n}", source="phone")
    with django_assert_max_num_queries(queries):
        assert buyer.get(url).json()["count"] == 15
    assert buyer.get(url + "&source=phone").json()["count"] == 12
    window = {"start": soon(9).isoformat(), "end": soon(11).isoformat()}
    assert buyer.get(f"/api/v1/bookings?workspace_id={world['ws'].pk}", window).json()["count"] == 2


def test_the_detail_uses_a_constant_number_of_queries(api, world, django_assert_max_num_queries):
    buyer_user = world["buyer"][Role.OWNER]
    bid = log_inquiry(api, world)["id"]
    for n in range(6):
        services.offer_make(actor=buyer_user, booking_id=bid, deal_type="guarantee", guarantee=str(400 + n))
    with django_assert_max_num_queries(8):
        assert len(api(buyer_user).get(f"/api/v1/bookings/{bid}").json()["offers"]) == 6


@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    owner = people[Role.OWNER]
    ana = performer_create(actor=owner, workspace_id=ws.pk, name="Ana Sax")
    performer_link_user(actor=owner, performer_id=ana.pk, user_id=people[Role.PERFORMER].pk)
    ben = performer_create(actor=owner, workspace_id=ws.pk, name="Ben Keys")
    return ws, people, ana, ben


def test_agency_quote_convert_assign_conflict_and_override(api, agency):
    ws, people, ana, ben = agency
    coord, owner = api(people[Role.COORDINATOR]), api(people[Role.OWNER])
    client = coord.post(f"/api/v1/agencies/{ws.pk}/clients", {"name": "Mia Jones"}, content_type="application/json").json()
    package = owner.post(f"/api/v1/agencies/{ws.pk}/packages", {"name": "Trio", "duration_minutes": 180, "price": "1500"},
                         content_type="application/json").json()
    times = {"starts_at": soon(20, 18).isoformat(), "ends_at": soon(20, 22).isoformat()}
    first = coord.post(f"/api/v1/workspaces/{ws.pk}/inquiries", {"title": "Wedding", "client_id": client["id"],
                                                                 "package_id": package["id"], **times},
                       content_type="application/json").json()
    coord.post(f"/api/v1/bookings/{first['id']}/performers", {"performer_id": ana.pk, "payout": "400"},
               content_type="application/json")
    problem(coord.post(f"/api/v1/inquiries/{first['id']}/convert-to-booking", {}, content_type="application/json"), 422)
    coord.post(f"/api/v1/bookings/{first['id']}/offers", {"deal_type": "flat", "guarantee": "1500",
                                                           "package_id": package["id"]}, content_type="application/json")
    converted = coord.post(f"/api/v1/inquiries/{first['id']}/convert-to-booking", {}, content_type="application/json")
    assert converted.json()["status"] == "confirmed"
    second = coord.post(f"/api/v1/workspaces/{ws.pk}/inquiries", {"title": "Gala", **times},
                        content_type="application/json").json()
    conflict = problem(coord.post(f"/api/v1/bookings/{second['id']}/performers", {"performer_id": ana.pk, "payout": "300"},
                                  content_type="application/json"), 409, "performer_conflict")
    assert conflict["conflicting"]["id"] == first["id"]
    problem(coord.post(f"/api/v1/bookings/{second['id']}/performers",
                       {"performer_id": ana.pk, "payout": "300", "override_reason": "Two short sets"},
                       content_type="application/json"), 403)
    assigned = owner.post(f"/api/v1/bookings/{second['id']}/performers",
                          {"performer_id": ana.pk, "payout": "300", "override_reason": "Two short sets"},
                          content_type="application/json")
    assert assigned.status_code == 201 and assigned.json()[0]["override_reason"] == "Two short sets"
    free = coord.get(f"/api/v1/agencies/{ws.pk}/performer-availability", {"date": soon(20).date().isoformat()}).json()
    assert {p["name"]: p["free"] for p in free} == {"Ana Sax": False, "Ben Keys": True}


def test_a_performer_sees_only_their_own_gigs(api, agency):
    ws, people, ana, ben = agency
    coord = api(people[Role.COORDINATOR])
    times = {"starts_at": soon(20, 18).isoformat(), "ends_at": soon(20, 22).isoformat()}
    for title, performer in (("With Ana", ana), ("With Ben", ben)):
        b = coord.post(f"/api/v1/workspaces/{ws.pk}/inquiries", {"title": title, **times}, content_type="application/json")
        coord.post(f"/api/v1/bookings/{b.json()['id']}/performers", {"performer_id": performer.pk, "payout": "100"},
                   content_type="application/json")
        coord.post(f"/api/v1/bookings/{b.json()['id']}/offers", {"deal_type": "flat", "guarantee": "900"},
                   content_type="application/json")
    performer = api(people[Role.PERFORMER])
    gigs = performer.get("/api/v1/me/assignments").json()["items"]
    assert [g["title"] for g in gigs] == ["With Ana"]
    problem(performer.get("/api/v1/bookings/" + str(Booking.objects.get(title="With Ana").pk)), 403)
    assert performer.get("/api/v1/bookings").json()["count"] == 0
    problem(performer.get(f"/api/v1/agencies/{ws.pk}/clients"), 403)


def test_the_advance_is_for_confirmed_shows(api, world):
    buyer_user = world["buyer"][Role.OWNER]
    bid = log_inquiry(api, world)["id"]
    problem(api(buyer_user).put(f"/api/v1/bookings/{bid}/advance", {"load_in": "16:00"}, content_type="application/json"), 422)
    services.hold_place(actor=buyer_user, booking_id=bid, starts_at=soon(), ends_at=soon(hour=22))
    services.offer_make(actor=buyer_user, booking_id=bid, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=world["band"][Role.OWNER], booking_id=bid)
    saved = api(world["band"][Role.ADMIN]).put(f"/api/v1/bookings/{bid}/advance",
                                               {"load_in": "16:00", "guest_list": "Ada +1"}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["load_in"] == "16:00:00"
    assert api(buyer_user).get(f"/api/v1/bookings/{bid}/advance").json()["guest_list"] == "Ada +1"
