"""Availability, commitments, act events, date polls, calendar feeds and imports.

Everything about *when* a person can play is kept per person (a ``User``), not per act, because one
person plays in several acts. Times are stored in UTC; recurring rules keep their local wall-clock
times and IANA zone so that daylight-saving changes move them correctly."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from backline.accounts.models import Workspace, validate_time_zone
from backline.artists.models import Act, ActMember
from backline.core.models import TimeStamped
from backline.core.timeutil import moment_words, zone


def new_token() -> str:
    return secrets.token_urlsafe(24)


class State(models.TextChoices):
    FREE = "free", "Free"
    BUSY = "busy", "Busy"
    UNKNOWN = "unknown", "Unknown"


class PersonSchedule(TimeStamped):
    """A person's scheduling settings: what the time not covered by any rule or block means."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule")
    default_state = models.CharField(max_length=8, choices=State.choices, default=State.UNKNOWN)

    def __str__(self) -> str:
        return f"schedule of {self.user}"


class AvailabilityRule(TimeStamped):
    """A recurring pattern: from ``start_time`` to ``end_time`` (local wall clock in ``time_zone``) on
    every occurrence of ``rrule`` (RFC 5545) starting ``starts_on``. An ``end_time`` at or before the
    ``start_time`` runs past midnight. ``exdates`` are local dates skipped; ``ends_on`` closes the pattern
    (inclusive), which is how an edit "from a date on" splits one rule into two."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_rules")
    state = models.CharField(max_length=8, choices=[(State.FREE, "Free"), (State.BUSY, "Busy")])
    label = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    rrule = models.CharField(max_length=500, help_text="e.g. FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    exdates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["starts_on", "start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                                   name="rule_ends_after_start"),
        ]

    def __str__(self) -> str:
        from .rrule_words import describe

        words = describe(self.rrule, start_time=self.start_time, end_time=self.end_time)
        return self.label or f"{self.get_state_display()}: {words}"

    @property
    def words(self) -> str:
        """The whole pattern in one sentence, its end and skipped days said once: "Every Friday,
        17:00–01:00 (next day), until 30 June 2027, except on Fri 24 Dec 2027"."""
        from .rrule_words import describe

        return describe(self.rrule, starts_on=self.starts_on, ends_on=self.ends_on, start_time=self.start_time,
                        end_time=self.end_time, exdates=self.exdates or [])


class BlockSource(models.TextChoices):
    MANUAL = "manual", "Entered by the person"
    IMPORT = "import", "Imported calendar"


class AvailabilityBlock(TimeStamped):
    """A one-off span when a person is free or busy (a holiday, a day off). Overrides recurring rules.
    Imported personal-calendar events are busy blocks with ``source=import``: private to the person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_blocks")
    state = models.CharField(max_length=8, choices=[(State.FREE, "Free"), (State.BUSY, "Busy")])
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone], default="UTC")
    label = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=8, choices=BlockSource.choices, default=BlockSource.MANUAL)
    calendar = models.ForeignKey("ExternalCalendar", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="blocks")

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="block_ends_after_start")]
        indexes = [models.Index(fields=["user", "starts_at"]), models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {moment_words(self.starts_at, zone(self.time_zone))}"


class EventKind(models.TextChoices):
    REHEARSAL = "rehearsal", "Rehearsal"
    SHOW = "show", "Show (booked outside Backline)"
    RECORDING = "recording", "Recording"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class ActEvent(TimeStamped):
    """An act's own event (rehearsal, recording day, a show booked elsewhere). Every participant with
    an account gets a commitment, so the event makes them busy in all their other acts too."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.REHEARSAL)
    title = models.CharField(max_length=160)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    status = models.CharField(max_length=16, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    cancel_reason = models.CharField(max_length=300, blank=True)
    participants = models.ManyToManyField(ActMember, blank=True, related_name="events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start")]
        indexes = [models.Index(fields=["act", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class CommitmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    TENTATIVE = "tentative", "Tentative"
    CANCELLED = "cancelled", "Cancelled"


# Name of the PostgreSQL exclusion constraint (migration 0002) that refuses two overlapping confirmed
# exclusive commitments of one person. It is not in ``Meta.constraints`` because SQLite cannot create it.
DOUBLE_BOOKING_CONSTRAINT = "commitment_no_double_booking"


class Commitment(TimeStamped):
    """Something that makes a person busy, whichever act or agency it comes from. ``source`` names
    what created it (``act_event:<id>``, later ``booking:<id>``); one commitment per source and person.

    ``exclusive`` commitments (shows: confirmed bookings) may not overlap each other for one person
    while confirmed; non-exclusive ones (rehearsals) may overlap anything. ``services.commitments_sync``
    checks this under a row lock on every database; on PostgreSQL the exclusion constraint
    ``DOUBLE_BOOKING_CONSTRAINT`` (half-open ranges, so back-to-back shows are allowed) is the backstop."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="commitments")
    source_type = models.CharField(max_length=32)
    source_id = models.BigIntegerField()
    title = models.CharField(max_length=160)
    location = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone], default="UTC")
    status = models.CharField(max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.CONFIRMED)
    exclusive = models.BooleanField(default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="commitment_ends_after_start"),
            models.UniqueConstraint(fields=["source_type", "source_id", "user"], name="commitment_one_per_source"),
        ]
        indexes = [models.Index(fields=["user", "starts_at"]), models.Index(fields=["user", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"


class PollStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    DECIDED = "decided", "Decided"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class DatePoll(TimeStamped):
    """An act admin asks the line-up about a few candidate dates or slots."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(max_length=160)
    notes = models.TextField(blank=True, max_length=2000)
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.REHEARSAL)
    status = models.CharField(max_length=16, choices=PollStatus.choices, default=PollStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_option = models.ForeignKey("DatePollOption", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    event = models.ForeignKey(ActEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DatePollOption(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="poll_option_ends_after_start")]

    def __str__(self) -> str:
        return moment_words(self.starts_at)


class DatePollVote(models.Model):
    option = models.ForeignKey(DatePollOption, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(ActMember, on_delete=models.CASCADE, related_name="poll_votes")
    answer = models.CharField(max_length=8, choices=Answer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["option", "member"], name="poll_vote_unique")]

    def __str__(self) -> str:
        return f"{self.member}: {self.answer}"


class FeedKind(models.TextChoices):
    PERSON = "person", "My commitments"
    ACT = "act", "Act calendar"
    VENUE = "venue", "Venue shows"


class CalendarFeed(TimeStamped):
    """A secret-token iCal subscription. Rotating replaces the token; the old URL then answers 404."""

    kind = models.CharField(max_length=8, choices=FeedKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    venue = models.ForeignKey("venues.Venue", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    include_green_zone = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "user"], condition=Q(kind="person"), name="feed_one_per_person"),
            models.UniqueConstraint(fields=["kind", "workspace"], condition=Q(kind="act"), name="feed_one_per_act"),
            models.UniqueConstraint(fields=["kind", "venue"], condition=Q(kind="venue"), name="feed_one_per_venue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Not fetched yet"
    OK = "ok", "Up to date"
    ERROR = "error", "Last fetch failed"


class ExternalCalendar(TimeStamped):
    """A person's own calendar (Google, Apple, Outlook) read from its secret iCal address. Its events
    become private busy blocks; the address is a secret and is never shown to anyone else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_calendars")
    name = models.CharField(max_length=120)
    url = models.URLField(max_length=2000)
    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ShareLink(TimeStamped):
    """A revocable public link to an act's green-zone dates for a range (no names, no private data)."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    label = models.CharField(max_length=120, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    min_hours = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    window_start = models.TimeField(null=True, blank=True)
    window_end = models.TimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="share_ends_after_start")]

    def __str__(self) -> str:
        return self.label or f"share link {self.pk}"
