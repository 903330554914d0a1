"""The directory pages: find acts (for buyers) and find venues and promoters (for acts and agencies).
For logged-in people only (any workspace, or none): the anonymous web shows only the public pages.
One URL per page, full page or htmx partial; the filters are a GET form, so a search is an address to share.
Each page also answers under a workspace (``/w/<slug>/find-acts/``) so the sidebar can point at it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backline.accounts.models import WorkspaceKind
from backline.accounts.ui import workspace_view
from backline.core.errors import Invalid
from backline.core.places import city_key, get_city, resolve_city

from . import directory
from .forms import ActDirectoryForm, VenueDirectoryForm
from .selectors import memberships_of

FIND_ACTS_KINDS = (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY)
FIND_VENUES_KINDS = (WorkspaceKind.ACT, WorkspaceKind.AGENCY)


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        return 1


def map_data(result: directory.DirectoryPage | None, city_id, radius_km) -> dict:
    """What the map island draws: markers with links, the searched circle, tiles if configured."""
    city = get_city(city_id) if city_id else None
    markers = []
    for card in result.cards if result else []:
        if card.latitude is None or card.longitude is None:
            continue
        markers.append({"name": card.name, "url": card.url, "lat": card.latitude, "lng": card.longitude,
                        "about": " · ".join(p for p in (card.city, card.size_words) if p)})
    return {"markers": markers, "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "centre": {"lat": city.latitude, "lng": city.longitude, "radius_km": radius_km} if city else None}


def _directory(request, *, form_class, select, template: str, title: str):
    partial = request.htmx and not request.htmx.history_restore_request
    if not partial:  # the workspace switcher's memberships, which a partial does not show
        request.my_memberships = getattr(request, "my_memberships", None) or memberships_of(request.user)
    form = form_class(request.GET) if request.GET else form_class()
    result = None
    if not form.is_bound or form.is_valid():
        try:
            result = select(form.filters() if form.is_bound else None, _page_number(request))
        except Invalid as exc:  # what the form cannot see (a page past the end, a date too far)
            if not form.is_bound:
                raise
            form.add_domain_error(exc)
    cleaned = getattr(form, "cleaned_data", {})
    query = readable_query(request.GET)
    shared = query.urlencode()
    query.pop("page", None)
    context = {"form": form, "result": result, "title": title, "query": query.urlencode(),
               "map": map_data(result, cleaned.get("city"), cleaned.get("radius_km") or directory.DEFAULT_RADIUS_KM)}
    response = render(request, "search/_directory.html#results" if partial else template, context)
    if partial:  # the address bar shows the readable city, not the autocomplete's number
        response["HX-Replace-Url"] = f"{request.path}?{shared}" if shared else request.path
    return response


def readable_query(params):
    """The query with the city by its readable key ("?city=berlin-de"), so the address is one to share; a
    city given by its geoname id (the autocomplete's value) or any other value is kept as it is."""
    query = params.copy()
    city = resolve_city(query.get("city")) if query.get("city", "").isdigit() else None
    if city is not None:
        query["city"] = city_key(city)
    return query


def _acts(filters, page):
    return directory.directory_acts(filters or directory.ActFilters(), page)


def _venues(filters, page):
    return directory.directory_venues(filters or directory.VenueFilters(), page)


def _find_acts(request):
    return _directory(request, form_class=ActDirectoryForm, select=_acts, template="search/directory_acts.html",
                      title="Find acts")


def _find_venues(request):
    return _directory(request, form_class=VenueDirectoryForm, select=_venues, template="search/directory_venues.html",
                      title="Find venues and promoters")


directory_acts = login_required(require_GET(_find_acts))
directory_venues = login_required(require_GET(_find_venues))


def _for_kinds(kinds, view):
    def inner(request):
        if request.access.workspace.kind not in kinds:
            raise Http404("No such page.")
        return view(request)

    return inner


workspace_directory_acts = workspace_view()(require_GET(_for_kinds(FIND_ACTS_KINDS, _find_acts)))
workspace_directory_venues = workspace_view()(require_GET(_for_kinds(FIND_VENUES_KINDS, _find_venues)))
