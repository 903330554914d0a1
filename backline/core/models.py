import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One money or state change: who, when, what, before and after. Written in the same transaction."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=80)
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    # The tenant the change belongs to (a workspace id), so a workspace's history is one index scan.
    workspace_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys
                if before.get(k) != after.get(k) and not (before.get(k) is None and after.get(k) == "")]


class MailboxMessage(models.Model):
    """An email captured by the development mailbox backend (the embedded default; /dev/mailbox/)."""

    sent_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=300)
    from_email = models.CharField(max_length=300)
    to = models.TextField(help_text="Comma-separated recipients")
    body = models.TextField()
    html = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Located(models.Model):
    """A place from the gazetteer: choosing a city fills coordinates and time zone."""

    geoname_id = models.PositiveIntegerField(null=True, blank=True)
    city_name = models.CharField(max_length=120, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": f"“{self.time_zone}” is not an IANA time zone (for example Europe/Berlin)."})

    def set_city(self, city) -> None:
        if city is None:
            self.geoname_id, self.city_name, self.country_code = None, "", ""
            self.latitude = self.longitude = None
            return
        self.geoname_id = city.geoname_id
        self.city_name = city.name
        self.country_code = city.country_code
        self.latitude, self.longitude = city.latitude, city.longitude
        self.time_zone = city.time_zone

    @property
    def city_label(self) -> str:
        return f"{self.city_name}, {self.country_code}" if self.city_name else ""
