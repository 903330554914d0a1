"""Conversation services: each kind of thread and its parties, posting (Markdown, HTML and scripts
neutralised, empty and oversize refused), unread counts, read marks, and who is told of a new message."""

import datetime as dt

import pytest
from django.utils import timezone

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.bookings import services as bookings
from backline.bookings.models import Booking
from backline.conversations import selectors as sel
from backline.conversations import services as threads
from backline.conversations.models import Message, Thread, ThreadKind, ThreadParty, ThreadRead
from backline.conversations.permissions import access_thread
from backline.core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from backline.core.models import AuditEntry
from backline.core.timeutil import zone
from tests.communication import EVERY_ROLE, held, ids, inquiry, told
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_acts(make_team):
    a, a_people = make_team(WorkspaceKind.ACT, name="Paper Lanterns")
    b, b_people = make_team(WorkspaceKind.ACT, name="Glass Harbour")
    return a, a_people, b, b_people


def parties(thread):
    return set(ThreadParty.objects.filter(thread=thread, workspace__isnull=False).values_list("workspace__name", flat=True))


# --- booking threads --------------------------------------------------------------------------------

def test_a_booking_has_one_conversation_made_when_first_opened(world):
    booking = held(world)
    coordinator = world["buyer"][Role.COORDINATOR]
    assert not Thread.objects.filter(booking=booking).exists()
    first = threads.booking_thread_get_or_create(actor=coordinator, booking_id=booking.pk).thread
    again = threads.booking_thread_get_or_create(actor=world["band"][Role.MEMBER], booking_id=booking.pk).thread
    assert first.pk == again.pk and first.kind == ThreadKind.BOOKING
    assert first.subject.startswith(booking.title) and booking.reference not in first.subject
    assert parties(first) == {"Lantern Hall", "The Owls"}
    assert Thread.objects.filter(booking=booking, kind=ThreadKind.BOOKING).count() == 1


def test_during_the_inquiry_only_the_buyer_talks_and_the_act_joins_at_the_hold(world, fire):
    booking = inquiry(world)
    owner = world["buyer"][Role.OWNER]
    thread = threads.booking_thread_get_or_create(actor=owner, booking_id=booking.pk).thread
    assert parties(thread) == {"Lantern Hall"}
    with fire():
        threads.message_post(actor=owner, thread_id=thread.pk, body="Their fee is high, offer 600 at most.")
    singer = world["band"][Role.OWNER]
    with pytest.raises(NotFound):  # the act does not see the inquiry, nor its conversation
        access_thread(user=singer, thread_id=thread.pk)
    assert told("message").keys().isdisjoint(ids(world["band"], *EVERY_ROLE))

    start = timezone.now() + dt.timedelta(days=30)
    bookings.hold_place(actor=owner, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    with fire():
        threads.message_post(actor=owner, thread_id=thread.pk, body="We hold 12 June for you.")
    assert parties(thread) == {"Lantern Hall", "The Owls"}
    ta = access_thread(user=singer, thread_id=thread.pk)
    seen = [m.body for m in sel.messages_for(ta)]
    assert seen == ["We hold 12 June for you."]  # never what the buyer's team said among themselves
    assert sel.thread_unread_count(user=singer, thread=thread, joined_at=ta.party.joined_at) == 1
    assert ids(world["band"], *EVERY_ROLE) <= told("message").keys()


def test_who_may_open_and_write_in_a_booking_conversation(world, outsider):
    booking = held(world)
    thread = threads.booking_thread_get_or_create(actor=world["buyer"][Role.OWNER], booking_id=booking.pk).thread
    for role in EVERY_ROLE:
        assert access_thread(user=world["band"][role], thread_id=thread.pk).workspace == world["act_ws"]
    threads.message_post(actor=world["band"][Role.MEMBER], thread_id=thread.pk, body="Load-in at 17:00?")
    with pytest.raises(Forbidden):
        threads.message_post(actor=world["buyer"][Role.VIEWER], thread_id=thread.pk, body="Hi")
    with pytest.raises(NotFound):
        threads.message_post(actor=outsider, thread_id=thread.pk, body="Hi")
    with pytest.raises(NotFound):
        threads.booking_thread_get_or_create(actor=outsider, booking_id=booking.pk)
    assert Message.objects.filter(thread=thread).count() == 1


# --- support and direct threads ----------------------------------------------------------------------

def test_the_headliner_starts_a_support_conversation_with_its_support_acts(world, support_acts, fire):
    booking = held(world)
    lanterns, lantern_people, harbour, harbour_people = support_acts
    with fire():
        thread = threads.support_thread_start(actor=world["band"][Role.COORDINATOR], booking_id=booking.pk,
                                              to_workspace_ids=[lanterns.pk, harbour.pk], subject="Backline share",
                                              body="We bring the drum kit; can you bring bass amps?")
    assert thread.kind == ThreadKind.SUPPORT and thread.booking_id == booking.pk
    assert parties(thread) == {"The Owls", "Paper Lanterns", "Glass Harbour"}  # not the buyer: an act matter
    with pytest.raises(NotFound):
        access_thread(user=world["buyer"][Role.OWNER], thread_id=thread.pk)
    assert ids(lantern_people, *EVERY_ROLE) | ids(harbour_people, *EVERY_ROLE) <= told("message").keys()
    threads.message_post(actor=lantern_people[Role.MEMBER], thread_id=thread.pk, body="Yes, two Ampeg cabs.")
    assert AuditEntry.objects.filter(action="thread.support_started", object_id=str(thread.pk)).exists()


def test_the_buyer_may_start_a_support_conversation_and_is_in_it(world, support_acts):
    booking = held(world)
    lanterns = support_acts[0]
    thread = threads.support_thread_start(actor=world["buyer"][Role.OWNER], booking_id=booking.pk,
                                          to_workspace_ids=[lanterns.pk], subject="Set times", body="Support 20:00-20:40.")
    assert parties(thread) == {"Lantern Hall", "The Owls", "Paper Lanterns"}
    with_buyer = threads.support_thread_start(actor=world["band"][Role.OWNER], booking_id=booking.pk,
                                              to_workspace_ids=[lanterns.pk], subject="Guests", body="Guest list?",
                                              include_buyer=True)
    assert parties(with_buyer) == {"Lantern Hall", "The Owls", "Paper Lanterns"}


def test_support_conversations_are_refused_without_a_headliner_or_with_non_acts(world, support_acts, make_team):
    booking = inquiry(world)
    with pytest.raises(Conflict) as refused:
        threads.support_thread_start(actor=world["buyer"][Role.OWNER], booking_id=booking.pk,
                                     to_workspace_ids=[support_acts[0].pk], subject="S", body="B")
    assert refused.value.code == "no_headliner"
    booking = held(world, days=40)
    promoter, _ = make_team(WorkspaceKind.PROMOTER, name="Night Shift")
    with pytest.raises(Invalid) as refused:
        threads.support_thread_start(actor=world["band"][Role.OWNER], booking_id=booking.pk,
                                     to_workspace_ids=[promoter.pk], subject="S", body="B")
    assert "not an act" in refused.value.errors["to"][0]
    with pytest.raises(Invalid):  # the headliner itself is no support act
        threads.support_thread_start(actor=world["band"][Role.OWNER], booking_id=booking.pk,
                                     to_workspace_ids=[world["act_ws"].pk], subject="S", body="B")
    with pytest.raises(Forbidden):
        threads.support_thread_start(actor=world["band"][Role.VIEWER], booking_id=booking.pk,
                                     to_workspace_ids=[support_acts[0].pk], subject="S", body="B")
    assert not Thread.objects.filter(kind=ThreadKind.SUPPORT).exists()


def test_a_direct_conversation_between_workspaces_of_any_kind(world, make_team, fire, outsider):
    agency, agents = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    with fire():
        thread = threads.direct_thread_start(actor=world["buyer"][Role.MEMBER], workspace_id=world["venue_ws"].pk,
                                             to_workspace_ids=[agency.pk, world["act_ws"].pk], subject="  Autumn\r\ndates ",
                                             body="Any acts free in October?")
    assert thread.kind == ThreadKind.DIRECT and thread.subject == "Autumn dates"  # one line, trimmed
    assert parties(thread) == {"Lantern Hall", "Silver Lining", "The Owls"}
    notified = told("message")
    assert ids(agents, Role.OWNER, Role.ADMIN, Role.COORDINATOR, Role.MEMBER, Role.VIEWER) <= notified.keys()
    assert agents[Role.PERFORMER].pk not in notified  # an agency's performers do not read its messages
    assert outsider.pk not in notified  # a workspace that is not a party hears nothing
    assert world["buyer"][Role.MEMBER].pk not in notified  # the author is not told of their own message
    assert ids(world["buyer"], Role.OWNER, Role.VIEWER) <= notified.keys()  # the rest of their team is
    note = notified[agents[Role.OWNER].pk][0]
    assert note.url == f"/w/{agency.slug}/inbox/{thread.pk}/" and "Any acts free" in note.body


@pytest.mark.parametrize("to, field", [([], "to"), ([999999], "to"), (["x"], "to")])
def test_a_direct_conversation_needs_real_recipients(world, to, field):
    with pytest.raises(Invalid) as refused:
        threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                    to_workspace_ids=to, subject="Hello", body="Hi")
    assert field in refused.value.errors
    assert not Thread.objects.exists()


def test_writing_only_to_yourself_is_refused_and_subjects_are_required(world):
    owner = world["buyer"][Role.OWNER]
    with pytest.raises(Invalid):
        threads.direct_thread_start(actor=owner, workspace_id=world["venue_ws"].pk, to_workspace_ids=[world["venue_ws"].pk],
                                    subject="Me", body="Hi")
    with pytest.raises(Invalid) as refused:
        threads.direct_thread_start(actor=owner, workspace_id=world["venue_ws"].pk, to_workspace_ids=[world["act_ws"].pk],
                                    subject=" \n ", body="Hi")
    assert "subject" in refused.value.errors
    assert not Thread.objects.exists()


def test_starting_conversations_is_braked_per_workspace(world, monkeypatch):
    monkeypatch.setattr(threads, "THREAD_STARTS_PER_HOUR", 2)
    owner = world["buyer"][Role.OWNER]
    for n in range(2):
        threads.direct_thread_start(actor=owner, workspace_id=world["venue_ws"].pk, to_workspace_ids=[world["act_ws"].pk],
                                    subject=f"Hello {n}", body="Hi")
    with pytest.raises(RateLimited) as refused:
        threads.direct_thread_start(actor=owner, workspace_id=world["venue_ws"].pk, to_workspace_ids=[world["act_ws"].pk],
                                    subject="Hello 3", body="Hi")
    assert 0 < refused.value.extra["retry_after"] <= 3600
    assert Thread.objects.count() == 2


def test_a_workspace_is_brought_into_a_direct_conversation_and_reads_from_then_on(world, make_team):
    owner = world["buyer"][Role.OWNER]
    thread = threads.direct_thread_start(actor=owner, workspace_id=world["venue_ws"].pk,
                                         to_workspace_ids=[world["act_ws"].pk], subject="Hello", body="Before")
    agency, agents = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    threads.party_add(actor=world["band"][Role.MEMBER], thread_id=thread.pk, to_workspace_id=agency.pk)
    threads.message_post(actor=owner, thread_id=thread.pk, body="After")
    ta = access_thread(user=agents[Role.VIEWER], thread_id=thread.pk)
    assert [m.body for m in sel.messages_for(ta)] == ["After"]
    with pytest.raises(Conflict):
        threads.party_add(actor=owner, thread_id=thread.pk, to_workspace_id=agency.pk)
    booking_thread = threads.booking_thread_get_or_create(actor=owner, booking_id=held(world).pk).thread
    with pytest.raises(Conflict):
        threads.party_add(actor=owner, thread_id=booking_thread.pk, to_workspace_id=agency.pk)


# --- messages ----------------------------------------------------------------------------------------

@pytest.fixture
def chat(world):
    """A direct thread Lantern Hall → The Owls."""
    return threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                       to_workspace_ids=[world["act_ws"].pk], subject="Hello", body="First")


def test_markdown_is_rendered_and_html_never_survives(world, chat):
    owner = world["buyer"][Role.OWNER]
    m = threads.message_post(actor=owner, thread_id=chat.pk,
                             body="**Load-in** at _17:00_\n\n- DI boxes\n- [rider](https://example.org/rider)")
    assert "<strong>Load-in</strong>" in m.body_html and "<li>DI boxes</li>" in m.body_html
    assert 'rel="noopener noreferrer nofollow"' in m.body_html
    evil = threads.message_post(actor=owner, thread_id=chat.pk,
                                body='<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))')
    assert "<script" not in evil.body_html and "<img" not in evil.body_html and "javascript:" not in evil.body_html
    assert "&lt;script&gt;" in evil.body_html  # shown as text, never as a tag
    assert evil.body.startswith("<script>")  # stored as written


def test_empty_and_oversize_messages_are_refused_and_change_nothing(world, chat):
    owner = world["buyer"][Role.OWNER]
    before = Message.objects.count()
    for body in ("", "   \n  ", "x" * 20001):
        with pytest.raises(Invalid) as refused:
            threads.message_post(actor=owner, thread_id=chat.pk, body=body)
        assert "body" in refused.value.errors
    assert Message.objects.count() == before
    assert len(threads.message_post(actor=owner, thread_id=chat.pk, body="y" * 20000).body) == 20000


# --- unread and read marks ---------------------------------------------------------------------------

def test_unread_counts_per_thread_workspace_and_person(world, chat, make_team):
    singer, drummer = world["band"][Role.OWNER], world["band"][Role.MEMBER]
    venue_owner = world["buyer"][Role.OWNER]
    threads.message_post(actor=venue_owner, thread_id=chat.pk, body="Second")
    [row] = sel.threads_for_workspace(user=singer, workspace=world["act_ws"])
    assert row.unread == 2 and row.last_body == "Second"
    assert row.last_author == (venue_owner.get_full_name() or venue_owner.email)
    assert sel.unread_threads_count(user=singer, workspace=world["act_ws"]) == 1
    assert sel.threads_for_workspace(user=venue_owner, workspace=world["venue_ws"])[0].unread == 0  # own messages

    threads.thread_mark_read(actor=singer, thread_id=chat.pk)
    assert sel.threads_for_workspace(user=singer, workspace=world["act_ws"])[0].unread == 0
    assert sel.threads_for_workspace(user=drummer, workspace=world["act_ws"])[0].unread == 2  # read marks are personal
    threads.message_post(actor=drummer, thread_id=chat.pk, body="Sounds good")
    assert sel.threads_for_workspace(user=singer, workspace=world["act_ws"])[0].unread == 1  # a bandmate's message
    assert sel.threads_for_workspace(user=venue_owner, workspace=world["venue_ws"])[0].unread == 1

    summary = sel.unread_summary(singer)
    assert summary["count"] == 1 and summary["messages"] == 1
    assert summary["workspaces"] == [{"workspace_id": world["act_ws"].pk, "slug": world["act_ws"].slug,
                                      "name": "The Owls", "threads": 1, "messages": 1}]
    assert sel.unread_summary(world["buyer"][Role.VIEWER])["count"] == 1


def test_unread_filter_and_mark_unread(world, chat):
    singer = world["band"][Role.OWNER]
    other = threads.direct_thread_start(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk,
                                        to_workspace_ids=[world["act_ws"].pk], subject="Other", body="Hi")
    threads.thread_mark_read(actor=singer, thread_id=chat.pk)
    unread = sel.threads_for_workspace(user=singer, workspace=world["act_ws"], unread=True)
    assert [t.pk for t in unread] == [other.pk]
    assert [t.pk for t in sel.threads_for_workspace(user=singer, workspace=world["act_ws"], unread=False)] == [chat.pk]
    threads.thread_mark_unread(actor=singer, thread_id=chat.pk)
    assert sel.threads_for_workspace(user=singer, workspace=world["act_ws"]).get(pk=chat.pk).unread == 1
    assert ThreadRead.objects.get(thread=chat, user=singer).last_read_at < Message.objects.filter(thread=chat).last().created_at


def test_inbox_filters_by_kind_and_searches_subject_and_parties(world, chat):
    booking = held(world)
    threads.booking_thread_get_or_create(actor=world["buyer"][Role.OWNER], booking_id=booking.pk)
    user, ws = world["buyer"][Role.OWNER], world["venue_ws"]
    assert {t.kind for t in sel.threads_for_workspace(user=user, workspace=ws)} == {"direct", "booking"}
    assert [t.kind for t in sel.threads_for_workspace(user=user, workspace=ws, kind="booking")] == ["booking"]
    assert [t.pk for t in sel.threads_for_workspace(user=user, workspace=ws, q="hell")] == [chat.pk]
    assert len(sel.threads_for_workspace(user=user, workspace=ws, q="owls")) == 2  # by party name
    assert not sel.threads_for_workspace(user=user, workspace=ws, q="nothing like it")


def test_the_inbox_is_the_workspaces_not_one_persons(world, chat, make_team):
    """A member who joins later sees the whole history of the workspace's conversations."""
    person = UserFactory()
    invitation = accounts.invitation_create(actor=world["band"][Role.OWNER], workspace_id=world["act_ws"].pk,
                                            email=person.email, role=Role.MEMBER)
    accounts.invitation_accept(user=person, token=invitation.token)
    [row] = sel.threads_for_workspace(user=person, workspace=world["act_ws"])
    assert row.pk == chat.pk
    ta = access_thread(user=person, thread_id=chat.pk)
    assert [m.body for m in sel.messages_for(ta)] == ["First"]


# --- an act that leaves a booking leaves its conversation ---------------------------------------------

@pytest.fixture
def swapped(world, make_team, fire):
    """A booking held with The Owls, whose members joined its conversation, then given to another act: The
    Owls are out, Glass Harbour in. The pipeline no longer swaps the act of a held date (a new act is a new
    hold), so the act changes as platform staff correcting a booking in the admin would change it."""
    other_ws, other_people = make_team(WorkspaceKind.ACT, name="Glass Harbour")
    owner = world["buyer"][Role.OWNER]
    booking = held(world)
    thread = threads.booking_thread_get_or_create(actor=owner, booking_id=booking.pk).thread
    with fire():
        threads.message_post(actor=world["band"][Role.OWNER], thread_id=thread.pk, body="Looking forward to it!")
    Booking.objects.filter(pk=booking.pk).update(act=other_ws.act)
    booking.refresh_from_db()
    return booking, thread, other_ws, other_people


def test_an_act_swapped_out_of_a_booking_hears_nothing_more_of_its_conversation(world, swapped, fire):
    from backline.mail.services import inbound
    from backline.notifications.models import Notification

    booking, thread, other_ws, other_people = swapped
    owls, owner = world["act_ws"], world["buyer"][Role.OWNER]
    # Before anyone opens the conversation again, the buyer's inbox no longer names The Owls as a party.
    [row] = sel.threads_for_workspace(user=owner, workspace=world["venue_ws"], kind="booking")
    assert "The Owls" not in {p.workspace.name for p in row.parties.all() if p.workspace_id}
    Notification.objects.all().delete()
    with fire():
        threads.message_post(actor=owner, thread_id=thread.pk, body="We swapped you for Glass Harbour, sorry.")
    # The Owls' members are not told, their inbox does not list it, no badge, no unread in the summary.
    assert told("message").keys().isdisjoint(ids(world["band"], *EVERY_ROLE))
    assert ids(other_people, *EVERY_ROLE) <= told("message").keys()  # the new act is
    singer = world["band"][Role.OWNER]
    assert not sel.threads_for_workspace(user=singer, workspace=owls).filter(pk=thread.pk).exists()
    assert sel.unread_threads_count(user=singer, workspace=owls) == 0
    assert sel.unread_summary(singer)["count"] == 0
    with pytest.raises(NotFound):
        access_thread(user=singer, thread_id=thread.pk)
    # … and their addresses may no longer write to it by email.
    addresses = inbound.thread_emails_of(thread)
    assert not {u.email.lower() for u in world["band"].values()} & addresses
    assert world["buyer"][Role.COORDINATOR].email.lower() in addresses
    # The buyer and the new act read on.
    glass = other_people[Role.MEMBER]
    assert sel.threads_for_workspace(user=glass, workspace=other_ws).get(pk=thread.pk).unread == 1
    assert sel.unread_summary(glass)["count"] == 1
    assert parties(thread) == {"Lantern Hall", "Glass Harbour"}


def test_an_act_held_again_later_reads_only_from_its_return(world, swapped, fire):
    booking, thread, other_ws, other_people = swapped
    owner = world["buyer"][Role.OWNER]
    threads.message_post(actor=other_people[Role.OWNER], thread_id=thread.pk, body="Glass Harbour here, our fee is 700.")
    Booking.objects.filter(pk=booking.pk).update(act=world["act"])
    threads.message_post(actor=owner, thread_id=thread.pk, body="Owls, you are back on.")
    singer = world["band"][Role.OWNER]
    ta = access_thread(user=singer, thread_id=thread.pk)
    assert [m.body for m in sel.messages_for(ta)] == ["Owls, you are back on."]  # nothing of Glass Harbour's time
    [row] = sel.threads_for_workspace(user=singer, workspace=world["act_ws"], kind="booking")
    assert row.unread == 1 and row.last_body == "Owls, you are back on."
    with pytest.raises(NotFound):
        access_thread(user=other_people[Role.OWNER], thread_id=thread.pk)


def test_a_booking_conversation_is_titled_in_words_with_the_reference_beside_it(world, fire, login_client):
    booking = held(world, days=40)
    owner = world["buyer"][Role.OWNER]
    thread = threads.booking_thread_get_or_create(actor=owner, booking_id=booking.pk).thread
    day = timezone.localtime(booking.starts_at, zone(booking.time_zone))
    assert thread.subject == f"Friday club night · {day:%a} {day.day} {day:%b %Y} · Lantern Hall"
    with fire():
        threads.message_post(actor=owner, thread_id=thread.pk, body="See you **then**, _bring_ the `rider`.")
    [note] = told("message")[world["band"][Role.OWNER].pk]
    assert note.body == "See you then, bring the rider." and "BL-" not in note.title  # plain text, no codes
    page = login_client(owner).get(f"/w/{world['venue_ws'].slug}/inbox/").content.decode()
    row = page.split('data-testid="thread-row"')[1]
    assert "Friday club night" in row.split('data-testid="thread-row-parties"')[0]
    assert booking.reference in row.split('data-testid="thread-row-parties"')[1]  # secondary text
