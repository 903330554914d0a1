"""Links to acts' and venues' public pages (``profiles:act`` by the act workspace's slug, ``profiles:venue``
by the venue's slug), where those pages exist: until the public pages app names its routes, or for a
venue without a slug, there is no link and the card or hit is plain text."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Value, When
from django.urls import NoReverseMatch, reverse

PAGE_NAMES = {"act": "profiles:act", "venue": "profiles:venue", "promoter": "profiles:venue"}


def public_page_url(kind: str, slug: str | None) -> str | None:
    """The public page of an act (``kind`` "act") or a venue ("venue", "promoter"), or ``None``."""
    name = PAGE_NAMES.get(kind)
    if not name or not slug:
        return None
    try:
        return reverse(name, args=(slug,))
    except NoReverseMatch:
        return None


def published_act_slug(prefix: str = "") -> Case:
    """The act workspace's slug where its press kit is public (there is a page to open), else ""."""
    return Case(When(**{f"{prefix}press_kit__visibility": "public"}, then=F(f"{prefix}workspace__slug")),
                default=Value(""), output_field=CharField())


def published_venue_slug(prefix: str = "") -> Case:
    """The venue's slug where its page is public, else ""."""
    return Case(When(**{f"{prefix}visibility": "public"}, then=F(f"{prefix}slug")), default=Value(""),
                output_field=CharField())
