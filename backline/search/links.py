"""Links to acts' and venues' public pages (``profiles:act`` by the act workspace's slug, ``profiles:venue``
by the venue's slug), where those pages exist: until the public pages app names its routes, or for a
venue without a slug, there is no link and the card or hit is plain text."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from backline.venues.models import Venue

PAGE_NAMES = {"act": "profiles:act", "venue": "profiles:venue", "promoter": "profiles:venue"}


def _has_slug() -> bool:
    try:
        Venue._meta.get_field("slug")
        return True
    except Exception:
        return False


VENUE_SLUG = _has_slug()  # HOOK (venue pages): Venue.slug


def public_page_url(kind: str, slug: str | None) -> str | None:
    """The public page of an act (``kind`` "act") or a venue ("venue", "promoter"), or ``None``."""
    name = PAGE_NAMES.get(kind)
    if not name or not slug:
        return None
    try:
        return reverse(name, args=(slug,))
    except NoReverseMatch:
        return None
