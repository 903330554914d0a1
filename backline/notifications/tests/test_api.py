"""The notifications API: list (filter by type and unread, paginated), the unread count, mark read, mark
all read, delete, and preferences; other people's notifications answer 404 problem+json."""

import pytest
from django.test import Client

from backline.accounts.tokens import issue_access_token
from backline.notifications import services
from backline.notifications.models import Notification, NotificationPreference
from backline.notifications.models import NotificationType as T
from tests.factories import UserFactory

PROBLEM = "application/problem+json"
JSON = "application/json"


@pytest.fixture
def api():
    def build(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_access_token(user)[0]}") if user else Client()

    return build


@pytest.fixture
def me(db):
    person = UserFactory()
    for i in range(3):
        services.notify(users=[person], type=T.OFFER, title=f"Offer {i}", url="/w/the-owls/bookings/1/")
    services.notify(users=[person], type=T.CONFIRMED, title="Confirmed: The Owls at Lantern Hall on Sat 19 Dec")
    return person


def problem(response, status, field=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    if field:
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    return response.json()


def test_the_list_filters_by_type_and_unread_newest_first(api, me):
    client = api(me)
    everything = client.get("/api/v1/notifications").json()
    assert everything["count"] == 4
    assert everything["items"][0]["title"].startswith("Confirmed") and everything["items"][0]["read_at"] is None
    assert set(everything["items"][0]) == {"id", "type", "title", "body", "url", "workspace_id", "created_at", "read_at"}
    offers = client.get("/api/v1/notifications?type=offer").json()
    assert offers["count"] == 3 and {i["type"] for i in offers["items"]} == {"offer"}
    client.patch(f"/api/v1/notifications/{offers['items'][0]['id']}/read")
    assert client.get("/api/v1/notifications?type=offer&unread=true").json()["count"] == 2
    assert client.get("/api/v1/notifications?unread=false").json()["count"] == 1
    assert client.get("/api/v1/notifications?page_size=2").json()["items"].__len__() == 2
    problem(client.get("/api/v1/notifications?type=gossip"), 422, "type")


def test_the_unread_count_mark_read_and_mark_all_read(api, me):
    client = api(me)
    assert client.get("/api/v1/notifications/unread").json() == {"count": 4}
    first = Notification.objects.filter(user=me, type=T.OFFER).first()
    response = client.patch(f"/api/v1/notifications/{first.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.get("/api/v1/notifications/unread").json() == {"count": 3}
    assert client.patch("/api/v1/notifications/mark-all-read", {"type": "offer"}, content_type=JSON).json() == {"count": 2}
    assert client.patch("/api/v1/notifications/mark-all-read").json() == {"count": 1}  # no body: every type
    assert client.get("/api/v1/notifications/unread").json() == {"count": 0}
    problem(client.patch("/api/v1/notifications/mark-all-read", {"type": "gossip"}, content_type=JSON), 422, "type")


def test_delete_and_other_peoples_notifications_are_not_found(api, me):
    client, other = api(me), UserFactory()
    theirs = services.notify(users=[other], type=T.OFFER, title="Not yours")[0]
    for response in (client.patch(f"/api/v1/notifications/{theirs.pk}/read"),
                     client.delete(f"/api/v1/notifications/{theirs.pk}"),
                     client.delete("/api/v1/notifications/999999")):
        problem(response, 404)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    mine = Notification.objects.filter(user=me).first()
    assert client.delete(f"/api/v1/notifications/{mine.pk}").status_code == 204
    assert not Notification.objects.filter(pk=mine.pk).exists()
    problem(api(None).get("/api/v1/notifications"), 401)


def test_preferences_list_every_type_and_change_one(api, me):
    client = api(me)
    listed = client.get("/api/v1/me/notification-preferences").json()
    assert [p["type"] for p in listed] == list(T.values) and {p["channel"] for p in listed} == {"in_app"}
    response = client.put("/api/v1/me/notification-preferences/poll_opened", {"channel": "digest"}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json() == {"type": "poll_opened", "label": T.POLL_OPENED.label, "channel": "digest"}
    assert NotificationPreference.objects.get(user=me, type="poll_opened").channel == "digest"
    problem(client.put("/api/v1/me/notification-preferences/poll_opened", {"channel": "pigeon"}, content_type=JSON), 422,
            "channel")
    problem(client.put("/api/v1/me/notification-preferences/gossip", {"channel": "off"}, content_type=JSON), 422, "type")


def test_the_list_uses_a_constant_number_of_queries(api, me, django_assert_max_num_queries):
    client = api(me)
    with django_assert_max_num_queries(3) as few:  # the token's user, the count, the page
        client.get("/api/v1/notifications")
    for i in range(40):
        services.notify(users=[me], type=T.CLOSED, title=f"Closed {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/notifications").json()["count"] == 44
