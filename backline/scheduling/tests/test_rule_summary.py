"""The repeat builder read back as it is filled in (``availability_rule_summary``): one sentence in the
server's words, nothing saved; choices that are not a pattern yet answer 422 with what is missing. And
the saved patterns read as people say them: an evening past midnight is one evening, the end once."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from backline.accounts.tokens import issue_access_token
from backline.core.models import AuditEntry
from backline.scheduling.forms import RuleForm
from backline.scheduling.models import AvailabilityRule
from backline.scheduling.selectors import ZoneSpan
from backline.scheduling.services import availability
from tests.pages import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("availability_rule_summary")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "rule-summary"}
CHOICES = {"state": "free", "start_time": "18:00", "end_time": "23:30", "repeat": "weekly", "interval": "1",
           "days": ["MO", "TU"], "starts_on": "2027-03-01", "ends": "on", "ends_on": "2027-06-30"}


def summary(client, htmx=True, **changes):
    return client.get(URL, {**CHOICES, **changes}, **(HTMX if htmx else {}))


def test_the_choices_read_back_as_one_sentence_and_nothing_is_saved(user, login_client):
    response = summary(login_client(user))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every Monday and Tuesday, 18:00–23:30, until 30 June 2027" in html
    assert "<html" not in html  # the partial, for htmx
    assert not AvailabilityRule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="availability_rule").exists()


def test_past_midnight_and_skipped_days_read_as_people_say_them(user, login_client):
    response = summary(login_client(user), days=["FR"], start_time="17:00", end_time="01:00",
                       exdates=["2027-12-24", "2027-12-31"], ends="never", ends_on="")
    html = response.content.decode()
    assert "Every Friday, 17:00–01:00 (next day), except on Fri 24 Dec 2027 and Fri 31 Dec 2027" in html
    # the picked days come back as chips, swapped in beside the picker
    assert 'id="exdate-chips" data-testid="exdate-chips" hx-swap-oob="true"' in html
    assert html.count('data-testid="exdate-chip"') == 2
    assert 'name="exdates" value="2027-12-24"' in html


def test_without_htmx_the_same_url_is_a_page(user, login_client):
    response = summary(login_client(user), htmx=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Your pattern in words" in html
    assert "Every Monday and Tuesday, 18:00–23:30, until 30 June 2027" in html


@pytest.mark.parametrize(("changes", "said"), [
    ({"start_time": "", "end_time": ""}, "To read your pattern back, choose a start time and an end time."),
    ({"end_time": "25:99"}, "Enter a valid time."),
    ({"ends": "after", "count": "0"}, "Number of times: Ensure this value is greater than or equal to 1."),
    ({"ends_on": ""}, "Choose the last day, or choose that the pattern never ends."),
    ({"ends_on": "2027-01-01"}, "The last day is before the first."),  # the service's own check
    ({"exdates": ["soon"]}, "“soon” is not a date: pick it in the calendar."),
    ({"rrule": "FREQ=SOMETIMES"}, "Repeat rule (iCalendar RRULE):"),
])
def test_bad_choices_say_what_is_wrong_and_save_nothing(user, login_client, changes, said):
    response = summary(login_client(user), **changes)
    assert response.status_code == 422
    html = response.content.decode()
    assert said in html
    assert 'data-testid="rule-summary-words"' not in html
    assert not AvailabilityRule.objects.exists()


def test_a_stranger_is_asked_to_log_in(client):
    response = client.get(URL, CHOICES)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_builder_asks_the_server_for_its_words(user, login_client):
    page = login_client(user).get(reverse("availability")).content.decode()
    assert f'hx-get="{URL}"' in page and 'hx-include="closest form"' in page
    assert "Drag across the calendar" in page and "Tap <strong>Day</strong>" in page  # each for its screen


def test_a_pattern_past_midnight_is_one_row_with_its_end_said_once(user, login_client):
    rule = availability.availability_rule_create(
        actor=user, state="free", start_time=dt.time(17), end_time=dt.time(1), rrule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=dt.date(2027, 3, 5), ends_on=dt.date(2027, 6, 30), exdates=["2027-04-02"])
    page = login_client(user).get(reverse("availability")).content.decode()
    row = page[page.index(f'id="rule-{rule.pk}"'):page.index("Add a pattern")]
    assert row.count('data-testid="rule-words"') == 1
    assert "Every Friday, 17:00–01:00 (next day), until 30 June 2027, except on Fri 2 Apr 2027" in row
    assert "30 Jun 2027" not in row and "24:00" not in row and "2027-04-02" not in row


def test_the_edit_page_shows_picked_days_as_chips(user, login_client):
    rule = availability.availability_rule_create(
        actor=user, state="free", start_time=dt.time(18), end_time=dt.time(23), rrule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=dt.date(2027, 3, 5), exdates=["2027-12-24"])
    page = login_client(user).get(reverse("availability_rule_edit", args=[rule.pk])).content.decode()
    assert 'aria-label="Remove Fri 24 Dec 2027"' in page and 'value="2027-12-24"' in page
    assert 'type="date"' in page[page.index('data-testid="exdate-picker"') - 200:page.index('data-testid="exdate-picker"')]


def test_picked_days_are_a_list_of_dates_read_from_several_values_or_a_comma_list():
    base = {**CHOICES, "ends": "never"}
    form = RuleForm({**base, "exdates": ["2027-12-31", "2027-12-24", "2027-12-31"]})
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["exdates"] == ["2027-12-24", "2027-12-31"]
    older = RuleForm({**base, "exdates": "2027-12-24, 2027-12-31"})
    assert older.is_valid() and older.cleaned_data["exdates"] == [dt.date(2027, 12, 24), dt.date(2027, 12, 31)]


def test_the_api_gives_the_sentence_and_the_calendar_one_evening(user):
    today = dt.date.today()
    until = today + dt.timedelta(days=60)
    availability.availability_rule_create(actor=user, state="free", start_time=dt.time(17), end_time=dt.time(1),
                                          rrule="FREQ=WEEKLY;BYDAY=FR", starts_on=today, ends_on=until)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}")
    rules = client.get("/api/v1/me/availability/rules").json()
    items = rules["items"] if isinstance(rules, dict) else rules
    assert items[0]["words"] == f"Every Friday, 17:00–01:00 (next day), until {until.day} {until:%B %Y}"
    week = {"start": f"{today + dt.timedelta(days=1)}T00:00:00Z", "end": f"{today + dt.timedelta(days=8)}T00:00:00Z"}
    found = client.get("/api/v1/me/calendar", week).json()
    evenings = [item for item in found if item["kind"] == "pattern"]
    assert len(evenings) == 1 and evenings[0]["when"] == "17:00–01:00 (next day)"


def test_a_green_span_past_midnight_knows_it_ends_the_next_day():
    evening = dt.datetime(2027, 3, 5, 18, tzinfo=dt.UTC)
    assert ZoneSpan(evening, evening + dt.timedelta(hours=7)).next_day
    assert not ZoneSpan(evening, evening + dt.timedelta(hours=6)).next_day  # ends at midnight: the same evening
    assert not ZoneSpan(evening, evening + dt.timedelta(hours=4)).next_day


def test_reading_back_costs_the_same_few_queries_however_many_patterns(user, login_client,
                                                                     django_assert_max_num_queries):
    client = login_client(user)
    url = f"{URL}?{urlencode({**CHOICES, 'exdates': ['2027-04-05', '2027-04-12']}, doseq=True)}"

    def add_rows():
        for day in range(1, 8):
            availability.availability_rule_create(actor=user, state="free", start_time=dt.time(17), end_time=dt.time(1),
                                                  rrule="FREQ=WEEKLY", starts_on=dt.date(2027, 3, day))

    # the read-back reads no pattern (its queries are the page shell's); the page lists them all at a constant cost
    assert_constant_queries(client, {url: 6, reverse("availability"): 8}, add_rows, django_assert_max_num_queries)
