"""My availability in a real Chromium: a pattern past midnight reads as one evening, the repeat builder
reads the pattern back as it is filled in (the sentence comes from the server), skipped days are picked
in a date picker and shown as chips, and a phone says what works on a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from backline.scheduling.models import AvailabilityRule
from backline.scheduling.services import availability
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def member(site):
    user = UserFactory(email="nina.keys@example.org", name="Nina Keys", time_zone="Europe/Berlin")
    availability.availability_rule_create(actor=user, state="free", starts_on=dt.date.today() - dt.timedelta(days=7),
                                          start_time=dt.time(17), end_time=dt.time(1), rrule="FREQ=WEEKLY;BYDAY=FR")
    return user


def test_the_builder_reads_the_pattern_back_and_skips_picked_days(open_browser, site, member):
    until = dt.date(dt.date.today().year + 1, 6, 30)
    skipped = until - dt.timedelta(days=(until.weekday() - 1) % 7 + 7)  # a Tuesday before the end
    b = open_browser()
    log_in(b, member.email, PASSWORD)
    page = b.page
    page.goto("/me/availability/")

    # The Friday evening past midnight is one row, said as one evening.
    patterns = page.get_by_test_id("patterns")
    expect(patterns.get_by_test_id("rule-words")).to_have_count(1)
    expect(patterns).to_contain_text("Every Friday, 17:00–01:00 (next day)")
    expect(patterns).not_to_contain_text("24:00")

    form = page.get_by_test_id("rule-form")
    summary = form.get_by_test_id("rule-summary")
    form.get_by_label("Start time").fill("18:00")
    form.get_by_label("End time").fill("23:30")
    form.get_by_label("Tue").check()
    expect(summary).to_contain_text("Every Tuesday, 18:00–23:30")
    form.get_by_label("Wed").check()
    expect(summary).to_contain_text("Every Tuesday and Wednesday, 18:00–23:30")
    form.locator("input[name=ends][value=on]").check()
    form.locator("#id_ends_on").fill(until.isoformat())
    long_until = f"{until.day} {until:%B %Y}"
    expect(summary).to_contain_text(f"Every Tuesday and Wednesday, 18:00–23:30, until {long_until}")
    b.shot("summary")

    # A day to skip, from the date picker: a chip in words, and in the sentence.
    form.get_by_test_id("exdate-picker").fill(skipped.isoformat())
    form.get_by_test_id("exdate-add").click()
    short = f"{skipped:%a} {skipped.day} {skipped:%b %Y}"
    expect(form.get_by_test_id("exdate-chip")).to_have_text(short)
    expect(summary).to_contain_text(f"until {long_until}, except on {short}")
    assert AvailabilityRule.objects.filter(user=member).count() == 1  # reading back saves nothing
    b.shot("skipped-day")

    form.get_by_role("button", name="Add pattern").click()
    expect(page.get_by_text("Pattern added.")).to_be_visible()
    rule = AvailabilityRule.objects.get(user=member, start_time=dt.time(18))
    assert (rule.rrule, rule.ends_on, rule.exdates) == ("FREQ=WEEKLY;BYDAY=TU,WE", until, [skipped.isoformat()])
    row = page.locator(f"#rule-{rule.pk}")
    expect(row).to_contain_text(f"Every Tuesday and Wednesday, 18:00–23:30, until {long_until}, except on {short}")
    assert row.inner_text().count(str(until.year)) == 1 + (skipped.year == until.year)  # the end is said once
    b.shot("saved")

    # Editing: the picked day comes back as a chip, and taking it off reads back at once.
    page.goto(f"/me/availability/patterns/{rule.pk}/")
    edit = page.locator("form").filter(has=page.get_by_test_id("rule-builder"))
    expect(edit.get_by_test_id("rule-summary")).to_contain_text(f"except on {short}")
    edit.get_by_role("button", name=f"Remove {short}").click()
    expect(edit.get_by_test_id("exdate-chip")).to_have_count(0)
    expect(edit.get_by_test_id("rule-summary")).not_to_contain_text("except")
    # Only the read-back answered "not yet" (422) while the form was half filled in; nothing else failed.
    b.failed_responses = [r for r in b.failed_responses if not r.startswith("422 ") or "/patterns/summary/" not in r]
    b.console_errors = [e for e in b.console_errors if "422" not in e]
    assert_clean(b)


def test_typing_a_number_of_times_chooses_after_and_is_saved(open_browser, site, member):
    b = open_browser()
    log_in(b, member.email, PASSWORD)
    page = b.page
    page.goto("/me/availability/")
    form = page.get_by_test_id("rule-form")
    summary = form.get_by_test_id("rule-summary")
    form.get_by_label("Start time").fill("18:00")
    form.get_by_label("End time").fill("23:30")
    form.get_by_label("Sat").check()
    expect(form.locator("input[name=ends][value=never]")).to_be_checked()
    form.locator("#id_count").press_sequentially("10")
    expect(form.locator("input[name=ends][value=after]")).to_be_checked()
    expect(summary).to_contain_text("Every Saturday, 18:00–23:30, 10 times")
    b.shot("after-10-times")
    form.get_by_role("button", name="Add pattern").click()
    expect(page.get_by_text("Pattern added.")).to_be_visible()
    assert AvailabilityRule.objects.get(user=member, start_time=dt.time(18)).rrule == "FREQ=WEEKLY;BYDAY=SA;COUNT=10"

    # Choosing "Never" again empties the count, so the pattern really never ends.
    form.locator("#id_count").fill("4")
    form.locator("input[name=ends][value=never]").check()
    expect(form.locator("#id_count")).to_have_value("")


def test_a_phone_is_told_what_works_on_a_phone(open_browser, site, member):
    phone = open_browser(viewport=PHONE)
    log_in(phone, member.email, PASSWORD)
    page = phone.page
    page.goto("/me/availability/")
    how = page.get_by_test_id("availability-how")
    expect(how).to_contain_text("Tap Day")
    expect(how.get_by_text("Drag across the calendar")).to_be_hidden()
    # The list of the month: one row per Friday evening, ending the next morning.
    rows = page.locator(".fc-list-event", has_text="Free (repeats)")
    expect(rows.first).to_contain_text("17:00–01:00 (next day)")
    expect(page.locator(".fc-list-event-time", has_text="00:00")).to_have_count(0)
    phone.shot("phone")

    desktop = open_browser()
    log_in(desktop, member.email, PASSWORD)
    desktop.page.goto("/me/availability/")
    expect(desktop.page.get_by_test_id("availability-how").get_by_text("Drag across the calendar")).to_be_visible()
    expect(desktop.page.get_by_test_id("availability-how").get_by_text("Tap Day")).to_be_hidden()
    assert_clean(phone)
    assert_clean(desktop)
