"""The scheduling API: a person's availability, an act's events, green zone, polls and share links."""

import datetime as dt

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.accounts.tokens import issue_access_token
from backline.scheduling.models import AvailabilityBlock, AvailabilityRule, Commitment

PROBLEM = "application/problem+json"


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


@pytest.fixture
def band(make_team):
    return make_team(WorkspaceKind.ACT, name="The API Owls")


def problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    return response.json()


def future(days, hour):
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_a_person_keeps_patterns_and_blocks_and_sees_their_calendar(api, user):
    client = api(user)
    today = dt.date.today().isoformat()
    response = client.post("/api/v1/me/availability/rules", {
        "state": "free", "starts_on": today, "start_time": "18:00", "end_time": "23:00",
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "label": "evenings"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["time_zone"] == user.time_zone
    block = client.post("/api/v1/me/availability/blocks", {
        "state": "busy", "starts_at": future(2, 19).isoformat(), "ends_at": future(2, 21).isoformat()},
        content_type="application/json")
    assert block.status_code == 201, block.content
    items = client.get("/api/v1/me/calendar", {"start": future(0, 0).isoformat(), "end": future(7, 0).isoformat()}).json()
    kinds = {i["kind"] for i in items}
    assert kinds == {"pattern", "block"}
    free = client.get("/api/v1/me/free-time", {"start": future(2, 0).isoformat(), "end": future(3, 0).isoformat()})
    assert free.status_code == 200 and len(free.json()) >= 1
    assert client.put("/api/v1/me/schedule", {"default_state": "free"}, content_type="application/json").json() == {
        "default_state": "free", "time_zone": user.time_zone}


@pytest.mark.parametrize("body, field", [
    ({"rrule": "FREQ=NEVER"}, "rrule"),
    ({"rrule": "RRULE:FREQ=DAILY\nEXRULE:FREQ=DAILY"}, "rrule"),
    ({"time_zone": "Nowhere/Land"}, "time_zone"),
    ({"exdates": ["not-a-date"]}, "exdates"),
    ({"ends_on": "2000-01-01"}, "ends_on"),
])
def test_bad_patterns_are_422_with_the_field_named(api, user, body, field):
    payload = {"state": "free", "starts_on": dt.date.today().isoformat(), "start_time": "18:00", "end_time": "23:00",
               "rrule": "FREQ=DAILY"} | body
    problem(api(user).post("/api/v1/me/availability/rules", payload, content_type="application/json"), 422, field)
    assert not AvailabilityRule.objects.filter(user=user).exists()


def test_a_block_with_its_end_before_its_start_is_422(api, user):
    problem(api(user).post("/api/v1/me/availability/blocks", {
        "state": "busy", "starts_at": future(2, 19).isoformat(), "ends_at": future(2, 18).isoformat()},
        content_type="application/json"), 422, "ends_at")
    assert not AvailabilityBlock.objects.exists()


def test_someone_elses_block_is_404(api, user, make_user):
    block = api(user).post("/api/v1/me/availability/blocks", {
        "state": "busy", "starts_at": future(2, 19).isoformat(), "ends_at": future(2, 21).isoformat()},
        content_type="application/json").json()
    problem(api(make_user()).delete(f"/api/v1/me/availability/blocks/{block['id']}"), 404)


def test_events_green_zone_and_conflicts_through_the_api(api, band):
    workspace, people = band
    owner = api(people[Role.OWNER])
    event = owner.post(f"/api/v1/acts/{workspace.pk}/events", {
        "title": "Rehearsal", "starts_at": future(4, 18).isoformat(), "ends_at": future(4, 21).isoformat()},
        content_type="application/json")
    assert event.status_code == 201, event.content
    assert Commitment.objects.filter(source_id=event.json()["id"]).count() == len(people) - 1  # not the viewer
    problem(api(people[Role.MEMBER]).post(f"/api/v1/acts/{workspace.pk}/events", {
        "title": "x", "starts_at": future(4, 18).isoformat(), "ends_at": future(4, 21).isoformat()},
        content_type="application/json"), 403)
    conflicts = api(people[Role.VIEWER]).get(f"/api/v1/acts/{workspace.pk}/conflicts", {
        "starts_at": future(4, 20).isoformat(), "ends_at": future(4, 23).isoformat()}).json()
    assert {c["user_id"] for c in conflicts} == {p.pk for r, p in people.items() if r != Role.VIEWER}
    cancelled = owner.post(f"/api/v1/events/{event.json()['id']}/cancel", {"reason": "Venue flooded"},
                           content_type="application/json")
    assert cancelled.json()["status"] == "cancelled"
    again = problem(owner.post(f"/api/v1/events/{event.json()['id']}/cancel", {"reason": "x"},
                               content_type="application/json"), 409)
    assert again["code"] == "event_cancelled"


def test_green_zone_refuses_a_long_range_and_a_half_window(api, band):
    workspace, people = band
    client = api(people[Role.OWNER])
    problem(client.get(f"/api/v1/acts/{workspace.pk}/green-zone", {"start": "2027-01-01", "end": "2029-06-01"}), 422)
    problem(client.get(f"/api/v1/acts/{workspace.pk}/green-zone", {"start": "2027-01-01", "end": "2027-01-10",
                                                                    "window_start": "18:00"}), 422, "window_end")
    problem(client.get(f"/api/v1/acts/{workspace.pk}/green-zone", {"start": "2027-01-10", "end": "2027-01-01"}), 422)


def test_the_green_zone_endpoint_uses_constant_queries(api, band, make_user, django_assert_max_num_queries):
    workspace, people = band
    client = api(people[Role.OWNER])
    query = {"start": dt.date.today().isoformat(), "end": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
             "window_start": "18:00", "window_end": "02:00", "min_hours": 2}
    for person in people.values():
        api(person).post("/api/v1/me/availability/rules", {
            "state": "free", "starts_on": dt.date.today().isoformat(), "start_time": "18:00", "end_time": "23:00",
            "rrule": "FREQ=DAILY"}, content_type="application/json")
    with django_assert_max_num_queries(6) as few:  # the token's user, then the act and access, line-up, 3 tables
        assert client.get(f"/api/v1/acts/{workspace.pk}/green-zone", query).status_code == 200
    from backline.artists.services import act_member_add

    for n in range(6):
        act_member_add(actor=people[Role.OWNER], workspace_id=workspace.pk, name=f"Extra {n}", is_optional=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/v1/acts/{workspace.pk}/green-zone", query | {"include_optional": True})
    assert response.status_code == 200 and len(response.json()["unknown"]) == 6


def test_a_poll_through_the_api(api, band):
    workspace, people = band
    owner = api(people[Role.OWNER])
    start = future(10, 19)
    poll = owner.post(f"/api/v1/acts/{workspace.pk}/polls", {
        "title": "Rehearsal?", "options": [{"starts_at": start.isoformat(),
                                            "ends_at": (start + dt.timedelta(hours=2)).isoformat()}]},
        content_type="application/json")
    assert poll.status_code == 201, poll.content
    body = poll.json()
    option = body["options"][0]["id"]
    answered = api(people[Role.MEMBER]).put(f"/api/v1/polls/{body['id']}/answers", {
        "answers": [{"option_id": option, "answer": "yes"}]}, content_type="application/json").json()
    assert answered["options"][0]["yes"] == 1
    problem(api(people[Role.MEMBER]).put(f"/api/v1/polls/{body['id']}/answers", {
        "answers": [{"option_id": option, "answer": "perhaps"}]}, content_type="application/json"), 422)
    decided = owner.post(f"/api/v1/polls/{body['id']}/decide", {"option_id": option}, content_type="application/json")
    assert decided.json()["status"] == "decided" and decided.json()["event_id"]


def test_a_share_link_shows_dates_without_names(api, band, client):
    workspace, people = band
    link = api(people[Role.OWNER]).post(f"/api/v1/acts/{workspace.pk}/share-links", {
        "starts_on": dt.date.today().isoformat(), "ends_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()},
        content_type="application/json")
    assert link.status_code == 201, link.content
    token = link.json()["url"].rstrip("/").rsplit("/", 1)[1]
    public = client.get(f"/api/v1/public/availability/{token}").json()
    assert public["required"] == [] and public["all_but_one"] == []
    page = client.get(f"/availability/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    for person in people.values():
        assert person.name not in html and person.email not in html
    pdf = client.get(f"/availability/{token}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert workspace.name in text and "Available dates" in text
    assert not any(person.name in text for person in people.values())
    assert api(people[Role.OWNER]).post(f"/api/v1/share-links/{link.json()['id']}/revoke").status_code == 204
    assert client.get(f"/availability/{token}/").status_code == 404
    assert client.get(f"/availability/{token}.pdf").status_code == 404


def test_private_notes_and_imported_titles_never_reach_bandmates_feeds_or_links(api, band, client, make_team,
                                                                                django_capture_on_commit_callbacks):
    from backline.accounts import services as accounts
    from backline.scheduling import feeds
    from backline.scheduling.services import act_events, availability, external_calendars, share_links

    workspace, people = band
    member, bandmate = people[Role.MEMBER], people[Role.ADMIN]
    start = future(3, 10)
    availability.availability_block_create(actor=member, state="busy", starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                           label="Dentist appointment")
    external_calendars.demo_import(user=member, name="Private", events=[(start + dt.timedelta(hours=4), 2, "Therapy session")])
    other, other_people = make_team(WorkspaceKind.ACT, name="Secret Side Project")
    invitation = accounts.invitation_create(actor=other_people[Role.OWNER], workspace_id=other.pk, email=member.email,
                                            role=Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_accept(user=member, token=invitation.token)
    act_events.act_event_create(actor=other_people[Role.OWNER], workspace_id=other.pk, title="Hush-hush showcase",
                                starts_at=start + dt.timedelta(hours=7), ends_at=start + dt.timedelta(hours=9))
    secrets = ("Dentist appointment", "Therapy session", "Hush-hush showcase", "Secret Side Project")

    span = {"starts_at": (start - dt.timedelta(hours=1)).isoformat(), "ends_at": (start + dt.timedelta(hours=10)).isoformat()}
    conflicts = api(bandmate).get(f"/api/v1/acts/{workspace.pk}/conflicts", span)
    assert conflicts.status_code == 200
    mine = [c for c in conflicts.json() if c["user_id"] == member.pk]
    # They are busy: that much is shared; not that an imported (private) calendar says so.
    assert sorted(c["kind"] for c in mine) == ["busy_block", "busy_block", "commitment"]
    week = {"start": dt.date.today().isoformat(), "end": (dt.date.today() + dt.timedelta(days=7)).isoformat()}
    zone = api(bandmate).get(f"/api/v1/acts/{workspace.pk}/green-zone", week)
    feed = feeds.feed_for_act(actor=bandmate, workspace_id=workspace.pk)
    feeds.feed_set_green_zone(actor=bandmate, feed_id=feed.pk, include=True)
    ics = client.get(f"/feeds/{feed.token}.ics")
    link = share_links.share_link_create(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                         starts_on=dt.date.today(), ends_on=dt.date.today() + dt.timedelta(days=7))
    page = client.get(f"/availability/{link.token}/")
    schedule = api(bandmate).get(f"/api/v1/acts/{workspace.pk}/events")
    for response in (conflicts, zone, ics, page, schedule):
        body = response.content.decode()
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in body, (secret, response.request["PATH_INFO"])
    # The person themself sees their own notes and imported titles.
    own = api(member).get("/api/v1/me/calendar", {"start": start.isoformat(),
                                                  "end": (start + dt.timedelta(hours=10)).isoformat()}).content.decode()
    assert all(secret in own for secret in secrets[:3])
