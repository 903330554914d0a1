"""The web face: the bell in every logged-in page (one query), its polled partial, the list page with its
type filter, opening, marking read (htmx too), marking all read, deleting, and the settings page."""

import pytest

from backline.accounts.models import WorkspaceKind
from backline.notifications import services
from backline.notifications.models import Notification, NotificationPreference
from backline.notifications.models import NotificationType as T
from tests.factories import UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def me(db):
    person = UserFactory()
    services.notify(users=[person], type=T.OFFER, title="Lantern Hall made an offer for The Owls on Sat 19 Dec",
                    body="€500 guarantee.", url="/w/the-owls/bookings/7/")
    services.notify(users=[person], type=T.POLL_OPENED, title="Ana asks The Owls when you can: Tour rehearsal",
                    url="/w/the-owls/schedule/polls/3/")
    return person


def test_the_bell_shows_the_unread_count_on_every_page_and_polls(me, login_client):
    client = login_client(me)
    page = client.get("/me/").content.decode()
    bell = page.split('id="notification-bell"', 1)[1].split("</a>")[0]
    assert 'hx-trigger="every 30s"' in bell and 'hx-get="/notifications/bell/"' in bell
    assert 'data-testid="notification-count">2<' in bell
    partial = client.get("/notifications/bell/", **HTMX).content.decode()
    assert partial.startswith('<a class="nav-link') and ">2<" in partial and "<html" not in partial


def test_the_bell_shows_99_plus_and_nothing_when_all_is_read(me, login_client):
    client = login_client(me)
    services.notification_mark_all_read(actor=me)
    assert 'data-testid="notification-count"' not in client.get("/notifications/bell/").content.decode()
    Notification.objects.bulk_create([Notification(user=me, type=T.OFFER, title=f"n{i}") for i in range(120)])
    assert ">99+<" in client.get("/notifications/bell/").content.decode()


def test_the_bell_stops_polling_after_logging_out(client, db):
    assert client.get("/notifications/bell/", **HTMX).status_code == 286
    assert client.get("/notifications/bell/").status_code == 302


def test_the_bell_costs_one_query(me, login_client, django_assert_max_num_queries):
    client = login_client(me)
    client.get("/notifications/bell/")
    with django_assert_max_num_queries(3) as bell:  # the session (unless cached), the user, the count
        client.get("/notifications/bell/")
    with django_assert_max_num_queries(10) as page:
        client.get("/me/")
    for captured in (bell, page):
        assert sum("messaging_notification" in q["sql"] for q in captured.captured_queries) == 1


def test_the_list_filters_by_type_and_unread(me, login_client):
    client = login_client(me)
    page = client.get("/notifications/").content.decode()
    assert "Lantern Hall made an offer" in page and "Tour rehearsal" in page
    only_polls = client.get("/notifications/?type=poll_opened").content.decode()
    assert "Tour rehearsal" in only_polls and "Lantern Hall made an offer" not in only_polls
    services.notification_mark_read(actor=me, notification_id=Notification.objects.get(type=T.OFFER).pk)
    unread = client.get("/notifications/?unread=1").content.decode()
    assert "Tour rehearsal" in unread and "Lantern Hall made an offer" not in unread
    assert "Nothing matches." in client.get("/notifications/?type=closed").content.decode()
    assert client.get("/notifications/?type=gossip").status_code == 200  # an unknown type is ignored


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(me, login_client):
    client = login_client(me)
    n = Notification.objects.get(type=T.OFFER)
    response = client.post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/w/the-owls/bookings/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_url_elsewhere_is_never_followed(me, login_client):
    n = services.notify(users=[me], type=T.OFFER, title="odd", url="https://evil.example/")[0]
    response = login_client(me).post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_mark_read_with_htmx_swaps_the_row_and_the_bell(me, login_client):
    client = login_client(me)
    n = Notification.objects.get(type=T.POLL_OPENED)
    html = client.post(f"/notifications/{n.pk}/read/", **HTMX).content.decode()
    assert f'id="notification-{n.pk}"' in html and "data-unread" not in html.split('id="notification-bell"')[0]
    assert 'hx-swap-oob="true"' in html and 'data-testid="notification-count">1<' in html


def test_delete_and_mark_all_read(me, login_client):
    client = login_client(me)
    n = Notification.objects.get(type=T.OFFER)
    html = client.post(f"/notifications/{n.pk}/delete/", **HTMX).content.decode()
    assert f'id="notification-{n.pk}"' not in html and 'hx-swap-oob="true"' in html
    assert not Notification.objects.filter(pk=n.pk).exists()
    services.notify(users=[me], type=T.CLOSED, title="Cancelled")
    response = client.post("/notifications/read-all/", {"type": "closed"}, HTTP_REFERER="/notifications/?type=closed")
    assert response.status_code == 302 and response["Location"] == "/notifications/?type=closed"
    assert Notification.objects.filter(user=me, read_at=None).count() == 1  # the poll is still unread
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=me, read_at=None).exists()


def test_other_peoples_notifications_are_not_found(me, login_client):
    other = login_client(UserFactory())
    n = Notification.objects.filter(user=me).first()
    assert other.post(f"/notifications/{n.pk}/read/").status_code == 404
    assert other.post(f"/notifications/{n.pk}/delete/").status_code == 404
    assert Notification.objects.filter(pk=n.pk, read_at=None).exists()


def test_the_settings_page_sets_a_channel_per_type(me, login_client):
    client = login_client(me)
    page = client.get("/me/notifications/").content.decode()
    assert page.count("<select") == len(T.values) and "In the app and in a daily email digest" in page
    choices = dict.fromkeys(T.values, "in_app") | {"offer": "email", "closed": "off"}
    response = client.post("/me/notifications/", choices)
    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=me).values_list("type", "channel")) == {"offer": "email",
                                                                                                   "closed": "off"}
    bad = client.post("/me/notifications/", choices | {"offer": "pigeon"})
    assert bad.status_code == 422
    assert NotificationPreference.objects.get(user=me, type="offer").channel == "email"


def test_the_list_page_uses_a_constant_number_of_queries(me, login_client, make_team, django_assert_max_num_queries):
    client = login_client(me)
    client.get("/notifications/")
    with django_assert_max_num_queries(8) as few:  # session, user, memberships (switcher), bell, count, page
        client.get("/notifications/")
    workspace, _ = make_team(WorkspaceKind.ACT, name="The Owls")
    for i in range(25):
        services.notify(users=[me], type=T.ACT_EVENT, title=f"Rehearsal {i}", workspace_id=workspace.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Rehearsal 24" in client.get("/notifications/").content.decode()  # each row names The Owls, joined
