"""The contacts book: the people a workspace deals with outside Backline (talent buyers, promoters,
venue staff, agents, clients). A contact belongs to the workspace, with its whole communication history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from backline.accounts.models import Workspace


class ContactRole(models.TextChoices):
    TALENT_BUYER = "talent_buyer", "Talent buyer"
    PROMOTER = "promoter", "Promoter"
    VENUE_STAFF = "venue_staff", "Venue staff"
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"
    CLIENT = "client", "Client"
    ARTIST = "artist", "Artist"
    PRESS = "press", "Press"
    OTHER = "other", "Other"


class Contact(models.Model):
    """``tags`` is stored normalised: lower-case names, sorted, comma-separated and wrapped in commas
    (",festival,jazz,"), so one tag is found with ``tags__contains=",jazz,"`` on every database.
    ``email`` is unique within the workspace (case-insensitive) when given."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=ContactRole.choices, default=ContactRole.OTHER)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=100, blank=True)
    tags = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "messaging_contact"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "workspace", condition=~Q(email=""), name="contact_email_unique"),
        ]
        indexes = [models.Index(fields=["workspace", "name"], name="contact_workspace_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]
