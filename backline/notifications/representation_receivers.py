"""Notifications about the represents relation (``artists.events.representation_changed``): the other
side's owners and admins, who answer requests and may end the arrangement, hear of each change."""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse

from backline.accounts.models import Membership, User
from backline.accounts.permissions import WORKSPACE_EDIT, roles_with
from backline.artists import events as artists_events
from backline.artists.models import Representation

from .models import NotificationType as T
from .services import notify


def _title(rep: Representation, what: str, who: str) -> str:
    agency, act = rep.agency.name, rep.act.workspace.name
    if what == "representation.requested":
        return f"{agency} asks to represent {act}" if rep.asked_by_agency else f"{act} asks {agency} to represent it"
    if what == "representation.accepted":
        return f"{who} accepted: {agency} now represents {act}"
    if what == "representation.declined":
        return f"{who} declined: {agency} does not represent {act}"
    return f"{who} ended it: {agency} no longer represents {act}"


@receiver(artists_events.representation_changed)
def on_representation_changed(sender, *, representation_id, what, actor_id=None, **_):
    rep = Representation.objects.select_related("agency", "act__workspace").filter(pk=representation_id).first()
    if rep is None:
        return
    agency_ws, act_ws = rep.agency, rep.act.workspace
    actor_in_agency = Membership.objects.filter(user_id=actor_id, workspace=agency_ws).exists()
    other = act_ws if actor_in_agency else agency_ws
    acting = agency_ws if actor_in_agency else act_ws
    users = list(User.objects.filter(memberships__workspace=other, memberships__role__in=roles_with(WORKSPACE_EDIT),
                                     is_active=True).exclude(pk=actor_id))
    url_name = "represented_acts" if other.kind == "agency" else "act_agencies"
    body = "Open it to accept or decline." if what == "representation.requested" else ""
    notify(users=users, type=T.REPRESENTATION, title=_title(rep, what, acting.name), body=body,
           url=reverse(url_name, args=[other.slug]), workspace_id=other.pk)
