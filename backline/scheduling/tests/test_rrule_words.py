"""Repeat patterns in words people use (``rrule_words.describe``), for every kind of rule we accept."""

import datetime as dt

import pytest

from backline.scheduling.rrule_words import CUSTOM, describe, short_day, times_text

T = dt.time


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=DAILY", "Every day"),
    ("FREQ=DAILY;INTERVAL=2", "Every other day"),
    ("FREQ=DAILY;INTERVAL=3", "Every 3 days"),
    ("FREQ=DAILY;BYDAY=SA,SU", "Every Saturday and Sunday"),
    ("FREQ=DAILY;BYDAY=SA,SU;INTERVAL=2", "Every other day, on Saturdays and Sundays"),
    ("FREQ=WEEKLY;BYDAY=MO,TU", "Every Monday and Tuesday"),
    ("FREQ=WEEKLY;BYDAY=TU,MO", "Every Monday and Tuesday"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "Every Monday, Wednesday and Friday"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday (Monday to Friday)"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "Every day"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "Every other Friday"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270630", "Every other Friday until 30 June 2027"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU", "Every other week on Saturday and Sunday"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE", "Every 3 weeks on Monday and Wednesday"),
    ("FREQ=WEEKLY", "Every week"),
    ("FREQ=WEEKLY;INTERVAL=2", "Every other week"),
    ("FREQ=WEEKLY;BYDAY=SA;COUNT=10", "Every Saturday, 10 times"),
    ("FREQ=WEEKLY;BYDAY=SA;COUNT=1", "Every Saturday once"),
    ("FREQ=WEEKLY;BYMONTH=6,7,8;BYDAY=SU", "Every Sunday, in June, July and August"),
    ("FREQ=MONTHLY", "Every month"),
    ("FREQ=MONTHLY;INTERVAL=2", "Every other month"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Every month on the 1st and 15th"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "Every month on the last day"),
    ("FREQ=MONTHLY;BYMONTHDAY=22", "Every month on the 22nd"),
    ("FREQ=MONTHLY;BYMONTHDAY=13", "Every month on the 13th"),
    ("FREQ=MONTHLY;BYDAY=1SA", "Every month on the first Saturday"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
    ("FREQ=MONTHLY;BYDAY=2TU,4TU", "Every month on the second Tuesday and the fourth Tuesday"),
    ("FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1", "Every month on the first Saturday"),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "Every month on the last weekday (Monday to Friday)"),
    ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO", "Every 3 months on the first Monday"),
    ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", "Every year on 24 December"),
    ("FREQ=YEARLY;BYMONTH=5;BYDAY=1MO", "Every year on the first Monday of May"),
    ("RRULE:FREQ=WEEKLY;BYDAY=TU", "Every Tuesday"),
    ("RRULE:FREQ=WEEKLY;BYDAY=TU\nEXDATE:20270105,20270112",
     "Every Tuesday, except on Tue 5 Jan 2027 and Tue 12 Jan 2027"),
    ("RRULE:FREQ=WEEKLY;BYDAY=TU\nRDATE:20270201", "Every Tuesday, and also on 1 February 2027"),
    ("RRULE:FREQ=WEEKLY;BYDAY=MO\nEXRULE:FREQ=MONTHLY;BYDAY=1MO", "Every Monday, except every month on the first Monday"),
    ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20270630T000000Z", "Every Monday until 30 June 2027"),
    ("freq=weekly;byday=mo", "Every Monday"),
])
def test_rules_read_as_words(rule, words):
    assert describe(rule) == words
    assert "FREQ" not in describe(rule)


@pytest.mark.parametrize("rule", [
    "FREQ=WEEKLY;BYWEEKNO=3", "FREQ=YEARLY;BYYEARDAY=100", "FREQ=HOURLY", "FREQ=WEEKLY;BYHOUR=3", "nonsense", "",
    "FREQ=WEEKLY;INTERVAL=0", "FREQ=WEEKLY;BYDAY=XX", "FREQ=MONTHLY;BYMONTHDAY=0", "FREQ=WEEKLY;BYDAY=1MO",
    "FREQ=WEEKLY;COUNT=x", "FREQ=WEEKLY;UNTIL=tomorrow", "FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO",
])
def test_what_cannot_be_said_is_a_custom_pattern_never_the_code(rule):
    assert describe(rule) == CUSTOM


def test_the_time_and_the_rules_own_dates_complete_the_sentence():
    assert describe("FREQ=WEEKLY;BYDAY=MO,TU", start_time=T(18), end_time=T(23, 30)) \
        == "Every Monday and Tuesday, 18:00–23:30"
    assert describe("FREQ=DAILY", start_time=T(0), end_time=T(0)) == "Every day, all day"
    assert describe("FREQ=WEEKLY;BYDAY=FR", start_time=T(22), end_time=T(2)) \
        == "Every Friday, 22:00–02:00 (next day)"
    assert describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", ends_on=dt.date(2027, 6, 30)) \
        == "Every other Friday until 30 June 2027"
    # the earlier of UNTIL and the rule's last day is the one that counts
    assert describe("FREQ=DAILY;UNTIL=20271231", ends_on=dt.date(2027, 6, 30)) == "Every day until 30 June 2027"
    assert describe("FREQ=DAILY;COUNT=5", ends_on=dt.date(2027, 6, 30)) == "Every day, 5 times at most, until 30 June 2027"


def test_a_pattern_without_a_day_takes_its_day_from_its_first_day():
    friday = dt.date(2026, 12, 4)
    assert describe("FREQ=WEEKLY", starts_on=friday) == "Every Friday"
    assert describe("FREQ=MONTHLY", starts_on=friday) == "Every month on the 4th"
    assert describe("FREQ=YEARLY", starts_on=friday) == "Every year on 4 December"


def test_a_pattern_past_midnight_is_one_evening_in_words():
    assert describe("FREQ=WEEKLY;BYDAY=FR", start_time=T(17), end_time=T(1)) == "Every Friday, 17:00–01:00 (next day)"
    # ending at midnight is the same evening, not the next day
    assert describe("FREQ=WEEKLY;BYDAY=SA", start_time=T(12), end_time=T(0)) == "Every Saturday, 12:00–00:00"
    assert times_text(T(17), T(1)) == "17:00–01:00 (next day)"
    assert times_text(T(0), T(0)) == "all day"


def test_the_sentence_says_the_end_once_and_the_times_before_it():
    words = describe("FREQ=WEEKLY;BYDAY=MO,TU", start_time=T(18), end_time=T(23, 30), ends_on=dt.date(2027, 6, 30))
    assert words == "Every Monday and Tuesday, 18:00–23:30, until 30 June 2027"
    assert words.count("2027") == 1
    # UNTIL in the rule and the rule's own last day: still said once, the earlier one
    both = describe("FREQ=WEEKLY;BYDAY=FR;UNTIL=20271231", start_time=T(17), end_time=T(1), ends_on=dt.date(2027, 6, 30))
    assert both == "Every Friday, 17:00–01:00 (next day), until 30 June 2027"
    assert describe("FREQ=WEEKLY;BYDAY=SA;COUNT=1", start_time=T(20), end_time=T(23)) == "Every Saturday, 20:00–23:00, once"


def test_skipped_days_read_as_short_dates_in_the_sentence():
    words = describe("FREQ=WEEKLY;BYDAY=FR", start_time=T(17), end_time=T(1), exdates=["2027-12-24", "2027-12-31"])
    assert words == "Every Friday, 17:00–01:00 (next day), except on Fri 24 Dec 2027 and Fri 31 Dec 2027"
    assert short_day(dt.date(2027, 12, 24)) == "Fri 24 Dec 2027"
    assert describe("FREQ=WEEKLY;BYWEEKNO=3", ends_on=dt.date(2027, 6, 30)) == f"{CUSTOM}, until 30 June 2027"


def test_a_run_of_days_reads_from_first_to_last():
    assert describe("FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA", start_time=T(17), end_time=T(1)) \
        == "Every Tuesday to Saturday, 17:00–01:00 (next day)"
    assert describe("FREQ=WEEKLY;BYDAY=MO,WE,TH") == "Every Monday, Wednesday and Thursday"  # not a run
    assert describe("FREQ=WEEKLY;BYDAY=MO,TU") == "Every Monday and Tuesday"
