"""Each domain event tells the right people, in plain English, with a link to the page as they see it;
never outsiders, and never the person who did it (where the event names them)."""

import datetime as dt

import pytest

from backline.accounts import services as accounts
from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_member_add, performer_create, performer_link_user
from backline.bookings import events as booking_events
from backline.bookings import services as bookings
from backline.bookings.agency import services as agency_services
from backline.notifications.models import Notification
from backline.notifications.models import NotificationType as T
from backline.notifications.receivers import day
from backline.scheduling.services import act_events, polls
from tests.communication import BERLIN, EVERY_ROLE, held, ids, inquiry, show_time, told
from tests.factories import UserFactory


def day_of(moment):
    local = moment.astimezone(BERLIN)
    return f"{local:%a} {local.day} {local:%b}"


def both_sides(w, *, but=()):
    return (ids(w["buyer"], *EVERY_ROLE) | ids(w["band"], *EVERY_ROLE)) - set(but)


# --- invitations ----------------------------------------------------------------------------------

def test_an_invitation_tells_the_invited_person_when_they_have_an_account(world, fire, outsider):
    person = UserFactory(email="Ada@Example.org")
    owner = world["buyer"][Role.OWNER]
    Notification.objects.all().delete()
    with fire():
        invitation = accounts.invitation_create(actor=owner, workspace_id=world["venue_ws"].pk, email="ada@example.org",
                                                role=Role.MEMBER)
        accounts.invitation_create(actor=owner, workspace_id=world["venue_ws"].pk, email="nobody-yet@example.org",
                                   role=Role.MEMBER)
    notes = told(T.INVITATION)
    assert set(notes) == {person.pk}  # not the inviter, not an address without an account
    n = notes[person.pk][0]
    assert n.title == f"{owner.display_name} invited you to join Lantern Hall as member"
    assert n.url == f"/invitations/{invitation.token}/" and n.workspace_id == world["venue_ws"].pk


def test_an_invitation_with_email_chosen_is_not_emailed_twice(world, fire, mailoutbox):
    from backline.notifications.services import preference_set

    person = UserFactory()
    preference_set(actor=person, type=T.INVITATION, channel="email")
    with fire():
        accounts.invitation_create(actor=world["buyer"][Role.OWNER], workspace_id=world["venue_ws"].pk, email=person.email,
                                   role=Role.VIEWER)
    assert len([m for m in mailoutbox if person.email in m.to]) == 1  # accounts' invitation email only
    assert Notification.objects.filter(user=person, type=T.INVITATION).exists()


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_an_invitation_marks_its_notification_read(world, fire, answer):
    person, other = UserFactory(), UserFactory()
    owner = world["buyer"][Role.OWNER]
    with fire():
        invitation = accounts.invitation_create(actor=owner, workspace_id=world["venue_ws"].pk, email=person.email,
                                                role=Role.MEMBER)
        accounts.invitation_create(actor=owner, workspace_id=world["venue_ws"].pk, email=other.email, role=Role.MEMBER)
    assert Notification.objects.get(user=person, type=T.INVITATION).read_at is None
    with fire():
        getattr(accounts, f"invitation_{answer}")(user=person, token=invitation.token)
    assert Notification.objects.get(user=person, type=T.INVITATION).read_at is not None
    assert Notification.objects.get(user=other, type=T.INVITATION).read_at is None  # someone else's is still new


# --- scheduling -----------------------------------------------------------------------------------

def test_a_poll_asks_the_line_up_with_accounts_except_its_author(world, fire, outsider):
    band, ws = world["band"], world["act_ws"]
    act_member_add(actor=band[Role.OWNER], workspace_id=ws.pk, name="Session drummer")  # no account: nobody to tell
    start = show_time(9, 19)[0]
    with fire():
        poll = polls.poll_create(actor=band[Role.ADMIN], workspace_id=ws.pk, title="Rehearsal before the tour",
                                 options=[(start, start + dt.timedelta(hours=3)),
                                          (start + dt.timedelta(days=1), start + dt.timedelta(days=1, hours=3))])
    notes = told(T.POLL_OPENED)
    # the line-up: everyone who joined as more than a viewer (a viewer is not in the band), minus the author
    assert set(notes) == ids(band, Role.OWNER, Role.COORDINATOR, Role.MEMBER)
    n = notes[band[Role.MEMBER].pk][0]
    assert n.title == f"{band[Role.ADMIN].display_name} asks The Owls when you can: Rehearsal before the tour"
    assert "2 dates" in n.body and n.url == f"/w/{ws.slug}/schedule/polls/{poll.pk}/"


def test_an_act_event_tells_its_participants_and_its_cancellation_too(world, fire):
    band, ws = world["band"], world["act_ws"]
    members = {m.user_id: m.pk for m in ws.act.members.exclude(user=None)}
    chosen = [members[band[Role.OWNER].pk], members[band[Role.MEMBER].pk], members[band[Role.COORDINATOR].pk]]
    start = show_time(12, 18)[0]
    with fire():
        event = act_events.act_event_create(actor=band[Role.OWNER], workspace_id=ws.pk, title="Studio day",
                                            kind="recording", starts_at=start, ends_at=start + dt.timedelta(hours=4),
                                            participant_ids=chosen)
    notes = told(T.ACT_EVENT)
    assert set(notes) == ids(band, Role.MEMBER, Role.COORDINATOR)  # participants, not the owner who made it
    assert notes[band[Role.MEMBER].pk][0].title == f"Recording with The Owls: Studio day, {day_of(start)}, 18:00–22:00"
    assert notes[band[Role.MEMBER].pk][0].url == f"/w/{ws.slug}/schedule/events/{event.pk}/"
    with fire():
        act_events.act_event_cancel(actor=band[Role.COORDINATOR], event_id=event.pk, reason="Studio flooded")
    cancelled = told(T.ACT_EVENT, title__startswith="Cancelled")
    assert set(cancelled) == ids(band, Role.MEMBER, Role.OWNER)
    assert cancelled[band[Role.OWNER].pk][0].body == "Reason: Studio flooded. You are free again then."


# --- bookings -------------------------------------------------------------------------------------

def test_an_inquiry_tells_the_buyers_bookers_and_a_hold_tells_both_sides(world, fire, outsider):
    Notification.objects.all().delete()
    with fire():
        booking = inquiry(world, contact_name="Mia Berg", contact_email="mia@example.org")
    notes = told(T.INQUIRY)
    # Those who may act on it, except whoever logged it; never the act (it cannot see inquiries) or outsiders.
    assert set(notes) == ids(world["buyer"], Role.ADMIN, Role.COORDINATOR)
    n = notes[world["buyer"][Role.ADMIN].pk][0]
    assert n.title == "New inquiry: Friday club night" and n.body.startswith("Mia Berg · mia@example.org")
    assert n.url == f"/w/lantern-hall/bookings/{booking.pk}/"
    start, end = show_time(30)
    with fire():
        bookings.hold_place(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, starts_at=start, ends_at=end)
    notes = told(T.HOLD_PLACED)
    assert set(notes) == both_sides(world, but=[world["buyer"][Role.OWNER].pk])  # not who placed it, not outsiders
    date = day_of(start)
    for person, slug in ((world["buyer"][Role.VIEWER], "lantern-hall"), (world["band"][Role.VIEWER], "the-owls")):
        n = notes[person.pk][0]
        assert n.title == f"Lantern Hall put a 1st hold on The Owls on {date}"
        assert n.url == f"/w/{slug}/bookings/{booking.pk}/"
        assert n.workspace.slug == slug
        assert n.body.startswith("The hold runs until ")


def test_a_hold_about_to_run_out_tells_both_sides_once(world, fire, outsider, settings):
    settings.HOLD_WARNING_HOURS = 24
    booking = held(world, days=30)
    expires = booking.hold_expires_at
    Notification.objects.all().delete()
    with fire():
        assert bookings.warn_expiring_holds(now=expires - dt.timedelta(hours=25)) == 0  # not yet
        assert bookings.warn_expiring_holds(now=expires - dt.timedelta(hours=23)) == 1
        assert bookings.warn_expiring_holds(now=expires - dt.timedelta(hours=2)) == 0  # told once
    notes = told(T.HOLD_EXPIRING)
    assert set(notes) == both_sides(world)  # the clock did it: everybody on both sides
    buyer_note = notes[world["buyer"][Role.VIEWER].pk][0]
    assert buyer_note.title.startswith("The 1st hold on The Owls at Lantern Hall on ") and " runs out " in buyer_note.title
    assert buyer_note.body.startswith("Make an offer, place the hold again or release the date")
    assert notes[world["band"][Role.VIEWER].pk][0].body == "Unless the buyer acts, the date is free again then."


def test_every_booking_event_names_its_actor(world, fire):
    """The receivers believe the event's actor_id (no audit lookup): each bookings emit carries it."""
    seen = []

    def listen(sender, **payload):
        seen.append((sender, payload.get("actor_id", "missing")))

    signals = [booking_events.inquiry_logged, booking_events.hold_placed, booking_events.offer_made,
               booking_events.booking_confirmed, booking_events.booking_closed]
    for signal in signals:
        signal.connect(listen, weak=False)
    try:
        owner = world["buyer"][Role.OWNER]
        with fire():
            booking = held(world, days=33)
            bookings.offer_make(actor=owner, booking_id=booking.pk, deal_type="guarantee", guarantee="500")
            bookings.booking_cancel(actor=owner, booking_id=booking.pk, reason="Venue flooded")
    finally:
        for signal in signals:
            signal.disconnect(listen)
    assert {sender for sender, _ in seen} == {"inquiry_logged", "hold_placed", "offer_made", "booking_closed"}
    assert all(actor == owner.pk for _, actor in seen), seen


def test_the_actor_named_in_an_event_is_not_told(world, fire):
    """An event that names its actor is believed (the audit entry is only the fallback)."""
    booking = held(world)
    actor = world["buyer"][Role.COORDINATOR]
    Notification.objects.all().delete()
    booking_events.hold_placed.send(sender="hold_placed", booking_id=booking.pk, workspace_id=booking.workspace_id,
                                    rank=1, act_workspace_id=world["act_ws"].pk, actor_id=actor.pk)
    assert set(told(T.HOLD_PLACED)) == both_sides(world, but=[actor.pk])


def test_someone_in_both_workspaces_is_told_once_from_the_buyers_side(world, fire):
    both = world["band"][Role.MEMBER]
    owner = world["buyer"][Role.OWNER]
    with fire():
        invitation = accounts.invitation_create(actor=owner, workspace_id=world["venue_ws"].pk, email=both.email,
                                                role=Role.VIEWER)
        accounts.invitation_accept(user=both, token=invitation.token)
        held(world)
    notes = told(T.HOLD_PLACED)[both.pk]
    assert len(notes) == 1 and notes[0].url.startswith("/w/lantern-hall/")


def test_offers_and_counter_offers_name_who_made_them_and_the_deal(world, fire):
    booking = held(world)
    Notification.objects.all().delete()
    with fire():
        bookings.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, deal_type="guarantee",
                            guarantee="500", expires_at=booking.starts_at - dt.timedelta(days=3))
    first = told(T.OFFER)[world["band"][Role.OWNER].pk][0]
    assert first.title == f"Lantern Hall made an offer for The Owls on {day_of(booking.starts_at)}"
    assert first.body.startswith("€500 guarantee. Answer by ")
    with fire():
        bookings.offer_make(actor=world["band"][Role.OWNER], booking_id=booking.pk, deal_type="guarantee", guarantee="650")
    counter = told(T.OFFER, title__contains="counter-offer")
    assert set(counter) == both_sides(world, but=[world["band"][Role.OWNER].pk])
    n = counter[world["buyer"][Role.VIEWER].pk][0]
    assert n.title.startswith("The Owls made a counter-offer to Lantern Hall for ") and n.body == "€650 guarantee."


def test_a_confirmation_and_a_cancellation_tell_both_sides(world, fire, outsider):
    booking = held(world)
    bookings.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, deal_type="guarantee", guarantee="500")
    Notification.objects.all().delete()
    with fire():
        bookings.offer_accept(actor=world["band"][Role.OWNER], booking_id=booking.pk)
    confirmed = told(T.CONFIRMED)
    assert set(confirmed) == both_sides(world, but=[world["band"][Role.OWNER].pk])
    assert confirmed[world["buyer"][Role.MEMBER].pk][0].title.startswith("Confirmed: The Owls at Lantern Hall on ")
    with fire():
        bookings.booking_cancel(actor=world["buyer"][Role.ADMIN], booking_id=booking.pk, reason="The roof leaks")
    closed = told(T.CLOSED)
    assert set(closed) == both_sides(world, but=[world["buyer"][Role.ADMIN].pk])
    n = closed[world["band"][Role.VIEWER].pk][0]
    assert n.title.endswith(" was cancelled") and n.body == "Reason: The roof leaks"


def test_a_confirmed_show_moved_tells_both_sides_when_it_is_now_and_was(world, fire, outsider):
    booking = held(world)
    bookings.offer_make(actor=world["buyer"][Role.OWNER], booking_id=booking.pk, deal_type="guarantee", guarantee="500")
    bookings.offer_accept(actor=world["band"][Role.OWNER], booking_id=booking.pk)
    was = booking.starts_at
    Notification.objects.all().delete()
    start = was + dt.timedelta(days=1)
    with fire():
        bookings.booking_update(actor=world["buyer"][Role.ADMIN], booking_id=booking.pk, starts_at=start,
                                ends_at=start + dt.timedelta(hours=2))
        bookings.booking_update(actor=world["buyer"][Role.ADMIN], booking_id=booking.pk, notes="Parking at the back")
    moved = told(T.CONFIRMED)
    assert set(moved) == both_sides(world, but=[world["buyer"][Role.ADMIN].pk])  # told once: notes are no news
    n = moved[world["band"][Role.MEMBER].pk][0]
    assert n.title.startswith(f"The Owls at Lantern Hall moved to {day_of(start)}, ")
    assert n.body.startswith(f"It was {day_of(was)}, ") and "committed for the new time" in n.body


def test_a_lost_inquiry_or_a_cancelled_one_is_not_news_to_the_act(world, fire):
    lost, cancelled = inquiry(world), inquiry(world, title="Sunday matinee")
    Notification.objects.all().delete()
    with fire():
        bookings.inquiry_mark_lost(actor=world["buyer"][Role.ADMIN], booking_id=lost.pk, reason="They went elsewhere")
        bookings.booking_cancel(actor=world["buyer"][Role.ADMIN], booking_id=cancelled.pk, reason="Double-booked room")
    notes = told(T.CLOSED)
    assert set(notes) == ids(world["buyer"], Role.OWNER, Role.COORDINATOR, Role.MEMBER, Role.VIEWER)
    titles = {n.title for n in notes[world["buyer"][Role.VIEWER].pk]}
    assert "Inquiry “Friday club night” was marked lost" in titles


def test_releasing_the_first_hold_promotes_the_second_and_says_so(world, fire):
    start, end = show_time(45)
    first, second = inquiry(world), inquiry(world, title="Second ask")
    for b in (first, second):
        bookings.hold_place(actor=world["buyer"][Role.OWNER], booking_id=b.pk, starts_at=start, ends_at=end)
    Notification.objects.all().delete()
    with fire():
        bookings.hold_release(actor=world["buyer"][Role.OWNER], booking_id=first.pk, reason="Band split")
    promoted = told(T.HOLD_PROMOTED)
    assert set(promoted) == both_sides(world)  # the clock or a colleague moved it: nobody is named as actor
    buyer_title = promoted[world["buyer"][Role.VIEWER].pk][0].title
    assert buyer_title.startswith("Your hold on The Owls moved up to 1st at Lantern Hall on ")
    assert promoted[world["band"][Role.VIEWER].pk][0].title.startswith("Your hold moved up to 1st at Lantern Hall on ")
    assert promoted[world["band"][Role.VIEWER].pk][0].url == f"/w/the-owls/bookings/{second.pk}/"
    released = told(T.CLOSED)[world["band"][Role.VIEWER].pk][0]
    assert released.title.startswith("The hold on The Owls at Lantern Hall on ") and released.title.endswith(" was released")


def test_a_challenge_tells_only_the_first_holds_buyer(world, fire, make_team):
    promoter_ws, promoter = make_team(WorkspaceKind.PROMOTER, name="Night Owl Promotions")
    start, end = show_time(50)
    first = held(world, days=50)
    challenger = bookings.inquiry_create(actor=promoter[Role.OWNER], workspace_id=promoter_ws.pk, title="Big night",
                                         act_id=world["act"].pk, venue_id=world["venue"].pk)
    bookings.hold_place(actor=promoter[Role.OWNER], booking_id=challenger.pk, starts_at=start, ends_at=end)
    bookings.offer_make(actor=promoter[Role.OWNER], booking_id=challenger.pk, deal_type="guarantee", guarantee="900")
    Notification.objects.all().delete()
    with fire():
        bookings.hold_challenge(actor=promoter[Role.OWNER], booking_id=challenger.pk)
    notes = told(T.HOLD_CHALLENGED)
    assert set(notes) == ids(world["buyer"], *EVERY_ROLE)  # not the act, not the challenger
    n = notes[world["buyer"][Role.OWNER].pk][0]
    assert n.title.startswith("Your 1st hold on The Owls at Lantern Hall on ") and n.title.endswith(" is challenged")
    assert "Confirm The Owls or release the date by " in n.body and n.url == f"/w/lantern-hall/bookings/{first.pk}/"


@pytest.fixture
def agency(make_team):
    ws, people = make_team(WorkspaceKind.AGENCY, name="Bright Lights Agency")
    singer = performer_create(actor=people[Role.OWNER], workspace_id=ws.pk, name="Mia Sol")
    performer_link_user(actor=people[Role.OWNER], performer_id=singer.pk, user_id=people[Role.PERFORMER].pk)
    return ws, people, singer


def test_an_overridden_performer_conflict_tells_the_agencys_owners_and_admins(agency, fire):
    ws, people, singer = agency
    start, end = show_time(20)
    owner = people[Role.OWNER]
    gig = bookings.inquiry_create(actor=owner, workspace_id=ws.pk, title="Wedding Berger", starts_at=start, ends_at=end)
    agency_services.performer_assign(actor=owner, booking_id=gig.pk, performer_id=singer.pk, payout="300")
    bookings.offer_make(actor=owner, booking_id=gig.pk, deal_type="guarantee", guarantee="1500")  # a quote out: she is busy
    clash = bookings.inquiry_create(actor=owner, workspace_id=ws.pk, title="Gala", starts_at=start, ends_at=end)
    Notification.objects.all().delete()
    with fire():
        agency_services.performer_assign(actor=people[Role.ADMIN], booking_id=clash.pk, performer_id=singer.pk,
                                         payout="300", override_reason="She can do both sets")
    notes = told(T.PERFORMER_CONFLICT)
    # owners and admins (not coordinators, members, viewers or the performer), but not the admin who did it
    assert set(notes) == ids(people, Role.OWNER)
    n = notes[owner.pk][0]
    on = day(start, gig.time_zone)
    assert n.title == f"Mia Sol is booked twice: “Gala” on {on} and “Wedding Berger” on {on}"
    assert clash.reference in n.body and clash.reference not in n.title
    assert n.url == f"/w/{ws.slug}/bookings/{clash.pk}/"


def test_a_refused_double_booking_tells_nobody(agency, fire):
    """Without an override the assignment is refused and rolled back, its event with it; whoever tried
    got the refusal naming the other booking."""
    from backline.core.errors import Conflict

    ws, people, singer = agency
    start, end = show_time(21)
    owner = people[Role.OWNER]
    gig = bookings.inquiry_create(actor=owner, workspace_id=ws.pk, title="Wedding Berger", starts_at=start, ends_at=end)
    agency_services.performer_assign(actor=owner, booking_id=gig.pk, performer_id=singer.pk, payout="300")
    bookings.offer_make(actor=owner, booking_id=gig.pk, deal_type="guarantee", guarantee="1500")
    clash = bookings.inquiry_create(actor=owner, workspace_id=ws.pk, title="Gala", starts_at=start, ends_at=end)
    with fire(), pytest.raises(Conflict):
        agency_services.performer_assign(actor=people[Role.COORDINATOR], booking_id=clash.pk, performer_id=singer.pk,
                                         payout="300")
    assert not told(T.PERFORMER_CONFLICT)


def test_a_quote_tells_the_agency_only(agency, fire):
    ws, people, _ = agency
    start, end = show_time(25)
    gig = bookings.inquiry_create(actor=people[Role.OWNER], workspace_id=ws.pk, title="Wedding Novak", starts_at=start,
                                  ends_at=end)
    with fire():
        bookings.offer_make(actor=people[Role.COORDINATOR], booking_id=gig.pk, deal_type="guarantee", guarantee="1200")
    notes = told(T.OFFER)
    assert set(notes) == ids(people, Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER)  # not the coordinator who quoted
    assert notes[people[Role.OWNER].pk][0].title.startswith("Quote v1 for Wedding Novak on ")


def test_a_receiver_never_breaks_the_work_that_announced_it(world, fire, monkeypatch):
    """A failing receiver is logged (send_robust); the booking is placed all the same."""
    from backline.notifications import receivers

    monkeypatch.setattr(receivers, "notify", lambda **_: 1 / 0)
    with fire():
        booking = held(world)
    booking.refresh_from_db()
    assert booking.status == "hold"


def test_times_name_the_shows_clock_only_for_readers_who_live_elsewhere_never_as_a_code(world, fire):
    band, ws = world["band"], world["act_ws"]
    away = band[Role.COORDINATOR]
    away.time_zone = "Europe/Lisbon"
    away.save(update_fields=["time_zone"])
    members = {m.user_id: m.pk for m in ws.act.members.exclude(user=None)}
    start = show_time(12, 18)[0]
    with fire():
        act_events.act_event_create(actor=band[Role.OWNER], workspace_id=ws.pk, title="Studio day", kind="recording",
                                    starts_at=start, ends_at=start + dt.timedelta(hours=4),
                                    participant_ids=[members[band[Role.MEMBER].pk], members[away.pk]])
    notes = told(T.ACT_EVENT)
    at_home, elsewhere = notes[band[Role.MEMBER].pk][0].title, notes[away.pk][0].title
    assert at_home.endswith(", 18:00–22:00")  # a Berlin reader of a Berlin act: no zone named
    assert elsewhere.endswith(", 18:00–22:00 (Berlin time)")
    for title in (at_home, elsewhere):
        assert f"{start.astimezone(BERLIN):%Z}" not in title and "GMT" not in title
