"""Secret-token iCal feeds (RFC 5545): a person's commitments, an act's events, a venue's public shows.

The builders turn rows into calendars with the ``icalendar`` library; the services create, rotate and
configure ``CalendarFeed`` rows. A feed's token is its only secret: whoever holds the URL reads the
feed, so a feed carries only what every holder may see (an act feed never shows anyone's personal
blocks or imported-calendar titles). Every time is written in its IANA zone with a TZID and a
VTIMEZONE, or in UTC; never floating."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, Timezone

from backline.accounts.permissions import SCHEDULE_VIEW, WORKSPACE_EDIT, WORKSPACE_VIEW, access_workspace
from backline.artists.models import Act
from backline.core import audit
from backline.core.errors import Invalid, NotFound
from backline.core.timeutil import FEED_HORIZON_DAYS, MAX_RANGE_DAYS
from backline.core.timeutil import zone as named_zone
from backline.venues.models import Venue

from . import selectors
from .models import ActEvent, CalendarFeed, Commitment, CommitmentStatus, EventStatus, FeedKind, new_token

PRODID = "-//Backline//Backline//EN"
HISTORY = dt.timedelta(days=90)  # how far back a feed reaches; later events are all included…
# …up to the horizon: dates beyond what can be planned (``core.timeutil.check_planned``) are skipped, so a
# row stored before that bound (year 9999) or read from an imported calendar never breaks a feed.
HORIZON = dt.timedelta(days=FEED_HORIZON_DAYS)
LONGEST = dt.timedelta(days=MAX_RANGE_DAYS)  # no span the product accepts is longer
REFRESH = dt.timedelta(hours=1)  # the refresh interval suggested to subscribers (X-PUBLISHED-TTL says the same)
UTC = dt.UTC
log = logging.getLogger(__name__)


# Functions ``fn(venue)`` → items for the venue feed (see ``venue_calendar``). The bookings module
# registers its confirmed public shows here; with none registered a venue feed is an empty calendar.
_VENUE_FEED_SOURCES: list[Callable[[Venue], Iterable]] = []

# Functions ``fn(act, start, end)`` → items on the act's schedule besides its own events (see
# ``act_schedule_items``). Bookings registers the act's holds, offers and shows here.
_ACT_SCHEDULE_SOURCES: list[Callable[[Act, dt.datetime | None, dt.datetime | None], Iterable]] = []

_COMMITMENT_STATUS = {
    CommitmentStatus.CONFIRMED: "CONFIRMED",
    CommitmentStatus.TENTATIVE: "TENTATIVE",
    CommitmentStatus.CANCELLED: "CANCELLED",
}
_EVENT_STATUS = {EventStatus.SCHEDULED: "CONFIRMED", EventStatus.CANCELLED: "CANCELLED"}
_ITEM_STATUS = {"confirmed": "CONFIRMED", "scheduled": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED",
                "canceled": "CANCELLED"}


# --- building calendars ---------------------------------------------------------------------------------

def _zone(name: str | None) -> dt.tzinfo:
    """The IANA zone ``name``. A feed must never fail: calendar apps drop a subscription that errors, and
    one bad row would hide every other event. Zones are validated when stored, so an unknown one means
    tzdata lost it; the event is then written in UTC, which is still the exact same instant, and logged."""
    try:
        return named_zone(name or "UTC")
    except Invalid:
        log.warning("calendar feed: unknown time zone %r, writing UTC instead", name)
        return UTC


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UTC).replace(microsecond=0)


class _CalendarBuilder:
    """One VCALENDAR: its header, its events, and a VTIMEZONE for every zone an event uses."""

    def __init__(self, name: str, time_zone: str | None):
        self.calendar = Calendar()
        self.calendar.add("prodid", PRODID)
        self.calendar.add("version", "2.0")
        self.calendar.add("calscale", "GREGORIAN")
        self.calendar.add("name", name)
        self.calendar.add("x-wr-calname", name)
        self.calendar.refresh_interval = REFRESH
        self.calendar.add("x-published-ttl", "PT1H")
        self.time_zone = time_zone
        self.now = timezone.now()
        self.first = self.last = self.now.date()
        self.earliest, self.latest = self.now - HISTORY - LONGEST, self.now + HORIZON

    def add_event(self, *, uid: str, summary: str, starts_at: dt.datetime, ends_at: dt.datetime, time_zone: str | None,
                  stamp: dt.datetime | None = None, created: dt.datetime | None = None, sequence: int = 0,
                  status: str | None = None, location: str = "", description: str = "",
                  categories: list[str] | None = None, transparent: bool = False) -> Event | None:
        """The event, or ``None`` when its times lie beyond what a calendar can hold (skipped and logged:
        one absurd row must never take the whole feed down)."""
        if not (starts_at and ends_at and self.earliest <= starts_at < ends_at <= self.latest):
            log.warning("calendar feed: skipping %s, its times (%r to %r) are out of range", uid, starts_at, ends_at)
            return None
        zone = _zone(time_zone)
        try:
            start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        except OverflowError:
            log.warning("calendar feed: skipping %s, its times overflow in %s", uid, time_zone)
            return None
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", _utc(stamp or self.now))
        if stamp is not None:
            event.add("last-modified", _utc(stamp))
        if created is not None:
            event.add("created", _utc(created))
        event.add("sequence", int(sequence or 0))
        event.add("summary", summary)
        event.add("dtstart", start)
        event.add("dtend", end)
        if location:
            event.add("location", location)
        if description:
            event.add("description", description)
        if status:
            event.add("status", status)
        if categories:
            event.add("categories", categories)
        event.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
        self.calendar.add_component(event)
        self.first = min(self.first, start.date())
        self.last = max(self.last, end.date())
        return event

    def to_ical(self) -> bytes:
        # Whole years around the events, so the VTIMEZONE text stays stable between regenerations.
        first = dt.date(max(self.first, self.earliest.date()).year - 1, 1, 1)
        last = dt.date(min(self.last, self.latest.date()).year + 2, 1, 1)
        self.calendar.add_missing_timezones(first_date=first, last_date=last)
        missing = self.calendar.get_missing_tzids()
        if missing:  # a zone the library cannot describe: never publish a TZID without its VTIMEZONE
            raise ValueError(f"No VTIMEZONE for {', '.join(sorted(missing))}.")
        # The owner's zone is named and described too, so clients show the calendar in it and even an
        # empty calendar holds a component (RFC 5545 asks for at least one).
        if self.time_zone and self.time_zone != "UTC" and _zone(self.time_zone) is not UTC:
            self.calendar.add("x-wr-timezone", self.time_zone)
            if self.time_zone not in {tz.tz_name for tz in self.calendar.timezones}:
                self.calendar.subcomponents.insert(
                    0, Timezone.from_tzid(self.time_zone, first_date=first, last_date=last))
        return self.calendar.to_ical()


def _window_start() -> dt.datetime:
    return timezone.now() - HISTORY


def _window_end() -> dt.datetime:
    return timezone.now() + HORIZON


def person_calendar(user) -> bytes:
    """Everything the person is committed to, in every act and agency, from 90 days back onward.
    Cancelled commitments stay in the feed with STATUS:CANCELLED so subscribers remove them."""
    builder = _CalendarBuilder(f"{user.display_name} · Backline", user.time_zone)
    commitments = (Commitment.objects.filter(user=user, ends_at__gte=_window_start(), starts_at__lte=_window_end())
                   .order_by("starts_at", "id"))
    for commitment in commitments:
        builder.add_event(
            uid=f"commitment-{commitment.uid}@backline",
            summary=commitment.title,  # it names its act or agency already ("Rehearsal · The Owls")
            starts_at=commitment.starts_at, ends_at=commitment.ends_at, time_zone=commitment.time_zone,
            stamp=commitment.updated_at, created=commitment.created_at, sequence=commitment.sequence,
            status=_COMMITMENT_STATUS.get(commitment.status, "CONFIRMED"), location=commitment.location,
        )
    return builder.to_ical()


def green_zone_uid(act: Act, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """The same interval of the same act always gets the same UID, however often the feed is built."""
    return f"green-zone-{act.pk}-{_utc(starts_at):%Y%m%dT%H%M%SZ}-{_utc(ends_at):%Y%m%dT%H%M%SZ}@backline"


def act_calendar(act: Act, *, green_zone_intervals: list[tuple[dt.datetime, dt.datetime]] | None = None) -> bytes:
    """The act's own events and its shows, holds and offers (from ``register_act_schedule_source``) from
    90 days back onward and, when given, its green zone ("Everyone free",
    transparent). Only act data: never a member's personal blocks or imported-calendar titles."""
    workspace = act.workspace
    builder = _CalendarBuilder(f"{workspace.name} · Backline", workspace.time_zone)
    events = (ActEvent.objects.filter(act=act, ends_at__gte=_window_start(), starts_at__lte=_window_end())
              .order_by("starts_at", "id"))
    for event in events:
        builder.add_event(
            uid=f"act-event-{event.uid}@backline", summary=event.title,
            starts_at=event.starts_at, ends_at=event.ends_at, time_zone=event.time_zone,
            stamp=event.updated_at, created=event.created_at, sequence=event.sequence,
            status=_EVENT_STATUS.get(event.status, "CONFIRMED"), location=event.location, description=event.notes,
            categories=[event.kind],
        )
    for item in act_schedule_items(act, start=_window_start(), end=_window_end()):
        _add_item(builder, item, uid_prefix="act-show", time_zone=workspace.time_zone, location="",
                  categories=[_field(item, "kind", "show")])
    for starts_at, ends_at in sorted(green_zone_intervals or []):
        if ends_at <= starts_at:
            continue
        builder.add_event(uid=green_zone_uid(act, starts_at, ends_at), summary="Everyone free",
                          starts_at=starts_at, ends_at=ends_at, time_zone=workspace.time_zone,
                          categories=["green-zone"], transparent=True)
    return builder.to_ical()


def _field(item, name: str, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _add_item(builder: _CalendarBuilder, item, *, uid_prefix: str, time_zone: str, location: str,
              categories: list[str] | None = None) -> None:
    """An item another app registered (a show, a hold): ``time_zone`` and ``location`` are the defaults."""
    builder.add_event(
        uid=f"{uid_prefix}-{_field(item, 'uid')}@backline", summary=_field(item, "title"),
        starts_at=_field(item, "starts_at"), ends_at=_field(item, "ends_at"),
        time_zone=_field(item, "time_zone") or time_zone, stamp=_field(item, "updated_at"),
        sequence=_field(item, "sequence", 0),
        status=_ITEM_STATUS.get(str(_field(item, "status", "confirmed")).lower(), "CONFIRMED"),
        location=_field(item, "location") or location, categories=categories,
    )


def venue_calendar(venue: Venue, events: Iterable) -> bytes:
    """A venue's public shows. ``events`` are objects or dicts with ``uid``, ``sequence``, ``title``,
    ``starts_at``, ``ends_at``, ``time_zone`` and ``status`` (confirmed/tentative/cancelled); optional
    ``location`` (default: the venue) and ``updated_at`` (DTSTAMP; default: now)."""
    builder = _CalendarBuilder(f"{venue.name} · Backline", venue.time_zone)
    default_location = ", ".join(part for part in (venue.name, venue.address, venue.city_name) if part)
    for item in sorted(events, key=lambda i: (_field(i, "starts_at"), str(_field(i, "uid")))):
        _add_item(builder, item, uid_prefix="show", time_zone=venue.time_zone, location=default_location)
    return builder.to_ical()


def register_venue_feed_source(fn: Callable[[Venue], Iterable]) -> Callable[[Venue], Iterable]:
    """Add a source of venue-feed items (usable as a decorator; registering twice has no effect)."""
    if fn not in _VENUE_FEED_SOURCES:
        _VENUE_FEED_SOURCES.append(fn)
    return fn


def register_act_schedule_source(fn: Callable[[Act, dt.datetime | None, dt.datetime | None], Iterable]):
    """Add a source of items on an act's schedule (usable as a decorator; registering twice has no
    effect). Items are dicts with ``uid``, ``title``, ``starts_at``, ``ends_at``, ``time_zone``, ``status``
    (confirmed/tentative/cancelled), ``kind`` (hold, offer, show), ``stage`` (words) and ``location``;
    optional ``url`` (the act's page for it), ``updated_at`` and ``sequence``."""
    if fn not in _ACT_SCHEDULE_SOURCES:
        _ACT_SCHEDULE_SOURCES.append(fn)
    return fn


def act_schedule_items(act: Act, *, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list:
    """Everything other apps put on the act's schedule overlapping ``[start, end)``, by start."""
    items = [item for source in _ACT_SCHEDULE_SOURCES for item in source(act, start, end)]
    return sorted(items, key=lambda i: (_field(i, "starts_at"), str(_field(i, "uid"))))


def venue_feed_items(venue: Venue) -> list:
    return [item for source in _VENUE_FEED_SOURCES for item in source(venue)]


# --- reading a feed by its token ----------------------------------------------------------------------------

def feed_for_token(token: str) -> CalendarFeed:
    """The feed behind a secret URL; an unknown or rotated token is ``NotFound``."""
    feed = (CalendarFeed.objects.select_related("user", "workspace__act", "venue").filter(token=token).first()
            if token else None)
    if feed is None:
        raise NotFound("No such feed.")
    if feed.kind == FeedKind.PERSON and (feed.user is None or not feed.user.is_active):
        raise NotFound("No such feed.")
    if feed.kind == FeedKind.ACT and (feed.workspace is None or not hasattr(feed.workspace, "act")):
        raise NotFound("No such feed.")
    if feed.kind == FeedKind.VENUE and feed.venue is None:
        raise NotFound("No such feed.")
    return feed


def render_feed(feed: CalendarFeed) -> bytes:
    if feed.kind == FeedKind.PERSON:
        return person_calendar(feed.user)
    if feed.kind == FeedKind.ACT:
        act = feed.workspace.act
        intervals = selectors.green_zone_for_feed(act) if feed.include_green_zone else None
        return act_calendar(act, green_zone_intervals=intervals)
    if feed.kind == FeedKind.VENUE:
        return venue_calendar(feed.venue, venue_feed_items(feed.venue))
    raise NotFound("No such feed.")


def feed_filename(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.ACT:
        name = feed.workspace.name
    elif feed.kind == FeedKind.VENUE:
        name = feed.venue.name
    else:
        name = "my commitments"
    return f"backline-{slugify(name) or feed.kind}.ics"


# --- services ------------------------------------------------------------------------------------------------

def _fingerprint(token: str) -> str:
    """Names a token in the audit log without revealing it."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def _get_or_create(*, actor, audit_workspace_id: int | None, **lookup) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(**lookup).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():  # a savepoint: a concurrent request may create the same feed first
            feed = CalendarFeed.objects.create(**lookup)
    except IntegrityError:
        return CalendarFeed.objects.get(**lookup)
    audit.record(actor=actor, action="calendar_feed.created", obj=feed, workspace_id=audit_workspace_id,
                 after={"kind": feed.kind, "token": _fingerprint(feed.token), "include_green_zone": feed.include_green_zone})
    return feed


def _act_workspace(actor, workspace_id: int, capability: str) -> int:
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=capability)
    if not Act.objects.filter(workspace=access.workspace).exists():
        raise NotFound("This workspace is not an act.")
    return access.workspace.pk


def _venue(actor, venue_id: int, capability: str = WORKSPACE_VIEW) -> Venue:
    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    access_workspace(user=actor, workspace_id=venue.workspace_id, capability=capability)
    return venue


def feed_for_person(*, actor) -> CalendarFeed:
    """The actor's own commitments feed, created on first use."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("No such feed.")
    with transaction.atomic():
        return _get_or_create(actor=actor, audit_workspace_id=None, kind=FeedKind.PERSON, user=actor)


def feed_for_act(*, actor, workspace_id: int) -> CalendarFeed:
    """The act's feed (one per act, shared by its members), created on first use."""
    with transaction.atomic():
        ws_id = _act_workspace(actor, workspace_id, SCHEDULE_VIEW)
        return _get_or_create(actor=actor, audit_workspace_id=ws_id, kind=FeedKind.ACT, workspace_id=ws_id)


def feed_for_venue(*, actor, venue_id: int) -> CalendarFeed:
    """A venue's public-shows feed, for members of the workspace that operates it."""
    with transaction.atomic():
        venue = _venue(actor, venue_id)
        return _get_or_create(actor=actor, audit_workspace_id=venue.workspace_id, kind=FeedKind.VENUE, venue=venue)


def _locked_feed(actor, feed_id: int, *, kind: str | None = None,
                 capability: str = WORKSPACE_EDIT) -> tuple[CalendarFeed, int | None]:
    """The feed, locked, if the actor may manage it; and the workspace its audit entries belong to."""
    feeds = CalendarFeed.objects.select_for_update().filter(pk=feed_id)
    feed = (feeds.filter(kind=kind) if kind else feeds).first()
    if feed is None:
        raise NotFound("No such feed.")
    if feed.kind == FeedKind.PERSON:
        if not getattr(actor, "is_authenticated", False) or feed.user_id != actor.pk:
            raise NotFound("No such feed.")
        return feed, None
    if feed.kind == FeedKind.ACT and feed.workspace_id is not None:
        return feed, _act_workspace(actor, feed.workspace_id, capability)
    if feed.kind == FeedKind.VENUE and feed.venue_id is not None:
        return feed, _venue(actor, feed.venue_id, capability).workspace_id
    raise NotFound("No such feed.")


def feed_rotate(*, actor, feed_id: int) -> CalendarFeed:
    """Give the feed a new token: the old URL answers 404 from now on. A person rotates their own; an
    act's or venue's shared feed needs ``WORKSPACE_EDIT``, since rotating breaks every subscription."""
    with transaction.atomic():
        feed, workspace_id = _locked_feed(actor, feed_id)
        before = {"token": _fingerprint(feed.token)}
        feed.token = new_token()
        feed.save(update_fields=["token", "updated_at"])
        audit.record(actor=actor, action="calendar_feed.rotated", obj=feed, before=before,
                     after={"token": _fingerprint(feed.token)}, workspace_id=workspace_id)
    return feed


def act_feed_rotate_after_removal(*, workspace_id: int, user_id: int) -> CalendarFeed | None:
    """Someone left the act or was removed from it: they may still hold the act feed's URL, so the feed
    (if the act has one) gets a new token and the old URL answers 404. The system does this, not a
    person: the audit entry has no actor and says why."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(kind=FeedKind.ACT, workspace_id=workspace_id).first()
        if feed is None:
            return None
        before = {"token": _fingerprint(feed.token)}
        feed.token = new_token()
        feed.save(update_fields=["token", "updated_at"])
        audit.record(actor=None, action="calendar_feed.rotated", obj=feed, before=before, workspace_id=workspace_id,
                     after={"token": _fingerprint(feed.token), "reason": "member removed", "user_id": user_id})
    return feed


def feed_set_green_zone(*, actor, feed_id: int, include: bool) -> CalendarFeed:
    """Show or hide the act's green zone ("Everyone free") in its feed."""
    with transaction.atomic():
        feed, workspace_id = _locked_feed(actor, feed_id, kind=FeedKind.ACT)
        before = {"include_green_zone": feed.include_green_zone}
        if feed.include_green_zone != bool(include):
            feed.include_green_zone = bool(include)
            feed.save(update_fields=["include_green_zone", "updated_at"])
            audit.record(actor=actor, action="calendar_feed.green_zone_changed", obj=feed, before=before,
                         after={"include_green_zone": feed.include_green_zone}, workspace_id=workspace_id)
    return feed
