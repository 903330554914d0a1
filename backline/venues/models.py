from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backline.accounts.models import Workspace
from backline.core.models import Located, TimeStamped
from backline.media.models import Asset


class Visibility(models.TextChoices):
    """Who sees a venue's public page (/v/<slug>/). Public by default: a venue is a business that wants
    to be found; the page shows only what the venue itself filled in and its confirmed shows."""

    PUBLIC = "public", "Public: listed and open to everyone"
    UNLISTED = "unlisted", "Unlisted: only people with the link (search engines kept out)"
    PRIVATE = "private", "Private: only your team"


MAX_GENRES = 12


class Venue(Located, TimeStamped):
    """A place with one or more stages. A venue workspace operates one or more venues."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200_000)])
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True, max_length=5000)
    # The public page's address (/v/<slug>/): readable, made from name and city, editable.
    slug = models.SlugField(max_length=80, unique=True, null=True, blank=True,
                            help_text="The address of your public page: letters, digits and hyphens")
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    # Genre names the venue books, as it words them (up to MAX_GENRES; checked in services).
    genres = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200_000)])

    # The tech spec. Every part is optional: empty means "not stated", never "none".
    width_m = models.DecimalField("Width (m)", max_digits=5, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))])
    depth_m = models.DecimalField("Depth (m)", max_digits=5, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))])
    height_m = models.DecimalField("Clear height (m)", max_digits=5, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("40"))])
    pa_make = models.CharField("PA", max_length=120, blank=True, help_text="Make and model, e.g. d&b Y-Series")
    pa_power_w = models.PositiveIntegerField("PA power (W)", null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(500_000)])
    console = models.CharField("Mixing desk", max_length=120, blank=True, help_text="Make and model, e.g. Allen & Heath SQ-5")
    inputs = models.PositiveSmallIntegerField("Inputs", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(256)])
    monitor_mixes = models.PositiveSmallIntegerField("Monitor mixes", null=True, blank=True,
                                                     validators=[MaxValueValidator(64)])
    backline_available = models.JSONField(default=list, blank=True)  # BacklineItem values
    backline_notes = models.TextField("Backline notes", max_length=1000, blank=True)
    power_outlets = models.PositiveSmallIntegerField("Power outlets on stage", null=True, blank=True,
                                                     validators=[MaxValueValidator(200)])
    three_phase = models.BooleanField("Three-phase power", null=True, blank=True)
    lighting = models.TextField("Lighting", max_length=1000, blank=True)
    load_in_distance_m = models.PositiveSmallIntegerField("Load-in distance (m)", null=True, blank=True,
                                                          validators=[MaxValueValidator(1000)])
    load_in_steps = models.PositiveSmallIntegerField("Steps on the way in", null=True, blank=True,
                                                     validators=[MaxValueValidator(500)])
    load_in_lift = models.BooleanField("Goods lift", null=True, blank=True)
    load_in_notes = models.TextField("Load-in notes", max_length=1000, blank=True)
    curfew = models.TimeField("Curfew (local time)", null=True, blank=True)
    capacity_standing = models.PositiveIntegerField("Standing capacity", null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(200_000)])
    capacity_seated = models.PositiveIntegerField("Seated capacity", null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(200_000)])
    step_free = models.BooleanField("Step-free access", null=True, blank=True)
    accessible_toilet = models.BooleanField("Accessible toilet", null=True, blank=True)
    hearing_loop = models.BooleanField("Hearing loop", null=True, blank=True)
    accessibility_notes = models.TextField("Accessibility notes", max_length=1000, blank=True)
    photos = models.ManyToManyField(Asset, blank=True, related_name="stage_photos")
    documents = models.ManyToManyField(Asset, blank=True, related_name="stage_documents")  # the tech pack

    class Meta:
        ordering = ["-capacity", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="stage_name_unique")]

    def __str__(self) -> str:
        return f"{self.venue.name}: {self.name}"


# --- Verification (trust): a venue is unverified, vouched for by acts that played a confirmed show there
# on Backline (``settings.VENUE_VOUCHES_REQUIRED``), or verified by the platform (staff approved a
# request with evidence). The level (``core.trust.TrustLevel``) is read through ``venues.trust``.

class VerificationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    REVOKED = "revoked", "Verification withdrawn"


class VerificationRequest(TimeStamped):
    """A venue asks Backline to verify it, with evidence; staff approve or reject it (``workflow``)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="verification_requests")
    status = models.CharField(max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.SUBMITTED)
    business_registration = models.CharField(max_length=200, blank=True,
                                             help_text="Company or trade register name and number")
    website = models.URLField(blank=True)
    evidence = models.TextField(max_length=3000, blank=True, help_text="Anything else that shows the venue is real")
    documents = models.ManyToManyField("media.Asset", blank=True, related_name="+",
                                       help_text="From the venue's media library: registration, photos, licences")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was not approved, or why it was withdrawn")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["venue"], condition=models.Q(status="submitted"),
                                    name="verification_one_open_per_venue"),
        ]

    def __str__(self) -> str:
        return f"Verification of {self.venue.name}"


class VenueVouch(models.Model):
    """An act that played a confirmed show at the venue on Backline vouches for it (one per act and
    venue). Recorded by the bookings layer, which knows the show (``bookings.vouches``)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="vouches")
    act_workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="venue_vouches")
    booking_id = models.PositiveBigIntegerField()  # the show it rests on (bookings sits above venues)
    booking_reference = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "venue vouches"
        constraints = [models.UniqueConstraint(fields=["venue", "act_workspace"], name="venue_vouch_one_per_act")]

    def __str__(self) -> str:
        return f"{self.act_workspace.name} vouches for {self.venue.name}"
