"""The demo agency and the acts it represents: Silver Lining Entertainment represents The Velvet Owls
(the act invited it; the agency accepted) and has asked a second act, which has not answered yet. It
has asked a venue for a date on The Velvet Owls' behalf, so the venue's pipeline shows the inquiry."""

from __future__ import annotations

import datetime as dt

from backline.accounts.models import User, Workspace
from backline.artists import representations as reps
from backline.artists.models import Representation
from backline.bookings import services
from backline.venues.models import Venue

from .world import DOMAIN


def build(today: dt.date | None = None) -> bool:
    """Add the representations; ``False`` if they are there already (or the world is not)."""
    agency = Workspace.objects.filter(name="Silver Lining Entertainment", kind="agency").first()
    owls = Workspace.objects.filter(name="The Velvet Owls", kind="act").first()
    if agency is None or owls is None or Representation.objects.filter(agency=agency).exists():
        return False
    today = today or dt.date.today()
    act_owner = User.objects.get(email=f"owner.act@{DOMAIN}")
    agency_owner = User.objects.get(email=f"owner.agency@{DOMAIN}")
    rep = reps.representation_invite(actor=act_owner, act_workspace_id=owls.pk, agency_workspace_id=agency.pk)
    reps.representation_accept(actor=agency_owner, workspace_id=agency.pk, representation_id=rep.pk)
    other = (Workspace.objects.filter(kind="act").exclude(pk=owls.pk).exclude(memberships__user=act_owner)
             .order_by("pk").first())
    if other is not None:
        reps.representation_request(actor=User.objects.get(email=f"admin.agency@{DOMAIN}"),
                                    agency_workspace_id=agency.pk, act_workspace_id=other.pk)
    venue = Venue.objects.filter(workspace__memberships__user__email=f"owner.venue@{DOMAIN}").order_by("pk").first()
    if venue is not None:
        services.inquiry_request(
            actor=User.objects.get(email=f"coordinator.agency@{DOMAIN}"), agency_workspace_id=agency.pk,
            act_workspace_id=owls.pk, venue_id=venue.pk, date_from=today + dt.timedelta(days=75), budget="900",
            currency=owls.currency,
            message="Silver Lining here, booking for The Velvet Owls: a Friday or Saturday that month would suit them.")
    return True
