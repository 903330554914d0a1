"""The conversations API: a workspace's threads, starting direct and support threads, a thread's
messages (with the ``after`` cursor live clients use), posting, read marks, unread counts, a booking's
thread; refusals as problem+json (404 for strangers, 403 for roles without the capability, 422)."""

import pytest

from backline.accounts.models import Role, WorkspaceKind
from backline.conversations import services as threads
from backline.conversations.models import Message, Thread, ThreadKind
from tests.communication import held, inquiry

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def api(client, bearer):
    """``api(user).get(path)`` / ``.post(path, json)``: the JSON API as ``user`` (bearer token)."""

    class Caller:
        def __init__(self, user):
            self.headers = bearer(user)

        def get(self, path):
            return client.get(f"/api/v1{path}", **self.headers)

        def post(self, path, body=None):
            return client.post(f"/api/v1{path}", body if body is not None else {}, content_type="application/json",
                               **self.headers)

    return Caller


@pytest.fixture
def chat(world):
    return threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                       to_workspace_ids=[world["act_ws"].pk], subject="Autumn dates",
                                       body="Any Fridays free?")


def test_a_workspace_lists_its_threads_with_parties_and_unread(world, chat, api):
    response = api(world["band"][Role.MEMBER]).get(f"/workspaces/{world['act_ws'].pk}/threads")
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 1
    [row] = page["items"]
    assert row["id"] == chat.pk and row["kind"] == "direct" and row["unread"] == 1
    assert {p["workspace_name"] for p in row["parties"]} == {"Lantern Hall", "The Owls"}
    assert row["last_message"]["preview"] == "Any Fridays free?"
    assert row["url"] == f"/w/{world['act_ws'].slug}/inbox/{chat.pk}/"
    assert api(world["band"][Role.MEMBER]).get(f"/workspaces/{world['act_ws'].pk}/threads?kind=booking").json()["count"] == 0
    assert api(world["band"][Role.MEMBER]).get(f"/workspaces/{world['act_ws'].pk}/threads?q=autumn").json()["count"] == 1
    assert api(world["band"][Role.MEMBER]).get(f"/workspaces/{world['act_ws'].pk}/threads?unread=false").json()["count"] == 0


def test_starting_a_direct_thread_over_the_api(world, api, make_team):
    agency, _ = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    response = api(world["band"][Role.MEMBER]).post(f"/workspaces/{world['act_ws'].pk}/threads",
                                                    {"to": [agency.pk], "subject": "Representation",
                                                     "body": "Would you book our **spring** tour?"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "direct" and body["as_workspace_id"] == world["act_ws"].pk and body["can_send"] is True
    assert {p["workspace_name"] for p in body["parties"]} == {"The Owls", "Silver Lining"}
    refused = api(world["band"][Role.MEMBER]).post(f"/workspaces/{world['act_ws'].pk}/threads",
                                                   {"to": [], "subject": "x", "body": "y"})
    assert refused.status_code == 422 and refused["Content-Type"].startswith(PROBLEM)
    assert refused.json()["errors"][0]["field"] == "to"
    viewer = api(world["band"][Role.VIEWER]).post(f"/workspaces/{world['act_ws'].pk}/threads",
                                                  {"to": [agency.pk], "subject": "x", "body": "y"})
    assert viewer.status_code == 403


def test_messages_page_and_the_after_cursor(world, chat, api):
    buyer = world["buyer"][Role.COORDINATOR]
    for n in range(3):
        threads.message_post(actor=buyer, thread_id=chat.pk, body=f"Message {n}")
    caller = api(world["band"][Role.OWNER])
    page = caller.get(f"/threads/{chat.pk}/messages").json()
    assert page["count"] == 4 and [m["body"] for m in page["items"]][-1] == "Message 2"
    second = page["items"][1]["id"]
    newer = caller.get(f"/threads/{chat.pk}/messages?after={second}").json()
    assert [m["body"] for m in newer["items"]] == ["Message 1", "Message 2"]
    assert newer["items"][0]["author_workspace_name"] == "Lantern Hall" and newer["items"][0]["source"] == "app"
    assert caller.get(f"/threads/{chat.pk}/messages?after={newer['items'][-1]['id']}").json()["items"] == []


def test_posting_renders_markdown_and_never_html(world, chat, api):
    response = api(world["band"][Role.MEMBER]).post(f"/threads/{chat.pk}/messages",
                                                    {"body": "Yes! <script>alert('x')</script> **Friday 10th**"})
    assert response.status_code == 201, response.content
    message = response.json()
    assert "<script" not in message["body_html"] and "&lt;script&gt;" in message["body_html"]
    assert "<strong>Friday 10th</strong>" in message["body_html"]
    listed = api(world["buyer"][Role.OWNER]).get(f"/threads/{chat.pk}/messages").json()["items"][-1]
    assert "<script" not in listed["body_html"]
    for body in ("", "   ", "x" * 20001):
        refused = api(world["band"][Role.MEMBER]).post(f"/threads/{chat.pk}/messages", {"body": body})
        assert refused.status_code == 422 and refused["Content-Type"].startswith(PROBLEM)
    assert Message.objects.filter(thread=chat).count() == 2


def test_strangers_get_404_and_readers_without_send_get_403(world, chat, api, outsider, make_team):
    for path in (f"/threads/{chat.pk}", f"/threads/{chat.pk}/messages"):
        response = api(outsider).get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith(PROBLEM)
    assert api(outsider).post(f"/threads/{chat.pk}/messages", {"body": "Hi"}).status_code == 404
    assert api(outsider).post(f"/threads/{chat.pk}/read").status_code == 404
    assert api(world["band"][Role.VIEWER]).post(f"/threads/{chat.pk}/messages", {"body": "Hi"}).status_code == 403
    assert api(world["band"][Role.VIEWER]).get(f"/threads/{chat.pk}").json()["can_send"] is False
    assert api(world["band"][Role.OWNER]).get("/threads/999999").status_code == 404


def test_read_marks_and_the_unread_count(world, chat, api):
    singer = api(world["band"][Role.OWNER])
    assert singer.get("/me/threads/unread").json() == {
        "count": 1, "messages": 1, "workspaces": [{"workspace_id": world["act_ws"].pk, "slug": world["act_ws"].slug,
                                                   "name": "The Owls", "threads": 1, "messages": 1}]}
    assert singer.get(f"/threads/{chat.pk}").json()["unread"] == 1
    read = singer.post(f"/threads/{chat.pk}/read")
    assert read.status_code == 200 and read.json()["unread"] == 0
    assert singer.get("/me/threads/unread").json()["count"] == 0
    assert singer.get(f"/threads/{chat.pk}").json()["unread"] == 0
    assert api(world["band"][Role.MEMBER]).get("/me/threads/unread").json()["count"] == 1  # personal


def test_a_bookings_thread_over_the_api(world, api, outsider, make_team):
    booking = held(world)
    response = api(world["band"][Role.VIEWER]).get(f"/bookings/{booking.pk}/thread")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "booking" and body["booking_id"] == booking.pk and body["can_send"] is False
    assert api(world["buyer"][Role.OWNER]).get(f"/bookings/{booking.pk}/thread").json()["id"] == body["id"]
    assert api(outsider).get(f"/bookings/{booking.pk}/thread").status_code == 404
    hidden = inquiry(world, title="Secret inquiry")
    assert api(world["band"][Role.OWNER]).get(f"/bookings/{hidden.pk}/thread").status_code == 404
    assert Thread.objects.filter(kind=ThreadKind.BOOKING).count() == 1


def test_support_threads_over_the_api(world, api, make_team):
    booking = held(world)
    support, support_people = make_team(WorkspaceKind.ACT, name="Paper Lanterns")
    response = api(world["band"][Role.COORDINATOR]).post(f"/bookings/{booking.pk}/support-threads",
                                                         {"to": [support.pk], "body": "Shared backline?"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "support" and body["subject"] == "Friday club night: support"
    assert api(support_people[Role.MEMBER]).get(f"/threads/{body['id']}").status_code == 200
    assert api(support_people[Role.MEMBER]).get(f"/workspaces/{support.pk}/threads?kind=support").json()["count"] == 1
    early = inquiry(world, title="Too early")
    refused = api(world["buyer"][Role.OWNER]).post(f"/bookings/{early.pk}/support-threads",
                                                   {"to": [support.pk], "body": "Hi"})
    assert refused.status_code == 409 and refused.json()["code"] == "no_headliner"


def test_bringing_a_workspace_into_a_thread(world, chat, api, make_team):
    agency, agents = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    response = api(world["buyer"][Role.MEMBER]).post(f"/threads/{chat.pk}/parties", {"workspace_id": agency.pk})
    assert response.status_code == 201
    assert api(agents[Role.VIEWER]).get(f"/threads/{chat.pk}/messages").json()["items"] == []  # from now on
    assert api(world["buyer"][Role.MEMBER]).post(f"/threads/{chat.pk}/parties",
                                                 {"workspace_id": agency.pk}).status_code == 409


def test_list_endpoints_are_constant_in_queries(world, chat, api, django_assert_max_num_queries):
    caller = api(world["band"][Role.OWNER])
    buyer = world["buyer"][Role.OWNER]
    for n in range(8):
        t = threads.direct_thread_start(actor=buyer, workspace_id=world["venue_ws"].pk, to_workspace_ids=[world["act_ws"].pk],
                                        subject=f"More {n}", body="Hi")
        threads.message_post(actor=buyer, thread_id=chat.pk, body=f"Message {n}")
        threads.message_post(actor=buyer, thread_id=t.pk, body="Again")
    for path, budget in ((f"/workspaces/{world['act_ws'].pk}/threads", 6), (f"/threads/{chat.pk}/messages", 8),
                         ("/me/threads/unread", 3)):
        with django_assert_max_num_queries(budget):
            assert caller.get(path).status_code == 200


def test_too_many_new_conversations_is_429_with_when_to_retry(world, api, monkeypatch, login_client):
    monkeypatch.setattr(threads, "THREAD_STARTS_PER_HOUR", 1)
    caller = api(world["band"][Role.MEMBER])
    path = f"/workspaces/{world['act_ws'].pk}/threads"
    body = {"to": [world["venue_ws"].pk], "subject": "Hello", "body": "Hi"}
    assert caller.post(path, body).status_code == 201
    refused = caller.post(path, body)
    assert refused.status_code == 429 and refused["Content-Type"].startswith(PROBLEM)
    assert 0 < int(refused["Retry-After"]) <= 3600 and refused.json()["code"] == "rate_limited"
    page = login_client(world["band"][Role.MEMBER]).post(f"/w/{world['act_ws'].slug}/inbox/new/",
                                                         {"to": world["venue_ws"].pk, "subject": "Again", "body": "Hi"})
    assert page.status_code == 429 and "started 1 conversations in the last hour" in page.content.decode()
    assert Thread.objects.filter(kind=ThreadKind.DIRECT).count() == 1
