"""Dates and zones for people: errors name days as people write them, and a time names its zone only
where it is not the viewer's (``{% load when %}``)."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from backline.core.errors import Invalid
from backline.core.templatetags.when import zone_label
from backline.core.timeutil import check_planned, day_words, moment_words


def test_an_out_of_range_date_is_refused_with_days_people_read():
    with pytest.raises(Invalid) as refused:
        check_planned(today=dt.date(2026, 12, 5), starts_on=dt.date(2040, 1, 1))
    [message] = refused.value.errors["starts_on"]
    assert message.startswith("Choose a date from 4 Dec 2025 to 5 Dec 2036")
    assert "2025-12-04" not in message


def test_day_and_moment_words():
    assert day_words(dt.date(2027, 3, 1)) == "1 Mar 2027"
    at = dt.datetime(2027, 1, 16, 19, 0, tzinfo=dt.UTC)
    assert moment_words(at, zoneinfo.ZoneInfo("Europe/Berlin")) == "Sat 16 Jan 2027, 20:00"


def render(source, **context):
    return Template("{% load when %}" + source).render(Context(context))


def test_a_zone_is_named_only_where_it_is_not_the_viewers():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert render("{{ z|other_zone }}", z="Europe/Berlin") == ""
        assert render("{{ z|other_zone }}", z="America/Argentina/Buenos_Aires") == "Buenos Aires time"
        # inside {% timezone %} the viewer's own zone is given
        assert render("{{ z|other_zone:'Europe/Lisbon' }}", z="Europe/Berlin") == "Berlin time"
    assert zone_label("UTC") == "UTC"


def test_zoned_shows_a_time_at_its_own_clock_with_the_zone_when_it_differs():
    at = dt.datetime(2027, 7, 7, 18, 0, tzinfo=dt.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert render('{% zoned at "Europe/Berlin" "D j M, H:i" %}', at=at) == "Wed 7 Jul, 20:00"
        assert render('{% zoned at "Europe/London" "D j M, H:i" %}', at=at) == "Wed 7 Jul, 19:00 (London time)"
        assert render('{% zoned at %}', at=None) == ""
