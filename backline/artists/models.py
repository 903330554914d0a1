from django.conf import settings
from django.db import models

from backline.accounts.models import Workspace
from backline.core.models import TimeStamped


class Genre(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActType(models.TextChoices):
    BAND = "band", "Band"
    SOLO = "solo", "Solo artist"
    DUO = "duo", "Duo"
    DJ = "dj", "DJ"
    ENSEMBLE = "ensemble", "Ensemble"


class Act(TimeStamped):
    """The act profile of an act workspace (name, bio, city, links live on the workspace)."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="act")
    act_type = models.CharField(max_length=16, choices=ActType.choices, default=ActType.BAND)
    genres = models.ManyToManyField(Genre, blank=True, related_name="acts")
    formed_year = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.workspace.name


class ActMember(TimeStamped):
    """A person in an act's line-up. Linked to a user when they have an account (keyed by email)."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="act_memberships")
    instruments = models.CharField(max_length=200, blank=True, help_text="e.g. vocals, rhythm guitar")
    # Occasional or substitute players are optional for the act's green zone.
    is_optional = models.BooleanField(default=False)

    class Meta:
        ordering = ["is_optional", "name"]
        constraints = [
            models.UniqueConstraint(fields=["act", "user"], condition=models.Q(user__isnull=False),
                                    name="act_member_user_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Performer(TimeStamped):
    """An agency's performer record, optionally linked to a user account (the performer portal)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="performers")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    skills = models.CharField(max_length=200, blank=True, help_text="Instruments, roles or acts, comma-separated")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="performer_records")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], condition=models.Q(user__isnull=False),
                                    name="performer_user_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RepresentationStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for an answer"
    ACTIVE = "active", "Represents the act"
    ENDED = "ended", "Ended"


class Representation(TimeStamped):
    """An agency represents an act: it may ask venues and promoters for dates in the act's name. Asked
    for by either side (the agency asks to represent the act, or the act invites the agency), granted by
    the other, ended by either (ADR 0006 addendum). Ended rows stay as history."""

    agency = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="representations")
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="representations")
    status = models.CharField(max_length=16, choices=RepresentationStatus.choices,
                              default=RepresentationStatus.REQUESTED)
    asked_by_agency = models.BooleanField()  # which side asked: the other side answers
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    granted_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, blank=True)  # declined, ended

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live link (asked or active) per agency and act; ended ones stay as history.
            models.UniqueConstraint(fields=["agency", "act"], condition=~models.Q(status="ended"),
                                    name="representation_one_live"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} represents {self.act}"


from .epk_models import (  # noqa: E402,F401  (the press kit: its own module, its models here for Django)
    MediaLink,
    PressKit,
    PressKitPick,
    PressKitView,
    PressQuote,
)

# --- Verification (trust): an act is vouched for by the buyers (venues, promoters, agencies) that booked
# it for a confirmed show that happened (``settings.ACT_VOUCHES_REQUIRED``), or verified by Backline's
# staff in the admin. Read through ``artists.trust``.

class ActVouch(models.Model):
    """A buyer's workspace that booked the act for a show that happened vouches for it (one per act and
    workspace). Recorded by the bookings layer, which knows the show (``bookings.vouches``)."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="vouches")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="act_vouches")
    booking_id = models.PositiveBigIntegerField()
    booking_reference = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "act vouches"
        constraints = [models.UniqueConstraint(fields=["act", "workspace"], name="act_vouch_one_per_workspace")]

    def __str__(self) -> str:
        return f"{self.workspace.name} vouches for {self.act}"


class ActVerification(models.Model):
    """Backline's staff verified the act (in the admin); staff may withdraw it (``revoked_at``, with a reason
    the act sees) and verify it again later."""

    act = models.OneToOneField(Act, on_delete=models.CASCADE, related_name="platform_verification")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.act} verified by Backline"
# --- riders: an act's technical and hospitality riders, versioned (artists/riders.py) -------------------

MAX_INPUT_CHANNELS = 96
MAX_MONITOR_MIXES = 16


class RiderKind(models.TextChoices):
    TECHNICAL = "technical", "Technical rider"
    HOSPITALITY = "hospitality", "Hospitality rider"


class RiderStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CURRENT = "current", "In force"
    SUPERSEDED = "superseded", "Replaced by a later version"


class Rider(TimeStamped):
    """One version of an act's technical or hospitality rider. A draft is edited; publishing makes it
    the one in force (the previous one is then replaced); a published version never changes again, so
    an offer can point at exactly what was agreed. Technical fields stay empty on a hospitality rider
    and the other way round."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="riders")
    kind = models.CharField(max_length=12, choices=RiderKind.choices)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=RiderStatus.choices, default=RiderStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # technical
    monitor_mixes = models.JSONField(default=list, blank=True)  # one entry per mix: its notes ("" for none)
    backline_brings = models.JSONField(default=list, blank=True)  # core.stagefit.BacklineItem values
    backline_needs = models.JSONField(default=list, blank=True)
    power_outlets = models.PositiveSmallIntegerField(null=True, blank=True)
    three_phase = models.BooleanField(default=False)
    stage_width_m = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    stage_depth_m = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    stage_plot = models.ForeignKey("media.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changeover_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # hospitality
    guest_list = models.PositiveSmallIntegerField(null=True, blank=True)
    meals = models.PositiveSmallIntegerField(null=True, blank=True)
    meal_notes = models.CharField(max_length=300, blank=True)
    drinks = models.CharField(max_length=500, blank=True)
    rooms = models.PositiveSmallIntegerField(null=True, blank=True)
    room_type = models.CharField(max_length=120, blank=True)
    parking = models.PositiveSmallIntegerField(null=True, blank=True)
    dressing_room = models.CharField(max_length=300, blank=True)
    notes = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["act", "kind", "version"], name="rider_version_unique"),
            models.UniqueConstraint(fields=["act", "kind"], condition=models.Q(status="current"),
                                    name="rider_one_current"),
            models.UniqueConstraint(fields=["act", "kind"], condition=models.Q(status="draft"),
                                    name="rider_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"


class InputChannel(models.Model):
    """One row of a technical rider's input list."""

    rider = models.ForeignKey(Rider, on_delete=models.CASCADE, related_name="inputs")
    channel = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=80)
    mic = models.CharField(max_length=80, blank=True, help_text="Microphone or DI")
    stand = models.CharField(max_length=40, blank=True)
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["channel"]
        constraints = [models.UniqueConstraint(fields=["rider", "channel"], name="input_channel_unique")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.source}"
