"""The directory: buyers browse acts, acts browse venues and promoters. Filters, a page of cards with
what a card shows (photo, city, genres, line-up size or capacity, badges) and where it sits on the map.

Constant queries whatever the page size: a count and a page (two; for venues and promoters without venues
one UNION ALL list, so still two), and for "free on a day" four: the line-ups of the first matches (the
matching ids are a subquery of that read), the members' patterns, their blocks and commitments in one read
(``scheduling.selectors.free_among``), then the page. With the session and the user a request stays within
six. "Free on a day" checks only the first ``FREE_ON_CHECKED`` matches in the page's order, so it is bounded
whatever the filters; past that the count is "at least". Distances: a bounding box in SQL (which an index
can use), then the exact great-circle distance in SQL too, so the count, the order and the page agree.

What other apps own is asked of them here, each in one small function: whether the press kit is
published (artists), the fee band it publishes, the trust level (artists.trust, venues.trust), the genres
a venue books and the backline its stages have (venues)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import ACos, Coalesce, Cos, Greatest, Least, Radians, Sin

from backline.accounts.models import Workspace, WorkspaceKind
from backline.artists.models import Act, ActMember, Genre
from backline.artists.trust import verified_act_q
from backline.artists.trust import with_trust as act_trust
from backline.core.errors import Invalid
from backline.core.places import City, get_city
from backline.scheduling.selectors import free_among
from backline.venues.models import Stage, Venue
from backline.venues.trust import verified_venue_q
from backline.venues.trust import with_trust as venue_trust

from .links import public_page_url, published_act_slug, published_venue_slug

PAGE_SIZE = 24
MAX_RADIUS_KM = 1000
DEFAULT_RADIUS_KM = 50
MAX_GENRES = 10
MAX_MEMBERS = 500
MAX_CAPACITY = 200_000
FREE_ON_HORIZON_DAYS = 730
# "Free on a day" checks at most this many matching acts (three pages), in the page's order; past that the
# count is "at least". Add a city or a genre to see others.
FREE_ON_CHECKED = 72
EARTH_KM = 6371.0


# --- what other apps own ---------------------------------------------------------------------------------

# Typical fee bands, in the act's own currency: (lowest, highest or None).
FEE_BANDS = {
    "up_to_500": ("Up to 500", (Decimal(0), Decimal(500))),
    "500_1000": ("500 to 1,000", (Decimal(500), Decimal(1000))),
    "1000_2500": ("1,000 to 2,500", (Decimal(1000), Decimal(2500))),
    "2500_5000": ("2,500 to 5,000", (Decimal(2500), Decimal(5000))),
    "over_5000": ("Over 5,000", (Decimal(5000), None)),
}


def acts_listed(qs: QuerySet) -> QuerySet:
    """The acts the directory lists: a private or unlisted press kit keeps the act out; an act without a
    press kit is listed by its workspace profile (as search lists it)."""
    return qs.exclude(press_kit__visibility__in=("private", "unlisted"))


def acts_with_press_kit(qs: QuerySet, wanted: bool) -> QuerySet:
    """Acts whose press kit is published (``wanted``), or that have none."""
    shown = Q(press_kit__isnull=False) & Q(press_kit__visibility="public")
    return qs.filter(shown) if wanted else qs.exclude(shown)


def acts_verified(qs: QuerySet) -> QuerySet:
    """Acts verified by the platform or vouched for."""
    return qs.filter(verified_act_q())


def acts_in_fee_band(qs: QuerySet, band: str) -> QuerySet:
    """Acts whose published fee range (in their own currency) overlaps ``band``."""
    low, high = FEE_BANDS[band][1]
    published = Q(press_kit__fee_min__isnull=False)
    top = Coalesce("press_kit__fee_max", "press_kit__fee_min")
    qs = qs.filter(published).annotate(_fee_top=top).filter(_fee_top__gte=low)
    return qs.filter(press_kit__fee_min__lte=high) if high is not None else qs


def fee_band_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _range) in FEE_BANDS.items()]


def venues_verified(qs: QuerySet) -> QuerySet:
    """Venues verified by the platform or vouched for."""
    return qs.filter(verified_venue_q())


def venues_with_backline(qs: QuerySet) -> QuerySet:
    """Venues with a stage that lists backline available."""
    return qs.filter(pk__in=Stage.objects.exclude(backline_available=[]).values("venue_id"))


def venues_booking(qs: QuerySet, slugs: list[str]) -> QuerySet:
    """Venues that book any of the genres (``Venue.genres`` holds genre names, as the venue typed them)."""
    names = list(Genre.objects.filter(slug__in=slugs).values_list("name", flat=True))
    if not names:
        return qs.none()
    wanted = Q()
    for name in names:
        wanted |= Q(genres__icontains=f'"{name}"')
    return qs.filter(wanted)


# A card's trust badge, by trust level (core.trust.TrustLevel): short, as cards have little room.
TRUST_BADGES = {"verified": "Verified", "vouched": "Vouched for", "unverified": "Not verified"}


def photo_of(workspace_ref: str) -> Subquery:
    """The card's photo: the workspace's newest logo, photo or press photo thumbnail (media library)."""
    from backline.media.models import Asset

    return Subquery(Asset.objects.filter(workspace_id=OuterRef(workspace_ref), kind__in=("photo", "press_photo", "logo"))
                    .exclude(thumb="").order_by("-created_at", "-id").values("thumb")[:1])


# --- filters -------------------------------------------------------------------------------------------

@dataclass
class ActFilters:
    genres: list[str] = field(default_factory=list)  # genre slugs
    city: int | None = None  # a gazetteer geoname id
    radius_km: int = DEFAULT_RADIUS_KM
    members_min: int | None = None
    members_max: int | None = None
    press_kit: bool | None = None
    verified: bool = False
    fee_band: str = ""
    free_on: dt.date | None = None


@dataclass
class VenueFilters:
    kind: str = ""  # "", "venue" or "promoter"
    city: int | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    capacity_min: int | None = None
    capacity_max: int | None = None
    genres: list[str] = field(default_factory=list)
    verified: bool = False
    has_backline: bool = False


def _check_common(f, errors: dict) -> City | None:
    city = None
    if f.city is not None:
        city = get_city(f.city)
        if city is None:
            errors["city"] = ["Choose a city from the list."]
    if not 1 <= f.radius_km <= MAX_RADIUS_KM:
        errors["radius_km"] = [f"Choose a distance between 1 and {MAX_RADIUS_KM} km."]
    if len(f.genres) > MAX_GENRES:
        errors["genres"] = [f"Choose at most {MAX_GENRES} genres."]
    return city


def _check_range(low, high, name: str, top: int, errors: dict, words: str) -> None:
    for key, value in ((f"{name}_min", low), (f"{name}_max", high)):
        if value is not None and not 0 <= value <= top:
            errors[key] = [f"Choose {words} between 0 and {top}."]
    if low is not None and high is not None and low > high and not errors:
        errors[f"{name}_max"] = ["The largest must not be below the smallest."]


def _raise(errors: dict) -> None:
    if errors:
        raise Invalid("Check the filters.", errors=errors)


# --- distance ------------------------------------------------------------------------------------------

def _near(qs: QuerySet, city: City, radius_km: int, prefix: str = "") -> QuerySet:
    """Within ``radius_km`` of ``city``: a bounding box first, then the great-circle distance (annotated
    as ``distance_km``)."""
    lat_f, lng_f = f"{prefix}latitude", f"{prefix}longitude"
    dlat = math.degrees(radius_km / EARTH_KM)
    cos_lat = max(math.cos(math.radians(city.latitude)), 0.01)
    dlng = min(180.0, math.degrees(radius_km / (EARTH_KM * cos_lat)))
    box = Q(**{f"{lat_f}__gte": city.latitude - dlat, f"{lat_f}__lte": city.latitude + dlat})
    if city.longitude - dlng >= -180 and city.longitude + dlng <= 180:
        box &= Q(**{f"{lng_f}__gte": city.longitude - dlng, f"{lng_f}__lte": city.longitude + dlng})
    lat0, lng0 = math.radians(city.latitude), math.radians(city.longitude)
    # The spherical law of cosines, clamped into ACOS's domain against rounding.
    cosine = (Value(math.sin(lat0)) * Sin(Radians(F(lat_f))) +
              Value(math.cos(lat0)) * Cos(Radians(F(lat_f))) * Cos(Radians(F(lng_f)) - Value(lng0)))
    distance = Value(EARTH_KM) * ACos(Least(Greatest(cosine, Value(-1.0)), Value(1.0)), output_field=FloatField())
    return qs.filter(box).annotate(distance_km=distance).filter(distance_km__lte=radius_km)


# --- results -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    kind: str  # act | venue | promoter
    id: int
    name: str
    slug: str  # the public page's slug (act workspace slug; venue or promoter workspace slug)
    city: str
    latitude: float | None
    longitude: float | None
    genres: tuple[str, ...]
    size: int | None  # line-up size (acts) or capacity (venues)
    photo: str  # a storage name, or ""
    badges: tuple[str, ...] = ()
    distance_km: float | None = None

    @property
    def url(self) -> str | None:
        """The public page, where there is one (``links``)."""
        return public_page_url(self.kind, self.slug)

    @property
    def initials(self) -> str:
        """Two letters for a card without a photo: "VO" for The Velvet Owls."""
        words = [w for w in self.name.split() if w.lower() not in ("the", "les", "la", "le", "die", "der", "das")]
        return "".join(w[0] for w in (words or self.name.split())[:2]).upper()

    @property
    def photo_url(self) -> str:
        from django.core.files.storage import default_storage

        return default_storage.url(self.photo) if self.photo else ""

    @property
    def size_words(self) -> str:
        if self.size is None:
            return ""
        if self.kind == "act":
            return "solo" if self.size == 1 else f"{self.size} in the line-up"
        return f"capacity {self.size:,}"


@dataclass(frozen=True)
class DirectoryPage:
    cards: list[Card]
    count: int
    page: int
    pages: int
    page_size: int = PAGE_SIZE
    at_least: bool = False  # "free on a day" stopped checking: more may match than ``count``

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _genre(n: int, ref: str) -> Subquery:
    return Subquery(Genre.objects.filter(acts=OuterRef(ref)).order_by("name").values("name")[n:n + 1])


def _page_bounds(count: int, page: int) -> tuple[int, int]:
    pages = max(1, math.ceil(count / PAGE_SIZE))
    if not 1 <= page <= 2_147_483_647:
        raise Invalid("No such page.", errors={"page": ["Choose a page from 1."]})
    return pages, (min(page, pages) - 1) * PAGE_SIZE


def _label(city_name: str, country_code: str) -> str:
    return f"{city_name}, {country_code}" if city_name else ""


def check_act_filters(f: ActFilters) -> City | None:
    errors: dict = {}
    city = _check_common(f, errors)
    _check_range(f.members_min, f.members_max, "members", MAX_MEMBERS, errors, "a line-up size")
    if f.free_on is not None:
        today = dt.date.today()
        if not today - dt.timedelta(days=1) <= f.free_on <= today + dt.timedelta(days=FREE_ON_HORIZON_DAYS):
            errors["free_on"] = ["Choose a date from today up to two years ahead."]
    if f.fee_band and f.fee_band not in dict(fee_band_choices()):
        errors["fee_band"] = ["Choose a fee band from the list."]
    _raise(errors)
    return city


def directory_acts(filters: ActFilters, page: int = 1) -> DirectoryPage:
    """A page of the acts that match ``filters``: nearest first when a city is given, else by name."""
    city = check_act_filters(filters)
    qs = acts_listed(Act.objects.all())
    if filters.genres:
        qs = qs.filter(pk__in=Act.genres.through.objects.filter(genre__slug__in=filters.genres).values("act_id"))
    if filters.members_min is not None or filters.members_max is not None:
        sizes = (ActMember.objects.filter(act=OuterRef("pk")).order_by().values("act")
                 .annotate(n=Count("pk")).values("n"))
        qs = qs.annotate(line_up=Subquery(sizes))
        if filters.members_min:
            qs = qs.filter(line_up__gte=filters.members_min)
        if filters.members_max is not None:
            qs = qs.filter(Q(line_up__lte=filters.members_max) | Q(line_up__isnull=True))
    if filters.press_kit is not None:
        qs = acts_with_press_kit(qs, filters.press_kit)
    if filters.verified:
        qs = acts_verified(qs)
    if filters.fee_band:
        qs = acts_in_fee_band(qs, filters.fee_band)
    order = ["workspace__name", "pk"]
    if city is not None:
        qs = _near(qs, city, filters.radius_km, prefix="workspace__")
        order = ["distance_km", "workspace__name", "pk"]
    at_least = False
    if filters.free_on is not None:
        # Bounded: only the first FREE_ON_CHECKED matches in the page's order are checked, and the ids are
        # read inside the line-up read (no statement of their own). An act without a required member is
        # never free, so it is not a candidate.
        required = ActMember.objects.filter(act=OuterRef("pk"), is_optional=False)
        candidates = qs.filter(Exists(required)).order_by(*order).values("pk")[:FREE_ON_CHECKED + 1]
        found = free_among(candidates, filters.free_on)
        at_least = found.checked > FREE_ON_CHECKED
        count = len(found.free)
        pages, offset = _page_bounds(count, page)
        qs = qs.filter(pk__in=found.free)
    else:
        count = qs.count()
        pages, offset = _page_bounds(count, page)
    size = Subquery(ActMember.objects.filter(act=OuterRef("pk")).order_by().values("act")
                    .annotate(n=Count("pk")).values("n"))
    fields = ["pk", "workspace__name", "page_slug", "workspace__city_name", "workspace__country_code",
              "workspace__latitude", "workspace__longitude"]
    rows = (act_trust(qs).annotate(size=size, photo=photo_of("workspace_id"), page_slug=published_act_slug(),
                        g1=_genre(0, "pk"), g2=_genre(1, "pk"),
                        g3=_genre(2, "pk"))
            .order_by(*order)[offset:offset + PAGE_SIZE])
    cards = []
    for r in rows.values(*fields, "size", "photo", "g1", "g2", "g3",
                         *(["distance_km"] if city else []), "trust_level"):
        badges = (TRUST_BADGES[r["trust_level"]],)
        cards.append(Card("act", r["pk"], r["workspace__name"], r["page_slug"],
                          _label(r["workspace__city_name"], r["workspace__country_code"]),
                          r["workspace__latitude"], r["workspace__longitude"],
                          tuple(g for g in (r["g1"], r["g2"], r["g3"]) if g), r["size"] or None, r["photo"] or "",
                          badges, r.get("distance_km")))
    return DirectoryPage(cards, count, min(page, pages), pages, at_least=at_least)


def check_venue_filters(f: VenueFilters) -> City | None:
    errors: dict = {}
    city = _check_common(f, errors)
    _check_range(f.capacity_min, f.capacity_max, "capacity", MAX_CAPACITY, errors, "a capacity")
    if f.kind not in ("", WorkspaceKind.VENUE, WorkspaceKind.PROMOTER):
        errors["kind"] = ["Choose venues, promoters or both."]
    _raise(errors)
    return city


def directory_venues(filters: VenueFilters, page: int = 1) -> DirectoryPage:
    """A page of venues (each place of a venue workspace) and promoters (a promoter workspace with its
    own venues, shown by each venue it runs, and promoters without venues by their home city, as one card
    each). Both kinds are one list (a UNION ALL), so the count, the order and the pages agree: two queries."""
    city = check_venue_filters(filters)
    places = _venue_rows(filters, city)
    promoters = _promoter_rows(filters, city)
    rows = places.union(promoters, all=True) if promoters is not None else places
    count = rows.count()
    pages, offset = _page_bounds(count, page)
    order = ["card_distance", "card_name", "card_id"] if city else ["card_name", "card_kind", "card_id"]
    cards = []
    for r in rows.order_by(*order)[offset:offset + PAGE_SIZE]:
        badges = ("Promoter",) if r["card_kind"] == WorkspaceKind.PROMOTER else ()
        badges += (TRUST_BADGES[r["card_trust"]],) if r["card_trust"] else ()
        cards.append(Card(r["card_kind"], r["card_id"], r["card_name"], r["card_slug"],
                          _label(r["card_city"], r["card_country"]), r["card_lat"], r["card_lng"], (),
                          r["card_capacity"], r["card_photo"] or "", badges, r["card_distance"] if city else None))
    return DirectoryPage(cards, count, min(page, pages), pages)


CARD_COLUMNS = ("card_id", "card_kind", "card_name", "card_slug", "card_city", "card_country", "card_lat", "card_lng",
                "card_capacity", "card_photo", "card_trust", "card_distance")


def _venue_rows(filters: VenueFilters, city: City | None) -> QuerySet:
    """Each place of a venue or promoter workspace that matches, as the card's columns."""
    qs = Venue.objects.filter(workspace__kind__in=(WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)).order_by()
    if filters.kind:
        qs = qs.filter(workspace__kind=filters.kind)
    if filters.capacity_min:
        qs = qs.filter(capacity__gte=filters.capacity_min)
    if filters.capacity_max is not None:
        qs = qs.filter(capacity__lte=filters.capacity_max)
    if filters.genres:
        qs = venues_booking(qs, filters.genres)
    if filters.verified:
        qs = venues_verified(qs)
    if filters.has_backline:
        qs = venues_with_backline(qs)
    if city is not None:
        qs = _near(qs, city, filters.radius_km)
    return venue_trust(qs).annotate(
        card_id=F("pk"), card_kind=F("workspace__kind"), card_name=F("name"), card_slug=published_venue_slug(),
        card_city=F("city_name"), card_country=F("country_code"), card_lat=F("latitude"), card_lng=F("longitude"),
        card_capacity=F("capacity"), card_photo=photo_of("workspace_id"), card_trust=F("trust_level"),
        card_distance=F("distance_km") if city else Value(None, FloatField()),
    ).values(*CARD_COLUMNS)


def _promoter_rows(filters: VenueFilters, city: City | None) -> QuerySet | None:
    """Promoter workspaces without a venue of their own, by their home city: ``None`` when a filter asks
    what only a venue has (a capacity, genres booked, backline, a verified venue) or only venues."""
    if filters.kind == WorkspaceKind.VENUE or filters.capacity_min or filters.capacity_max is not None:
        return None
    if filters.genres or filters.verified or filters.has_backline:
        return None
    qs = (Workspace.objects.filter(kind=WorkspaceKind.PROMOTER).exclude(Exists(Venue.objects.filter(workspace=OuterRef("pk"))))
          .order_by())
    if city is not None:
        qs = _near(qs, city, filters.radius_km)
    return qs.annotate(
        card_id=F("pk"), card_kind=F("kind"), card_name=F("name"), card_slug=Value("", CharField()),
        card_city=F("city_name"), card_country=F("country_code"), card_lat=F("latitude"), card_lng=F("longitude"),
        card_capacity=Value(None, IntegerField()), card_photo=photo_of("pk"), card_trust=Value("", CharField()),
        card_distance=F("distance_km") if city else Value(None, FloatField()),
    ).values(*CARD_COLUMNS)


def genre_choices() -> list[tuple[str, str]]:
    return list(Genre.objects.order_by("name").values_list("slug", "name"))


__all__ = ["ActFilters", "Card", "DirectoryPage", "VenueFilters", "directory_acts", "directory_venues"]
