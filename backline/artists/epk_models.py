"""The act's press kit (EPK): what the act chooses to publish on its public page, its PDF one-sheet and
in outreach. Imported by ``artists.models`` so that migrations see it."""

from django.db import models
from django.utils import timezone

from backline.core.models import TimeStamped
from backline.media.models import Asset


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone can find and open it"
    UNLISTED = "unlisted", "Unlisted: only people with the link"
    PRIVATE = "private", "Private: only your act's members"


class PressKit(TimeStamped):
    act = models.OneToOneField("artists.Act", on_delete=models.CASCADE, related_name="press_kit")
    short_bio = models.CharField(max_length=300, blank=True)
    long_bio = models.TextField(max_length=10000, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE)
    hero = models.ForeignKey(Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    achievements = models.TextField(max_length=3000, blank=True, help_text="One per line")
    show_upcoming_shows = models.BooleanField(default=False)
    booking_name = models.CharField(max_length=120, blank=True)
    booking_email = models.EmailField(blank=True)
    booking_phone = models.CharField(max_length=40, blank=True)
    fee_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(fee_min__isnull=True) | models.Q(fee_max__isnull=True)
                                   | models.Q(fee_min__lte=models.F("fee_max")), name="press_kit_fee_band_order"),
        ]

    def __str__(self) -> str:
        return f"Press kit of {self.act}"

    @property
    def achievement_lines(self) -> list[str]:
        return [line.strip() for line in self.achievements.splitlines() if line.strip()]


class PressKitPick(models.Model):
    """An asset of the act's media library shown in the press kit: a gallery photo or a document."""

    class Role(models.TextChoices):
        PHOTO = "photo", "Photo"
        DOCUMENT = "document", "Document"

    press_kit = models.ForeignKey(PressKit, on_delete=models.CASCADE, related_name="picks")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["press_kit", "asset", "role"], name="press_kit_pick_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in the press kit"


class MediaLink(models.Model):
    """A music or video link, stored as given (checked) and shown through the provider's own embed."""

    press_kit = models.ForeignKey(PressKit, on_delete=models.CASCADE, related_name="media_links")
    url = models.URLField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.url


class PressQuote(models.Model):
    press_kit = models.ForeignKey(PressKit, on_delete=models.CASCADE, related_name="quotes")
    quote = models.CharField(max_length=600)
    source = models.CharField(max_length=120)
    link = models.URLField(max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.source}: {self.quote[:40]}"


class ViewSource(models.TextChoices):
    DIRECT = "direct", "Opened directly"
    OUTREACH = "outreach", "Opened from an outreach email"


class PressKitView(models.Model):
    """One opening of the public page. No address, no browser: only when, and for links sent in
    outreach, which recipient (the contact and the name or organisation it was sent to)."""

    press_kit = models.ForeignKey(PressKit, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=16, choices=ViewSource.choices, default=ViewSource.DIRECT)
    recipient_contact_id = models.PositiveIntegerField(null=True, blank=True)  # a contacts.Contact (layer above)
    recipient_label = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["press_kit", "viewed_at"])]

    def __str__(self) -> str:
        return f"Opened {self.viewed_at:%Y-%m-%d %H:%M}"
