"""The audit log in words: sentences per action (registered by the apps), readable values, names for ids
read in one query, and the History page that shows them."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.core import audit, history
from backline.core.models import AuditEntry
from tests.pages import assert_constant_queries, url

pytestmark = pytest.mark.django_db


def entry(action, *, actor=None, obj, before=None, after=None):
    return audit.record(actor=actor, action=action, obj=obj, before=before, after=after, workspace_id=None)


def test_a_registered_action_reads_as_a_sentence_with_who_did_it(user):
    [row] = history.describe([entry("outbound_email.follow_up_drafted", actor=user, obj=user)])
    assert row.sentence == f"{user.display_name} drafted a follow-up email: {user.display_name}"


def test_a_change_nobody_made_is_backlines(user):
    [row] = history.describe([entry("booking.hold_expired", obj=user)])
    assert row.sentence.startswith("The hold on") and "ran out" in row.sentence
    [row] = history.describe([entry("email_template.seeded", obj=user)])
    assert row.sentence.startswith("Backline added")


def test_an_unregistered_action_still_reads_as_words_never_as_its_code(user):
    [row] = history.describe([entry("outbound_email.follow_up_postponed", actor=user, obj=user)])
    assert row.sentence == f"Follow-up postponed: {user.display_name}"
    assert "outbound_email" not in row.sentence and "_" not in row.sentence


def test_every_action_the_code_records_is_registered():
    """Each audit action written anywhere in backline/ has a sentence (found by the literal in the source)."""
    import pathlib
    import re

    root = pathlib.Path(history.__file__).resolve().parents[1]
    prefixes = {code.split(".")[0] for code in history.action_codes()}
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            if re.search(r"action|_record\(|_close\(|_move\(", line):
                written |= {c for c in re.findall(r'"([a-z_]+\.[a-z_]+)"', line) if c.split(".")[0] in prefixes}
    written |= {"thread.direct_started", "thread.booking_started", "thread.support_started", "thread.email_started"}
    assert written - history.action_codes() == set()


def test_values_read_as_people_write_them():
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert history.format_value("starts_at", "2027-07-07T18:00:00+00:00") == "Wed 7 Jul 2027, 20:00"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert history.format_value("starts_at", "2027-07-07T18:00:00+00:00") == "Wed 7 Jul 2027, 14:00"
    assert history.format_value("date_from", "2027-02-13") == "Sat 13 Feb 2027"
    assert history.format_value("start_time", "18:00:00") == "18:00"
    assert history.format_value("tags", ",agent,germany,indie,") == "agent, germany, indie"
    assert history.format_value("genres", ["jazz", "soul"]) == "jazz, soul"
    assert history.format_value("is_optional", False) == "No"
    assert history.format_value("status", "hold") == "Hold"
    assert history.format_value("status", "offer") == "Offer out"
    assert history.format_value("source", "walk_in") == "In person"
    assert history.format_value("something_new", "some_machine_value") == "Some machine value"
    assert history.format_value("hold_rank", 1) == "1st hold"
    assert history.format_value("rrule", "FREQ=WEEKLY;BYDAY=MO,TU") == "Every Monday and Tuesday"
    assert history.format_value("notes", "") is None
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert history.format_value("options", [["2026-12-14T18:00:00+00:00", "2026-12-14T21:00:00+00:00"]]) \
            == "Mon 14 Dec 2026, 19:00–22:00"


def test_field_labels_are_words():
    assert history.label("starts_at") == "Starts"
    assert history.label("hold_expires_at") == "Hold runs out"
    assert history.label("brand_new_field") == "Brand new field"
    assert history.label("venue_id") == "Venue"


def test_ids_of_people_workspaces_and_more_become_names_in_one_query(make_team, user):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    member = people[Role.MEMBER]
    rows = [entry("performer.linked", actor=user, obj=user, before={"user": None}, after={"user": member.pk}),
            entry("thread.direct_started", actor=user, obj=user, after={"parties": [workspace.pk], "subject": "Hi"}),
            entry("commitment.created", actor=user, obj=user, after={"user": people[Role.VIEWER].pk})]
    entries = list(AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).select_related("actor").order_by("pk"))
    with CaptureQueriesContext(connection) as ctx:
        described = history.describe(entries)
    assert len(ctx) == 1  # people and workspaces together, one UNION ALL
    assert [(c.label, c.before, c.after) for c in described[0].changes] == [("Person", None, member.display_name)]
    assert ("Taking part", None, "The Owls") in [(c.label, c.before, c.after) for c in described[1].changes]
    assert described[2].changes[0].after == people[Role.VIEWER].display_name


def test_an_id_whose_row_is_gone_does_not_show_the_number(user):
    [row] = history.describe([entry("performer.linked", actor=user, obj=user, after={"user": 987654})])
    assert row.changes[0].after == "someone or something since removed"


def test_hidden_fields_are_not_listed(user):
    [row] = history.describe([entry("venue.created", actor=user, obj=user,
                                    after={"name": "Room", "latitude": 52.5, "geoname_id": 2950159})])
    assert [c.label for c in row.changes] == ["Name"]


def test_a_time_zone_is_listed_only_when_it_changed_and_then_in_words(user):
    created, moved = history.describe([
        entry("venue.created", actor=user, obj=user, after={"name": "Room", "time_zone": "Europe/Berlin"}),
        entry("venue.updated", actor=user, obj=user, before={"time_zone": "Europe/Berlin"},
              after={"time_zone": "Europe/Lisbon"})])
    assert [c.label for c in created.changes] == ["Name"]  # the clock recorded beside it is no news
    assert [(c.label, c.before, c.after) for c in moved.changes] == [("Time zone", "Berlin time", "Lisbon time")]


def test_a_new_workspace_history_has_no_time_zone_row(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    page = login_client(people[Role.OWNER]).get(url(workspace, "history/")).content.decode()
    assert "created the workspace" in page
    assert "Europe/Berlin" not in page and "Time zone" not in page


def test_the_history_page_shows_sentences_names_and_dates_not_codes(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    owner, member = people[Role.OWNER], people[Role.MEMBER]
    audit.record(actor=owner, action="commitment.created", obj=owner, workspace_id=workspace.pk,
                 after={"user": member.pk, "starts_at": "2027-07-07T18:00:00+00:00", "tags": ",agent,indie,"})
    audit.record(actor=owner, action="outbound_email.follow_up_drafted", obj=owner, workspace_id=workspace.pk,
                 after={"follow_up_of": 1})
    owner.time_zone = "Europe/Berlin"
    owner.save()
    page = login_client(owner).get(url(workspace, "history/")).content.decode()
    assert f"{owner.display_name} added a commitment" in page
    assert f"{owner.display_name} drafted a follow-up email" in page
    assert "Wed 7 Jul 2027, 20:00" in page and "agent, indie" in page and member.display_name in page
    for machine in ("commitment.created", "outbound_email.follow_up_drafted", "2027-07-07T18:00", ",agent,"):
        assert machine not in page


def test_history_queries_stay_constant_with_names_of_many_kinds(make_team, login_client, django_assert_max_num_queries):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    owner = people[Role.OWNER]

    def add_rows(people=people.values()):
        for i, person in enumerate(people):
            audit.record(actor=owner, action="commitment.created", obj=owner, workspace_id=workspace.pk,
                         after={"user": person.pk, "parties": [workspace.pk], "thread": i, "booking": i,
                                "template": i, "follow_up_of": i, "contact": i, "participants": [i]})

    add_rows([owner])  # names to read from the start: the page's one query for them is counted in both
    # (+1: the notification bell) the names of every kind cost one query, the count of pages none
    assert_constant_queries(login_client(owner), {url(workspace, "history/"): 5}, add_rows,
                            django_assert_max_num_queries)


def test_history_pages_newer_and_older_without_counting(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    owner = people[Role.OWNER]
    for i in range(60):
        audit.record(actor=owner, action="contact.created", obj=owner, workspace_id=workspace.pk, after={"n": i})
    client = login_client(owner)
    first = client.get(url(workspace, "history/")).content.decode()
    assert first.count('data-testid="history-entry"') == 50 and ">Older<" in first and ">Newer<" not in first
    second = client.get(url(workspace, "history/?page=2")).content.decode()
    assert ">Newer<" in second and ">Older<" not in second and second.count('data-testid="history-entry"') > 10
    for odd in ("x", "-3", "99999999999999999999999"):
        assert client.get(url(workspace, f"history/?page={odd}")).status_code == 200


def test_the_history_of_one_object_is_titled_with_its_kind_in_words(make_team, login_client):
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    owner = people[Role.OWNER]
    page = login_client(owner).get(url(workspace, f"history/?object_type=workspace&object_id={workspace.pk}"))
    assert "Every change to this workspace." in page.content.decode()


def test_dates_in_the_house_format():
    assert history.format_value("ends_on", dt.date(2027, 6, 30).isoformat()) == "Wed 30 Jun 2027"
