"""The dashboard's chart in a real Chromium: a venue coordinator with bookings in the coming months sees
the bookings-by-stage chart drawn by ECharts (an SVG inside the chart box, from the JSON the server put
in the page), legible on a phone and a laptop, with the same numbers as a table, and no script errors.
Then the band's member opens the team channel, writes, and the message is there."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from backline.bookings import services as bookings
from tests.factories import PASSWORD

from .conftest import DESKTOP, PHONE
from .test_journey_band import assert_clean
from .test_journey_conversation import held_show as held_show  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def pipeline(held_show):
    """The conversation journey's venue and band (one held show in 30 days), with more in the pipeline."""
    venue_ws, act_ws, coordinator, drummer, booking = held_show
    booking.refresh_from_db()
    for days in (45, 80):
        more = bookings.inquiry_create(actor=coordinator, workspace_id=venue_ws.pk, title=f"Night {days}",
                                       act_id=booking.act_id, venue_id=booking.venue_id)
        start = booking.starts_at + dt.timedelta(days=days - 30)
        bookings.hold_place(actor=coordinator, booking_id=more.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    bookings.inquiry_create(actor=coordinator, workspace_id=venue_ws.pk, title="Spring festival",
                            date_from=(booking.starts_at + dt.timedelta(days=70)).date(), budget="1200")
    return venue_ws, act_ws, coordinator, drummer


def _log_in(b, email):
    page = b.page
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda u: "/accounts/login" not in u)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_dashboard_chart_renders_with_a_table_and_no_errors(open_browser, pipeline, viewport):
    venue_ws, _, coordinator, _ = pipeline
    b = open_browser(viewport)
    _log_in(b, coordinator.email)
    page = b.page
    page.goto(f"/w/{venue_ws.slug}/")
    chart = page.get_by_test_id("stages-chart")
    expect(chart.locator("svg")).to_be_attached()
    expect(chart.locator("svg text", has_text="Hold").first).to_be_attached()  # the legend, drawn by ECharts
    box = chart.bounding_box()
    assert box["width"] <= viewport["width"] and box["height"] >= 200
    svg = chart.locator("svg").bounding_box()
    assert svg["width"] <= box["width"] + 1, "the chart is wider than its box"
    page.get_by_text("The same numbers as a table").click()
    table = page.get_by_test_id("stages-table").locator("table")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 6
    expect(page.get_by_test_id("attention-panel")).to_contain_text("Spring festival")
    b.shot("dashboard")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    assert_clean(b)


def test_a_band_member_writes_in_the_team_channel(open_browser, pipeline):
    _, act_ws, _, drummer = pipeline
    b = open_browser(PHONE)
    _log_in(b, drummer.email)
    page = b.page
    page.goto(f"/w/{act_ws.slug}/inbox/internal/")
    expect(page.get_by_test_id("internal-note")).to_contain_text("It never goes out by email.")
    page.locator("textarea[name=body]").fill("Van leaves at **nine** on Friday.")
    page.get_by_test_id("composer-send").click()
    expect(page.locator("strong", has_text="nine")).to_be_visible()
    b.shot("channel")
    page.goto(f"/w/{act_ws.slug}/inbox/")
    expect(page.get_by_test_id("internal-marker").first).to_be_visible()
    assert_clean(b)
