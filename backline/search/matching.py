"""How a query matches and ranks rows. PostgreSQL ranks with full-text search (the ``simple`` configuration
of the bookings' index: no stemming or stop words, as names, references and emails come in any language);
other databases (SQLite) match every word with a case-insensitive ``icontains`` over the same fields, in a
fixed order given by the caller.

Each matcher returns the narrowed queryset and the ordering that ranks it, as expressions rather than
annotation names, so the same ordering can pick a type's best rows and number them (``selectors._top``)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, Q, QuerySet

from backline.bookings.indexing import CONFIG, BookingDocument


def postgres() -> bool:
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


def _best_first(rank) -> list:
    return [rank.desc(), F("pk").desc()]


def match_bookings(qs: QuerySet, q: str, *, fallback_order: list) -> tuple[QuerySet, list]:
    """``qs`` narrowed to bookings whose ``search_text`` matches ``q``, and its ranking: on PostgreSQL
    through the GIN index, best first; elsewhere every word a case-insensitive substring of it, in
    ``fallback_order``."""
    if postgres():
        from django.contrib.postgres.search import SearchRank

        query = _pg_booking_query(q)
        return (qs.alias(search_document=BookingDocument()).filter(search_document=query),
                _best_first(SearchRank(BookingDocument(), query)))
    for word in _words(q):
        qs = qs.filter(search_text__icontains=word.lower())
    return qs, fallback_order


def match(qs: QuerySet, q: str, fields, *, fallback_order: list, extra_pg=(), extra_fallback=None) -> tuple[QuerySet, list]:
    """``qs`` narrowed to rows matching ``q`` over ``fields`` (``(path, weight)`` pairs), and its ranking:
    best first on PostgreSQL, ``fallback_order`` elsewhere.

    ``extra_pg`` adds ``(expression, weight)`` text to the PostgreSQL document (a to-many field as a
    subquery, so rows never repeat); ``extra_fallback(word)`` adds a ``Q`` for a word elsewhere."""
    if postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for expression, weight in (*fields, *extra_pg):
            part = SearchVector(expression, config=CONFIG, weight=weight)
            vector = part if vector is None else vector + part
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return qs.alias(search_document=vector).filter(search_document=query), _best_first(SearchRank(vector, query))
    for word in _words(q):
        any_field = Q()
        for path, _ in fields:
            any_field |= Q(**{f"{path}__icontains": word})
        if extra_fallback is not None:
            any_field |= extra_fallback(word)
        qs = qs.filter(any_field)
    return qs, fallback_order
