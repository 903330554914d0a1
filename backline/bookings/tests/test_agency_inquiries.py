"""An agency asks a venue for a date on behalf of an act it represents: who may, what the venue, the act
and the agency then see, refusals (no representation, ended representation, roles), and the same
through the API and the web form."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.artists import representations as reps
from backline.bookings import selectors, services
from backline.bookings.models import Status
from backline.bookings.permissions import access_booking
from backline.core.errors import Conflict, Forbidden, NotFound
from backline.core.models import AuditEntry
from backline.core.timeutil import zone
from backline.notifications.models import Notification
from backline.venues.models import Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_team):
    venue_ws, venue = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    agency_ws, agency = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    rival_ws, rival = make_team(WorkspaceKind.AGENCY, name="Other Agency")
    rep = reps.representation_invite(actor=band[Role.OWNER], act_workspace_id=act_ws.pk, agency_workspace_id=agency_ws.pk)
    rep = reps.representation_accept(actor=agency[Role.OWNER], workspace_id=agency_ws.pk, representation_id=rep.pk)
    return {"venue_ws": venue_ws, "venue_obj": Venue.objects.get(workspace=venue_ws), "venue": venue,
            "agency_ws": agency_ws, "agency": agency, "act_ws": act_ws, "band": band, "rival_ws": rival_ws,
            "rival": rival, "rep": rep}


def in_days(days: int) -> dt.date:
    return timezone.localdate(timezone=zone("Europe/Berlin")) + dt.timedelta(days=days)


def ask(w, role=Role.COORDINATOR, *, agency_ws=None, actor=None, **kw):
    args = {"venue_id": w["venue_obj"].pk, "date_from": in_days(30)} | kw
    return services.inquiry_request(actor=actor or w["agency"][role], agency_workspace_id=(agency_ws or w["agency_ws"]).pk,
                                    act_workspace_id=w["act_ws"].pk, **args)


def test_the_agency_asks_for_the_act_and_venue_act_and_agency_all_see_it(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = ask(w, message="Booking for The Owls: 75 minutes, indie folk.")
    assert (booking.workspace, booking.act, booking.asked_by_workspace, booking.status) == (
        w["venue_ws"], w["act_ws"].act, w["agency_ws"], Status.INQUIRY)
    assert booking.act_asked
    assert access_booking(user=w["venue"][Role.MEMBER], booking_id=booking.pk).side == "buyer"
    assert access_booking(user=w["band"][Role.VIEWER], booking_id=booking.pk).side == "act"
    assert access_booking(user=w["agency"][Role.VIEWER], booking_id=booking.pk).side == "act"
    for user in (w["venue"][Role.MEMBER], w["band"][Role.VIEWER], w["agency"][Role.VIEWER]):
        assert booking in selectors.bookings_for(user, status=[Status.INQUIRY])
    with pytest.raises(NotFound):  # another agency: 404
        access_booking(user=w["rival"][Role.OWNER], booking_id=booking.pk)
    assert booking not in selectors.bookings_for(w["rival"][Role.OWNER])
    told = Notification.objects.filter(type="inquiry").first()
    assert told.title.startswith("The Owls (via Silver Lining) asks for a date at Lantern Hall")
    assert set(AuditEntry.objects.filter(action="booking.inquiry_sent").values_list("workspace_id", flat=True)) == {
        w["venue_ws"].pk, w["act_ws"].pk, w["agency_ws"].pk}


def test_the_agency_reads_but_the_act_answers(w):
    booking = ask(w)
    with pytest.raises(Forbidden):
        access_booking(user=w["agency"][Role.OWNER], booking_id=booking.pk, capability="bookings.manage")
    assert access_booking(user=w["band"][Role.OWNER], booking_id=booking.pk, capability="bookings.manage")


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.COORDINATOR])
def test_bookers_of_the_agency_may_ask(w, role):
    assert ask(w, role).asked_by_workspace == w["agency_ws"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER, Role.PERFORMER])
def test_other_roles_may_not(w, role):
    with pytest.raises(Forbidden):
        ask(w, role)


def test_an_act_it_does_not_represent_is_404(w):
    with pytest.raises(NotFound):
        ask(w, agency_ws=w["rival_ws"], actor=w["rival"][Role.OWNER])
    pending = reps.representation_request(actor=w["rival"][Role.OWNER], agency_workspace_id=w["rival_ws"].pk,
                                          act_workspace_id=w["act_ws"].pk)
    assert pending.status == "requested"
    with pytest.raises(NotFound):  # asked, not granted
        ask(w, agency_ws=w["rival_ws"], actor=w["rival"][Role.OWNER])
    with pytest.raises(NotFound):  # a venue is not an agency
        services.inquiry_request(actor=w["venue"][Role.OWNER], agency_workspace_id=w["venue_ws"].pk,
                                 act_workspace_id=w["act_ws"].pk, venue_id=w["venue_obj"].pk, date_from=in_days(30))


def test_asking_twice_for_the_same_dates_is_a_conflict_shared_with_the_act(w):
    ask(w)
    with pytest.raises(Conflict) as exc:
        services.inquiry_request(actor=w["band"][Role.OWNER], act_workspace_id=w["act_ws"].pk,
                                 venue_id=w["venue_obj"].pk, date_from=in_days(30))
    assert exc.value.code == "inquiry_exists"


def test_ending_the_representation_stops_new_asks_and_the_agencys_view(w):
    booking = ask(w)
    reps.representation_end(actor=w["band"][Role.ADMIN], workspace_id=w["act_ws"].pk, representation_id=w["rep"].pk)
    with pytest.raises(NotFound):
        ask(w, date_from=in_days(40))
    # What was sent stays with the act and the venue; the agency no longer sees the act's affairs.
    assert access_booking(user=w["band"][Role.VIEWER], booking_id=booking.pk).side == "act"
    assert access_booking(user=w["venue"][Role.VIEWER], booking_id=booking.pk).side == "buyer"
    with pytest.raises(NotFound):
        access_booking(user=w["agency"][Role.OWNER], booking_id=booking.pk)
    assert booking not in selectors.bookings_for(w["agency"][Role.OWNER])


def test_the_api_asks_on_behalf(w):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(w['agency'][Role.COORDINATOR])[0]}")
    url = f"/api/v1/agencies/{w['agency_ws'].pk}/acts/{w['act_ws'].pk}/inquiries"
    body = {"venue_id": w["venue_obj"].pk, "date_from": in_days(30).isoformat(), "budget": "700"}
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "inquiry"
    other = f"/api/v1/agencies/{w['agency_ws'].pk}/acts/{w['venue_ws'].pk}/inquiries"
    assert client.post(other, body, content_type="application/json").status_code == 404
    past = client.post(url, body | {"date_from": in_days(-3).isoformat()}, content_type="application/json")
    assert past.status_code == 422 and "date_from" in str(past.json())


def test_the_web_form_asks_and_the_venue_board_names_the_agency(w):
    agency = Client()
    agency.force_login(w["agency"][Role.COORDINATOR])
    url = f"/w/{w['agency_ws'].slug}/bookings/ask/"
    page = agency.get(url, {"venue": w["venue_obj"].pk})
    assert page.status_code == 200 and "The Owls" in page.content.decode()
    r = agency.post(url, {"act": w["act_ws"].pk, "to": f"v{w['venue_obj'].pk}", "date_from": in_days(30).isoformat(),
                          "currency": "EUR", "message": "A Friday would suit them."})
    assert r.status_code == 302, r.content.decode()[:2000]
    venue = Client()
    venue.force_login(w["venue"][Role.MEMBER])
    board = venue.get(f"/w/{w['venue_ws'].slug}/bookings/").content.decode()
    assert "The Owls" in board and "asked via Silver Lining" in board
    detail = agency.get(r["Location"]).content.decode()
    assert "The Owls via Silver Lining" in detail


def test_a_venue_found_in_search_offers_the_agencys_bookers_an_ask_for_their_acts(w):
    from backline.search.selectors import search

    [hit] = search(w["agency"][Role.COORDINATOR], "Lantern", type="venues")["venues"]
    label, url = hit.action
    assert (label, url) == ("Ask for a date", f"/w/{w['agency_ws'].slug}/bookings/ask/?venue={w['venue_obj'].pk}")
    [hit] = search(w["agency"][Role.VIEWER], "Lantern", type="venues")["venues"]
    assert hit.action is None


def test_the_asking_agency_sees_who_answers_and_may_withdraw_its_inquiry_as_the_act_may(w):
    booking = ask(w)
    coordinator = Client()
    coordinator.force_login(w["agency"][Role.COORDINATOR])
    page = coordinator.get(f"/w/{w['agency_ws'].slug}/bookings/{booking.pk}/").content.decode()
    card = page.split('data-testid="on-behalf-actions"')[1].split("</form>")[0]
    assert "Lantern Hall answers; The Owls accept or decline offers." in card
    assert "Withdraw the inquiry" in card
    viewer = Client()
    viewer.force_login(w["agency"][Role.VIEWER])
    seen = viewer.get(f"/w/{w['agency_ws'].slug}/bookings/{booking.pk}/").content.decode()
    assert "Lantern Hall answers" in seen and 'data-testid="withdraw-asked"' not in seen  # reads, may not withdraw
    done = coordinator.post(f"/w/{w['agency_ws'].slug}/bookings/{booking.pk}/cancel/", {"reason": "The act is away"})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.close_reason) == (Status.CANCELLED, "The act is away")
    assert AuditEntry.objects.filter(action="booking.cancelled", actor=w["agency"][Role.COORDINATOR]).exists()


def test_once_the_venue_takes_it_on_the_asking_agency_no_longer_withdraws(w):
    booking = ask(w)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    services.hold_place(actor=w["venue"][Role.OWNER], booking_id=booking.pk, starts_at=start,
                        ends_at=start + dt.timedelta(hours=2))
    with pytest.raises(Forbidden):
        services.booking_cancel(actor=w["agency"][Role.OWNER], booking_id=booking.pk, reason="changed our mind")
    with pytest.raises(Forbidden):  # its members without bookings.manage, never
        services.booking_cancel(actor=w["agency"][Role.VIEWER], booking_id=ask(w, date_from=in_days(50)).pk,
                                reason="no")
    booking.refresh_from_db()
    assert booking.status == Status.HOLD
    page = Client()
    page.force_login(w["agency"][Role.OWNER])
    html = page.get(f"/w/{w['agency_ws'].slug}/bookings/{booking.pk}/").content.decode()
    assert "Lantern Hall answers" in html and 'data-testid="withdraw-asked"' not in html
