"""Real concurrent HTTP requests at a real multi-worker server (gunicorn, 3 workers × 4 threads) on
PostgreSQL (issue 10, "keep it fixed"): the promises hold when requests race on separate processes and
connections, not only in-process. Each test commits its data, starts the server on the test database,
fires one volley and checks the answers (2xx / 409 / 5xx) and the database afterwards."""

import datetime as dt

import pytest
from django.utils import timezone

from backline.accounts import services as accounts
from backline.accounts.models import WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists.services import act_create, act_member_add, performer_create
from backline.bookings import services
from backline.bookings.agency import services as agency_services
from backline.bookings.models import Booking, Engagement, Status
from backline.core.places import find_city
from backline.venues.services import venue_create, venue_workspace_create
from tests.factories import UserFactory

from .server import fire, postgres_only

pytestmark = [postgres_only, pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def berlin() -> int:
    return find_city("Berlin", "DE").geoname_id


def evening(days=40):
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)


def promoter_with_venues(count: int):
    owner = UserFactory()
    ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name="Many Rooms", geoname_id=berlin())
    return owner, ws, [venue_create(actor=owner, workspace_id=ws.pk, name=f"Room {n}", capacity=100,
                                    geoname_id=berlin()) for n in range(count)]


def assert_answers(results, *, ok: int, conflicts: int, code: str | None = None) -> None:
    assert results.errors == []
    assert results.counts() == {"2xx": ok, "409": conflicts, "4xx": 0, "5xx": 0}, (results.statuses, results.bodies)
    if code:
        assert {b["code"] for b, s in zip(results.bodies, results.statuses, strict=True) if s == 409} == {code}


PERFORMER_RACERS = 8


def test_one_performer_without_a_login_is_confirmed_once(live_server_gunicorn):
    owner = UserFactory()
    agency = accounts.workspace_create(actor=owner, kind=WorkspaceKind.AGENCY, name="Silver Lining", geoname_id=berlin())
    ana = performer_create(actor=owner, workspace_id=agency.pk, name="Ana Sax")  # no account
    _, _, venues = promoter_with_venues(PERFORMER_RACERS)
    start = evening()
    ids = []
    for n, venue in enumerate(venues):
        # Put Ana on each while the times are open, then hold overlapping evenings at different venues
        # (so no venue lock lines them up) and quote: every conversion would put her in two places.
        b = services.inquiry_create(actor=owner, workspace_id=agency.pk, title=f"Wedding {n}")
        agency_services.performer_assign(actor=owner, booking_id=b.pk, performer_id=ana.pk, payout="400")
        begins = start + dt.timedelta(minutes=10 * n)
        services.hold_place(actor=owner, booking_id=b.pk, venue_id=venue.pk, starts_at=begins,
                            ends_at=begins + dt.timedelta(hours=3))
        services.offer_make(actor=owner, booking_id=b.pk, deal_type="flat", guarantee="1500")
        ids.append(b.pk)
    token = issue_access_token(owner)[0]
    server = live_server_gunicorn()

    results = fire(server, [("POST", f"/api/v1/inquiries/{pk}/convert-to-booking", token, {}) for pk in ids])

    assert_answers(results, ok=1, conflicts=PERFORMER_RACERS - 1, code="double_booked")
    confirmed = list(Booking.objects.filter(pk__in=ids, status=Status.CONFIRMED).values_list("pk", flat=True))
    assert len(confirmed) == 1
    assert list(Engagement.objects.filter(performer=ana).values_list("booking_id", flat=True)) == confirmed
    named = {b["conflicting"]["id"] for b in results.bodies if b.get("code") == "double_booked"}
    assert named == set(confirmed)  # every refusal names the one show that won


ACT_BUYERS = 6


def test_one_act_without_member_accounts_is_confirmed_once_by_several_buyers(live_server_gunicorn):
    manager = UserFactory()
    act = act_create(actor=manager, name="The Unlisted", geoname_id=berlin(), plays_in_act=False)
    for name in ("Lou Drums", "Kim Bass", "Jo Keys"):
        act_member_add(actor=manager, workspace_id=act.workspace_id, name=name)
    start = evening()
    racers = []
    for n in range(ACT_BUYERS):
        buyer = UserFactory()
        venue = venue_workspace_create(actor=buyer, name=f"Club {n}", capacity=200, geoname_id=berlin())
        b = services.inquiry_create(actor=buyer, workspace_id=venue.workspace_id, title=f"Private party {n}",
                                    act_id=act.pk, venue_id=venue.pk)
        begins = start + dt.timedelta(minutes=15 * n)
        services.hold_place(actor=buyer, booking_id=b.pk, starts_at=begins, ends_at=begins + dt.timedelta(hours=2))
        services.offer_make(actor=buyer, booking_id=b.pk, deal_type="guarantee", guarantee="600")
        services.offer_make(actor=manager, booking_id=b.pk, deal_type="guarantee", guarantee="700")  # the act counters
        racers.append(("POST", f"/api/v1/bookings/{b.pk}/confirm", issue_access_token(buyer)[0], {}))
    server = live_server_gunicorn()

    results = fire(server, racers)  # every buyer accepts the act's counter-offer at once

    assert_answers(results, ok=1, conflicts=ACT_BUYERS - 1, code="double_booked")
    confirmed = list(Booking.objects.filter(act=act, status=Status.CONFIRMED).values_list("pk", flat=True))
    assert len(confirmed) == 1
    assert list(Engagement.objects.filter(act=act).values_list("booking_id", flat=True)) == confirmed
    assert Booking.objects.filter(act=act, status=Status.OFFER).count() == ACT_BUYERS - 1


HOLDS = 20


def test_twenty_simultaneous_holds_at_one_venue_on_one_day_are_ranked_1_to_20(live_server_gunicorn):
    owner = UserFactory()
    venue = venue_workspace_create(actor=owner, name="Lantern Hall", capacity=300, geoname_id=berlin())
    act = act_create(actor=UserFactory(), name="The Owls", geoname_id=berlin())
    ids = [services.inquiry_create(actor=owner, workspace_id=venue.workspace_id, title=f"Night {n}", act_id=act.pk,
                                   venue_id=venue.pk).pk for n in range(HOLDS)]
    start = evening()
    token = issue_access_token(owner)[0]
    server = live_server_gunicorn()

    results = fire(server, [
        ("POST", f"/api/v1/bookings/{pk}/hold", token,
         {"starts_at": (start + dt.timedelta(minutes=n)).isoformat(),
          "ends_at": (start + dt.timedelta(minutes=n, hours=2)).isoformat()})
        for n, pk in enumerate(ids)])

    assert_answers(results, ok=HOLDS, conflicts=0)
    ranks = sorted(Booking.objects.filter(pk__in=ids, status=Status.HOLD).values_list("hold_rank", flat=True))
    assert ranks == list(range(1, HOLDS + 1))
    assert sorted(b["hold_rank"] for b in results.bodies) == ranks  # each answer tells its own rank
