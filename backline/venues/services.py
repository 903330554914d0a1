"""Writes for venues and their stages."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import ROSTER_MANAGE, access_workspace
from backline.accounts.services import workspace_create
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.places import get_city
from backline.core.validation import validate_model

from .models import Stage, Venue

VENUE_FIELDS = ("name", "address", "postal_code", "capacity", "website", "phone", "description",
                "geoname_id", "city_name", "country_code", "latitude", "longitude", "time_zone")


def _apply_city(venue: Venue, geoname_id) -> None:
    city = get_city(geoname_id)
    if city is None:
        raise Invalid("Unknown city.", errors={"city": ["Choose a city from the list."]})
    venue.set_city(city)


def venue_workspace_create(*, actor, name: str, capacity: int, geoname_id: int, address: str = "",
                           **venue_fields) -> Venue:
    """A venue operator's workspace with its first venue (same name, city and zone)."""
    with transaction.atomic():
        if get_city(geoname_id) is None:
            raise Invalid("Unknown city.", errors={"city": ["Choose a city from the list."]})
        ws = workspace_create(actor=actor, kind=WorkspaceKind.VENUE, name=name, geoname_id=geoname_id)
        return venue_create(actor=actor, workspace_id=ws.pk, name=name, capacity=capacity, geoname_id=geoname_id,
                            address=address, **venue_fields)


def venue_create(*, actor, workspace_id: int, name: str, capacity: int, geoname_id: int, **fields) -> Venue:
    with transaction.atomic():
        access = access_workspace(user=actor, workspace_id=workspace_id, capability=ROSTER_MANAGE)
        if access.workspace.kind not in (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER):
            raise NotFound("Only venue and promoter workspaces keep venues.")
        venue = Venue(workspace=access.workspace, name=(name or "").strip(), capacity=capacity, **fields)
        _apply_city(venue, geoname_id)
        validate_model(venue, exclude=["workspace"])
        venue.save()
        Stage.objects.create(venue=venue, name="Main room", capacity=venue.capacity)
        audit.record(actor=actor, action="venue.created", obj=venue, after=audit.snapshot(venue, VENUE_FIELDS),
                     workspace_id=workspace_id)
    return venue


def _locked_venue(actor, venue_id: int) -> Venue:
    venue = Venue.objects.select_for_update().filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    access_workspace(user=actor, workspace_id=venue.workspace_id, capability=ROSTER_MANAGE)
    return venue


def venue_update(*, actor, venue_id: int, geoname_id=None, **changes) -> Venue:
    audit.check_known_fields(changes, VENUE_FIELDS)
    with transaction.atomic():
        venue = _locked_venue(actor, venue_id)
        if geoname_id is not None:
            city = get_city(geoname_id)
            if city is None:
                raise Invalid("Unknown city.", errors={"city": ["Choose a city from the list."]})
            changes.update(geoname_id=city.geoname_id, city_name=city.name, country_code=city.country_code,
                           latitude=city.latitude, longitude=city.longitude, time_zone=city.time_zone)
        return audit.apply_audited_changes(venue, actor=actor, action="venue.updated", fields=VENUE_FIELDS,
                                           changes=changes, workspace_id=venue.workspace_id, exclude=["workspace"])


def stage_add(*, actor, venue_id: int, name: str, capacity: int) -> Stage:
    with transaction.atomic():
        venue = _locked_venue(actor, venue_id)
        stage = Stage(venue=venue, name=(name or "").strip(), capacity=capacity)
        validate_model(stage, exclude=["venue"])
        if capacity > venue.capacity:
            raise Invalid("Too big.", errors={"capacity": [f"A stage cannot hold more than the venue ({venue.capacity})."]})
        try:
            with transaction.atomic():
                stage.save()
        except IntegrityError as exc:
            raise Conflict(f"{venue.name} already has a stage called {stage.name}.", code="stage_exists") from exc
        audit.record(actor=actor, action="stage.added", obj=stage, after={"name": stage.name, "capacity": capacity},
                     workspace_id=venue.workspace_id)
    return stage


def stage_remove(*, actor, stage_id: int) -> None:
    with transaction.atomic():
        stage = Stage.objects.select_related("venue").filter(pk=stage_id).first()
        if stage is None:
            raise NotFound("No such stage.")
        _locked_venue(actor, stage.venue_id)
        if stage.venue.stages.count() == 1:
            raise Conflict("A venue needs at least one stage.", code="last_stage")
        audit.record(actor=actor, action="stage.removed", obj=stage, before={"name": stage.name, "capacity": stage.capacity},
                     workspace_id=stage.venue.workspace_id)
        stage.delete()
