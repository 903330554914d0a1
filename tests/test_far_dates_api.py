"""Issue 10, defect 4, through the API and the web forms: every date the product accepts is bounded
(one year back to ten years ahead); a date outside answers 422 naming the field, and nothing is written."""

import datetime as dt

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.bookings.models import Booking, Offer
from backline.core.models import AuditEntry
from backline.scheduling.models import ActEvent, AvailabilityBlock, AvailabilityRule, DatePoll, ShareLink
from backline.venues.models import Venue

FAR = dt.datetime(9999, 12, 31, 20, tzinfo=dt.UTC)
ELEVEN_YEARS = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=11 * 366)
LONG_AGO = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=400)


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")


def refused(response, *fields):
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    named = {e["field"] for e in response.json()["errors"]}
    assert set(fields) <= named, response.json()
    assert any("ten years ahead" in e["message"] for e in response.json()["errors"]), response.json()


def span(start: dt.datetime, hours: int = 2) -> dict:
    return {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=hours)).isoformat()}


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT, name="The Bounded Owls")


@pytest.mark.parametrize("when", [FAR, ELEVEN_YEARS, LONG_AGO], ids=["9999", "eleven-years", "400-days-ago"])
def test_act_events_blocks_and_polls_out_of_range_are_refused_and_nothing_is_written(band, when):
    workspace, people = band
    owner = api(people[Role.OWNER])
    audits = AuditEntry.objects.count()
    refused(owner.post(f"/api/v1/acts/{workspace.pk}/events", {"title": "Far", **span(when)},
                       content_type="application/json"), "starts_at", "ends_at")
    refused(owner.post("/api/v1/me/availability/blocks", {"state": "busy", **span(when)},
                       content_type="application/json"), "starts_at")
    if when > dt.datetime.now(dt.UTC):  # a poll in the past is refused for that reason already
        refused(owner.post(f"/api/v1/acts/{workspace.pk}/polls", {"title": "Far?", "options": [span(when)]},
                           content_type="application/json"), "options")
    assert not ActEvent.objects.exists() and not AvailabilityBlock.objects.exists() and not DatePoll.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_event_changes_patterns_and_share_links_out_of_range_are_refused(band):
    workspace, people = band
    owner = api(people[Role.OWNER])
    soon = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    event = owner.post(f"/api/v1/acts/{workspace.pk}/events", {"title": "Near", **span(soon)},
                       content_type="application/json").json()
    refused(owner.patch(f"/api/v1/events/{event['id']}", span(FAR), content_type="application/json"), "starts_at")
    assert ActEvent.objects.get(pk=event["id"]).starts_at == soon
    today = dt.date.today()
    refused(owner.post("/api/v1/me/availability/rules", {
        "state": "free", "starts_on": today.isoformat(), "ends_on": "9999-12-31", "start_time": "18:00",
        "end_time": "23:00", "rrule": "FREQ=WEEKLY;BYDAY=MO"}, content_type="application/json"), "ends_on")
    refused(owner.post("/api/v1/me/availability/rules", {
        "state": "free", "starts_on": today.isoformat(), "start_time": "18:00", "end_time": "23:00",
        "rrule": "FREQ=WEEKLY;BYDAY=MO", "exdates": ["9999-01-04"]}, content_type="application/json"), "exdates")
    refused(owner.post(f"/api/v1/acts/{workspace.pk}/share-links", {"starts_on": "9999-12-01", "ends_on": "9999-12-31"},
                       content_type="application/json"), "starts_on", "ends_on")
    assert not AvailabilityRule.objects.exists() and not ShareLink.objects.exists()


def test_reads_at_the_ends_of_the_calendar_answer_422_not_500(band):
    workspace, people = band
    owner = api(people[Role.OWNER])
    for url, params in (("/api/v1/me/calendar", {"start": "9999-12-01T00:00:00Z", "end": "9999-12-31T23:59:59Z"}),
                        ("/api/v1/me/free-time", {"start": "9999-12-01T00:00:00Z", "end": "9999-12-31T23:59:59Z"}),
                        (f"/api/v1/acts/{workspace.pk}/green-zone", {"start": "9999-12-01", "end": "9999-12-31"})):
        response = owner.get(url, params)
        assert response.status_code == 422, (url, response.content)
        assert {e["field"] for e in response.json()["errors"]} & {"start", "end"}


@pytest.fixture
def deal(make_team):
    venue_ws, staff = make_team(WorkspaceKind.VENUE, name="Bounded Hall")
    act_ws, _ = make_team(WorkspaceKind.ACT, name="Bounded Act")
    venue = Venue.objects.get(workspace=venue_ws)
    return venue_ws, staff, act_ws, venue


def test_inquiries_holds_and_offers_out_of_range_are_refused_and_nothing_is_written(deal):
    venue_ws, staff, act_ws, venue = deal
    buyer = api(staff[Role.OWNER])
    base = {"title": "Far show", "act_id": act_ws.act.pk, "venue_id": venue.pk}
    refused(buyer.post(f"/api/v1/workspaces/{venue_ws.pk}/inquiries", {**base, "date_from": "9999-12-31"},
                       content_type="application/json"), "date_from")
    refused(buyer.post(f"/api/v1/workspaces/{venue_ws.pk}/inquiries", {**base, **span(FAR)},
                       content_type="application/json"), "starts_at")
    assert not Booking.objects.exists()
    booking = buyer.post(f"/api/v1/workspaces/{venue_ws.pk}/inquiries", base, content_type="application/json").json()
    refused(buyer.post(f"/api/v1/bookings/{booking['id']}/hold", span(FAR), content_type="application/json"), "starts_at")
    refused(buyer.post(f"/api/v1/bookings/{booking['id']}/offers", {
        "deal_type": "guarantee", "guarantee": "500", "expires_at": FAR.isoformat(), "deposit_due": "9999-12-31"},
        content_type="application/json"), "expires_at", "deposit_due")
    stored = Booking.objects.get(pk=booking["id"])
    assert stored.status == "inquiry" and stored.starts_at is None and not Offer.objects.exists()


def test_the_web_event_form_shows_the_same_field_error(band, login_client):
    workspace, people = band
    page = login_client(people[Role.OWNER]).post(f"/w/{workspace.slug}/schedule/events/new/", {
        "title": "Far", "kind": "rehearsal", "starts_at": "9999-12-30T19:00", "ends_at": "9999-12-30T21:00"})
    assert page.status_code in (200, 422)
    assert "ten years ahead" in page.content.decode()
    assert not ActEvent.objects.exists()


@pytest.mark.parametrize("path", ["web", "api"])
def test_an_event_ending_before_it_starts_is_refused_in_words_not_by_a_constraint_name(band, login_client, path):
    """Found in the browser: the model's check constraint answered first ("Constraint … is violated")."""
    workspace, people = band
    day = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    if path == "web":
        page = login_client(people[Role.OWNER]).post(f"/w/{workspace.slug}/schedule/events/new/", {
            "title": "Backwards", "kind": "rehearsal", "starts_at": f"{day}T21:00", "ends_at": f"{day}T19:00"})
        text = page.content.decode()
    else:
        page = api(people[Role.OWNER]).post(f"/api/v1/acts/{workspace.pk}/events", {
            "title": "Backwards", "kind": "rehearsal", "starts_at": f"{day}T21:00:00+01:00",
            "ends_at": f"{day}T19:00:00+01:00"}, content_type="application/json")
        assert page.status_code == 422
        text = page.content.decode()
    assert "The end must be after the start." in text and "onstraint" not in text
    assert not ActEvent.objects.exists()


def test_a_show_long_past_can_still_be_cancelled_the_bound_is_for_new_dates(deal, make_team):
    """The bound applies to dates being given, not to a commitment's times derived from a stored show."""
    from backline.bookings import services
    from backline.scheduling.models import Commitment

    venue_ws, staff, act_ws, venue = deal
    band = {m.role: m.user for m in act_ws.memberships.select_related("user")}
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=20)).replace(microsecond=0)
    b = services.inquiry_create(actor=staff[Role.OWNER], workspace_id=venue_ws.pk, title="Old show", act_id=act_ws.act.pk,
                                venue_id=venue.pk)
    services.hold_place(actor=staff[Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    services.offer_make(actor=staff[Role.OWNER], booking_id=b.pk, deal_type="guarantee", guarantee="500")
    services.offer_accept(actor=band[Role.OWNER], booking_id=b.pk)
    Booking.objects.filter(pk=b.pk).update(starts_at=LONG_AGO, ends_at=LONG_AGO + dt.timedelta(hours=2))
    services.booking_cancel(actor=staff[Role.OWNER], booking_id=b.pk, reason="Settled out of court")
    assert Booking.objects.get(pk=b.pk).status == "cancelled"
    assert set(Commitment.objects.filter(source_type="booking").values_list("status", flat=True)) <= {"cancelled"}
