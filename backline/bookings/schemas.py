"""In/Out schemas of the bookings API (``api``) and the agencies' (``agency.api``)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from backline.core.api.types import INT32_MAX, Id, LocalTime, OffsetDateTime, PositiveInt32


class Ref(Schema):
    id: int
    name: str


class BonusIO(Schema):
    tickets: int = Field(gt=0, le=INT32_MAX)
    amount: Decimal = Field(ge=0)


class OfferIn(Schema):
    deal_type: str = Field(description="guarantee, door, versus or flat (an agency's package or custom price)")
    currency: str | None = Field(None, description="ISO 4217; defaults to the booking's")
    guarantee: Decimal | None = None
    percent: Decimal | None = Field(None, description="door or versus percentage, 0-100")
    basis: str = Field("net", description="versus deals: net or gross")
    expenses: Decimal = Decimal(0)
    bonuses: list[BonusIO] = []
    deposit_percent: Decimal | None = None
    deposit_due: dt.date | None = None
    ticket_price: Decimal | None = None
    capacity: PositiveInt32 | None = None
    radius_km: PositiveInt32 | None = None
    radius_days: PositiveInt32 | None = None
    set_minutes: PositiveInt32 | None = None
    load_in: LocalTime | None = None
    doors: LocalTime | None = None
    curfew: LocalTime | None = None
    package_id: Id | None = None
    notes: str = Field("", max_length=2000)
    expires_at: OffsetDateTime | None = None
    attachment_ids: list[Id] = Field([], max_length=10, description=(
        "Files to send with it: ids of documents or photos in the sender's own media library (another "
        "workspace's, or another kind of file, is 422 on attachment_ids)"))


class OfferFileOut(Schema):
    id: int
    title: str
    kind: str
    content_type: str
    download_url: str = Field(description="GET it with the same credentials; both sides of the booking may")


class OfferOut(Schema):
    id: int
    version: int
    side: str
    status: str
    deal_type: str
    currency: str
    guarantee: Decimal | None
    percent: Decimal | None
    basis: str
    expenses: Decimal
    bonuses: list[BonusIO]
    deposit_percent: Decimal | None
    deposit_due: dt.date | None
    ticket_price: Decimal | None
    capacity: int | None
    radius_km: int | None
    radius_days: int | None
    set_minutes: int | None
    load_in: LocalTime | None
    doors: LocalTime | None
    curfew: LocalTime | None
    package_id: int | None
    notes: str
    expires_at: dt.datetime | None
    created_at: dt.datetime
    summary: str
    changes: list[list[str]] = Field(description="what this version changed from the one before: [field, before, after]")
    attachments: list[OfferFileOut] = Field(description="files the sender sent with this version")


class AssignmentOut(Schema):
    performer_id: int
    performer_name: str
    role: str
    payout: Decimal
    currency: str
    override_reason: str


def _ref(obj, field: str, name):
    if isinstance(obj, dict):
        return obj.get(field)
    value = getattr(obj, field)
    return {"id": value.pk, "name": name(value)} if value is not None else None


class BookingOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    workspace: Ref
    act: Ref | None
    venue: Ref | None
    client: Ref | None
    source: str
    date_from: dt.date | None
    date_to: dt.date | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_zone: str
    location: str
    budget: Decimal | None
    currency: str
    hold_rank: int | None
    hold_expires_at: dt.datetime | None
    challenge_deadline: dt.datetime | None
    offer_expires_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    close_reason: str
    deal: str | None = Field(None, description="the current deal in words (on a single booking)")

    @staticmethod
    def resolve_workspace(obj):
        return _ref(obj, "workspace", lambda w: w.name)

    @staticmethod
    def resolve_act(obj):
        return _ref(obj, "act", lambda a: a.workspace.name)

    @staticmethod
    def resolve_venue(obj):
        return _ref(obj, "venue", lambda v: v.name)

    @staticmethod
    def resolve_client(obj):
        return _ref(obj, "client", str)


class BookingDetailOut(BookingOut):
    contact_name: str
    contact_email: str
    contact_phone: str
    notes: str
    side: str = Field(description="your side of this booking: buyer or act")
    allowed_next: list[str]
    offers: list[OfferOut]
    assignments: list[AssignmentOut]


class InquiryIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    source: str = "email"
    act_id: Id | None = None
    venue_id: Id | None = None
    client_id: Id | None = None
    package_id: Id | None = None
    contact_name: str = Field("", max_length=120)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    location: str = Field("", max_length=200)
    budget: Decimal | None = None
    currency: str | None = None
    notes: str = Field("", max_length=5000)
    starts_at: OffsetDateTime | None = Field(None, description="the show's start, when known already")
    ends_at: OffsetDateTime | None = None


class InquiryRequestIn(Schema):
    """An act asks a venue or promoter for a date: name the venue, the buyer's workspace, or both."""

    venue_id: Id | None = Field(None, description="the venue asked; its workspace receives the inquiry")
    buyer_workspace_id: Id | None = Field(None, description="the venue's or promoter's workspace asked")
    date_from: dt.date | None = Field(None, description="the date asked for (or the first of a range); "
                                                        "may be left out when starts_at is given")
    date_to: dt.date | None = Field(None, description="the last date of a range (at most 92 days)")
    starts_at: OffsetDateTime | None = Field(None, description="the show's start, when the act has one in mind")
    ends_at: OffsetDateTime | None = None
    budget: Decimal | None = Field(None, ge=0, description="the fee the act hopes for")
    currency: str | None = Field(None, description="ISO 4217; defaults to the act's")
    message: str = Field("", max_length=5000, description="opens the booking's conversation with the buyer")


class BookingPatchIn(Schema):
    """Only the fields given change; ``null`` clears one that may be empty. Which fields a stage lets
    change: see ``PATCH /bookings/{booking_id}``."""

    title: str | None = Field(None, min_length=1, max_length=160)
    notes: str | None = Field(None, max_length=5000)
    source: str | None = None
    contact_name: str | None = Field(None, max_length=120)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    location: str | None = Field(None, max_length=200)
    budget: Decimal | None = None
    currency: str | None = Field(None, description="inquiries only: the budget's ISO 4217 code")
    date_from: dt.date | None = Field(None, description="inquiries without times: the date, or the first of a range")
    date_to: dt.date | None = Field(None, description="inquiries without times: the last date of a range")
    starts_at: OffsetDateTime | None = Field(None, description="the show's start; give it with ends_at")
    ends_at: OffsetDateTime | None = None
    act_id: Id | None = None
    venue_id: Id | None = None
    stage_id: Id | None = Field(None, description="one of the venue's stages (rooms)")
    client_id: Id | None = None
    package_id: Id | None = None


class HoldIn(Schema):
    starts_at: OffsetDateTime
    ends_at: OffsetDateTime
    venue_id: Id | None = None
    act_id: Id | None = None
    expires_at: OffsetDateTime | None = None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class AcceptIn(Schema):
    offer_id: Id | None = Field(None, description="the open offer; default: the latest")


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    actor: str | None
    before: dict | None
    after: dict | None


class AdvanceIO(Schema):
    load_in: LocalTime | None = None
    soundcheck: LocalTime | None = None
    doors: LocalTime | None = None
    set_times: str = Field("", max_length=2000)
    changeover_minutes: int | None = Field(None, ge=0, le=240)
    curfew: LocalTime | None = None
    parking: str = Field("", max_length=1000)
    contacts: str = Field("", max_length=1000)
    hospitality: str = Field("", max_length=2000)
    guest_list: str = Field("", max_length=2000)
    backline: str = Field("", max_length=2000)
    notes: str = Field("", max_length=2000)


class MyGigOut(Schema):
    booking_id: int
    reference: str
    title: str
    status: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    time_zone: str
    location: str
    agency: str
    role: str
    payout: Decimal
    currency: str
