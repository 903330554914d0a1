from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backline.accounts.models import Workspace
from backline.core.models import Located, TimeStamped


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200_000)])

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
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was not approved")

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
        constraints = [models.UniqueConstraint(fields=["venue", "act_workspace"], name="venue_vouch_one_per_act")]

    def __str__(self) -> str:
        return f"{self.act_workspace.name} vouches for {self.venue.name}"
