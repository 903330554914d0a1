"""Writes for venues and their stages."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from backline.accounts.models import WorkspaceKind
from backline.accounts.permissions import ROSTER_MANAGE, access_workspace
from backline.accounts.services import workspace_create
from backline.core import audit
from backline.core.errors import Conflict, Invalid, NotFound
from backline.core.places import get_city
from backline.core.stagefit import BacklineItem
from backline.core.validation import validate_model
from backline.media.models import Asset, AssetKind

from .models import MAX_GENRES, Stage, Venue, Visibility

VENUE_FIELDS = ("name", "address", "postal_code", "capacity", "website", "phone", "description",
                "geoname_id", "city_name", "country_code", "latitude", "longitude", "time_zone",
                "slug", "visibility", "genres")
SPEC_FIELDS = ("width_m", "depth_m", "height_m", "pa_make", "pa_power_w", "console", "inputs", "monitor_mixes",
               "backline_available", "backline_notes", "power_outlets", "three_phase", "lighting",
               "load_in_distance_m", "load_in_steps", "load_in_lift", "load_in_notes", "curfew",
               "capacity_standing", "capacity_seated", "step_free", "accessible_toilet", "hearing_loop",
               "accessibility_notes")
SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def venue_slug_for(name: str, city_name: str = "", *, exclude_pk: int | None = None) -> str:
    """A free, readable address from name and city ("lantern-hall-berlin"), numbered when taken."""
    base = slugify(f"{name} {city_name}")[:72].strip("-") or "venue"
    taken = set(Venue.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_slug(venue: Venue, slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not slug:
        return venue_slug_for(venue.name, venue.city_name, exclude_pk=venue.pk)
    if len(slug) < 3 or len(slug) > 80 or not SLUG_SHAPE.match(slug):
        raise Invalid("Address not usable.", errors={"slug": [
            "Use 3 to 80 lower-case letters, digits and single hyphens, e.g. lantern-hall-berlin."]})
    if Venue.objects.filter(slug=slug).exclude(pk=venue.pk).exists():
        raise Invalid("Address taken.", errors={"slug": [
            f"Another venue already uses /v/{slug}/. Try adding your city or district."]})
    return slug


def _clean_genres(genres) -> list[str]:
    if not isinstance(genres, list | tuple):
        raise Invalid("Genres not usable.", errors={"genres": ["Give a list of genre names."]})
    cleaned: list[str] = []
    for g in genres:
        name = " ".join(str(g).split())
        if not name:
            continue
        if len(name) > 40:
            raise Invalid("Genre too long.", errors={"genres": [f"Keep each genre under 40 characters ({name[:40]}…)."]})
        if name.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_GENRES:
        raise Invalid("Too many genres.", errors={"genres": [f"Name at most {MAX_GENRES} genres."]})
    return cleaned


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
        venue.slug = _clean_slug(venue, fields.get("slug", ""))
        venue.genres = _clean_genres(fields.get("genres", []))
        if venue.visibility not in Visibility.values:
            raise Invalid("Unknown visibility.", errors={"visibility": ["Choose public, unlisted or private."]})
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
        if "slug" in changes:
            changes["slug"] = _clean_slug(venue, changes["slug"])
        if "genres" in changes:
            changes["genres"] = _clean_genres(changes["genres"])
        if "visibility" in changes and changes["visibility"] not in Visibility.values:
            raise Invalid("Unknown visibility.", errors={"visibility": ["Choose public, unlisted or private."]})
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


def _library_assets(workspace_id: int, ids, *, images: bool, field: str) -> list[Asset]:
    """Assets of the venue's own media library (photos or documents); anything else is refused."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    if len(ids) > 20:
        raise Invalid("Too many files.", errors={field: ["Pick at most 20."]})
    kinds = [k for k in AssetKind.values if k != AssetKind.DOCUMENT] if images else [AssetKind.DOCUMENT]
    assets = list(Asset.objects.filter(workspace_id=workspace_id, pk__in=ids, kind__in=kinds))
    if len(assets) != len(ids):
        what = "photos" if images else "documents"
        raise Invalid("Unknown files.", errors={field: [f"Pick {what} from your own media library."]})
    return assets


def stage_spec_update(*, actor, stage_id: int, photo_ids=None, document_ids=None, **changes) -> Stage:
    """Edit a stage's name, capacity and tech spec; photos and tech pack come from the venue's library."""
    audit.check_known_fields(changes, ("name", "capacity", *SPEC_FIELDS))
    with transaction.atomic():
        stage = Stage.objects.select_for_update().filter(pk=stage_id).first()
        if stage is None:
            raise NotFound("No such stage.")
        venue = _locked_venue(actor, stage.venue_id)
        if "backline_available" in changes:
            items = list(dict.fromkeys(changes["backline_available"] or []))
            unknown = [i for i in items if i not in BacklineItem.values]
            if unknown:
                raise Invalid("Unknown backline.", errors={"backline_available": ["Choose backline from the list."]})
            changes["backline_available"] = [v for v in BacklineItem.values if v in items]  # the list's order
        capacity = changes.get("capacity", stage.capacity)
        if capacity is not None and capacity > venue.capacity:
            raise Invalid("Too big.", errors={"capacity": [f"A stage cannot hold more than the venue ({venue.capacity})."]})
        photos = None if photo_ids is None else _library_assets(venue.workspace_id, photo_ids, images=True, field="photo_ids")
        documents = (None if document_ids is None
                     else _library_assets(venue.workspace_id, document_ids, images=False, field="document_ids"))
        try:
            with transaction.atomic():
                audit.apply_audited_changes(stage, actor=actor, action="stage.spec_updated",
                                            fields=("name", "capacity", *SPEC_FIELDS), changes=changes,
                                            workspace_id=venue.workspace_id, exclude=["venue"])
        except IntegrityError as exc:
            raise Conflict(f"{venue.name} already has a stage called {stage.name}.", code="stage_exists") from exc
        for relation, assets, action in ((stage.photos, photos, "stage.photos_set"),
                                         (stage.documents, documents, "stage.documents_set")):
            if assets is None:
                continue
            before = sorted(relation.values_list("pk", flat=True))
            after = sorted(a.pk for a in assets)
            if before != after:
                relation.set(assets)
                audit.record(actor=actor, action=action, obj=stage, before={"files": len(before)},
                             after={"files": len(after)}, workspace_id=venue.workspace_id)
    return stage
