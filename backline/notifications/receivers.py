"""Notifications from the lower apps' domain events (accounts, scheduling, bookings). Those apps never
import notifications: they announce what happened after their transaction commits, and these receivers
decide who is told what, in plain English, with a link to the page as the recipient sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from backline.accounts import events as accounts_events
from backline.accounts.models import Invitation, Membership, User, Workspace
from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_OVERRIDE, BOOKINGS_VIEW, roles_with
from backline.artists.models import ActMember
from backline.bookings import events as booking_events
from backline.bookings.models import Booking, Offer, Side, Status
from backline.bookings.permissions import act_sees
from backline.core.audit import history_for
from backline.core.errors import Invalid
from backline.core.templatetags.when import other_zone
from backline.core.timeutil import zone
from backline.scheduling import events as scheduling_events
from backline.scheduling.models import ActEvent, DatePoll

from .models import NotificationType as T
from .services import notifications_read_in, notify

# --- wording --------------------------------------------------------------------------------------

def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day(value: dt.datetime | dt.date | None, tz_name: str = "UTC") -> str:
    """Sat 19 Dec (the local day where the show or event happens)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(zone(tz_name))
    return f"{value:%a} {value.day} {value:%b}"


def _clock(tz_name: str) -> str:
    """" (Lisbon time)" when the show's clock is not the reader's (the active zone: see ``_by_zone``),
    else nothing, as on the booking's page; never a code such as "CET"."""
    label = other_zone(tz_name)
    return f" ({label})" if label else ""


def moment(value: dt.datetime, tz_name: str) -> str:
    """Thu 17 Dec, 20:00 — at the show's clock, named only when it is not the reader's."""
    local = value.astimezone(zone(tz_name))
    return f"{day(local)}, {local:%H:%M}{_clock(tz_name)}"


def _span(starts_at: dt.datetime, ends_at: dt.datetime, tz_name: str) -> str:
    """Sat 19 Dec, 19:00–22:00 (Lisbon time, when the reader lives elsewhere)."""
    a, b = starts_at.astimezone(zone(tz_name)), ends_at.astimezone(zone(tz_name))
    end = f"{b:%H:%M}" if a.date() == b.date() else f"{day(b)} {b:%H:%M}"
    return f"{day(a)}, {a:%H:%M}–{end}{_clock(tz_name)}"


def _by_zone(users):
    """The users in groups of one time zone, each while that zone is the active one: a text written in
    the loop names a show's clock only for the readers who live at another."""
    groups: dict[str, list] = {}
    for u in users:
        groups.setdefault(u.time_zone or "UTC", []).append(u)
    for tz_name, group in groups.items():
        try:
            tz = zone(tz_name)
        except Invalid:  # a stored zone was checked when saved; never lose a notification over one
            tz = dt.UTC
        with timezone.override(tz):
            yield group


class Show:
    """How a booking is named in a sentence: who plays, where, when."""

    def __init__(self, booking: Booking):
        self.booking = booking
        self.act = booking.act.workspace.name if booking.act_id else booking.title
        self.buyer = booking.workspace.name
        self.venue = booking.venue.name if booking.venue_id else booking.location
        when = booking.starts_at or booking.date_from
        self.date = day(when, booking.time_zone) if when else ""

    @property
    def on(self) -> str:
        return f" on {self.date}" if self.date else ""

    @property
    def at(self) -> str:
        return f" at {self.venue}" if self.venue else ""

    def full(self) -> str:
        """The Owls at Lantern Hall on Sat 19 Dec."""
        return f"{self.act}{self.at}{self.on}"


# --- who is told ----------------------------------------------------------------------------------

@dataclass
class Audience:
    """The people of one side of a booking who are told, and the workspace they see it from."""

    workspace: Workspace
    side: str  # Side.BUYER or Side.ACT
    users: list


def _booking(booking_id: int) -> Booking | None:
    return Booking.objects.select_related("workspace", "act__workspace", "venue").filter(pk=booking_id).first()


def _actor_id(booking: Booking, payload: dict, actions: tuple[str, ...]) -> int | None:
    """Who did it: the event's ``actor_id``; until the bookings events carry one, the person on the audit
    entry that the same transaction wrote for this very change (one indexed query; none for the clock)."""
    if "actor_id" in payload:
        return payload["actor_id"]
    if not actions:
        return None
    return history_for(booking).filter(action__in=actions).values_list("actor_id", flat=True).first()


def _sides(booking: Booking, payload: dict, *, actions: tuple[str, ...] = (), capability: str = BOOKINGS_VIEW,
           act_side: bool = True) -> list[Audience]:
    """The people of the buyer's workspace and of the act's (from the hold on, as they see it) whose role
    holds ``capability``, except the actor. Someone in both workspaces is told once, as the buyer (who
    owns the record), exactly as ``access_booking`` decides. One query (and one to find the actor)."""
    workspaces = {booking.workspace_id: Side.BUYER}
    act_workspace_id = payload.get("act_workspace_id") or (booking.act.workspace_id if booking.act_id else None)
    if act_side and act_workspace_id and act_sees(booking):
        workspaces.setdefault(act_workspace_id, Side.ACT)
    memberships = (Membership.objects.filter(workspace_id__in=workspaces, role__in=roles_with(capability),
                                             user__is_active=True)
                   .select_related("user", "workspace").order_by("user_id"))
    actor_id, seen, out = _actor_id(booking, payload, actions), set(), []
    by_workspace: dict[int, list[Membership]] = {ws: [] for ws in workspaces}
    for m in memberships:
        by_workspace[m.workspace_id].append(m)
    for ws_id, side in sorted(workspaces.items(), key=lambda item: item[1] != Side.BUYER):
        rows = [m for m in by_workspace[ws_id] if m.user_id != actor_id and m.user_id not in seen]
        seen.update(m.user_id for m in by_workspace[ws_id])
        if rows:
            out.append(Audience(rows[0].workspace, side, [m.user for m in rows]))
    return out


def _booking_url(workspace, booking: Booking) -> str:
    return reverse("booking_detail", args=[workspace.slug, booking.pk])


def _tell_sides(sides: list[Audience], booking: Booking, type: str, title, body="") -> None:
    """One ``notify`` per side: the title may be worded for the side; the link opens the booking there."""
    for s in sides:
        for users in _by_zone(s.users):
            text = title(s.side) if callable(title) else title
            notify(users=users, type=type, title=text, body=body(s.side) if callable(body) else body,
                   url=_booking_url(s.workspace, booking), workspace_id=s.workspace.pk)


# --- accounts -------------------------------------------------------------------------------------

@receiver(accounts_events.member_invited)
def on_member_invited(sender, *, invitation_id, email, actor_id=None, **_):
    """The invited person, if they have an account already (otherwise the invitation email is all)."""
    person = User.objects.filter(email__iexact=email, is_active=True).first()
    invitation = Invitation.objects.select_related("workspace", "invited_by").filter(pk=invitation_id).first()
    if person is None or invitation is None or person.pk == actor_id:
        return
    ws = invitation.workspace
    inviter = invitation.invited_by.display_name if invitation.invited_by else "Someone"
    notify(users=[person], type=T.INVITATION, emailed_already=True,
           title=f"{inviter} invited you to join {ws.name} as {invitation.get_role_display().lower()}",
           body=f"Open it to accept or decline; it is valid until {day(invitation.expires_at, person.time_zone)}.",
           url=reverse("invitation_detail", args=[invitation.token]), workspace_id=ws.pk)


@receiver(accounts_events.invitation_answered)
def on_invitation_answered(sender, *, workspace_id, user_id, **_):
    """Accepted or declined, "… invited you; open it to accept or decline" is done: it no longer shows as new."""
    notifications_read_in(user_id=user_id, type=T.INVITATION, workspace_id=workspace_id)


# --- scheduling -----------------------------------------------------------------------------------

def _line_up_users(member_qs, workspace_id: int, actor_id):
    """Line-up entries' people who are (still) members of the act's workspace, except the actor."""
    return [m.user for m in member_qs.filter(user__isnull=False, user__is_active=True,
                                               user__memberships__workspace_id=workspace_id)
            .exclude(user_id=actor_id).select_related("user").distinct()]


@receiver(scheduling_events.poll_opened)
def on_poll_opened(sender, *, poll_id, workspace_id, actor_id=None, **_):
    """Everyone in the act's line-up with an account is asked to answer."""
    poll = DatePoll.objects.select_related("act__workspace", "created_by").filter(pk=poll_id).first()
    if poll is None:
        return
    ws = poll.act.workspace
    users = _line_up_users(ActMember.objects.filter(act=poll.act), ws.pk, actor_id)
    options = poll.options.count()
    who = poll.created_by.display_name if poll.created_by else ws.name
    notify(users=users, type=T.POLL_OPENED, title=f"{who} asks {ws.name} when you can: {poll.title}",
           body=f"Answer yes, maybe or no for {options} date{'s' if options != 1 else ''}; "
                "your answers are filled in from your availability.",
           url=reverse("poll_detail", args=[ws.slug, poll.pk]), workspace_id=ws.pk)


def _act_event(event_id: int, workspace_id: int, actor_id, title, body: str) -> None:
    event = ActEvent.objects.select_related("act__workspace").filter(pk=event_id).first()
    if event is None:
        return
    ws = event.act.workspace
    users = _line_up_users(event.participants.all(), ws.pk, actor_id)
    for group in _by_zone(users):
        notify(users=group, type=T.ACT_EVENT, title=title(event, ws), body=body,
               url=reverse("act_event_detail", args=[ws.slug, event.pk]), workspace_id=ws.pk)


@receiver(scheduling_events.act_event_scheduled)
def on_act_event_scheduled(sender, *, event_id, workspace_id, actor_id=None, **_):
    _act_event(event_id, workspace_id, actor_id,
               lambda e, ws: f"{e.get_kind_display().split(' (')[0]} with {ws.name}: {e.title}, "
                             f"{_span(e.starts_at, e.ends_at, e.time_zone)}",
               "You take part, so you are busy then in your other acts and calendars too.")


@receiver(scheduling_events.act_event_cancelled)
def on_act_event_cancelled(sender, *, event_id, workspace_id, actor_id=None, reason="", **_):
    _act_event(event_id, workspace_id, actor_id,
               lambda e, ws: f"Cancelled: {e.title} with {ws.name}, {_span(e.starts_at, e.ends_at, e.time_zone)}",
               f"Reason: {reason}. You are free again then." if reason else "You are free again then.")


# --- bookings -------------------------------------------------------------------------------------

@receiver(booking_events.hold_placed)
def on_hold_placed(sender, *, booking_id, rank=None, **payload):
    booking = _booking(booking_id)
    if booking is None:
        return
    show = Show(booking)
    rank = rank or booking.hold_rank or 1
    at = show.at if show.venue != show.buyer else ""
    def until(side):
        return f"The hold runs until {moment(booking.hold_expires_at, booking.time_zone)}." if booking.hold_expires_at else ""
    _tell_sides(_sides(booking, payload, actions=("booking.hold_placed",)), booking, T.HOLD_PLACED,
                f"{show.buyer} put a {ordinal(rank)} hold on {show.act}{at}{show.on}", until)


@receiver(booking_events.hold_promoted)
def on_hold_promoted(sender, *, booking_id, **payload):
    booking = _booking(booking_id)
    if booking is None:
        return
    show = Show(booking)
    payload.pop("actor_id", None)  # whoever ended the hold ahead is told too: the date is now someone's 1st
    _tell_sides(_sides(booking, payload), booking, T.HOLD_PROMOTED,
                lambda side: (f"Your hold on {show.act} moved up to 1st{show.at}{show.on}" if side == Side.BUYER
                              else f"Your hold moved up to 1st{show.at}{show.on}"),
                "The hold ahead of it ended, so this date is yours first.")


@receiver(booking_events.hold_expiring)
def on_hold_expiring(sender, *, booking_id, expires_at=None, **payload):
    """Both sides, before the hold runs out: the buyer to confirm, extend or release; the act to know."""
    booking = _booking(booking_id)
    if booking is None or booking.hold_expires_at is None:
        return
    show = Show(booking)
    _tell_sides(_sides(booking, payload), booking, T.HOLD_EXPIRING,
                lambda side: (f"The {ordinal(booking.hold_rank or 1)} hold on {show.full()} runs out "
                              f"{moment(booking.hold_expires_at, booking.time_zone)}"),
                lambda side: ("Make an offer, place the hold again or release the date before then."
                              if side == Side.BUYER else "Unless the buyer acts, the date is free again then."))


@receiver(booking_events.inquiry_logged)
def on_inquiry_logged(sender, *, booking_id, **payload):
    """The buyer's bookers (those who may act on it), except whoever logged it."""
    booking = _booking(booking_id)
    if booking is None:
        return
    if booking.act_asked:  # the act asked on Backline: say who asks for which date, and what they wrote
        show = Show(booking)
        via = f" (via {booking.asked_by_workspace.name})" if booking.asked_by_workspace_id else ""  # an agency for the act
        title = f"{show.act}{via} asks for a date{show.at}{show.on}"
        body = " · ".join(x for x in (f"from {booking.contact_name}" if booking.contact_name else "",
                                      booking.notes[:200]) if x)
    else:
        source = booking.get_source_display().lower() if booking.source else ""
        title = f"New inquiry: {booking.title}"
        body = " · ".join(x for x in (booking.contact_name, booking.contact_email, f"by {source}" if source else "") if x)
    _tell_sides(_sides(booking, payload, capability=BOOKINGS_MANAGE, act_side=False), booking, T.INQUIRY, title, body)


@receiver(booking_events.hold_challenged)
def on_hold_challenged(sender, *, booking_id, deadline=None, **payload):
    """Only the 1st hold's buyer: they must confirm or release by the deadline."""
    booking = _booking(booking_id)
    if booking is None:
        return
    show = Show(booking)
    try:
        until = dt.datetime.fromisoformat(deadline) if deadline else None
    except ValueError:
        until = None

    def body(side):
        by = f" by {moment(until, booking.time_zone)}" if until else ""
        return (f"A lower hold has a firm offer for that date. Confirm {show.act} or release the date{by}; "
                "otherwise it is released then.")
    _tell_sides(_sides(booking, payload, actions=("booking.hold_challenged",), act_side=False), booking, T.HOLD_CHALLENGED,
                f"Your 1st hold on {show.full()} is challenged", body)


@receiver(booking_events.offer_made)
def on_offer_made(sender, *, booking_id, offer_id=None, side=None, version=1, **payload):
    from backline.bookings.deals import summary
    from backline.bookings.services import deal_of

    booking = _booking(booking_id)
    if booking is None:
        return
    show = Show(booking)
    offer = Offer.objects.filter(pk=offer_id).first() if offer_id else None
    terms = summary(deal_of(offer)) if offer else ""
    def expires():
        return f" Answer by {moment(offer.expires_at, booking.time_zone)}." if offer and offer.expires_at else ""
    if not booking.act_id:  # an agency's quote to its client
        title = f"Quote v{version} for {booking.title}{show.on}"
    else:
        maker = show.buyer if side == Side.BUYER else show.act
        what = "an offer" if version == 1 else "a counter-offer"
        title = (f"{maker} made {what} for {show.act}{show.on}" if side == Side.BUYER
                 else f"{maker} made {what} to {show.buyer}{' for ' + show.date if show.date else ''}")
    actions = ("booking.offer_made", "booking.counter_offer_made")
    _tell_sides(_sides(booking, payload, actions=actions), booking, T.OFFER, title,
                lambda side: (f"{terms}." if terms else "") + expires())


@receiver(booking_events.booking_confirmed)
def on_booking_confirmed(sender, *, booking_id, **payload):
    booking = _booking(booking_id)
    if booking is None:
        return
    _tell_sides(_sides(booking, payload, actions=("booking.confirmed",)), booking, T.CONFIRMED,
                f"Confirmed: {Show(booking).full()}",
                "The contract is issued and everyone who plays is committed for that time.")


MOVED_TYPES = {Status.HOLD: T.HOLD_PLACED, Status.OFFER: T.OFFER, Status.CONFIRMED: T.CONFIRMED}


@receiver(booking_events.booking_moved)
def on_booking_moved(sender, *, booking_id, was_starts_at, was_ends_at, **payload):
    """A held, offered or confirmed show moved (another date, time or venue): both sides, but the mover,
    are told where and when it is now and when it was (under the kind of booking news they chose)."""
    booking = _booking(booking_id)
    if booking is None or booking.status not in MOVED_TYPES or booking.starts_at is None:
        return
    show = Show(booking)
    was = dt.datetime.fromisoformat(was_starts_at), dt.datetime.fromisoformat(was_ends_at)
    then = " Everyone who plays is committed for the new time instead." if booking.status == Status.CONFIRMED else ""
    _tell_sides(_sides(booking, payload, actions=("booking.updated",)), booking, MOVED_TYPES[booking.status],
                lambda side: f"{show.act}{show.at} moved to {_span(booking.starts_at, booking.ends_at, booking.time_zone)}",
                lambda side: f"It was {_span(*was, booking.time_zone)}.{then}")


CLOSED_TITLES = {
    Status.CANCELLED: "{show} was cancelled",
    Status.DECLINED: "{show} was declined",
    Status.RELEASED: "The hold on {show} was released",
    Status.EXPIRED: "Time ran out for {show}",
    Status.LOST: "Inquiry “{title}” was marked lost",
}


CLOSED_ACTIONS = {  # expiring is the clock's doing: nobody to leave out
    Status.CANCELLED: ("booking.cancelled",), Status.DECLINED: ("booking.declined",),
    Status.RELEASED: ("booking.hold_released",), Status.LOST: ("booking.lost",),
}


@receiver(booking_events.booking_closed)
def on_booking_closed(sender, *, booking_id, status=None, reason="", **payload):
    booking = _booking(booking_id)
    if booking is None:
        return
    # The act is told only about what it saw: a hold, an offer or a show (never the buyer's inquiry).
    act_saw_it = bool(booking.hold_expires_at or booking.confirmed_at or booking.offers.exists())
    title = CLOSED_TITLES.get(status or booking.status, "{show} was closed").format(show=Show(booking).full(),
                                                                                   title=booking.title)
    actions = CLOSED_ACTIONS.get(status or booking.status, ())
    _tell_sides(_sides(booking, payload, actions=actions, act_side=act_saw_it), booking, T.CLOSED, title,
                f"Reason: {reason}" if reason else "")


@receiver(booking_events.performer_conflict)
def on_performer_conflict(sender, *, booking_id, performer_id, conflicting_booking_id=None, overridden=False, **payload):
    """The agency's owners and admins (who may override): a performer is booked twice."""
    from backline.artists.models import Performer

    booking = _booking(booking_id)
    performer = Performer.objects.filter(pk=performer_id).first()
    if booking is None or performer is None:
        return
    other = _booking(conflicting_booking_id) if conflicting_booking_id else None
    # titles and days to read; the references (BL-…) only as the secondary text of the body
    clash = f"“{other.title}”{Show(other).on}" if other else "another booking"
    refs = f" (ref. {booking.reference}{', ' + other.reference if other else ''})"
    if overridden:
        title = f"{performer.name} is booked twice: “{booking.title}”{Show(booking).on} and {clash}"
        body = f"Assigned anyway; the reason is on the assignment{refs}."
    else:
        title = f"{performer.name} is already booked for {clash}"
        body = f"The assignment to “{booking.title}” was refused{refs}."
    _tell_sides(_sides(booking, payload, actions=("assignment.created",), capability=BOOKINGS_OVERRIDE, act_side=False),
                booking, T.PERFORMER_CONFLICT, title, body)
