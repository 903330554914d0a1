"""One search across everything a person may see: their inquiries and bookings (through
``selectors.bookings_for``), their agencies' clients and performers, and the public act and venue
profiles. PostgreSQL ranks with full-text search; other databases (SQLite) match every word with a
case-insensitive ``icontains`` over the same fields. Each type costs a fixed number of queries.

Bookings match one maintained column, ``Booking.search_text``, which the bookings app keeps current
(``backline.bookings.indexing``); on PostgreSQL they match through its GIN index, with
``indexing.BookingDocument``, exactly the indexed expression."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from backline.accounts.models import Membership, WorkspaceKind
from backline.accounts.permissions import BOOKINGS_VIEW, MEMBERS_VIEW, ROSTER_MANAGE, capabilities_of
from backline.artists.models import Act, Genre, Performer
from backline.bookings import selectors
from backline.bookings.indexing import CONFIG, BookingDocument
from backline.bookings.models import Booking, Client, Status
from backline.bookings.permissions import ACT_HIDDEN
from backline.core.errors import Invalid
from backline.core.timeutil import zone
from backline.venues.models import Venue

TYPES = ("inquiries", "bookings", "clients", "acts", "venues", "performers")
LABELS = {"inquiries": "Inquiries", "bookings": "Bookings", "clients": "Clients", "acts": "Acts", "venues": "Venues",
          "performers": "Performers"}
MIN_LENGTH, MAX_LENGTH, MAX_LIMIT = 2, 100, 50
# The fields each type matches, with their full-text weight (A ranks highest).
CLIENT_FIELDS = (("name", "A"), ("company", "A"), ("email", "B"), ("city_name", "C"))
ACT_FIELDS = (("workspace__name", "A"), ("workspace__city_name", "B"))
VENUE_FIELDS = (("name", "A"), ("city_name", "B"), ("address", "C"))
PERFORMER_FIELDS = (("name", "A"), ("skills", "B"), ("email", "B"))


@dataclass(frozen=True)
class Hit:
    """One result. ``url_args`` is ``(url name, args, query)`` for the viewer's page of the hit, or
    ``None`` where there is no page to go to (acts and venues have no public page yet)."""

    type: str
    id: int
    title: str
    subtitle: str
    url_args: tuple[str, tuple, dict] | None = None

    @property
    def url(self) -> str | None:
        if self.url_args is None:
            return None
        name, args, query = self.url_args
        return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")


def search(user, q: str, *, type: str = "all", workspace_id: int | None = None, limit: int = 10) -> dict[str, list[Hit]]:
    """The hits per type (in ``TYPES`` order, at most ``limit`` each) for what ``user`` may see.

    ``type`` is ``all`` or one of ``TYPES`` (anything else is ``Invalid``); ``workspace_id`` narrows
    the private types (inquiries, bookings, clients, performers) to that workspace, while acts and
    venues stay the public directory. A query under two characters finds nothing (``{}``), one over
    a hundred is ``Invalid``."""
    if type != "all" and type not in TYPES:
        raise Invalid("Unknown search type.", errors={"type": [f"Choose all or one of: {', '.join(TYPES)}."]})
    q = " ".join((q or "").split())
    if len(q) > MAX_LENGTH:
        raise Invalid("The search is too long.", errors={"q": [f"Search for at most {MAX_LENGTH} characters."]})
    if len(q) < MIN_LENGTH or not getattr(user, "is_authenticated", False):
        return {}
    limit = max(1, min(limit, MAX_LIMIT))
    types = TYPES if type == "all" else (type,)
    memberships = None
    if set(types) - {"acts", "venues"}:  # one query serves every private type
        memberships = [m for m in Membership.objects.filter(user=user).select_related("workspace")
                       if workspace_id is None or m.workspace_id == workspace_id]
    finders = {"inquiries": _inquiries, "bookings": _bookings, "clients": _clients, "acts": _acts, "venues": _venues,
               "performers": _performers}
    return {t: finders[t](user, q, memberships=memberships, workspace_id=workspace_id, limit=limit) for t in types}


# --- matching ---------------------------------------------------------------------------------------

def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _words(q: str) -> list[str]:
    """The fallback's words: web-search quoting means nothing to ``icontains``."""
    return [w for w in (part.strip('"') for part in q.split()) if w]


def _prefix_literal(word: str) -> str:
    """``word`` as one quoted ``to_tsquery`` lexeme matching as a prefix (``'word':*``): quoted, so no
    character of it is a tsquery operator; sent as a query parameter like every other input."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "':*"


def _pg_booking_query(q: str):
    """The web-search query ``q`` with its last word a prefix (``"midsummer ja"`` finds "Midsummer jazz
    night"): ``websearch_to_tsquery`` of the words before it ``&&`` ``to_tsquery`` of ``'last':*``. Where
    the last word is web-search syntax (quoted, negated, ``or`` or the operand of an ``or``), all of ``q``
    stays a plain web search."""
    from django.contrib.postgres.search import SearchQuery

    words = q.split()
    last = words[-1]
    plain = (q.count('"') % 2 == 0 and '"' not in last and not last.startswith("-") and last.lower() != "or"
             and (len(words) < 2 or words[-2].lower() != "or") and re.search(r"\w", last))
    if not plain:
        return SearchQuery(q, config=CONFIG, search_type="websearch")
    prefix = SearchQuery(_prefix_literal(last), config=CONFIG, search_type="raw")
    rest = " ".join(words[:-1])
    return SearchQuery(rest, config=CONFIG, search_type="websearch") & prefix if rest else prefix


def _match_bookings(qs: QuerySet, q: str) -> QuerySet:
    """``qs`` narrowed to bookings whose ``search_text`` matches ``q``: on PostgreSQL through the GIN
    index, best first; elsewhere every word a case-insensitive substring of it."""
    if _postgres():
        from django.contrib.postgres.search import SearchRank

        query = _pg_booking_query(q)
        return (qs.alias(search_document=BookingDocument()).filter(search_document=query)
                .annotate(search_rank=SearchRank(BookingDocument(), query)).order_by("-search_rank", "-pk"))
    for word in _words(q):
        qs = qs.filter(search_text__icontains=word.lower())
    return qs


def _match(qs: QuerySet, q: str, fields, *, extra_pg=(), extra_fallback=None) -> QuerySet:
    """``qs`` narrowed to rows matching ``q`` over ``fields`` (``(path, weight)`` pairs), best first.

    ``extra_pg`` adds ``(expression, weight)`` text to the PostgreSQL document (a to-many field as a
    subquery, so rows never repeat); ``extra_fallback(word)`` adds a ``Q`` for a word elsewhere."""
    if _postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for expression, weight in (*fields, *extra_pg):
            part = SearchVector(expression, config=CONFIG, weight=weight)
            vector = part if vector is None else vector + part
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return (qs.alias(search_document=vector).filter(search_document=query)
                .annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", "-pk"))
    for word in _words(q):
        any_field = Q()
        for path, _ in fields:
            any_field |= Q(**{f"{path}__icontains": word})
        if extra_fallback is not None:
            any_field |= extra_fallback(word)
        qs = qs.filter(any_field)
    return qs


# --- one finder per type ----------------------------------------------------------------------------

def _viewing_slugs(memberships, capability: str, *, kind: str | None = None) -> dict[int, Membership]:
    return {m.workspace_id: m for m in memberships or []
            if capability in capabilities_of(m.role) and (kind is None or m.workspace.kind == kind)}


def _booking_hits(user, q, *, memberships, workspace_id, limit, statuses, kind) -> list[Hit]:
    seen = _viewing_slugs(memberships, BOOKINGS_VIEW)
    if not seen:
        return []
    qs = selectors.bookings_for(user, workspace_id=workspace_id, status=list(statuses))
    if not _postgres():
        qs = qs.order_by("-created_at", "-pk")
    hits = []
    for b in _match_bookings(qs, q)[:limit]:
        # The viewer's side: the buyer's workspace when they are in it, else the act's (from the hold on).
        slug = b.workspace.slug if b.workspace_id in seen else b.act.workspace.slug
        hits.append(Hit(kind, b.pk, f"{b.reference} · {b.title}", _booking_subtitle(b),
                        ("booking_detail", (slug, b.pk), {})))
    return hits


def _booking_subtitle(b: Booking) -> str:
    when = ""
    if b.starts_at:
        when = f"{timezone.localtime(b.starts_at, zone(b.time_zone)):%d %b %Y}"
    elif b.date_from:
        when = f"{b.date_from:%d %b %Y}"
    who = b.act.workspace.name if b.act_id else (str(b.client) if b.client_id else b.contact_name)
    where = b.venue.name if b.venue_id else b.location
    return " · ".join(part for part in (Status(b.status).label, when, who, where) if part)


def _inquiries(user, q, **kw) -> list[Hit]:
    return _booking_hits(user, q, statuses=ACT_HIDDEN, kind="inquiries", **kw)


def _bookings(user, q, **kw) -> list[Hit]:
    return _booking_hits(user, q, statuses=[s for s in Status.values if s not in ACT_HIDDEN], kind="bookings", **kw)


def _clients(user, q, *, memberships, workspace_id, limit) -> list[Hit]:
    agencies = _viewing_slugs(memberships, BOOKINGS_VIEW, kind=WorkspaceKind.AGENCY)
    if not agencies:
        return []
    qs = Client.objects.filter(workspace_id__in=agencies).select_related("workspace")
    hits = []
    for c in _match(qs, q, CLIENT_FIELDS)[:limit]:
        where = " · ".join(p for p in (c.email, c.city_name, c.workspace.name, "archived" if c.archived_at else "") if p)
        hits.append(Hit("clients", c.pk, str(c), where,
                        ("booking_list", (agencies[c.workspace_id].workspace.slug,), {"client_id": c.pk})))
    return hits


def _performers(user, q, *, memberships, workspace_id, limit) -> list[Hit]:
    agencies = _viewing_slugs(memberships, MEMBERS_VIEW, kind=WorkspaceKind.AGENCY)
    if not agencies:
        return []
    qs = Performer.objects.filter(workspace_id__in=agencies).select_related("workspace")
    hits = []
    for p in _match(qs, q, PERFORMER_FIELDS)[:limit]:
        m = agencies[p.workspace_id]
        # Those who manage the roster open the performer; the others see the agency's performer list.
        url = (("performer_edit", (m.workspace.slug, p.pk), {}) if ROSTER_MANAGE in capabilities_of(m.role)
               else ("performer_list", (m.workspace.slug,), {}))
        about = " · ".join(x for x in (p.skills, p.workspace.name, "" if p.is_active else "inactive") if x)
        hits.append(Hit("performers", p.pk, p.name, about, url))
    return hits


def _acts(user, q, *, limit, **_) -> list[Hit]:
    genre_names = Subquery(Genre.objects.filter(acts=OuterRef("pk")).order_by().values("acts")
                           .annotate(names=_string_agg("name")).values("names")) if _postgres() else None
    qs = _match(Act.objects.select_related("workspace").order_by("workspace__name", "pk"), q, ACT_FIELDS,
                extra_pg=((genre_names, "B"),) if genre_names is not None else (),
                extra_fallback=lambda word: Q(pk__in=Act.genres.through.objects.filter(genre__name__icontains=word)
                                              .values("act_id")))
    hits = []
    for a in qs.prefetch_related("genres")[:limit]:
        genres = ", ".join(g.name for g in list(a.genres.all())[:3])
        about = " · ".join(x for x in (a.get_act_type_display(), a.workspace.city_label, genres) if x)
        hits.append(Hit("acts", a.pk, a.workspace.name, about, None))
    return hits


def _string_agg(field: str):
    from django.contrib.postgres.aggregates import StringAgg

    return StringAgg(field, delimiter=" ")


def _venues(user, q, *, limit, **_) -> list[Hit]:
    hits = []
    for v in _match(Venue.objects.order_by("name", "pk"), q, VENUE_FIELDS)[:limit]:
        about = " · ".join(x for x in (v.city_label, v.address, f"capacity {v.capacity}") if x)
        hits.append(Hit("venues", v.pk, v.name, about, None))
    return hits
