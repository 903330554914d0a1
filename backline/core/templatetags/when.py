"""Times for people: ``{% load when %}``.

* ``{{ rule.time_zone|other_zone }}`` — "Lisbon time" when the zone differs from the viewer's (the
  active one, set from their profile), else nothing: a zone is named only where it changes what a
  time means. Inside ``{% timezone … %}`` give the viewer's zone: ``|other_zone:user.time_zone``.
* ``{% zoned booking.starts_at booking.time_zone "D j M, H:i" %}`` — the time in its own zone (a show at
  the venue's clock), followed by the zone's name when it is not the viewer's.
* ``{{ booking.time_zone|zone_label }}`` — always the zone in words ("Berlin time"), for documents that
  both sides read (a contract names its clock whoever prints it).
* ``{{ booking.date_from|day_span:booking.date_to }}`` — a range of days: "4–9 May 2027",
  "4 Apr – 4 May 2027", "28 Dec 2026 – 3 Jan 2027" (one day: "4 May 2027").
"""

from __future__ import annotations

import zoneinfo

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from backline.core import timeutil

register = template.Library()


@register.filter(name="zone_label")
def zone_label(name: str) -> str:
    """"Europe/Berlin" → "Berlin time"; "America/Argentina/Buenos_Aires" → "Buenos Aires time"."""
    if not name or name.upper() in ("UTC", "ETC/UTC", "GMT"):
        return "UTC"
    return name.rsplit("/", 1)[-1].replace("_", " ") + " time"


@register.filter(name="day_span")
def day_span(start, end=None) -> str:
    """From ``start`` to ``end`` (dates), the year written once when both days share it."""
    return timeutil.day_span(start, end or None) if start else ""


def _viewer_zone() -> str:
    return getattr(timezone.get_current_timezone(), "key", str(timezone.get_current_timezone()))


@register.filter
def other_zone(name, viewer="") -> str:
    """The zone's label when it is not the viewer's, else "". ``viewer`` names the viewer's zone where
    the page shows times at another clock (inside ``{% timezone booking.time_zone %}``)."""
    if not name or str(name) == (viewer or _viewer_zone()):
        return ""
    return zone_label(str(name))


@register.simple_tag
def zoned(value, zone_name="", fmt="D j M Y, H:i") -> str:
    if not value:
        return ""
    try:
        tz = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = timezone.get_current_timezone()
    text = date_format(timezone.localtime(value, tz), fmt)
    label = other_zone(zone_name)
    return f"{text} ({label})" if label else text
