"""The inbox and conversation pages: what they show, the htmx fragments (only new messages, a fresh
composer, 286 to stop polling when logged out), starting conversations, the booking page's card, and
query counts that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backline.accounts.models import Role, WorkspaceKind
from backline.conversations import services as threads
from backline.conversations.models import Message, Thread, ThreadKind, ThreadRead
from tests.communication import held, inquiry
from tests.pages import assert_constant_queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def inbox(ws, rest=""):
    return f"/w/{ws.slug}/inbox/{rest}"


@pytest.fixture
def chat(world):
    return threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                       to_workspace_ids=[world["act_ws"].pk], subject="Autumn dates",
                                       body="Any **Fridays** free in October? <script>alert(1)</script>")


def test_the_inbox_lists_the_workspaces_threads_with_unread_counts(world, chat, login_client):
    page = login_client(world["band"][Role.VIEWER]).get(inbox(world["act_ws"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Autumn dates" in html and "Lantern Hall" in html
    assert 'data-testid="thread-unread" aria-label="1 unread">1<' in html
    assert "Any Fridays free in October?" in html  # a plain preview
    assert "<script>alert" not in html
    assert 'data-testid="new-conversation"' not in html  # a viewer reads, does not write


def test_the_inbox_links_held_email_for_those_who_decide_on_it(world, chat, login_client):
    from backline.mail.models import QuarantinedEmail

    QuarantinedEmail.objects.create(reason="stranger", thread=chat, workspace=world["venue_ws"], from_email="x@spam.example",
                                    subject="Cheap tickets")
    admin = login_client(world["buyer"][Role.ADMIN]).get(inbox(world["venue_ws"])).content.decode()
    assert 'data-testid="held-mail"' in admin and f"/w/{world['venue_ws'].slug}/inbox/held/" in admin
    assert '<span class="badge text-bg-light">1</span>' in admin
    coordinator = login_client(world["buyer"][Role.COORDINATOR]).get(inbox(world["venue_ws"])).content.decode()
    assert 'data-testid="held-mail"' not in coordinator  # outreach.manage decides on held mail


def test_inbox_filters_and_htmx_refresh_return_the_list_alone(world, chat, login_client):
    threads.booking_thread_get_or_create(actor=world["buyer"][Role.OWNER], booking_id=held(world).pk)
    client = login_client(world["buyer"][Role.OWNER])
    fragment = client.get(inbox(world["venue_ws"]) + "?kind=booking", HTTP_HX_TARGET="thread-list", **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert html.count('data-testid="thread-row"') == 1 and "Friday club night" in html
    searched = client.get(inbox(world["venue_ws"]) + "?q=autumn").content.decode()
    assert searched.count('data-testid="thread-row"') == 1 and "Autumn dates" in searched
    unread_only = client.get(inbox(world["venue_ws"]) + "?unread=1").content.decode()
    assert 'data-testid="no-threads"' in unread_only  # the owner wrote the only message


def test_opening_a_thread_shows_it_and_marks_it_read(world, chat, login_client):
    singer = world["band"][Role.OWNER]
    page = login_client(singer).get(inbox(world["act_ws"], f"{chat.pk}/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Fridays</strong>" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert 'hx-trigger="every 4s"' in html and f"/inbox/{chat.pk}/messages/?after=" in html
    assert ThreadRead.objects.filter(thread=chat, user=singer).exists()
    again = login_client(singer).get(inbox(world["act_ws"])).content.decode()
    assert 'data-testid="thread-unread"' not in again


def test_a_thread_of_another_workspace_is_404_even_through_a_workspace_one_belongs_to(world, chat, login_client, outsider,
                                                                                      make_team):
    assert login_client(outsider).get(inbox(world["venue_ws"], f"{chat.pk}/")).status_code == 404
    other_ws, other_people = make_team(WorkspaceKind.VENUE, name="Other Hall")
    assert login_client(other_people[Role.OWNER]).get(inbox(other_ws, f"{chat.pk}/")).status_code == 404
    # a performer of an agency party is a member without messages.view: 403
    agency, agents = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    threads.party_add(actor=world["buyer"][Role.OWNER], thread_id=chat.pk, to_workspace_id=agency.pk)
    assert login_client(agents[Role.PERFORMER]).get(inbox(agency, f"{chat.pk}/")).status_code == 403


def test_the_poll_returns_only_new_messages_and_stops_when_logged_out(world, chat, login_client, client):
    singer = world["band"][Role.OWNER]
    last = Message.objects.filter(thread=chat).last().pk
    url = inbox(world["act_ws"], f"{chat.pk}/messages/?after={last}")
    c = login_client(singer)
    assert c.get(url, **HTMX).status_code == 204  # nothing new
    threads.message_post(actor=world["buyer"][Role.COORDINATOR], thread_id=chat.pk, body="Load-in at 17:00")
    threads.message_post(actor=world["buyer"][Role.COORDINATOR], thread_id=chat.pk, body="Doors 20:00")
    new = c.get(url, **HTMX)
    html = new.content.decode()
    assert new.status_code == 200 and "<html" not in html
    assert html.count('data-testid="message"') == 2 and "Load-in at 17:00" in html and "Any" not in html
    assert 'hx-swap-oob="beforeend:#message-list"' in html
    newest = Message.objects.filter(thread=chat).last().pk
    assert f"?after={newest}" in html and 'id="thread-poller"' in html  # the poller moves on
    assert client.get(url, **HTMX).status_code == 286  # logged out: htmx stops polling
    assert client.get(url).status_code == 302  # a plain visit goes to log in


def test_htmx_posting_appends_the_message_and_refusals_are_422_in_the_composer(world, chat, login_client):
    member = world["band"][Role.MEMBER]
    last = Message.objects.filter(thread=chat).last().pk
    c = login_client(member)
    response = c.post(inbox(world["act_ws"], f"{chat.pk}/post/"), {"body": "We are **in**!", "after": last}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="composer"' in html and "<strong>in</strong>" in html and html.count('data-testid="message"') == 1
    empty = c.post(inbox(world["act_ws"], f"{chat.pk}/post/"), {"body": "  ", "after": last}, **HTMX)
    assert empty.status_code == 422 and "Write a message" in empty.content.decode()
    too_long = c.post(inbox(world["act_ws"], f"{chat.pk}/post/"), {"body": "x" * 20001}, **HTMX)
    assert too_long.status_code == 422 and "20,000" in too_long.content.decode()
    plain = c.post(inbox(world["act_ws"], f"{chat.pk}/post/"), {"body": "Without JavaScript"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"/inbox/{chat.pk}/#latest")
    assert list(Message.objects.filter(thread=chat).values_list("body", flat=True))[1:] == ["We are **in**!",
                                                                                           "Without JavaScript"]
    viewer = login_client(world["band"][Role.VIEWER]).post(inbox(world["act_ws"], f"{chat.pk}/post/"), {"body": "x"})
    assert viewer.status_code == 403


def test_starting_a_direct_conversation_from_the_page(world, login_client, make_team):
    agency, _ = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    c = login_client(world["buyer"][Role.COORDINATOR])
    picker = c.get(f"/w/{world['venue_ws'].slug}/inbox/recipients/?q=silv&to={world['act_ws'].pk}", **HTMX)
    html = picker.content.decode()
    assert 'data-testid="recipient-chosen"' in html and "The Owls" in html  # ticked stays ticked
    assert f'name="to" value="{agency.pk}"' in html
    assert "Lantern Hall" not in html  # never oneself
    refused = c.post(inbox(world["venue_ws"], "new/"), {"subject": "Hello", "body": "Hi"})
    assert refused.status_code == 422 and "Choose at least one workspace" in refused.content.decode()
    done = c.post(inbox(world["venue_ws"], "new/"), {"to": [agency.pk, world["act_ws"].pk], "subject": "Jazz brunch",
                                                     "body": "Do you have a duo?"})
    thread = Thread.objects.get(subject="Jazz brunch")
    assert done.status_code == 302 and done["Location"] == inbox(world["venue_ws"], f"{thread.pk}/")
    assert thread.kind == ThreadKind.DIRECT and thread.parties.count() == 3


def test_the_booking_page_shows_the_conversation_card(world, login_client):
    booking = held(world)
    c = login_client(world["band"][Role.MEMBER])
    page = c.get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/").content.decode()
    assert 'data-testid="booking-conversation"' in page and "No messages yet" in page
    assert 'data-testid="start-support"' in page
    opened = c.post(inbox(world["act_ws"], f"booking/{booking.pk}/"))
    thread = Thread.objects.get(booking=booking, kind=ThreadKind.BOOKING)
    assert opened.status_code == 302 and opened["Location"] == inbox(world["act_ws"], f"{thread.pk}/")
    threads.message_post(actor=world["buyer"][Role.OWNER], thread_id=thread.pk, body="See you at load-in!")
    page = c.get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/").content.decode()
    assert "See you at load-in!" in page and "1 unread" in page
    viewer = login_client(world["band"][Role.VIEWER]).get(f"/w/{world['act_ws'].slug}/bookings/{booking.pk}/")
    assert 'data-testid="start-support"' not in viewer.content.decode()


def test_an_inquiry_card_tells_the_buyer_the_act_is_not_in_it_yet(world, login_client, outsider):
    booking = inquiry(world)
    page = login_client(world["buyer"][Role.OWNER]).get(f"/w/{world['venue_ws'].slug}/bookings/{booking.pk}/")
    assert "Only your team sees it until The Owls holds the date" in page.content.decode()
    assert 'data-testid="start-support"' not in page.content.decode()
    # the act cannot open the conversation of an inquiry it does not see
    assert login_client(world["band"][Role.OWNER]).post(inbox(world["act_ws"], f"booking/{booking.pk}/")).status_code == 404
    assert login_client(outsider).post(inbox(world["venue_ws"], f"booking/{booking.pk}/")).status_code == 404


def test_starting_a_support_conversation_from_the_booking(world, login_client, make_team):
    booking = held(world)
    support, _ = make_team(WorkspaceKind.ACT, name="Paper Lanterns")
    c = login_client(world["band"][Role.COORDINATOR])
    url = inbox(world["act_ws"], f"booking/{booking.pk}/support/")
    form = c.get(url).content.decode()
    assert "Talk with the support acts" in form and "The Owls" in form
    picker = c.get(f"/w/{world['act_ws'].slug}/inbox/recipients/?q=lant&kind=act&exclude={world['act_ws'].pk}").content.decode()
    assert "Paper Lanterns" in picker and "Lantern Hall" not in picker  # acts only
    done = c.post(url, {"to": support.pk, "subject": "Set times", "body": "You are on at 20:15."})
    thread = Thread.objects.get(kind=ThreadKind.SUPPORT)
    assert done.status_code == 302 and thread.booking_id == booking.pk
    assert set(thread.parties.values_list("workspace__name", flat=True)) == {"The Owls", "Paper Lanterns"}


def test_pages_and_fragments_are_constant_in_queries(world, chat, login_client, django_assert_max_num_queries, make_team):
    singer = world["band"][Role.OWNER]
    client = login_client(singer)
    ws = world["act_ws"]

    def add_rows():
        buyer = world["buyer"][Role.OWNER]
        for n in range(6):
            thread = threads.direct_thread_start(actor=buyer, workspace_id=world["venue_ws"].pk,
                                                 to_workspace_ids=[ws.pk], subject=f"More {n}", body="Hello")
            threads.message_post(actor=buyer, thread_id=thread.pk, body="Again")
        for n in range(8):
            threads.message_post(actor=buyer, thread_id=chat.pk, body=f"Message {n}")
        threads.booking_thread_get_or_create(actor=buyer, booking_id=held(world).pk)

    assert_constant_queries(client, {
        inbox(ws): 8,  # user, memberships, threads (+ count), parties, the bell
        inbox(ws, f"{chat.pk}/"): 12,  # + the thread, its parties, the read mark, messages, attachments
        inbox(ws, f"{chat.pk}/messages/?after=0"): 8,
        inbox(ws, "badge/"): 4,
    }, add_rows, django_assert_max_num_queries)


def test_the_nav_badge_counts_unread_threads(world, chat, login_client, client):
    singer = world["band"][Role.OWNER]
    badge = login_client(singer).get(inbox(world["act_ws"], "badge/"), **HTMX).content.decode()
    assert 'data-count="1"' in badge and ">1</span>" in badge
    login_client(singer).get(inbox(world["act_ws"], f"{chat.pk}/"))
    badge = login_client(singer).get(inbox(world["act_ws"], "badge/"), **HTMX).content.decode()
    assert 'data-count="0"' in badge and "d-none" in badge
    assert client.get(inbox(world["act_ws"], "badge/"), **HTMX).status_code == 286


def test_queries_stay_flat_when_many_messages_exist(world, chat, login_client):
    for n in range(60):
        threads.message_post(actor=world["buyer"][Role.OWNER], thread_id=chat.pk, body=f"Message {n}")
    client = login_client(world["band"][Role.OWNER])
    with CaptureQueriesContext(connection):
        page = client.get(inbox(world["act_ws"], f"{chat.pk}/")).content.decode()
    assert page.count('data-testid="message"') == 50 and 'data-testid="earlier"' in page
    first_shown = Message.objects.filter(thread=chat).order_by("-id")[49].pk
    earlier = client.get(inbox(world["act_ws"], f"{chat.pk}/?before={first_shown}")).content.decode()
    assert earlier.count('data-testid="message"') == 11 and 'id="thread-poller"' not in earlier


def test_opening_a_thread_also_reads_its_message_notifications(world, chat, login_client,
                                                               django_capture_on_commit_callbacks):
    from backline.notifications.models import Notification, NotificationType

    singer = world["band"][Role.OWNER]
    unread = Notification.objects.filter(user=singer, type=NotificationType.MESSAGE, read_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=True):  # the notification is written on commit
        threads.message_post(actor=world["buyer"][Role.OWNER], thread_id=chat.pk, body="Notified")
    assert unread.exists()
    login_client(singer).get(inbox(world["act_ws"], f"{chat.pk}/"))
    assert not unread.exists()


def test_an_email_thread_shows_contacts_sources_and_live_email_status(world, login_client):
    from backline.contacts.models import Contact
    from backline.conversations import services as conversations
    from backline.conversations.models import MessageSource
    from backline.mail.models import EmailStatus, OutboundEmail

    ws, owner = world["venue_ws"], world["buyer"][Role.OWNER]
    contact = Contact.objects.create(workspace=ws, name="Jonas Weber", email="jonas@example.org", organisation="Weber Booking")
    thread = conversations.email_thread_for(workspace=ws, subject="Avails in March?", contact=contact, created_by=owner)
    out = conversations.add_message(thread=thread, body="We have **14 March** open.", source=MessageSource.EMAIL_OUT,
                                  author=owner, author_workspace=ws, notify=False)
    email = OutboundEmail.objects.create(workspace=ws, thread=thread, message=out, contact=contact, to_email=contact.email,
                                         from_email="hall@example.org", subject=thread.subject, body_text=out.body,
                                         status=EmailStatus.DELIVERED, header_message_id="<t1@backline>")
    c = login_client(world["buyer"][Role.MEMBER])
    listed = c.get(inbox(ws)).content.decode()
    assert "Jonas Weber" in listed and 'data-testid="email-status"' in listed and "Delivered" in listed
    page = c.get(inbox(ws, f"{thread.pk}/")).content.decode()
    assert "sent by email to jonas@example.org" in page and f'id="email-status-{out.pk}"' in page
    assert "not emailed" in page  # writing here is a note for the team
    poll = inbox(ws, f"{thread.pk}/messages/?after={out.pk}&since={out.pk}")
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.OPENED)
    html = c.get(poll, **HTMX).content.decode()
    assert f'<span id="email-status-{out.pk}" hx-swap-oob="true">' in html and "Opened" in html
    reply = conversations.add_message(thread=thread, body="Yes! What's the guarantee?", source=MessageSource.EMAIL_IN,
                                    author_contact=contact, author_name=contact.name, author_email=contact.email,
                                    notify=False)
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.REPLIED)
    html = c.get(poll, **HTMX).content.decode()
    assert f'id="message-{reply.pk}"' in html and "received by email" in html and "Replied" in html
