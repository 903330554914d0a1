"""The public pages as JSON: ``GET /api/v1/public/acts/{slug}`` (anonymous; the page's visibility)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema

from backline.artists import epk
from backline.artists.epk_models import Visibility
from backline.bookings import selectors as bookings
from backline.core.api import ERROR_RESPONSES
from backline.core.errors import NotFound

router = Router(tags=["public pages"])


class PublicEmbedOut(Schema):
    provider: str
    url: str
    embed_url: str


class PublicQuoteOut(Schema):
    quote: str
    source: str
    link: str
    date: str | None


class PublicMemberOut(Schema):
    name: str
    instruments: str


class PublicPhotoOut(Schema):
    url: str
    thumbnail_url: str
    title: str
    credit: str


class PublicShowOut(Schema):
    date: str
    where: str


class PublicActOut(Schema):
    name: str
    slug: str
    url: str
    city: str
    genres: list[str]
    short_bio: str
    long_bio: str
    achievements: list[str]
    hero: PublicPhotoOut | None
    photos: list[PublicPhotoOut]
    embeds: list[PublicEmbedOut]
    quotes: list[PublicQuoteOut]
    line_up: list[PublicMemberOut]
    upcoming_shows: list[PublicShowOut]
    booking_name: str
    booking_email: str
    booking_phone: str
    fee_band: str
    one_sheet_url: str
    press_pack_url: str


def _photo(request, asset):
    if asset is None or not asset.web:
        return None
    return {"url": request.build_absolute_uri(asset.web.url),
            "thumbnail_url": request.build_absolute_uri((asset.thumb or asset.web).url),
            "title": asset.title, "credit": asset.credit}


@router.get("/public/acts/{slug}", auth=None, response={200: PublicActOut, 404: ERROR_RESPONSES[404]})
def public_act(request, slug: str):
    """An act's press kit as its public page shows it: public and unlisted ones for anyone; a private
    one is 404 for everyone (the act's members read it at ``/acts/{workspace_id}/epk``)."""
    kit = epk.press_kit_by_slug(slug[:80])
    if kit is None or kit.visibility == Visibility.PRIVATE:
        raise NotFound("No such press kit.")
    ws = kit.act.workspace
    shows = (bookings.public_shows_for_act(act_id=kit.act_id, today=timezone.localdate())
             if kit.show_upcoming_shows else [])
    return {
        "name": ws.name, "slug": ws.slug, "url": request.build_absolute_uri(reverse("profiles:act", args=[ws.slug])),
        "city": ws.city_name, "genres": [g.name for g in kit.act.genres.all()], "short_bio": kit.short_bio,
        "long_bio": kit.long_bio, "achievements": kit.achievement_lines, "hero": _photo(request, kit.hero),
        "photos": [p for a in epk.photos_of(kit) if (p := _photo(request, a))],
        "embeds": [{"provider": e.provider_name, "url": e.url, "embed_url": e.src} for e in epk.embeds_of(kit)],
        "quotes": [{"quote": q.quote, "source": q.source, "link": q.link, "date": q.date.isoformat() if q.date else None}
                   for q in kit.quotes.all()],
        "line_up": [{"name": m.name, "instruments": m.instruments} for m in kit.act.members.all()],
        "upcoming_shows": [{"date": s.date_from.isoformat(),
                            "where": f"{s.venue.name}, {s.venue.city_name}".strip(", ") if s.venue else s.workspace.name}
                           for s in shows],
        "booking_name": kit.booking_name, "booking_email": kit.booking_email, "booking_phone": kit.booking_phone,
        "fee_band": epk.fee_band(kit),
        "one_sheet_url": request.build_absolute_uri(reverse("profiles:act_one_sheet", args=[ws.slug])),
        "press_pack_url": request.build_absolute_uri(reverse("profiles:act_press_pack", args=[ws.slug])),
    }
