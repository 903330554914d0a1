"""Ranges of days read the way people write them: the year once at the end when both days share it
("4 Apr – 4 May 2027", not "4 Apr 2027–4 May")."""

import datetime as dt

from django.template import Context, Template

from backline.core.timeutil import day_span

D = dt.date


def test_one_day_is_the_day_with_its_year():
    assert day_span(D(2027, 5, 4)) == "4 May 2027"
    assert day_span(D(2027, 5, 4), D(2027, 5, 4)) == "4 May 2027"


def test_days_of_one_month_name_the_month_and_year_once():
    assert day_span(D(2027, 5, 4), D(2027, 5, 9)) == "4–9 May 2027"


def test_months_of_one_year_write_the_year_once_at_the_end():
    assert day_span(D(2027, 4, 4), D(2027, 5, 4)) == "4 Apr – 4 May 2027"


def test_a_range_across_new_year_writes_both_years():
    assert day_span(D(2026, 12, 28), D(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"


def test_the_same_month_in_different_years_is_not_mistaken_for_one_month():
    assert day_span(D(2026, 5, 4), D(2027, 5, 9)) == "4 May 2026 – 9 May 2027"


def test_the_template_filter_shows_the_range_and_nothing_without_a_start():
    template = Template("{% load when %}[{{ a|day_span:b }}]")
    assert template.render(Context({"a": D(2027, 4, 4), "b": D(2027, 5, 4)})) == "[4 Apr – 4 May 2027]"
    assert template.render(Context({"a": D(2027, 4, 4), "b": None})) == "[4 Apr 2027]"
    assert template.render(Context({"a": None, "b": None})) == "[]"
