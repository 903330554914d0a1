"""The press kit in the workspace API: ``GET/PUT /api/v1/acts/{workspace_id}/epk``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema

from backline.accounts.permissions import WORKSPACE_VIEW, access_workspace
from backline.core.api import ERROR_RESPONSES
from backline.core.api.types import Id

from . import epk

router = Router(tags=["press kits"])


class QuoteIO(Schema):
    quote: str = Field(min_length=1, max_length=600)
    source: str = Field(min_length=1, max_length=120)
    link: str = Field("", max_length=500)
    date: dt.date | None = None


class EmbedOut(Schema):
    provider: str
    url: str
    embed_url: str


class AssetRef(Schema):
    id: int
    title: str
    credit: str
    url: str


class PressKitOut(Schema):
    visibility: str
    public_url: str
    short_bio: str
    long_bio: str
    achievements: list[str]
    media_links: list[str]
    embeds: list[EmbedOut]
    quotes: list[QuoteIO]
    hero_id: int | None
    photo_ids: list[int]
    document_ids: list[int]
    show_upcoming_shows: bool
    booking_name: str
    booking_email: str
    booking_phone: str
    fee_min: Decimal | None
    fee_max: Decimal | None
    fee_currency: str


class PressKitIn(Schema):
    visibility: str = Field("private", max_length=16)
    short_bio: str = Field("", max_length=300)
    long_bio: str = Field("", max_length=10000)
    achievements: list[str] = Field([], max_length=30)
    media_links: list[str] = Field([], max_length=epk.MAX_LINKS)
    quotes: list[QuoteIO] = Field([], max_length=epk.MAX_QUOTES)
    hero_id: Id | None = None
    photo_ids: list[Id] = Field([], max_length=epk.MAX_PHOTOS)
    document_ids: list[Id] = Field([], max_length=epk.MAX_DOCUMENTS)
    show_upcoming_shows: bool = False
    booking_name: str = Field("", max_length=120)
    booking_email: str = Field("", max_length=254)
    booking_phone: str = Field("", max_length=40)
    fee_min: Decimal | None = Field(None, ge=0, le=99999999, max_digits=10, decimal_places=2)
    fee_max: Decimal | None = Field(None, ge=0, le=99999999, max_digits=10, decimal_places=2)
    fee_currency: str = Field("", max_length=3)


def press_kit_out(kit, request) -> dict:
    from django.urls import reverse

    return {
        "visibility": kit.visibility, "short_bio": kit.short_bio, "long_bio": kit.long_bio,
        "public_url": request.build_absolute_uri(reverse("profiles:act", args=[kit.act.workspace.slug])),
        "achievements": kit.achievement_lines, "media_links": [m.url for m in kit.media_links.all()],
        "embeds": [{"provider": e.provider_name, "url": e.url, "embed_url": e.src} for e in epk.embeds_of(kit)],
        "quotes": [{"quote": q.quote, "source": q.source, "link": q.link, "date": q.date} for q in kit.quotes.all()],
        "hero_id": kit.hero_id, "photo_ids": [a.pk for a in epk.photos_of(kit)],
        "document_ids": [a.pk for a in epk.documents_of(kit)], "show_upcoming_shows": kit.show_upcoming_shows,
        "booking_name": kit.booking_name, "booking_email": kit.booking_email, "booking_phone": kit.booking_phone,
        "fee_min": kit.fee_min, "fee_max": kit.fee_max, "fee_currency": kit.fee_currency,
    }


@router.get("/acts/{workspace_id}/epk", response={200: PressKitOut, **ERROR_RESPONSES})
def press_kit_detail(request, workspace_id: int):
    """The act's press kit as its members see it (made, private and empty, on first use)."""
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=WORKSPACE_VIEW)
    return press_kit_out(epk.press_kit_for(access), request)


@router.put("/acts/{workspace_id}/epk", response={200: PressKitOut, **ERROR_RESPONSES})
def press_kit_replace(request, workspace_id: int, payload: PressKitIn):
    """Replace the press kit as a whole (``workspace.edit``). Media links must be from the allowed
    providers (422 lists the refused ones); photos and documents come from the act's media library."""
    data = payload.dict()
    fields = {k: data[k] for k in epk.FIELDS if k in data and k != "hero"}
    fields["hero"] = data["hero_id"]
    fields["achievements"] = "\n".join(a.strip() for a in data["achievements"] if a.strip())
    epk.press_kit_save(actor=request.auth, workspace_id=workspace_id, fields=fields, media_links=data["media_links"],
                       quotes=data["quotes"], photos=data["photo_ids"], documents=data["document_ids"])
    access = access_workspace(user=request.auth, workspace_id=workspace_id, capability=WORKSPACE_VIEW)
    return press_kit_out(epk.press_kit_for(access), request)
