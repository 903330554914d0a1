"""An act's schedule in a real Chromium (issue 12, item 6): the act's confirmed show is on it beside its
rehearsals; a green day's label sits at the foot of the cell, clear of the day number; a long title wraps
instead of being cut to a few letters; on a phone the month is a list with the show and the green evenings."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role
from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.core.places import find_city
from backline.scheduling.services import act_events, availability
from backline.venues.services import venue_workspace_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")
LAPTOP = {"width": 1366, "height": 900}
SHOW = "Release night with the whole string section"


@pytest.fixture
def act(site):
    """A duo free every evening, a long-titled rehearsal and a confirmed show, both within the month."""
    berlin = find_city("Berlin", "DE").geoname_id
    owner = UserFactory(email="mara@example.org", name="Mara Berg", time_zone="Europe/Berlin")
    bass = UserFactory(email="ines@example.org", name="Ines Costa", time_zone="Europe/Berlin")
    workspace = act_create(actor=owner, name="The Velvet Owls", geoname_id=berlin).workspace
    accounts.invitation_accept(user=bass, token=accounts.invitation_create(
        actor=owner, workspace_id=workspace.pk, email=bass.email, role=Role.MEMBER).token)
    for person in (owner, bass):
        availability.availability_rule_create(actor=person, state="free", starts_on=dt.date.today() - dt.timedelta(days=40),
                                              start_time=dt.time(18), end_time=dt.time(23, 30), rrule="FREQ=DAILY")
    today = dt.datetime.now(BERLIN).date()
    rehearsal_day = today + dt.timedelta(days=1)
    if (rehearsal_day + dt.timedelta(days=2)).month != rehearsal_day.month:  # both in one month
        rehearsal_day = (rehearsal_day.replace(day=1) + dt.timedelta(days=32)).replace(day=2)
    start = dt.datetime.combine(rehearsal_day, dt.time(19), tzinfo=BERLIN)
    act_events.act_event_create(actor=owner, workspace_id=workspace.pk, title="Rehearsal for the spring tour",
                                starts_at=start, ends_at=start + dt.timedelta(hours=3))
    buyer = UserFactory(email="leon@example.org", name="Leon Schmidt")
    venue = venue_workspace_create(actor=buyer, name="Lantern Hall", capacity=300, geoname_id=berlin)
    show_day = rehearsal_day + dt.timedelta(days=2)
    show = dt.datetime.combine(show_day, dt.time(21), tzinfo=BERLIN)
    booking = bookings.inquiry_create(actor=buyer, workspace_id=venue.workspace_id, title=SHOW,
                                      act_id=workspace.act.pk, venue_id=venue.pk)
    bookings.hold_place(actor=buyer, booking_id=booking.pk, starts_at=show, ends_at=show + dt.timedelta(hours=2))
    bookings.offer_make(actor=buyer, booking_id=booking.pk, deal_type="guarantee", guarantee="800")
    bookings.offer_accept(actor=owner, booking_id=booking.pk)
    return workspace, owner, today, rehearsal_day, show_day


def _month_of(page, today: dt.date, day: dt.date) -> None:
    if (day.year, day.month) != (today.year, today.month):
        page.locator(".fc-next-button").click()


def test_the_act_schedule_shows_its_show_legibly_and_lists_it_on_a_phone(open_browser, act):
    workspace, owner, today, rehearsal_day, show_day = act
    laptop = open_browser(viewport=LAPTOP)
    log_in(laptop, owner.email, PASSWORD)
    page = laptop.page
    page.goto(f"/w/{workspace.slug}/schedule/")
    _month_of(page, today, show_day)
    show = page.locator(".bl-booking", has_text="Release night")
    expect(show).to_have_count(1)
    assert "Release night with the whole string section" in show.get_attribute("title")  # the whole title
    rehearsal = page.locator(".bl-act-event", has_text="Rehearsal")
    expect(rehearsal).to_contain_text("Rehearsal for the")  # more than a few letters: the title wraps
    assert rehearsal.bounding_box()["height"] > 2 * 14  # a time line and a title line (at least)

    # A green day says so at its foot, clear of the day number.
    cell = page.locator(".fc-daygrid-day", has=page.locator(".bl-zone-day")).first
    green = cell.locator(".bl-zone-day")
    expect(green).to_contain_text("All free")
    number, label = cell.locator(".fc-daygrid-day-number").bounding_box(), green.locator(".fc-event-title").bounding_box()
    assert label["y"] >= number["y"] + number["height"], (number, label)
    expect(page.get_by_test_id("upcoming")).to_contain_text(SHOW)
    assert page.evaluate("() => document.querySelector('.fc').scrollWidth <= document.querySelector('.fc').clientWidth + 1")
    laptop.shot("act-schedule-1366")
    assert_clean(laptop)

    phone = open_browser(viewport=PHONE)
    log_in(phone, owner.email, PASSWORD)
    phone.page.goto(f"/w/{workspace.slug}/schedule/")
    expect(phone.page.locator(".fc-list")).to_be_visible()
    _month_of(phone.page, today, show_day)
    expect(phone.page.locator(".fc-list-event", has_text=SHOW)).to_have_count(1)
    expect(phone.page.locator(".fc-list-event.bl-zone-item").first).to_contain_text("Everyone free")
    assert phone.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.shot("act-schedule-phone")
    assert_clean(phone)

