"""Notifications when Backline's staff withdraw a venue's or an act's verification: the owners and
admins of the workspace that keeps it hear why, with a link to where they can see their level."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse

from backline.accounts.models import User
from backline.accounts.permissions import WORKSPACE_EDIT, roles_with
from backline.artists import events as artists_events
from backline.artists.models import Act
from backline.venues import events as venues_events
from backline.venues.models import Venue

from .models import NotificationType as T
from .services import notify


def _tell(workspace, *, name: str, reason: str, url: str) -> None:
    users = list(User.objects.filter(memberships__workspace=workspace, memberships__role__in=roles_with(WORKSPACE_EDIT),
                                     is_active=True))
    notify(users=users, type=T.VERIFICATION, title=f"Backline withdrew the verification of {name}",
           body=f"Why: {reason}", url=url, workspace_id=workspace.pk)


@receiver(venues_events.verification_revoked)
def on_venue_verification_revoked(sender, *, venue_id, reason, **_):
    venue = Venue.objects.select_related("workspace").filter(pk=venue_id).first()
    if venue is not None:
        _tell(venue.workspace, name=venue.name, reason=reason,
              url=reverse("venue_verification", args=[venue.workspace.slug, venue.pk]))


@receiver(artists_events.verification_revoked)
def on_act_verification_revoked(sender, *, act_id, reason, **_):
    act = Act.objects.select_related("workspace").filter(pk=act_id).first()
    if act is not None:
        _tell(act.workspace, name=act.workspace.name, reason=reason,
              url=reverse("workspace_dashboard", args=[act.workspace.slug]))
