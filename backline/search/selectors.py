"""One search across everything a person may see: their inquiries and bookings (through
``bookings.selectors.bookings_for``), their agencies' clients and performers, and the public act and venue
profiles, matched and ranked as ``matching`` says.

Two queries whatever the data and the number of types: the person's memberships (which the search page
shares with its workspace switcher) and one ``UNION ALL`` of each type's best rows. Each type's part picks
its first ``limit`` matches in rank order, numbers them in that order and carries what its hit shows as one
JSON object (``hits`` makes the ``Hit``), so the types' different columns fit one result set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import JSONObject, RowNumber

from backline.accounts.models import Membership, WorkspaceKind
from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW, MEMBERS_VIEW, capabilities_of
from backline.accounts.selectors import memberships_for_user
from backline.artists.models import Act, Genre, Performer
from backline.bookings import selectors as bookings
from backline.bookings.models import Client, Status
from backline.bookings.permissions import ACT_HIDDEN
from backline.core.errors import Invalid
from backline.venues.models import Venue
from backline.venues.trust import verified_venue_q

from . import hits, matching
from .hits import Hit
from .links import published_act_slug, published_venue_slug

TYPES = ("inquiries", "bookings", "clients", "acts", "venues", "performers")
LABELS = {"inquiries": "Inquiries", "bookings": "Bookings", "clients": "Clients", "acts": "Acts", "venues": "Venues",
          "performers": "Performers"}
PUBLIC = frozenset({"acts", "venues"})  # the directory: every person sees every act and venue
MIN_LENGTH, MAX_LENGTH, MAX_LIMIT = 2, 100, 50

# The fields each type matches, with their full-text weight (A ranks highest).
CLIENT_FIELDS = (("name", "A"), ("company", "A"), ("email", "B"), ("city_name", "C"))
ACT_FIELDS = (("workspace__name", "A"), ("workspace__city_name", "B"))
VENUE_FIELDS = (("name", "A"), ("city_name", "B"), ("address", "C"))
PERFORMER_FIELDS = (("name", "A"), ("skills", "B"), ("email", "B"))


def memberships_of(user) -> list[Membership]:
    """The person's memberships with their workspaces and the acts of act workspaces, in the workspace
    switcher's order: one query, for ``search`` and the page's switcher alike."""
    return list(memberships_for_user(user).select_related("workspace__act"))


def search(user, q: str, *, type: str = "all", workspace_id: int | None = None, limit: int = 10,
           memberships: list[Membership] | None = None) -> dict[str, list[Hit]]:
    """The hits per type (in ``TYPES`` order, at most ``limit`` each) for what ``user`` may see.

    ``type`` is ``all`` or one of ``TYPES`` (anything else is ``Invalid``); ``workspace_id`` narrows
    the private types (inquiries, bookings, clients, performers) to that workspace, while acts and
    venues stay the public directory. A query under two characters finds nothing (``{}``), one over
    a hundred is ``Invalid``. ``memberships`` (from ``memberships_of``) saves their query."""
    if type != "all" and type not in TYPES:
        raise Invalid("Unknown search type.", errors={"type": [f"Choose all or one of: {', '.join(TYPES)}."]})
    q = " ".join((q or "").split())
    if len(q) > MAX_LENGTH:
        raise Invalid("The search is too long.", errors={"q": [f"Search for at most {MAX_LENGTH} characters."]})
    if len(q) < MIN_LENGTH or not getattr(user, "is_authenticated", False):
        return {}
    limit = max(1, min(limit, MAX_LIMIT))
    types = TYPES if type == "all" else (type,)
    mine = []
    if set(types) - PUBLIC or "venues" in types:  # a venue hit offers act bookers "Ask for a date"
        mine = [m for m in (memberships_of(user) if memberships is None else memberships)
                if workspace_id is None or m.workspace_id == workspace_id]
    parts = {t: part for t in types if (part := FINDERS[t](user, q, memberships=mine, limit=limit)) is not None}
    results: dict[str, list[Hit]] = {t: [] for t in types}
    if parts:
        queries = [part.rows for part in parts.values()]
        rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        for kind, pk, _, row in sorted(rows, key=lambda r: r[2]):  # each type's hits in rank order
            results[kind].append(parts[kind].hit(pk, row))
    return results


# --- one part of the query per type -----------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    rows: QuerySet  # (type, id, position, JSON object) per hit
    hit: Callable[[int, dict], Hit]


def _top(qs: QuerySet, order: list, *, kind: str, limit: int, **fields) -> QuerySet:
    """The first ``limit`` rows of ``qs`` in ``order`` as rows of the search query: the type, the id, the
    position in ``order`` and ``fields`` (names and expressions) as one JSON object. The rows are picked
    in a subquery, as a part of a compound query may carry neither an ORDER BY nor a LIMIT on SQLite."""
    first = qs.order_by(*order).values("pk")[:limit]
    return (qs.model.objects.filter(pk__in=first).order_by()
            .annotate(search_type=Value(kind), search_position=Window(RowNumber(), order_by=order),
                      search_row=JSONObject(**fields))
            .values_list("search_type", "pk", "search_position", "search_row"))


def _viewing(memberships, capability: str, *, kind: str | None = None) -> dict[int, Membership]:
    return {m.workspace_id: m for m in memberships
            if capability in capabilities_of(m.role) and (kind is None or m.workspace.kind == kind)}


def _booking_part(user, q, *, memberships, limit, statuses, kind) -> Part | None:
    seen = _viewing(memberships, BOOKINGS_VIEW)
    if not seen:
        return None
    qs = bookings.bookings_for(user, status=list(statuses), memberships=memberships)
    qs, order = matching.match_bookings(qs, q, fallback_order=[F("created_at").desc(), F("pk").desc()])
    rows = _top(qs, order, kind=kind, limit=limit, reference=F("reference"), title=F("title"), status=F("status"),
                starts_at=F("starts_at"), time_zone=F("time_zone"), date_from=F("date_from"),
                contact_name=F("contact_name"), location=F("location"), workspace_id=F("workspace_id"),
                workspace_slug=F("workspace__slug"), act_id=F("act_id"), act_name=F("act__workspace__name"),
                act_slug=F("act__workspace__slug"), client_id=F("client_id"), client_name=F("client__name"),
                client_company=F("client__company"), venue_id=F("venue_id"), venue_name=F("venue__name"))
    return Part(rows, partial(hits.booking, kind, seen=seen))


def _inquiries(user, q, **kw) -> Part | None:
    return _booking_part(user, q, statuses=ACT_HIDDEN, kind="inquiries", **kw)


def _bookings(user, q, **kw) -> Part | None:
    return _booking_part(user, q, statuses=[s for s in Status.values if s not in ACT_HIDDEN], kind="bookings", **kw)


def _clients(user, q, *, memberships, limit) -> Part | None:
    agencies = _viewing(memberships, BOOKINGS_VIEW, kind=WorkspaceKind.AGENCY)
    if not agencies:
        return None
    qs, order = matching.match(Client.objects.filter(workspace_id__in=agencies), q, CLIENT_FIELDS,
                               fallback_order=[F("name").asc(), F("pk").asc()])
    rows = _top(qs, order, kind="clients", limit=limit, name=F("name"), company=F("company"), email=F("email"),
                city_name=F("city_name"), archived_at=F("archived_at"), workspace_id=F("workspace_id"),
                workspace_name=F("workspace__name"))
    return Part(rows, partial(hits.client, agencies=agencies))


def _performers(user, q, *, memberships, limit) -> Part | None:
    agencies = _viewing(memberships, MEMBERS_VIEW, kind=WorkspaceKind.AGENCY)
    if not agencies:
        return None
    qs, order = matching.match(Performer.objects.filter(workspace_id__in=agencies), q, PERFORMER_FIELDS,
                               fallback_order=[F("name").asc(), F("pk").asc()])
    rows = _top(qs, order, kind="performers", limit=limit, name=F("name"), skills=F("skills"),
                is_active=F("is_active"), workspace_id=F("workspace_id"), workspace_name=F("workspace__name"))
    return Part(rows, partial(hits.performer, agencies=agencies))


def _genre(n: int) -> Subquery:
    """The act's ``n``-th genre name (from 0) in the genre list's order, or NULL."""
    return Subquery(Genre.objects.filter(acts=OuterRef("pk")).order_by("name").values("name")[n:n + 1])


def _acts(user, q, *, limit, **_) -> Part:
    genre_names = None
    if matching.postgres():  # every genre name, one string per act, for the full-text document
        from django.contrib.postgres.aggregates import StringAgg

        genre_names = Subquery(Genre.objects.filter(acts=OuterRef("pk")).order_by().values("acts")
                               .annotate(names=StringAgg("name", delimiter=" ")).values("names"))
    qs, order = matching.match(
        Act.objects.all(), q, ACT_FIELDS, fallback_order=[F("workspace__name").asc(), F("pk").asc()],
        extra_pg=((genre_names, "B"),) if genre_names is not None else (),
        extra_fallback=lambda word: Q(pk__in=Act.genres.through.objects.filter(genre__name__icontains=word)
                                      .values("act_id")))
    rows = _top(qs, order, kind="acts", limit=limit, name=F("workspace__name"), slug=published_act_slug(),
                act_type=F("act_type"),
                city_name=F("workspace__city_name"), country_code=F("workspace__country_code"),
                genre1=_genre(0), genre2=_genre(1), genre3=_genre(2))
    return Part(rows, hits.act)


def _venues(user, q, *, limit, memberships=(), **_) -> Part:
    """Venues by name, city or address; a member of an act who may send inquiries gets "Ask for a
    date" on each (from their first such act)."""
    qs, order = matching.match(Venue.objects.all(), q, VENUE_FIELDS, fallback_order=[F("name").asc(), F("pk").asc()])
    rows = _top(qs, order, kind="venues", limit=limit, name=F("name"), city_name=F("city_name"),
                country_code=F("country_code"), address=F("address"), capacity=F("capacity"),
                trusted=Case(When(verified_venue_q(), then=Value("yes")), default=Value(""), output_field=CharField()),
                slug=published_venue_slug())
    askers = [m.workspace for m in memberships if m.workspace.kind in (WorkspaceKind.ACT, WorkspaceKind.AGENCY)
              and BOOKINGS_MANAGE in capabilities_of(m.role)]  # an act first; else an agency, for its acts
    asker = next((w for w in askers if w.kind == WorkspaceKind.ACT), askers[0] if askers else None)
    return Part(rows, partial(hits.venue, asker=asker))


FINDERS = {"inquiries": _inquiries, "bookings": _bookings, "clients": _clients, "acts": _acts, "venues": _venues,
           "performers": _performers}
