"""The deal pipeline: one ``Booking`` carries a show from the first inquiry through holds, offers and
counter-offers to a confirmed show; every version of the deal is an ``Offer``. Agencies keep
``Client`` and ``Package`` records and assign ``Performer`` s to bookings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from backline.accounts.models import Workspace, validate_time_zone
from backline.artists.models import Act, Performer
from backline.core.models import TimeStamped
from backline.venues.models import Stage as Room
from backline.venues.models import Venue

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Client(TimeStamped):
    """Who pays an agency for a show: a person or a company, with their booking history."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=120)
    company = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    city_name = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["workspace", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class Package(TimeStamped):
    """A priced offering of an agency: duration, line-up size, price. Deactivated, never deleted."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(15), MaxValueValidator(24 * 60)])
    performer_count = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="EUR")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_active", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    INQUIRY = "inquiry", "Inquiry"
    HOLD = "hold", "Hold"
    OFFER = "offer", "Offer out"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Played"
    LOST = "lost", "Lost"
    RELEASED = "released", "Hold released"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (Status.INQUIRY, Status.HOLD, Status.OFFER)
LIVE_STATUSES = (Status.HOLD, Status.OFFER, Status.CONFIRMED)
# The stages at which a booking claims its agency performers for the assignment check and the "who is
# busy" view: every stage that is not closed (an inquiry with its times set counts: agency work often
# goes from inquiry to confirmed directly) and a show already played. Lost, released, declined, expired
# and cancelled bookings free the time. Confirming is the hard gate (``Engagement``); this check is the
# early warning that an owner or admin may override with a written reason.
CLAIMING_STAGES = (Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED, Status.COMPLETED)


class Source(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    WEBSITE = "website", "Website form"
    REFERRAL = "referral", "Referral"
    SOCIAL = "social", "Social media"
    MARKETPLACE = "marketplace", "Backline marketplace"
    WALK_IN = "walk_in", "In person"
    BACKLINE = "backline", "Sent on Backline"  # the act asked for the date (``Booking.act_asked``)
    PRESS_KIT = "press_kit", "Asked through the act's press kit"  # the act sees it from the start
    OTHER = "other", "Other"


class Booking(TimeStamped):
    """A show on its way: inquiry → hold → offer ⇄ counter-offer → confirmed → played, or ended early
    (lost, released, declined, expired, cancelled) with a reason. ``workspace`` is the buyer's side
    (venue, promoter or agency) that logged it; ``act`` the act booked, whose members see it from the
    hold on. An agency's bookings name performers through assignments instead of an act."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="bookings")
    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=160)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INQUIRY, db_index=True)
    act = models.ForeignKey(Act, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings")
    # The inquiry: who asked, how, for when, for how much.
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EMAIL)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    budget = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="EUR")
    notes = models.TextField(blank=True, max_length=5000)
    # The act asked the buyer for the date (``services.inquiry_request``): its workspace sees the inquiry
    # from the start, since it is the act's own request, not only from the hold on.
    act_asked = models.BooleanField(default=False)
    # The agency that asked on the act's behalf (an agency representing the act, ``artists.Representation``):
    # it sees the booking while it represents the act (``permissions.agency_sees``).
    asked_by_workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    # The show, once a date is held.
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Holds: rank among the holds on the same venue and date; expiry; a challenge from a lower hold.
    hold_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    hold_warned_at = models.DateTimeField(null=True, blank=True)  # when both sides were told it runs out soon
    challenge_deadline = models.DateTimeField(null=True, blank=True)
    challenged_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    contract_issued_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # What search matches (``indexing.booking_text``), kept by ``indexing.index_booking``; on PostgreSQL a GIN
    # index over its ``to_tsvector('simple', ...)`` (migration 0003) serves the full-text search.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "date_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                                   name="booking_ends_after_start"),
            models.CheckConstraint(condition=Q(date_to__isnull=True) | Q(date_to__gte=F("date_from")),
                                   name="booking_date_range"),
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "starts_at"]),
            models.Index(fields=["act", "starts_at"]),
            models.Index(fields=["venue", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class OfferStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    SUPERSEDED = "superseded", "Countered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class Side(models.TextChoices):
    BUYER = "buyer", "Buyer"
    ACT = "act", "Act"


class Offer(TimeStamped):
    """One version of the deal (an offer, a counter-offer or an agency's quote). Versions are never
    edited: a change is a new version, so the history reads side by side."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="offers")
    version = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=8, choices=Side.choices)
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.PROPOSED)
    deal_type = models.CharField(max_length=12)
    currency = models.CharField(max_length=3)
    guarantee = models.DecimalField(**MONEY, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)
    basis = models.CharField(max_length=8, default="net")
    expenses = models.DecimalField(**MONEY, default=0)
    bonuses = models.JSONField(default=list, blank=True)  # [{"tickets": 300, "amount": "250.00"}]
    deposit_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)
    deposit_due = models.DateField(null=True, blank=True)
    ticket_price = models.DecimalField(**MONEY, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    radius_km = models.PositiveIntegerField(null=True, blank=True)
    radius_days = models.PositiveIntegerField(null=True, blank=True)
    set_minutes = models.PositiveIntegerField(null=True, blank=True)
    load_in = models.TimeField(null=True, blank=True)
    doors = models.TimeField(null=True, blank=True)
    curfew = models.TimeField(null=True, blank=True)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(blank=True, max_length=2000)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The act's riders in force when the offer was accepted (``offer_accept``): what was agreed stays readable
    # when the act publishes a newer version.
    technical_rider = models.ForeignKey("artists.Rider", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    hospitality_rider = models.ForeignKey("artists.Rider", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    # Files from the sender's media library sent with this version (a tech pack, a stage plot, a contract
    # annex): both sides download them from the booking (``offer_files``).
    attachments = models.ManyToManyField("media.Asset", blank=True, related_name="offers")

    class Meta:
        ordering = ["booking", "version"]
        constraints = [models.UniqueConstraint(fields=["booking", "version"], name="offer_version_unique")]

    def __str__(self) -> str:
        return f"{self.booking.reference} v{self.version}"


class Assignment(TimeStamped):
    """An agency performer on a booking, with what they are paid. An override of a double-booking
    is allowed only with a written reason, which stays on the assignment and in the audit log."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="assignments")
    performer = models.ForeignKey(Performer, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=120, blank=True)
    payout = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    currency = models.CharField(max_length=3, default="EUR")
    override_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["booking", "performer__name"]
        constraints = [models.UniqueConstraint(fields=["booking", "performer"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.performer} on {self.booking.reference}"


class Advance(TimeStamped):
    """The week-before logistics of a confirmed show, shared by both sides; printed as the day sheet."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="advance")
    load_in = models.TimeField(null=True, blank=True)
    soundcheck = models.TimeField(null=True, blank=True)
    doors = models.TimeField(null=True, blank=True)
    set_times = models.TextField(blank=True, max_length=2000, help_text="One line a slot, e.g. 21:00 The Owls (75 min)")
    changeover_minutes = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(240)])
    curfew = models.TimeField(null=True, blank=True)
    parking = models.TextField(blank=True, max_length=1000)
    contacts = models.TextField(blank=True, max_length=1000, help_text="Day-of contacts: name, role, phone")
    hospitality = models.TextField(blank=True, max_length=2000)
    guest_list = models.TextField(blank=True, max_length=2000, help_text="One name a line (+1s noted)")
    backline = models.TextField(blank=True, max_length=2000, help_text="What the venue provides and what the act brings")
    notes = models.TextField(blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"advance of {self.booking.reference}"


# Names of the PostgreSQL exclusion constraints (migration 0005) that refuse two overlapping exclusive
# engagements of one performer or of one act. Not in ``Meta.constraints`` because SQLite cannot create
# them; there ``services.sync_commitments`` under IMMEDIATE transactions is the rule.
PERFORMER_OVERLAP_CONSTRAINT = "engagement_performer_no_overlap"
ACT_OVERLAP_CONSTRAINT = "engagement_act_no_overlap"


class Engagement(models.Model):
    """A confirmed (or played) booking's claim on an act as a whole or on one agency performer for the
    show's time, whoever has an account: the double-booking rule for those who are not (only) users
    (ADR 0008). Rows exist while the booking is confirmed or played and are written only by
    ``services.sync_commitments``. ``exclusive`` rows of one act or one performer never overlap
    (half-open spans: back-to-back shows are fine); an assignment an admin overrode with a written
    reason claims the performer without exclusivity, so the override stands, but it still blocks
    later confirmations of that performer."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="engagements")
    act = models.ForeignKey(Act, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    performer = models.ForeignKey(Performer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    exclusive = models.BooleanField(default=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(act__isnull=False, performer__isnull=True)
                                   | Q(act__isnull=True, performer__isnull=False), name="engagement_act_or_performer"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="engagement_ends_after_start"),
            models.UniqueConstraint(fields=["booking", "act"], condition=Q(act__isnull=False),
                                    name="engagement_one_per_act"),
            models.UniqueConstraint(fields=["booking", "performer"], condition=Q(performer__isnull=False),
                                    name="engagement_one_per_performer"),
        ]
        indexes = [models.Index(fields=["act", "starts_at"]), models.Index(fields=["performer", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.act_id or self.performer_id} on booking {self.booking_id}"
