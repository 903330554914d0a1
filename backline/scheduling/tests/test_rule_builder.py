"""The repeat builder on My availability: plain choices become the RRULE on the server, the page says
every pattern in words, and a rule the builder cannot show opens under "Advanced"."""

import datetime as dt

import pytest
from django.urls import reverse

from backline.scheduling.forms import RuleForm, builder_of, compose_rrule
from backline.scheduling.models import AvailabilityRule
from backline.scheduling.services import availability

pytestmark = pytest.mark.django_db

BASE = {"state": "free", "start_time": "18:00", "end_time": "23:30", "starts_on": "2027-03-01"}


@pytest.mark.parametrize(("choices", "rule"), [
    ({"repeat": "weekly", "days": ["TU", "MO"]}, "FREQ=WEEKLY;BYDAY=MO,TU"),
    ({"repeat": "weekly", "interval": 2, "days": ["FR"]}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ({"repeat": "daily"}, "FREQ=DAILY"),
    ({"repeat": "daily", "days": ["MO"]}, "FREQ=DAILY"),  # weekdays only for weekly patterns
    ({"repeat": "monthly", "interval": 3}, "FREQ=MONTHLY;INTERVAL=3"),
    ({"repeat": "weekly", "days": ["SA"], "count": 10}, "FREQ=WEEKLY;BYDAY=SA;COUNT=10"),
])
def test_choices_compose_the_rule_and_read_back(choices, rule):
    assert compose_rrule(**choices) == rule
    back = builder_of(rule)
    assert back["repeat"] == choices["repeat"] and back["interval"] == choices.get("interval", 1)


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=1SA", "FREQ=YEARLY", "FREQ=WEEKLY;BYMONTH=6",
                                  "RRULE:FREQ=WEEKLY\nEXDATE:20270101", "FREQ=DAILY;BYDAY=MO", "FREQ=WEEKLY;INTERVAL=500",
                                  "garbage"])
def test_a_rule_with_more_than_the_builder_shows_is_advanced(rule):
    assert builder_of(rule) is None


def post(client, **fields):
    return client.post(reverse("availability_rule_new"), {**BASE, **fields})


def test_every_other_friday_until_a_date(user, login_client):
    response = post(login_client(user), repeat="weekly", interval="2", days=["FR"], ends="on", ends_on="2027-06-30")
    assert response.status_code == 302, response.content
    rule = AvailabilityRule.objects.get(user=user)
    assert (rule.rrule, rule.ends_on) == ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", dt.date(2027, 6, 30))
    page = login_client(user).get(reverse("availability")).content.decode()
    assert "Every other Friday, 18:00–23:30, until 30 June 2027" in page
    assert "FREQ=" not in page


def test_a_number_of_times(user, login_client):
    assert post(login_client(user), repeat="weekly", days=["SA"], ends="after", count="6",
                ends_on="2027-12-31").status_code == 302
    rule = AvailabilityRule.objects.get(user=user)
    assert (rule.rrule, rule.ends_on) == ("FREQ=WEEKLY;BYDAY=SA;COUNT=6", None)  # the date is for "on a date" only


def test_a_number_typed_while_never_is_still_chosen_means_after_that_many_times(user, login_client):
    # "Never" is preselected; typing 10 in "After … times" is the person's choice of an end.
    assert post(login_client(user), repeat="weekly", days=["SA"], ends="never", count="10").status_code == 302
    rule = AvailabilityRule.objects.get(user=user)
    assert (rule.rrule, rule.ends_on) == ("FREQ=WEEKLY;BYDAY=SA;COUNT=10", None)
    assert "10 times" in login_client(user).get(reverse("availability")).content.decode()


def test_a_number_of_times_reads_back_in_the_summary_even_with_never_still_chosen(user, login_client):
    html = login_client(user).get(reverse("availability_rule_summary"), {**BASE, "repeat": "weekly", "days": ["SA"],
                                                                           "ends": "never", "count": "10"},
                                  HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rule-summary").content.decode()
    assert "10 times" in html


def test_never_ending_and_every_day(user, login_client):
    assert post(login_client(user), repeat="daily", ends="never", ends_on="2027-12-31").status_code == 302
    rule = AvailabilityRule.objects.get(user=user)
    assert (rule.rrule, rule.ends_on) == ("FREQ=DAILY", None)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"ends": "on"}, "ends_on", "Choose the last day"),
    ({"ends": "after"}, "count", "Say how many times"),
    ({"ends": "after", "count": "0"}, "count", "greater than or equal to 1"),
    ({"interval": "0"}, "interval", "greater than or equal to 1"),
])
def test_a_half_filled_builder_is_refused_beside_the_field(user, login_client, fields, field, message):
    response = post(login_client(user), repeat="weekly", days=["MO"], **fields)
    assert response.status_code == 422 and not AvailabilityRule.objects.exists()
    assert message in response.content.decode()


def test_the_advanced_rule_replaces_the_choices(user, login_client):
    response = post(login_client(user), repeat="weekly", days=["MO"], rrule="FREQ=MONTHLY;BYDAY=1SA")
    assert response.status_code == 302
    assert AvailabilityRule.objects.get(user=user).rrule == "FREQ=MONTHLY;BYDAY=1SA"
    page = login_client(user).get(reverse("availability")).content.decode()
    assert "Every month on the first Saturday" in page


def test_a_bad_advanced_rule_is_refused_and_the_advanced_part_stays_open(user, login_client):
    response = post(login_client(user), repeat="weekly", rrule="FREQ=SOMETIMES")
    assert response.status_code == 422 and not AvailabilityRule.objects.exists()
    assert '<details class="mb-3" open data-testid="rule-advanced">' in response.content.decode()


def test_a_rule_the_builder_can_show_opens_in_the_builder(user, login_client):
    rule = availability.availability_rule_create(actor=user, state="free", start_time=dt.time(18), end_time=dt.time(23),
                                                 rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", starts_on=dt.date(2027, 3, 5))
    page = login_client(user).get(reverse("availability_rule_edit", args=[rule.pk])).content.decode()
    assert "Now: Every other Friday, 18:00–23:00." in page
    assert '<details class="mb-3" data-testid="rule-advanced">' in page  # closed
    initial = RuleForm.initial_for(rule)
    assert (initial["repeat"], initial["interval"], initial["days"], initial["rrule"]) == ("weekly", 2, ["FR"], "")


def test_a_rule_with_more_opens_in_advanced_and_still_reads_as_words(user, login_client):
    rule = availability.availability_rule_create(actor=user, state="busy", start_time=dt.time(10), end_time=dt.time(14),
                                                 rrule="FREQ=MONTHLY;BYDAY=1SA", starts_on=dt.date(2027, 3, 6))
    client = login_client(user)
    page = client.get(reverse("availability_rule_edit", args=[rule.pk])).content.decode()
    assert "Now: Every month on the first Saturday, 10:00–14:00." in page
    assert '<details class="mb-3" open data-testid="rule-advanced">' in page
    # saving the page as it is keeps the rule
    form = {**BASE, "state": "busy", "start_time": "10:00", "end_time": "14:00", "starts_on": "2027-03-06",
            "repeat": "weekly", "interval": "1", "ends": "never", "rrule": rule.rrule}
    assert client.post(reverse("availability_rule_edit", args=[rule.pk]), form).status_code == 302
    assert AvailabilityRule.objects.get(pk=rule.pk).rrule == "FREQ=MONTHLY;BYDAY=1SA"


def test_a_pattern_in_the_viewers_zone_does_not_name_it(user, login_client):
    availability.availability_rule_create(actor=user, state="free", start_time=dt.time(18), end_time=dt.time(23),
                                          rrule="FREQ=DAILY", starts_on=dt.date(2027, 3, 5))
    page = login_client(user).get(reverse("availability")).content.decode()
    row = page[page.index('data-testid="patterns"'):page.index("Add a pattern")]
    assert user.time_zone not in row and "Berlin time" not in row


def test_an_unlabelled_pattern_is_named_in_words_in_the_history(user):
    from backline.core.models import AuditEntry

    availability.availability_rule_create(actor=user, state="busy", start_time=dt.time(9), end_time=dt.time(17),
                                          rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", starts_on=dt.date(2027, 3, 1))
    entry = AuditEntry.objects.get(action="availability_rule.created")
    assert entry.object_repr == "Busy: Every weekday (Monday to Friday), 09:00–17:00"
