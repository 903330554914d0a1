"""The public venue page (/v/<slug>/) and what it reads. Only what the venue itself published: its
name, city, address, capacity, stages with their specs, genres and its confirmed upcoming shows (act
name and date). Holds, inquiries, offers, fees and people never appear. A private page is a 404 for
everyone but the venue's own team; an unlisted one opens by link and asks search engines to stay away."""

from __future__ import annotations

import json

from django.db.models import Case, CharField, F, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from backline.accounts.models import Membership
from backline.accounts.permissions import BOOKINGS_MANAGE, ROLE_CAPABILITIES
from backline.bookings.models import Booking, Status
from backline.media.models import AssetKind
from backline.venues.models import Stage, Venue, Visibility
from backline.venues.specs import stage_headline, stage_words
from backline.venues.trust import with_trust

MAX_SHOWS = 12
# What json.dumps leaves that could end a <script> element early (as Django's json_script escapes).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def public_venue(slug: str, user) -> Venue:
    """The venue at /v/<slug>/ as this visitor may see it (stages and their files prefetched), else 404."""
    from backline.media.models import Asset

    files = Asset.objects.only("pk", "kind", "title", "credit", "file", "web", "thumb")
    venue = (with_trust(Venue.objects.filter(slug=slug))  # the badge reads its annotations
             .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("-capacity", "name", "pk")),
                               Prefetch("stages__photos", queryset=files.exclude(kind=AssetKind.DOCUMENT)),
                               Prefetch("stages__documents", queryset=files.filter(kind=AssetKind.DOCUMENT)))
             .first())
    if venue is None or (venue.visibility == Visibility.PRIVATE and not _is_team(user, venue)):
        raise Http404("No such venue page.")
    return venue


def _is_team(user, venue: Venue) -> bool:
    return bool(user and user.is_authenticated
                and Membership.objects.filter(user=user, workspace_id=venue.workspace_id).exists())


def upcoming_public_shows(venue: Venue, *, limit: int = MAX_SHOWS) -> list[Booking]:
    """Confirmed shows at the venue from now on, act names only (one query)."""
    return list(Booking.objects.filter(venue=venue, status=Status.CONFIRMED, starts_at__gte=timezone.now(),
                                       act__isnull=False)
                .select_related("act__workspace").only("starts_at", "act__workspace__name", "act__workspace__slug")
                .annotate(act_page=Case(When(act__press_kit__visibility="public", then=F("act__workspace__slug")),
                                        default=Value(""), output_field=CharField()))
                .order_by("starts_at", "pk")[:limit])


def ask_links(user, venue: Venue) -> list[tuple[str, str]]:
    """For a logged-in member of acts who may ask for dates: (act name, the act's ask form for this venue)."""
    if not (user and user.is_authenticated):
        return []
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if BOOKINGS_MANAGE in caps]
    memberships = (Membership.objects.filter(user=user, workspace__kind="act", role__in=roles)
                   .select_related("workspace").order_by("workspace__name")[:5])
    return [(m.workspace.name, reverse("inquiry_new", args=[m.workspace.slug]) + f"?venue={venue.pk}")
            for m in memberships]


def venue_photos(venue: Venue) -> list:
    return [p for stage in venue.stages.all() for p in stage.photos.all() if p.web or p.thumb][:8]


def json_ld(venue: Venue, request, shows) -> str:
    """schema.org MusicVenue, safe inside <script>: json.dumps with <, > and & escaped."""
    data = {"@context": "https://schema.org", "@type": "MusicVenue", "name": venue.name,
            "url": request.build_absolute_uri(request.path), "maximumAttendeeCapacity": venue.capacity,
            "address": {"@type": "PostalAddress", "streetAddress": venue.address, "postalCode": venue.postal_code,
                        "addressLocality": venue.city_name, "addressCountry": venue.country_code}}
    if venue.description:
        data["description"] = venue.description
    if venue.latitude is not None and venue.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": venue.latitude, "longitude": venue.longitude}
    photos = venue_photos(venue)
    if photos:
        data["image"] = [request.build_absolute_uri((p.web or p.thumb).url) for p in photos]
    if shows:
        data["event"] = [{"@type": "MusicEvent", "name": b.act.workspace.name, "startDate": b.starts_at.isoformat(),
                          "performer": {"@type": "MusicGroup", "name": b.act.workspace.name}} for b in shows]
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def venue_page(request, slug: str):
    venue = public_venue(slug, request.user)
    shows = upcoming_public_shows(venue)
    stages = [(s, stage_headline(s), stage_words(s)) for s in venue.stages.all()]
    photos = venue_photos(venue)
    return render(request, "profiles/venue_page.html", {
        "venue": venue, "stages": stages, "photos": photos, "shows": shows,
        "ask_links": ask_links(request.user, venue), "json_ld": json_ld(venue, request, shows),
        "noindex": venue.visibility != Visibility.PUBLIC,
        "og_image": request.build_absolute_uri((photos[0].web or photos[0].thumb).url) if photos else "",
        "canonical": request.build_absolute_uri(request.path)})
