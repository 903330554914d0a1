"""A band finds a date, in a real Chromium: a member marks herself free in her calendar, the band's
admin sees the green zone grow, opens a date poll, the member answers (pre-filled from her calendar),
and the admin turns the slot into a rehearsal that lands in both their calendars."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role
from backline.artists.services import act_create
from backline.core.places import find_city
from backline.scheduling.models import ActEvent, AvailabilityBlock, Commitment
from backline.scheduling.services import availability
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def band(site):
    admin = UserFactory(email="ada.admin@example.org", name="Ada Admin")
    member = UserFactory(email="ines.bass@example.org", name="Ines Bass")
    act = act_create(actor=admin, name="The Green Zones", geoname_id=find_city("Berlin", "DE").geoname_id)
    invitation = accounts.invitation_create(actor=admin, workspace_id=act.workspace.pk, email=member.email, role=Role.MEMBER)
    accounts.invitation_accept(user=member, token=invitation.token)
    # The admin is free every evening; the member has said nothing yet (unknown is never free).
    availability.availability_rule_create(actor=admin, state="free", starts_on=dt.date.today() - dt.timedelta(days=1),
                                          start_time=dt.time(18), end_time=dt.time(23), rrule="FREQ=DAILY")
    return act.workspace, admin, member


def day_cell(page, day: dt.date):
    return page.locator(f"td.fc-daygrid-day[data-date='{day.isoformat()}']").first


def drag(page, start, end) -> None:
    a, b = start.bounding_box(), end.bounding_box()
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    page.mouse.up()


def test_a_member_marks_free_time_and_the_admin_turns_a_poll_into_a_rehearsal(open_browser, site, band):
    workspace, admin, member = band
    today = dt.datetime.now(BERLIN).date()
    first, last = today + dt.timedelta(days=2), today + dt.timedelta(days=4)
    schedule = f"/w/{workspace.slug}/schedule/"

    # The admin's schedule: nobody is all free yet.
    boss = open_browser()
    log_in(boss, admin.email, PASSWORD)
    boss.page.goto(schedule)
    expect(boss.page.get_by_test_id("green-dates")).to_contain_text("No evening when everyone is free yet")
    expect(boss.page.locator(".fc-daygrid-day").first).to_be_visible()
    boss.assert_styled()
    boss.shot("schedule-before")

    # The member drags across three days of her month view and marks them free.
    bass = open_browser()
    log_in(bass, member.email, PASSWORD)
    page = bass.page
    page.goto("/me/availability/")
    page.get_by_role("button", name="Month").click()
    expect(day_cell(page, first)).to_be_visible()
    drag(page, day_cell(page, first), day_cell(page, last))
    modal = page.locator("#availability-modal")
    expect(modal).to_be_visible()
    modal.get_by_label("Note (only you see it)").fill("Holiday at home")
    bass.shot("mark-free")
    modal.get_by_test_id("save-block").click()
    expect(modal).to_be_hidden()
    expect(page.locator(".bl-block.bl-free").first).to_be_visible()
    bass.shot("marked-free")
    # Clicking the block opens it again, to change or delete it.
    page.locator(".bl-block.bl-free").first.click()
    expect(modal).to_be_visible()
    expect(modal.get_by_label("Note (only you see it)")).to_have_value("Holiday at home")
    expect(modal.get_by_role("button", name="Delete")).to_be_visible()
    modal.get_by_role("button", name="Close").click()
    expect(modal).to_be_hidden()
    block = AvailabilityBlock.objects.get(user=member)
    assert (block.state, block.all_day) == ("free", True)
    assert block.starts_at == dt.datetime.combine(first, dt.time(0), tzinfo=BERLIN)
    assert block.ends_at == dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=BERLIN)

    # The admin sees those evenings turn green, in the list and in the calendar.
    boss.page.reload()
    dates = boss.page.get_by_test_id("green-dates")
    for day in (first, first + dt.timedelta(days=1), last):
        expect(dates).to_contain_text(f"{day.day} {day.strftime('%b')}, 18:00–23:00")
    expect(boss.page.locator(f".fc-daygrid-day[data-date='{first.isoformat()}'] .bl-zone-day")).to_have_count(1)
    boss.shot("schedule-green")

    # A date poll for one of them.
    boss.page.get_by_role("link", name="Date poll").click()
    boss.page.get_by_label("Title").fill("Rehearsal before the gig")
    boss.page.get_by_label("Slots").fill(f"{first + dt.timedelta(days=1):%Y-%m-%d} 19:00-22:00")
    boss.page.get_by_role("button", name="Open poll").click()
    expect(boss.page.get_by_test_id("poll-status")).to_have_text("Open")
    poll_url = boss.page.url

    # The member's answer is pre-filled "yes" from her calendar; she saves it.
    page.goto(poll_url)
    answer = page.locator("select[name^=option-]")
    expect(answer).to_have_value("yes")
    expect(page.get_by_text("suggested from your calendar")).to_be_visible()
    bass.shot("poll-answer")
    page.get_by_test_id("save-answers").click()
    expect(page.locator("#messages")).to_contain_text("your answers are saved")

    # The admin makes it an event; it is in both calendars.
    boss.page.reload()
    expect(boss.page.get_by_test_id("poll-table")).to_contain_text("1 / 0")
    boss.page.get_by_role("button", name="Make it an event").click()
    expect(boss.page.get_by_role("heading", name="Rehearsal before the gig")).to_be_visible()
    boss.shot("event")
    event = ActEvent.objects.get(title="Rehearsal before the gig")
    assert set(Commitment.objects.filter(source_id=event.pk).values_list("user_id", flat=True)) == {admin.pk, member.pk}
    page.goto("/me/availability/")
    page.get_by_role("button", name="Month").click()
    if event.starts_at.astimezone(BERLIN).month != today.month:
        page.locator(".fc-next-button").click()
    expect(page.locator(".bl-commitment").first).to_be_visible()
    assert_clean(boss)
    assert_clean(bass)

    # On a phone the availability calendar is a list of the month, still readable.
    phone = open_browser(viewport=PHONE)
    log_in(phone, member.email, PASSWORD)
    phone.page.goto("/me/availability/")
    expect(phone.page.locator(".fc-list")).to_be_visible()
    if event.starts_at.astimezone(BERLIN).month != today.month:
        phone.page.locator(".fc-next-button").click()
    expect(phone.page.get_by_text("Rehearsal before the gig").first).to_be_visible()
    expect(phone.page.locator(".fc-list-event", has_text="Holiday at home").first).to_contain_text("all-day")
    assert phone.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.shot("phone-availability")
