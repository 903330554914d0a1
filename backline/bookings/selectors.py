"""Reads for bookings, already scoped to what the person may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Lower, RowNumber, TruncDate, TruncMonth

from backline.accounts.models import Membership, WorkspaceKind
from backline.accounts.permissions import BOOKINGS_VIEW, capabilities_of
from backline.core.audit import history_for
from backline.core.timeutil import check_query, zone

from . import deals
from .models import OPEN_STATUSES, Assignment, Booking, Offer, OfferStatus, Side, Source, Status
from .permissions import act_sees_q, agency_sees_q


def visible_workspaces(user, *, memberships=None) -> list[tuple[int, int | None]]:
    """(workspace id, its act's id or None) for each workspace whose bookings the person may see
    (their role holds ``bookings.view``): one query, or none from ``memberships``, the person's own
    loaded with their workspaces and those workspaces' acts (``select_related("workspace__act")``)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if memberships is None:
        rows = Membership.objects.filter(user=user).values_list("workspace_id", "role", "workspace__act__id")
    else:
        rows = [(m.workspace_id, m.role, _act_id(m.workspace)) for m in memberships]
    return [(ws, act) for ws, role, act in rows if BOOKINGS_VIEW in capabilities_of(role)]


def _act_id(workspace) -> int | None:
    try:  # selected with the workspace: no query
        return workspace.act.pk
    except ObjectDoesNotExist:
        return None


def _checked(access) -> list[tuple[int, int | None]]:
    """The checked workspace and its act: read once per workspace instance (``workspace.act`` stays
    cached on it), so the panels of one page share one lookup."""
    ws = access.workspace
    return [(ws.pk, _act_id(ws) if ws.kind == "act" else None)]


def bookings_for(user, *, workspace_id: int | None = None, checked_access=None, memberships=None,
                 status: list[str] | None = None, start: dt.datetime | None = None, end: dt.datetime | None = None,
                 act_id: int | None = None, venue_id: int | None = None, client_id: int | None = None,
                 source: str | None = None):
    """Bookings the person sees: their buyer workspaces' own, their acts' from the hold on (or from the
    start, for the inquiries the act sent), and the inquiries their agency sent for an act it represents.
    With ``checked_access`` (a ``WorkspaceAccess`` already holding ``bookings.view``), just that workspace's;
    with ``memberships`` (as ``visible_workspaces`` takes them), no query before the bookings'."""
    check_query(start=start, end=end)
    pairs = _checked(checked_access) if checked_access is not None else visible_workspaces(user, memberships=memberships)
    if workspace_id is not None:
        pairs = [p for p in pairs if p[0] == workspace_id]
    # The booking's own columns, so the workspace and act indexes serve together (a condition on the
    # joined act's workspace inside the OR makes PostgreSQL read every booking; see docs/benchmarks.md).
    scope = Q(workspace_id__in=[w for w, _ in pairs])
    act_ids = [a for _, a in pairs if a]
    if act_ids:
        scope |= Q(act_id__in=act_ids) & act_sees_q()
    scope |= agency_sees_q([w for w, _ in pairs])  # the dates an agency asked for the acts it represents
    qs = Booking.objects.filter(scope).select_related("workspace", "act__workspace", "venue", "client",
                                                      "asked_by_workspace")
    if status:
        qs = qs.filter(status__in=status)
    if start is not None:
        qs = qs.filter(Q(ends_at__gt=start) | Q(ends_at__isnull=True, date_to__gte=start.date()))
    if end is not None:
        # An undated inquiry's days overlap [start, end) when its first day is on or before end's last instant.
        last_day = (end - dt.timedelta(microseconds=1)).date()
        qs = qs.filter(Q(starts_at__lt=end) | Q(starts_at__isnull=True, date_from__lte=last_day))
    for field, value in (("act_id", act_id), ("venue_id", venue_id), ("client_id", client_id), ("source", source)):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs.order_by("starts_at", "date_from", "id")


# --- lists: the fee, sorting and totals -------------------------------------------------------------

_FEE_FIELDS = {"fee_deal_type": "deal_type", "fee_currency": "currency", "fee_amount": "guarantee",
               "fee_percent": "percent", "fee_basis": "basis", "fee_expenses": "expenses"}


def with_current_offer(qs, fields: dict[str, str]):
    """Each booking with columns of its current deal (the latest open or accepted version), named as
    ``fields`` maps them (annotation → offer field), in the same query: no query per row."""
    current = (Offer.objects.filter(booking=OuterRef("pk"), status__in=(OfferStatus.PROPOSED, OfferStatus.ACCEPTED))
               .order_by("-version"))
    return qs.annotate(**{name: Subquery(current.values(field)[:1]) for name, field in fields.items()})


def with_fee(qs):
    """Each booking with the terms of its current deal as ``fee_*`` columns (see ``fee_deal``)."""
    return with_current_offer(qs, _FEE_FIELDS)


def fee_deal(booking) -> deals.Deal | None:
    """The current deal of a booking loaded through ``with_fee``, or None before any offer."""
    if not getattr(booking, "fee_deal_type", None):
        return None
    return deals.Deal(currency=booking.fee_currency, deal_type=booking.fee_deal_type, guarantee=_dec(booking.fee_amount),
                      percent=_dec(booking.fee_percent), basis=booking.fee_basis or deals.Basis.NET,
                      expenses=_dec(booking.fee_expenses) or deals.ZERO)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))  # SQLite hands subquery decimals back as floats


_STAGE_ORDER = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(Status.values)), output_field=IntegerField())
# The columns a list may be sorted by (``?sort=date``, ``?sort=-fee``): anything else is the default.
BOOKING_SORTS = {
    "date": (Coalesce(TruncDate("starts_at"), "date_from"), "starts_at"),
    "booking": (Lower("title"),),
    "act": (Lower(Coalesce("act__workspace__name", "client__name")),),
    "venue": (Lower("venue__name"),),
    "status": (_STAGE_ORDER,),
    "fee": (F("fee_amount"),),
}
DEFAULT_SORT = "date"


def sort_key(value: str | None) -> str:
    """``value`` if it names a sortable column (with ``-`` for descending), else the default."""
    return value if value and value.lstrip("-") in BOOKING_SORTS else DEFAULT_SORT


def sorted_bookings(qs, sort: str | None):
    """``qs`` (from ``with_fee``) ordered by a whitelisted column; what has no value goes last either way."""
    key = sort_key(sort)
    descending = key.startswith("-")
    terms = []
    for expr in BOOKING_SORTS[key.lstrip("-")]:
        expr = F(expr) if isinstance(expr, str) else expr
        terms.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    return qs.order_by(*terms, "id")


@dataclass(frozen=True)
class FeeTotals:
    """What the listed bookings add up to: guaranteed fees per currency (never added across currencies),
    how many deals pay only a share of the door, and how many bookings there are in all."""

    amounts: list[tuple[str, Decimal]]
    door_only: int
    count: int

    @property
    def texts(self) -> list[str]:
        return [deals.format_money(amount, currency) for currency, amount in self.amounts]


def fee_totals(qs) -> FeeTotals:
    """Totals of a ``with_fee`` query set, in one query (grouped by the deal's currency)."""
    rows = (qs.order_by().values("fee_currency")
            .annotate(n=Count("id"), total=Sum("fee_amount"), door=Count("id", filter=Q(fee_deal_type="door"))))
    amounts, door, count = [], 0, 0
    for row in rows:
        count += row["n"]
        door += row["door"]
        if row["fee_currency"] and row["total"] is not None:
            amounts.append((row["fee_currency"], _dec(row["total"])))
    return FeeTotals(amounts=sorted(amounts), door_only=door, count=count)


def fee_totals_of(bookings) -> FeeTotals:
    """The same totals of bookings already loaded through ``with_fee`` (a short list shown whole): no query."""
    sums: dict[str, Decimal] = {}
    door = 0
    for b in bookings:
        door += b.fee_deal_type == "door"
        if b.fee_currency and b.fee_amount is not None:
            sums[b.fee_currency] = sums.get(b.fee_currency, Decimal(0)) + _dec(b.fee_amount)
    return FeeTotals(amounts=sorted(sums.items()), door_only=door, count=len(bookings))


def booking_detail(booking: Booking) -> Booking:
    """The booking (as loaded by the access check, with its workspace) with its offers, and for an agency's
    booking its assignments and performers, and the files sent with the offers: two queries, three for an
    agency. Only the agency that owns a
    booking assigns performers (``agency.services.performer_assign``), so no other booking has any."""
    staffed = ("assignments__performer" if booking.workspace.kind == WorkspaceKind.AGENCY
               else Prefetch("assignments", queryset=Assignment.objects.none()))  # empty, without a read
    prefetch_related_objects([booking], "offers", "offers__attachments", staffed)
    return booking


def timeline(booking: Booking):
    """Every change to the booking, oldest first, once (the act's copy of an entry is not repeated)."""
    seen, out = set(), []
    for entry in reversed(list(history_for(booking))):
        key = (entry.action, entry.at.replace(microsecond=0), str(entry.after))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def assignments_for_performer_user(user):
    """The person's own gigs as an agency performer, as rows for ``MyGigOut`` (one query)."""
    rows = (Assignment.objects.filter(performer__user=user, booking__status__in=(Status.OFFER, Status.CONFIRMED,
                                                                                  Status.COMPLETED, Status.CANCELLED))
            .select_related("booking__workspace", "booking__venue").order_by("booking__starts_at"))
    return [{"booking_id": a.booking_id, "reference": a.booking.reference, "title": a.booking.title,
             "status": a.booking.status, "starts_at": a.booking.starts_at, "ends_at": a.booking.ends_at,
             "time_zone": a.booking.time_zone, "location": a.booking.venue.name if a.booking.venue_id else a.booking.location,
             "agency": a.booking.workspace.name, "role": a.role, "payout": a.payout, "currency": a.currency} for a in rows]


ASK_CHOICES_LIMIT = 1000


def askable(*, only_workspace_ids=None) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Whom an act may ask for a date: venues run by venue or promoter workspaces ("Name, City"), and
    promoters ("Name, City"), by name; ``only_workspace_ids`` narrows both to those workspaces (the
    other side of a conversation). Two queries."""
    from backline.accounts.models import Workspace, WorkspaceKind
    from backline.venues.models import Venue

    kinds = (WorkspaceKind.VENUE, WorkspaceKind.PROMOTER)
    venues = Venue.objects.filter(workspace__kind__in=kinds)
    promoters = Workspace.objects.filter(kind=WorkspaceKind.PROMOTER)
    if only_workspace_ids is not None:
        venues = venues.filter(workspace_id__in=only_workspace_ids)
        promoters = promoters.filter(pk__in=only_workspace_ids)
    label = lambda name, city: f"{name}, {city}" if city else name  # noqa: E731
    return ([(pk, label(name, city)) for pk, name, city in
             venues.order_by("name", "pk").values_list("pk", "name", "city_name")[:ASK_CHOICES_LIMIT]],
            [(pk, label(name, city)) for pk, name, city in
             promoters.order_by("name", "pk").values_list("pk", "name", "city_name")[:ASK_CHOICES_LIMIT]])


def asked_whom(booking: Booking) -> str:
    """Who an inquiry went to, in the words of the page: the venue, with the workspace that runs it when
    that is another name ("Velvet Club (Wavelength Live)"); a promoter asked without a venue by name."""
    if booking.venue_id is None or booking.venue.name == booking.workspace.name:
        return booking.workspace.name
    return f"{booking.venue.name} ({booking.workspace.name})"


def time_zone_of(*, venue_id: int | None = None, buyer_workspace_id: int | None = None) -> str | None:
    """The time zone a show at that venue (or with that buyer) is planned in; None for an unknown one."""
    from backline.accounts.models import Workspace
    from backline.venues.models import Venue

    if venue_id is not None:
        return Venue.objects.filter(pk=venue_id).values_list("time_zone", flat=True).first()
    if buyer_workspace_id is not None:
        return Workspace.objects.filter(pk=buyer_workspace_id).values_list("time_zone", flat=True).first()
    return None


# --- the dashboard ------------------------------------------------------------------------------------

HOLD_SOON = dt.timedelta(days=7)  # a hold that runs out within a week needs a decision
ATTENTION_ROWS = 5
ATTENTION = (  # (key, heading, what an empty list says), in the order the dashboard shows them
    ("expiring", "Holds running out", "No hold runs out in the next 7 days."),
    ("inquiries", "Inquiries to answer", "No inquiry is waiting for an answer."),
    ("to_answer", "Offers to answer", "No offer is waiting for your answer."),
    ("waiting", "Waiting for the other side", "Nothing of yours is waiting for an answer."),
    ("shows", "Next shows", "No show in the next 30 days."),
)
SHOWS_AHEAD = dt.timedelta(days=30)


def _latest_proposed(field: str):
    return Subquery(Offer.objects.filter(booking=OuterRef("pk"), status=OfferStatus.PROPOSED)
                    .order_by("-version").values(field)[:1])


def attention_for(access, *, now: dt.datetime | None = None, limit: int = ATTENTION_ROWS) -> dict[str, dict]:
    """What needs the workspace's attention first, for a member who may see its bookings (``access``
    holds bookings.view): holds running out within 7 days (soonest first), inquiries nobody has offered
    terms on yet (longest waiting first), offers whose latest version came from the other side (yours to
    answer), offers of yours the other side has not answered, and confirmed shows in the next 30 days
    (soonest first). Each: {"key", "title", "empty", "count", "rows" (at most
    ``limit``)}. One query for the bookings (each list ranked and counted in the database) and one for
    the act behind an act's workspace, whatever the number of bookings."""
    now = now or dt.datetime.now(dt.UTC)
    ws = access.workspace
    mine = Case(When(workspace_id=ws.pk, then=Value(Side.BUYER)), default=Value(Side.ACT), output_field=CharField())
    qs = (bookings_for(None, checked_access=access, status=[Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED])
          .annotate(offer_side=_latest_proposed("side"), offer_at=_latest_proposed("created_at"), my_side=mine)
          .annotate(category=Case(
              When(status=Status.HOLD, hold_expires_at__gt=now, hold_expires_at__lte=now + HOLD_SOON,
                   then=Value("expiring")),
              # an inquiry waits for the buyer: the buyer's to answer, the asking act's to wait for
              When(status=Status.INQUIRY, offer_side__isnull=True, my_side=Value(Side.BUYER), then=Value("inquiries")),
              # a buyer asked the act through its press kit: the act's to answer (in the conversation)
              When(status=Status.INQUIRY, offer_side__isnull=True, source=Source.PRESS_KIT, then=Value("inquiries")),
              When(status=Status.INQUIRY, offer_side__isnull=True, then=Value("waiting")),
              When(Q(status=Status.OFFER) & ~Q(offer_side=F("my_side")) & Q(offer_side__isnull=False),
                   then=Value("to_answer")),
              When(status=Status.OFFER, offer_side=F("my_side"), then=Value("waiting")),
              When(status=Status.CONFIRMED, starts_at__gte=now, starts_at__lte=now + SHOWS_AHEAD, then=Value("shows")),
              default=Value(""), output_field=CharField()))
          .exclude(category=""))
    urgency = Case(When(category="expiring", then=F("hold_expires_at")),
                   When(category="inquiries", then=F("created_at")),
                   When(category="waiting", offer_at__isnull=True, then=F("created_at")),
                   When(category="shows", then=F("starts_at")),
                   default=F("offer_at"), output_field=DateTimeField())
    qs = (qs.annotate(rank=Window(RowNumber(), partition_by=[F("category")], order_by=[urgency.asc(), F("id").asc()]),
                      total=Window(Count("id"), partition_by=[F("category")]))
          .filter(rank__lte=limit).order_by("category", "rank"))
    out = {key: {"key": key, "title": title, "empty": empty, "count": 0, "rows": []} for key, title, empty in ATTENTION}
    for booking in qs:
        entry = out[booking.category]
        entry["count"] = booking.total
        entry["rows"].append(booking)
    return out


def board_columns(live, stages, *, limit: int = 30) -> dict[str, tuple[int, list[Booking]]]:
    """The board in one query: for each stage, how many bookings it holds and its first ``limit`` in the
    list's order (``bookings_for``: date, then id), counted and cut by window functions."""
    # The list's date order: a show's day or an undated inquiry's first day, whichever it has (NULLs sort
    # first on SQLite and last on PostgreSQL, so ordering by the two columns in turn mixed them up).
    order = [Coalesce(TruncDate("starts_at"), "date_from").asc(nulls_last=True), F("starts_at").asc(nulls_last=True),
             F("id").asc()]
    qs = (live.filter(status__in=stages)
          .annotate(place=Window(RowNumber(), partition_by=[F("status")], order_by=order),
                    in_stage=Window(Count("id"), partition_by=[F("status")]))
          .filter(place__lte=limit).order_by("status", "place"))
    out: dict[str, tuple[int, list[Booking]]] = {stage: (0, []) for stage in stages}
    for booking in qs:
        out[booking.status] = (booking.in_stage, [*out[booking.status][1], booking])
    return out


CHART_MONTHS = 6
CHART_STAGES = (Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED)


def _first_of_month(day: dt.date, months_ahead: int = 0) -> dt.date:
    month = day.month - 1 + months_ahead
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def stages_by_month(access, *, today: dt.date, months: int = CHART_MONTHS) -> dict:
    """The workspace's bookings over the coming ``months`` (this month first), counted by month and
    stage (inquiry, hold, offer, confirmed), with each month's value: the latest offer's guarantee, or
    the inquiry's budget where there is no offer yet, in the workspace's currency (bookings in other
    currencies are counted but not added up). One query (plus the act lookup for an act's workspace).
    Answers {"months": [first days], "labels": ["Jan 2027", ...], "stages": [{"key", "label", "counts"}],
    "values": [Decimal per month], "currency"}."""
    ws = access.workspace
    tz = zone(ws.time_zone)
    start = _first_of_month(today)
    end = _first_of_month(today, months)
    firsts = [_first_of_month(today, i) for i in range(months)]
    guarantee = Subquery(Offer.objects.filter(booking=OuterRef("pk")).order_by("-version").values("guarantee")[:1])
    rows = (bookings_for(None, checked_access=access, status=list(CHART_STAGES))
            .annotate(day=Coalesce(TruncDate("starts_at", tzinfo=tz), "date_from", output_field=DateField()))
            .filter(day__gte=start, day__lt=end)
            .annotate(month=TruncMonth("day", output_field=DateField()),
                      worth=Coalesce(guarantee, "budget", Value(Decimal(0)), output_field=DecimalField()))
            .order_by().values("month", "status")
            .annotate(n=Count("id"), value=Sum("worth", filter=Q(currency=ws.currency))))
    counts = {(r["month"], r["status"]): r["n"] for r in rows}
    values = {}
    for r in rows:
        values[r["month"]] = values.get(r["month"], Decimal(0)) + (r["value"] or Decimal(0))
    return {
        "months": firsts,
        "labels": [f.strftime("%b %Y") for f in firsts],
        "stages": [{"key": s.value, "label": s.label, "counts": [counts.get((f, s.value), 0) for f in firsts]}
                   for s in CHART_STAGES],
        "values": [values.get(f, Decimal(0)) for f in firsts],
        "currency": ws.currency,
    }


def public_shows_for_act(*, act_id: int, today: dt.date, limit: int = 10) -> list[Booking]:
    """An act's confirmed shows from ``today`` on, for its press kit (shown only if the act opts in):
    date, venue or buyer name and city; nothing about the deal."""
    return list(Booking.objects.filter(act_id=act_id, status=Status.CONFIRMED, date_from__gte=today)
                .select_related("venue", "workspace").only("id", "date_from", "starts_at", "time_zone", "location",
                                                           "venue__name", "venue__city_name", "workspace__name",
                                                           "workspace__city_name")
                .order_by("date_from", "id")[:limit])


@dataclass(frozen=True)
class DateRequestClash:
    """What a buyer should know before asking an act for ``day`` again: its own open inquiry, hold or
    offer with the act that day (the buyer may open it), and whether the act is taken that day by a
    confirmed show (anyone's: only "not available" is said, never with whom)."""

    existing: Booking | None
    act_busy: bool

    def __bool__(self) -> bool:
        return self.existing is not None or self.act_busy


def date_request_clash(*, workspace_id: int, act_id: int, day: dt.date) -> DateRequestClash:
    """Two queries. The caller has checked that the person books for ``workspace_id``."""
    on_day = Q(date_from__lte=day) & (Q(date_to__gte=day) | Q(date_to__isnull=True, date_from=day))
    existing = (Booking.objects.filter(on_day, workspace_id=workspace_id, act_id=act_id, status__in=OPEN_STATUSES)
                .select_related("workspace").only("id", "reference", "status", "workspace__slug", "workspace__name")
                .order_by("-created_at", "-id").first())
    busy = Booking.objects.filter(on_day, act_id=act_id, status=Status.CONFIRMED).exists()
    return DateRequestClash(existing, busy)
