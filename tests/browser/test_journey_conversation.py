"""Talking inside Backline, in a real Chromium with two people at once. A venue's coordinator opens a
held booking's conversation from the booking page and writes; the act's member, on a phone, sees the
unread badge in the inbox, opens the conversation, and then sees new messages arrive without reloading;
the answer reaches the coordinator the same way. Markdown renders; a script typed in a message stays text."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from backline.accounts import services as accounts
from backline.accounts.models import Role
from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.conversations.models import Message, Thread, ThreadKind
from backline.core.places import find_city
from backline.venues.services import venue_workspace_create
from tests.factories import PASSWORD, UserFactory

from .conftest import PHONE
from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def held_show(site):
    berlin = find_city("Berlin", "DE").geoname_id
    owner = UserFactory(email="lena.owner@example.org", name="Lena Owner")
    venue = venue_workspace_create(actor=owner, name="Lantern Hall", capacity=400, geoname_id=berlin)
    coordinator = UserFactory(email="cora.coordinator@example.org", name="Cora Coordinator")
    invitation = accounts.invitation_create(actor=owner, workspace_id=venue.workspace_id, email=coordinator.email,
                                            role=Role.COORDINATOR)
    accounts.invitation_accept(user=coordinator, token=invitation.token)
    singer = UserFactory(email="sol.singer@example.org", name="Sol Singer")
    act = act_create(actor=singer, name="The Night Owls", geoname_id=berlin)
    drummer = UserFactory(email="max.drums@example.org", name="Max Drums")
    invitation = accounts.invitation_create(actor=singer, workspace_id=act.workspace_id, email=drummer.email,
                                            role=Role.MEMBER)
    accounts.invitation_accept(user=drummer, token=invitation.token)
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(hour=19, minute=0, second=0, microsecond=0)
    booking = bookings.inquiry_create(actor=coordinator, workspace_id=venue.workspace_id, title="Night Owls live",
                                      act_id=act.pk, venue_id=venue.pk)
    bookings.hold_place(actor=coordinator, booking_id=booking.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    return venue.workspace, act.workspace, coordinator, drummer, booking


def test_two_people_talk_about_a_booking_and_see_each_other_live(open_browser, held_show):
    venue_ws, act_ws, coordinator, drummer, booking = held_show

    # The venue's coordinator opens the booking's conversation from the booking page and writes.
    cora = open_browser()
    log_in(cora, coordinator.email, PASSWORD)
    page = cora.page
    page.goto(f"/w/{venue_ws.slug}/bookings/{booking.pk}/")
    card = page.get_by_test_id("booking-conversation")
    expect(card).to_contain_text("No messages yet")
    card.get_by_test_id("open-conversation").click()
    expect(page.get_by_test_id("thread-kind")).to_have_text("Booking")
    expect(page.get_by_test_id("thread-parties")).to_contain_text("The Night Owls")
    page.get_by_test_id("composer-body").fill("Hi Owls! Load-in is at **17:00** through the yard. <script>alert(1)</script>")
    page.get_by_test_id("composer-send").click()
    messages = page.get_by_test_id("messages")
    expect(messages.get_by_test_id("message")).to_have_count(1)
    expect(messages.locator("strong", has_text="17:00")).to_be_visible()
    expect(messages).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    expect(page.get_by_test_id("composer-body")).to_have_value("")
    cora.shot("coordinator-wrote")
    thread = Thread.objects.get(booking=booking, kind=ThreadKind.BOOKING)

    # The act's drummer, on a phone, sees the conversation unread in the inbox and opens it.
    max_ = open_browser(viewport=PHONE)
    log_in(max_, drummer.email, PASSWORD)
    phone = max_.page
    phone.goto(f"/w/{act_ws.slug}/inbox/")
    row = phone.get_by_test_id("thread-row").filter(has_text="Night Owls live")
    expect(row.get_by_test_id("thread-unread")).to_have_text("1")
    max_.shot("inbox-unread")
    row.click()
    expect(phone.get_by_test_id("messages")).to_contain_text("Load-in is at")
    expect(phone.get_by_test_id("back-to-inbox")).to_be_visible()  # phones: the conversation alone
    max_.shot("conversation-on-phone")

    # The coordinator writes again: it appears on the drummer's phone without a reload.
    page.get_by_test_id("composer-body").fill("Doors at 20:00, curfew 23:00.")
    page.get_by_test_id("composer-send").click()
    expect(phone.get_by_test_id("messages")).to_contain_text("Doors at 20:00", timeout=10_000)
    expect(phone.get_by_test_id("message")).to_have_count(2)

    # The drummer answers; it appears for the coordinator, live too.
    phone.get_by_test_id("composer-body").fill("Perfect, see you at 17:00!")
    phone.get_by_test_id("composer-send").click()
    expect(phone.get_by_test_id("message")).to_have_count(3)
    expect(page.get_by_test_id("messages")).to_contain_text("Perfect, see you at 17:00!", timeout=10_000)
    expect(page.get_by_test_id("message")).to_have_count(3)  # each message once, however it arrived
    cora.shot("answer-arrived")
    max_.shot("after-answer")

    # Back in the inbox, the drummer's unread badge appears by itself when the venue writes again.
    phone.goto(f"/w/{act_ws.slug}/inbox/")
    expect(phone.get_by_test_id("thread-row").filter(has_text="Night Owls live").get_by_test_id("thread-unread"))\
        .to_have_count(0)
    page.get_by_test_id("composer-body").fill("One more thing: parking is behind the hall.")
    page.get_by_test_id("composer-send").click()
    expect(phone.get_by_test_id("thread-row").filter(has_text="Night Owls live").get_by_test_id("thread-unread"))\
        .to_have_text("1", timeout=25_000)
    max_.shot("inbox-badge-live")

    assert list(Message.objects.filter(thread=thread).values_list("author_id", flat=True)) == [
        coordinator.pk, coordinator.pk, drummer.pk, coordinator.pk]
    assert_clean(cora)
    assert_clean(max_)
