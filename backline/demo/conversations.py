"""The demo world's conversations, made through the conversation services: Lantern Hall and The Velvet
Owls advancing their album-release show (and the advance filled in with what the thread settled), the
Owls' support conversation with the act opening for them, Lantern Hall asking Silver Lining
Entertainment for a jazz duo, and each demo team talking among itself in its team channel (the Owls'
owner and admin also in a thread of their own about money). Re-runnable: nothing is added twice.

Messages are written now and then spread over the last days (a fresh install has no history), so the
inbox reads like a real one; the venue has the band's last message still unread."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from backline.accounts.models import User, Workspace
from backline.artists.models import Act
from backline.bookings import services as bookings
from backline.bookings.models import Booking
from backline.conversations import services as threads
from backline.conversations.models import Message, Thread, ThreadKind, ThreadRead
from backline.notifications.models import Notification

DOMAIN = "demo.example.org"
RELEASE_SHOW = "The Velvet Owls: album release"


def _user(role: str, side: str) -> User:
    return User.objects.get(email=f"{role}.{side}@{DOMAIN}")


def _spread(thread: Thread, hours_ago: list[float]) -> None:
    """Move the thread's messages (oldest first) back in time, each author's read mark with them, and the
    notifications each message sent (written between it and the next), so they name the same moment."""
    now = timezone.now()
    rows = list(Message.objects.filter(thread=thread).order_by("created_at", "id"))
    told = Notification.objects.filter(url__endswith=f"/inbox/{thread.pk}/")
    with transaction.atomic():
        for index, (message, hours) in enumerate(zip(rows, hours_ago, strict=False)):
            at = now - dt.timedelta(hours=hours)
            Message.objects.filter(pk=message.pk).update(created_at=at)
            if message.author_id:
                ThreadRead.objects.filter(thread=thread, user_id=message.author_id).update(last_read_at=at)
            sent = told.filter(created_at__gte=message.created_at)
            if index + 1 < len(rows):
                sent = sent.filter(created_at__lt=rows[index + 1].created_at)
            sent.update(created_at=at)
        first = now - dt.timedelta(hours=max(hours_ago) + 0.1)
        Thread.objects.filter(pk=thread.pk).update(created_at=first,
                                                   last_message_at=now - dt.timedelta(hours=hours_ago[len(rows) - 1]))
        thread.parties.update(joined_at=first)


def _booking_thread(booking: Booking) -> Thread:
    venue_coordinator, venue_owner = _user("coordinator", "venue"), _user("owner", "venue")
    act_coordinator, act_member = _user("coordinator", "act"), _user("member", "act")
    thread = threads.booking_thread_get_or_create(actor=venue_coordinator, booking_id=booking.pk).thread
    post = threads.message_post
    post(actor=venue_coordinator, thread_id=thread.pk,
         body="Hi all! Contract is signed, thank you. A few things for the **advance**:\n\n"
              "- Load-in from 16:00 through the yard gate on Wrangelstraße\n"
              "- Doors 20:00, you are on at 21:00 for 75 minutes\n"
              "- Curfew is strict at 23:30 (neighbours)\n\nCould you send your stage plot and input list?")
    post(actor=act_coordinator, thread_id=thread.pk,
         body="Great, thanks Lantern Hall! Stage plot and input list attached. We are five on stage, "
              "and we bring our own in-ear rig, so just 16 channels from you.",
         files=[SimpleUploadedFile("velvet-owls-input-list.csv",
                                   b"channel,source,mic,stand\n1,Kick,Beta 91,-\n2,Snare,SM57,short\n"
                                   b"3,Bass DI,DI,-\n4,Keys L,DI,-\n5,Keys R,DI,-\n6,Vox,own,tall\n")])
    post(actor=venue_owner, thread_id=thread.pk,
         body="Perfect. Merch table is by the bar; we take 10% on merch. Guest list closes at 18:00, "
              "up to 10 names please.")
    post(actor=act_member, thread_id=thread.pk,
         body="Guest list coming tomorrow. One question: can we sell the **vinyl** at the door as well? "
              "It's release night :)")
    _spread(thread, [70, 52, 30, 3])
    return thread


def _support_thread(booking: Booking, support: Act) -> Thread:
    act_coordinator = _user("coordinator", "act")
    thread = threads.support_thread_start(
        actor=act_coordinator, booking_id=booking.pk, to_workspace_ids=[support.workspace_id],
        subject="Album release night: support slot",
        body=f"Hi {support.workspace.name}! Really happy you're opening for us. You're on 20:10-20:45, changeover "
             "15 minutes. We can share the drum kit (shells only, bring your own snare and cymbals).")
    support_owner = support.workspace.memberships.get(role="owner").user
    threads.message_post(actor=support_owner, thread_id=thread.pk,
                         body="Amazing, thank you! Shells only is perfect. Two of us will need guest list spots.")
    _spread(thread, [40, 20])
    return thread


def _advance(booking: Booking, support: Act | None) -> None:
    """The advance as the booking thread settled it (load-in, doors, set, curfew, channels, merch, guest
    list), filled in by the venue's coordinator, so the day sheet says what the thread says."""
    opener = f"20:10 {support.workspace.name} (35 min)\n" if support else ""
    bookings.advance_update(
        actor=_user("coordinator", "venue"), booking_id=booking.pk, load_in=dt.time(16), soundcheck=dt.time(18),
        doors=dt.time(20), set_times=f"{opener}21:00 {booking.act.workspace.name} (75 min)",
        changeover_minutes=15 if support else None, curfew=dt.time(23, 30),
        parking="Load-in through the yard gate on Wrangelstraße; one van can stay in the yard.",
        contacts="Nora Jensen, Lantern Hall (coordinator): +49 30 5550 1234\n"
                 "Hana Tanaka, The Velvet Owls (tour manager): +49 151 5550 6789",
        hospitality="Merch table by the bar; the hall takes 10% on merch. Vinyl at the door: to be agreed.",
        guest_list="",
        backline="16 channels from the house desk; the band brings its own in-ear rig (input list in the thread)."
                 + (" The support act shares the drum kit: shells only, they bring snare and cymbals." if support else ""),
        notes="Curfew is strict at 23:30 (neighbours). Guest list closes at 18:00, up to 10 names: the band's is coming.")


def _direct_thread(venue: Workspace) -> Thread | None:
    agency = Workspace.objects.filter(name="Silver Lining Entertainment",
                                      memberships__user__email=f"owner.agency@{DOMAIN}").first()
    if venue is None or agency is None:
        return None
    thread = threads.direct_thread_start(
        actor=_user("coordinator", "venue"), workspace_id=venue.pk, to_workspace_ids=[agency.pk],
        subject="Jazz duo for Sunday brunches?",
        body="Hello Silver Lining! We're starting a Sunday jazz brunch in the café (11:00-14:00, acoustic). "
             "Do you have a duo available from next month, and what would four Sundays cost?")
    threads.message_post(actor=_user("coordinator", "agency"), thread_id=thread.pk,
                         body="Hi Lantern Hall, lovely idea. Our *Jazz duo, drinks reception* package fits: sax and "
                              "piano standards. For four Sundays we can do **£650 each**. Shall I send dates?")
    _spread(thread, [26, 6])
    return thread


# Each demo team's channel: (role of the author, message, hours ago), oldest first. Every line names
# only what the demo's bookings say (the album release at Lantern Hall, Night Shift's December and January
# shows, the agency's winter gala and product-launch inquiry), so the story agrees with itself.
CHANNELS = {
    "act": [
        ("owner", "Album release at Lantern Hall is confirmed! Set list draft is in the shared folder; "
                  "shout if you want a song swapped.", 50),
        ("admin", "Drums: I'll bring my own kit, so we only need the house backline for bass and keys.", 30),
        ("member", "Vinyl arrived today, 150 copies. I'll ask Lantern Hall whether we can sell them at the door.", 20),
        ("coordinator", "Rehearsals: Tuesday and Thursday 19:00 at the studio. Kai, can you make both?", 3),
    ],
    "venue": [
        ("owner", "The Velvet Owls' album release is our big one this month. Let's get the merch table by the "
                  "bar this time, not in the corridor.", 40),
        ("coordinator", "Noted. I'm also talking to Silver Lining about a jazz duo for Sunday brunches; "
                        "numbers in the inbox.", 26),
        ("admin", "Reminder: the PA service is booked for the Monday after, so no load-in that day.", 5),
    ],
    "promoter": [
        ("owner", "Two shows confirmed so far: The Wild Rivers in December and The Wild Riders in January. "
                  "Posters go to print on Friday.", 72),
        ("coordinator", "The Velvet Rivers still have our offer for mid-January. I'll chase them on Monday "
                        "if we hear nothing.", 28),
        ("member", "Ticket link for the December show is live; first 50 sold in a day.", 4),
    ],
    "agency": [
        ("owner", "Midland winter gala: the client liked the quote. Let's hold the string quartet for it.", 45),
        ("coordinator", "Product launch drinks came in as an inquiry yesterday; I'll put a package together.", 22),
        ("member", "Owen, Rosa can do the launch if it's before 21:00. Saxophone or piano, not both.", 6),
    ],
}
MONEY_TALK = [
    ("owner", "Between us: Lantern Hall's fee covers the album release, but barely once the van is paid. "
              "Can we ask for a bar split next time?", 12),
    ("admin", "Agreed. I'll draft the numbers before we answer their next offer.", 9),
]


def _team_channels() -> int:
    """Each demo team's channel with a few messages (and the Owls' money thread); answers how many were made."""
    made = 0
    for side, lines in CHANNELS.items():
        owner = _user("owner", side)
        workspace = (Workspace.objects.filter(memberships__user=owner, memberships__role="owner", kind=side)
                     .order_by("id").first())
        if workspace is None:
            continue
        channel = threads.internal_channel_for(workspace)
        if channel.messages.exists():
            continue
        for role, body, _ in lines:
            threads.message_post(actor=_user(role, side), thread_id=channel.pk, body=body, workspace_id=workspace.pk)
        _spread(channel, [hours for _, _, hours in lines])
        if side == "act":
            owner, admin = _user("owner", "act"), _user("admin", "act")
            money = threads.internal_thread_start(actor=owner, workspace_id=workspace.pk, subject="Fees for next year",
                                                  body=MONEY_TALK[0][1], member_ids=[admin.pk])
            threads.message_post(actor=admin, thread_id=money.pk, body=MONEY_TALK[1][1], workspace_id=workspace.pk)
            _spread(money, [hours for _, _, hours in MONEY_TALK])
        made += 1
    return made


def build(world_objects=None) -> bool:
    """Add the demo conversations; ``False`` when they are there already (or the bookings are not)."""
    _team_channels()  # also on a world made before teams had channels
    booking = (Booking.objects.select_related("act__workspace", "workspace")
               .filter(title=RELEASE_SHOW, workspace__memberships__user__email=f"owner.venue@{DOMAIN}").first())
    if booking is None:
        return False
    if Thread.objects.filter(kind=ThreadKind.BOOKING, booking=booking).exists():
        return False
    _booking_thread(booking)
    support = (Act.objects.select_related("workspace").exclude(pk=booking.act_id)
               .filter(workspace__memberships__role="owner").order_by("workspace__name").first())
    if support is not None:
        _support_thread(booking, support)
    _advance(booking, support)
    _direct_thread(booking.workspace)
    return True
