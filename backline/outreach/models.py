"""Outreach: the workspace's email templates (subject and body with merge fields, and the follow-up
each one schedules).

The table keeps the name it had in the ``messaging`` app (``db_table``): ADR 0009."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from backline.accounts.models import Workspace


class TemplateKind(models.TextChoices):
    FIRST_PITCH = "first_pitch", "First pitch"
    FOLLOW_UP = "follow_up", "Follow-up"
    HOLD_CONFIRMATION = "hold_confirmation", "Hold confirmation"
    OFFER = "offer", "Offer"
    THANK_YOU = "thank_you", "Thank-you"
    CUSTOM = "custom", "Other"


class EmailTemplate(models.Model):
    """A workspace's outreach template. ``subject`` and ``body`` use merge fields such as
    ``{{ act }}``; an unknown field is refused when the template is saved. If an email from it gets no
    reply within ``follow_up_days``, the sender is reminded with a draft from ``follow_up_template``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="email_templates")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=TemplateKind.choices, default=TemplateKind.CUSTOM)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    follow_up_days = models.PositiveSmallIntegerField(null=True, blank=True)
    follow_up_template = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "messaging_emailtemplate"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="email_template_name_unique")]

    def __str__(self) -> str:
        return self.name
