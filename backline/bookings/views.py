"""Web pages of the pipeline: the board, the filtered list, the booking page with its actions, the
contract. Thin adapters: every change is a service call, every refusal a message."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_OVERRIDE, BOOKINGS_VIEW
from backline.accounts.ui import workspace_view
from backline.artists.models import Act, Performer
from backline.core import history
from backline.core.downloads import download_response
from backline.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from backline.core.pdf import render_pdf
from backline.core.templatetags.when import zone_label
from backline.core.timeutil import zone
from backline.scheduling.selectors import commitments_for_source
from backline.venues.models import Stage, Venue

from . import deals, selectors, services
from .advance_riders import prefill_empty, rider_summary
from .agency import selectors as agency_selectors
from .agency import services as agency_services
from .day_sheet import day_sheet_extras
from .forms import AdvanceForm, AskForm, AssignForm, BookingEditForm, HoldForm, InquiryForm, OfferForm, ReasonForm
from .models import Advance, Booking, OfferStatus, Side, Source, Status
from .permissions import act_sees_q, agency_sees_q, representative
from .riders import riders_in_force
from .services import BUYER_KINDS
from .ui import booking_sections
from .workflow import allowed_next, editable

BOARD = (Status.INQUIRY, Status.HOLD, Status.OFFER, Status.CONFIRMED)
# The phone's "Sort by" (wider screens sort by the column headers).
SORT_CHOICES = [("date", "Date, soonest first"), ("-date", "Date, latest first"), ("status", "Stage"),
                ("-fee", "Fee, highest first"), ("fee", "Fee, lowest first"), ("act", "Act or client"), ("venue", "Venue")]


def _booking(request, booking_id) -> tuple[Booking, str]:
    """The booking as seen from the workspace in the URL (its buyer, its act from the hold on, or the
    agency that asked for the act, on the act's side)."""
    ws = request.access.workspace
    # The advance (one to one) comes in the same row: the booking page shows it once the show is confirmed.
    booking = (Booking.objects.select_related("workspace", "act__workspace", "venue", "client", "package", "room",
                                              "asked_by_workspace", "advance")
               .filter(pk=booking_id).filter(Q(workspace=ws) | (Q(act__workspace=ws) & act_sees_q())
                                             | agency_sees_q([ws.pk])).first())
    if booking is None:
        raise NotFound("No such booking.")
    return booking, Side.BUYER if booking.workspace_id == ws.pk else Side.ACT


@workspace_view(BOOKINGS_VIEW)
def board(request):
    """The pipeline: a column per stage, upcoming first."""
    ws = request.access.workspace
    live = selectors.with_fee(selectors.bookings_for(request.user, checked_access=request.access, status=list(BOARD))).exclude(
        status=Status.CONFIRMED, ends_at__lt=timezone.now())  # played shows leave the board
    stages = selectors.board_columns(live, list(BOARD), limit=30)  # one query for every column
    columns = [{"status": status, "label": Status(status).label, "count": stages[status][0],
                "cards": stages[status][1], "next": allowed_next(status)} for status in BOARD]
    return render(request, "bookings/board.html", {
        "columns": columns, "can_manage": request.access.can(BOOKINGS_MANAGE) and ws.kind in (*BUYER_KINDS, "act")})


@workspace_view(BOOKINGS_VIEW)
def booking_list(request):
    """Every booking of the workspace, filtered and paginated."""
    g = request.GET
    status = [s for s in g.getlist("status") if s in Status.values] or None
    try:
        start = _date(g.get("from"))
        end = _date(g.get("to"), end=True)
        filters = {k: int(g[k]) for k in ("act_id", "venue_id", "client_id") if g.get(k)}
    except (ValueError, Invalid):
        messages.error(request, "Those filters are not valid dates or ids.")
        start = end = None
        filters = {}
    source = g.get("source") if g.get("source") in Source.values else None
    qs = selectors.with_fee(selectors.bookings_for(request.user, checked_access=request.access, status=status,
                                                   start=start, end=end, source=source, **filters))
    totals = selectors.fee_totals(qs)
    paginator = Paginator(selectors.sorted_bookings(qs, g.get("sort")), 50)
    paginator.count = totals.count  # counted with the totals: no query of its own
    keep = g.copy()
    keep.pop("page", None)
    return render(request, "bookings/list.html", {
        "page": paginator.get_page(g.get("page")), "statuses": Status.choices, "sources": Source.choices,
        "chosen": status or [], "totals": totals, "keep": keep.urlencode(), "sort": selectors.sort_key(g.get("sort")),
        "sort_choices": SORT_CHOICES})


def _date(value, *, end: bool = False):
    if not value:
        return None
    day = dt.date.fromisoformat(value) + (dt.timedelta(days=1) if end else dt.timedelta(0))
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def _inquiry_choices(ws):
    acts = [(a.pk, a.workspace.name) for a in Act.objects.select_related("workspace").order_by("workspace__name")[:500]]
    venues_qs = Venue.objects.filter(workspace=ws) if ws.kind == "venue" else Venue.objects.order_by("name")[:500]
    venues = [(v.pk, f"{v.name}, {v.city_name}") for v in venues_qs]
    clients = [(c.pk, str(c)) for c in agency_selectors.clients_for(ws)] if ws.kind == "agency" else []
    packages = [(p.pk, f"{p.name} · {deals.format_money(p.price, p.currency)}")
                for p in agency_selectors.packages_for(ws, active=True)] if ws.kind == "agency" else []
    return {"acts": acts if ws.kind != "agency" else [], "venues": venues if ws.kind != "agency" else [],
            "clients": clients, "packages": packages}


def ask_initial(request) -> dict:
    """The ask form's starting values from the query: ?date (or ?date_from), ?date_to, ?venue (an id),
    ?to ("v<id>" or "w<id>"), ?start and ?end (times), ?message. Anything unreadable is left out."""
    import contextlib
    import datetime as dt

    g, initial = request.GET, {}
    for key, field, parse in (("date", "date_from", dt.date.fromisoformat), ("date_from", "date_from", dt.date.fromisoformat),
                              ("date_to", "date_to", dt.date.fromisoformat), ("start", "start_time", dt.time.fromisoformat),
                              ("end", "end_time", dt.time.fromisoformat)):
        with contextlib.suppress(ValueError):
            if g.get(key):
                initial[field] = parse(g[key])
    if (g.get("venue") or "").isdigit():
        initial["to"] = f"v{g['venue']}"
    elif (g.get("to") or "")[:1] in ("v", "w") and g["to"][1:].isdigit():
        initial["to"] = g["to"]
    if g.get("message"):
        initial["message"] = g["message"][:5000]
    return initial


def ask_request(request, form: AskForm) -> dict | None:
    """What a valid ask form asks for, as ``services.inquiry_request``'s arguments (times made aware in
    the venue's or promoter's zone), or None with the errors on the form."""
    if not form.is_valid():
        return None
    target = form.target()
    tz_name = selectors.time_zone_of(**target)
    if not target or tz_name is None:
        form.add_error("to", "Choose a venue or promoter from the list.")
        return None
    d = form.cleaned_data
    return {**target, "date_from": d["date_from"], "date_to": d.get("date_to"), "budget": d.get("budget"),
            "currency": d.get("currency") or None, "message": d.get("message") or "", **form.span(zone(tz_name))}


def _act_ask(request):
    """An act asks a venue or promoter for a date (prefilled from a green date or a venue's page)."""
    ws = request.access.workspace
    venues, promoters = selectors.askable()
    form = AskForm(request.POST or None, initial={"currency": ws.currency, **ask_initial(request)},
                   venues=venues, promoters=promoters)
    if request.method == "POST" and (ask := ask_request(request, form)) is not None:
        try:
            booking = services.inquiry_request(actor=request.user, act_workspace_id=ws.pk, **ask)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Inquiry sent to {selectors.asked_whom(booking)}. You will hear back here and in "
                                      "your inbox.")
            return redirect("booking_detail", ws.slug, booking.pk)
    return render(request, "bookings/ask_form.html", {"form": form, "cancel_url": reverse("booking_board", args=[ws.slug]),
                                                      "hold": _hold_wording(request, form, venues, promoters)})


def _hold_wording(request, form, venues, promoters) -> dict | None:
    """For ?purpose=hold (a green date's "Ask a venue to hold it"): whom the page asks (the chosen venue
    or promoter by name, else "a venue or promoter") and for which date, so it says what it does."""
    if request.GET.get("purpose") != "hold" and request.POST.get("purpose") != "hold":
        return None
    from backline.scheduling.ui import long_day

    names = {f"v{pk}": label for pk, label in venues} | {f"w{pk}": label for pk, label in promoters}
    to = (form["to"].value() or "") if form.is_bound else form.initial.get("to", "")
    whom = names[to].rsplit(", ", 1)[0] if to in names else "a venue or promoter"  # the name without its city
    day = form["date_from"].value()
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    return {"whom": whom, "day": long_day(day) if day else "this date"}


@workspace_view(BOOKINGS_MANAGE)
def inquiry_new(request):
    ws = request.access.workspace
    if ws.kind == "act":
        return _act_ask(request)
    if ws.kind not in BUYER_KINDS:
        raise NotFound("Venues, promoters and agencies log inquiries; acts ask for dates.")
    form = InquiryForm(request.POST or None, initial={"currency": ws.currency, "source": "email"}, **_inquiry_choices(ws))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        tz = zone(ws.time_zone)
        for key in ("starts_at", "ends_at"):
            if d.get(key):
                d[key] = timezone.make_naive(d[key]).replace(tzinfo=tz)
        ids = {f"{k}_id": d.pop(k, None) for k in ("act", "venue", "client", "package")}
        try:
            booking = services.inquiry_create(actor=request.user, workspace_id=ws.pk, **ids, **d)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Inquiry {booking.reference} logged.")
            return redirect("booking_detail", ws.slug, booking.pk)
    return render(request, "bookings/inquiry_form.html", {"form": form})


def _edit_choices(booking) -> dict:
    ws = booking.workspace
    choices = _inquiry_choices(ws)
    venue_id = booking.venue_id
    stages = Stage.objects.filter(venue_id=venue_id) if venue_id else Stage.objects.none()
    return {"act": choices["acts"], "venue": choices["venues"], "client": choices["clients"],
            "package": choices["packages"], "stage": [(s.pk, s.name) for s in stages]}


def _edit_initial(booking) -> dict:
    tz = zone(booking.time_zone)
    start = booking.starts_at.astimezone(tz) if booking.starts_at else None
    end = booking.ends_at.astimezone(tz) if booking.ends_at else None
    return {"title": booking.title, "act": booking.act_id, "venue": booking.venue_id, "stage": booking.room_id,
            "client": booking.client_id, "package": booking.package_id,
            "date": start.date() if start else booking.date_from, "date_to": booking.date_to if not start else None,
            "starts": start.time().replace(tzinfo=None) if start else None,
            "ends": end.time().replace(tzinfo=None) if end else None, "location": booking.location,
            "source": booking.source, "contact_name": booking.contact_name, "contact_email": booking.contact_email,
            "contact_phone": booking.contact_phone, "budget": booking.budget, "currency": booking.currency,
            "notes": booking.notes}


def _edit_changes(form: BookingEditForm, booking) -> dict:
    """The service's changes from the form: every field the form shows, the times on the date in the
    zone of the (new) venue. A field left as it was is not a change (the service ignores it)."""
    d = form.cleaned_data
    changes = {BookingEditForm.SERVICE.get(name, name): d.get(name) for name in form.fields
               if name not in ("date", "starts", "ends")}
    for text in ("notes", "location", "contact_name", "contact_email", "contact_phone"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    if "currency" in changes and not changes["currency"]:
        changes.pop("currency")
    venue_id = changes.get("venue_id", booking.venue_id)
    tz_name = booking.time_zone
    if venue_id and venue_id != booking.venue_id:
        tz_name = Venue.objects.filter(pk=venue_id).values_list("time_zone", flat=True).first() or tz_name
    tz = zone(tz_name)
    day, starts, ends = d.get("date"), d.get("starts"), d.get("ends")
    if "starts" in form.fields:
        if starts is not None and day is not None:
            start = dt.datetime.combine(day, starts, tzinfo=tz)
            end = dt.datetime.combine(day, ends, tzinfo=tz)
            if end <= start:
                end += dt.timedelta(days=1)
            changes["starts_at"], changes["ends_at"] = start, end
        else:
            changes["starts_at"] = changes["ends_at"] = None
            if "date_to" in form.fields:
                changes["date_from"] = day
    return changes


@workspace_view(BOOKINGS_MANAGE)
def booking_edit(request, booking_id):
    """Change an inquiry's or a booking's details within what its stage allows (the buyer's side)."""
    booking, side = _booking(request, booking_id)
    if side != Side.BUYER:
        raise Forbidden("The buyer keeps the booking's details; the act answers offers.")
    fields = editable(booking.status)
    if not fields:
        messages.info(request, f"This booking is {booking.get_status_display().lower()}; it can no longer change.")
        return redirect("booking_detail", request.access.workspace.slug, booking.pk)
    timed = booking.starts_at is not None and booking.status != Status.INQUIRY
    form = BookingEditForm(request.POST or None, initial=_edit_initial(booking), editable=fields, timed=timed,
                           choices=_edit_choices(booking))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.booking_update(actor=request.user, booking_id=booking.pk, **_edit_changes(form, booking))
            except DomainError as exc:
                if not _beside_fields(form, exc, _FORM_FIELD) or not isinstance(exc, Invalid):
                    form.add_error(None, exc.detail)  # a double booking, a stage that keeps a field
                status = exc.status
            else:
                messages.success(request, "Saved.")
                return redirect("booking_detail", request.access.workspace.slug, booking.pk)
        status = 422 if status == 200 else status
    return render(request, "bookings/edit.html", {"booking": booking, "form": form, "timed": timed,
                                                  "zone": zone_label(booking.time_zone)}, status=status)


_FORM_FIELD = {service: name for name, service in BookingEditForm.SERVICE.items()}


def _beside_fields(form, exc: DomainError, names: dict) -> bool:
    """Put a service's field errors beside the fields they name (``names`` maps the service's field names
    to the form's); True if any was placed. A refusal of who is asking (403, 404) is not the form's
    business: it is answered as such."""
    if isinstance(exc, (Forbidden, NotFound)):
        raise exc
    placed = False
    for field, msgs in (getattr(exc, "errors", None) or {}).items():
        name = names.get(field, field)
        if name in form.fields:
            for m in msgs:
                form.add_error(name, m)
            placed = True
    return placed


def _refused(request, booking, exc: DomainError):
    """A refusal about the booking rather than the form's fields (its stage, a missing act): said on the
    booking page, as every other action's refusal is."""
    detail = " ".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.detail
    messages.error(request, detail)
    return redirect("booking_detail", request.access.workspace.slug, booking.pk)


@workspace_view(BOOKINGS_VIEW)
def booking_detail(request, booking_id):
    booking, side = _booking(request, booking_id)
    return render(request, "bookings/detail.html", _detail_context(request, booking, side))


def _is_agency_quote(request, booking, side) -> bool:
    """An agency's own booking without an act: it quotes a client and records the client's yes."""
    return side == Side.BUYER and request.access.workspace.kind == "agency" and not booking.act_id


def _packages_for(request, booking, side) -> list:
    return list(agency_selectors.packages_for(request.access.workspace, active=True)) \
        if _is_agency_quote(request, booking, side) else []


def _library_for_offers(request, booking) -> list:
    """The sender's documents and photos to send with an offer, read only where an offer can be made."""
    if booking.status not in (Status.INQUIRY, Status.HOLD, Status.OFFER) or not request.access.can(BOOKINGS_MANAGE):
        return []
    return list(services.attachable_assets(request.access.workspace.pk))


def _offer_form(request, booking, side, data=None, *, offers=None, typed=None) -> OfferForm:
    """The offer form for this side: an agency quotes a flat price; a venue, promoter or
    act offers a guarantee, a versus or a door deal. A counter-offer starts from the open offer's terms;
    ``typed`` (the form as typed so far, for the htmx preview) replaces them."""
    agency_quote = _is_agency_quote(request, booking, side)
    offers = list(booking.offers.all()) if offers is None and typed is None else offers or []
    latest = next((o for o in reversed(offers) if o.status == OfferStatus.PROPOSED), None)
    initial = {"currency": booking.currency, "deal_type": "flat" if agency_quote else "guarantee",
               "package": booking.package_id}
    if typed is not None:
        initial = typed
    if agency_quote and data is not None and data.get("deal_type") == "guarantee":
        # a fixed fee has one name in a quote: a guarantee sent (a page opened before, a script) is its price
        data = data.copy()
        data["deal_type"] = "flat"
    elif latest is not None:
        initial |= {f: getattr(latest, f) for f in (
            "deal_type", "currency", "guarantee", "percent", "basis", "expenses", "deposit_percent", "deposit_due",
            "ticket_price", "capacity", "radius_km", "radius_days", "set_minutes", "load_in", "doors", "curfew")}
        initial["package"] = latest.package_id or booking.package_id
        if latest.bonuses:
            initial |= {"bonus_tickets": latest.bonuses[0]["tickets"], "bonus_amount": latest.bonuses[0]["amount"]}
        if not agency_quote and initial["deal_type"] == "flat":
            initial["deal_type"] = "guarantee"
    return OfferForm(data, initial=initial, packages=_packages_for(request, booking, side),
                     # a client is quoted a price (with a deposit if asked): one name for a fixed fee
                     deal_types=("flat",) if agency_quote else ("guarantee", "versus", "door"),
                     quote=agency_quote, files=_library_for_offers(request, booking),
                     preview_url=reverse("booking_offer_form", args=[request.access.workspace.slug, booking.pk]))


def _close_actions(booking, side, open_offer, *, agency_quote: bool = False) -> list[tuple[str, str]]:
    """The ways to end this booking early that its stage allows (``workflow``), each as (action, button
    label) named for what it ends at this stage: "Cancel the show" is never mistaken for closing a panel.
    An agency records its client's no to its quote as it records the yes."""
    allowed = allowed_next(booking.status)
    actions = []
    if agency_quote and Status.DECLINED in allowed and open_offer is not None:
        actions.append(("decline", "The client said no"))
        allowed = [s for s in allowed if s != Status.DECLINED]
    if Status.LOST in allowed and side == Side.BUYER:
        actions.append(("lost", "Mark as lost"))
    if Status.RELEASED in allowed:
        actions.append(("release", "Release the hold"))
    if Status.DECLINED in allowed and (open_offer is None or open_offer.side != side):  # one's own: withdraw it
        actions.append(("decline", "Decline the offer"))
    if Status.CANCELLED in allowed:
        if booking.status == Status.INQUIRY:
            # the act withdraws what it asked for, and turns down what it was asked through its press kit
            label = "Cancel the inquiry" if side != Side.ACT else \
                "Withdraw the inquiry" if booking.act_asked else "Turn the request down"
            actions.append(("cancel", label))
        else:
            actions.append(("cancel", "Cancel the show"))
    return actions


def _detail_context(request, booking, side, *, offer_form=None, hold_form=None, assign_form=None) -> dict:
    booking = selectors.booking_detail(booking)
    offers = list(booking.offers.all())
    open_offer = next((o for o in reversed(offers) if o.status == OfferStatus.PROPOSED), None)
    current = open_offer or next((o for o in reversed(offers) if o.status == OfferStatus.ACCEPTED), None)
    ws = request.access.workspace
    on_behalf = representative(booking, request.access.workspace.pk)
    can_manage = request.access.can(BOOKINGS_MANAGE) and not on_behalf
    versions = [(o, services.deal_of(o)) for o in offers]
    agency_quote = _is_agency_quote(request, booking, side)
    rows = _side_by_side(versions, quote=agency_quote)
    tz = zone(booking.time_zone)
    hold_initial = {}
    if booking.starts_at and booking.ends_at:  # the times the act asked for
        hold_initial = {"starts_at": booking.starts_at.astimezone(tz).replace(tzinfo=None),
                        "ends_at": booking.ends_at.astimezone(tz).replace(tzinfo=None)}
    elif booking.date_from:
        start = dt.datetime.combine(booking.date_from, dt.time(20), tzinfo=tz)
        hold_initial = {"starts_at": start.replace(tzinfo=None), "ends_at": (start + dt.timedelta(hours=2)).replace(tzinfo=None)}
    for previous, offer in zip([None, *offers], offers, strict=False):
        offer.heading = _offer_heading(offer, previous, booking, agency_quote=agency_quote)
    open_deal = services.deal_of(open_offer) if open_offer else None
    offer_form = offer_form or _offer_form(request, booking, side, offers=offers)
    return {
        "booking": booking, "side": side, "can_manage": can_manage, "offers": offers, "open_offer": open_offer,
        "zone": zone_label(booking.time_zone),
        "current_deal": deals.summary(services.deal_of(current), quote=agency_quote) if current else "",
        "open_deal": deals.summary(open_deal, quote=agency_quote) if open_deal else "",
        "open_terms": deals.explain(open_deal, quote=agency_quote) if open_deal else [],
        "rows": rows, "allowed": allowed_next(booking.status), "agency_quote": agency_quote,
        "close_actions": _close_actions(booking, side, open_offer, agency_quote=agency_quote),
        # the graph allows a hold from an inquiry, and from an offer only once it is taken back (withdrawn)
        "can_hold": Status.HOLD in allowed_next(booking.status) and open_offer is None,
        # with its own offer open, a side waits for the answer (or withdraws it); it does not offer again
        "can_offer": booking.status in (Status.INQUIRY, Status.HOLD, Status.OFFER) and (
            side == Side.BUYER or booking.status == Status.OFFER) and (open_offer is None or open_offer.side != side),
        "can_answer": bool(open_offer and can_manage and (open_offer.side != side or agency_quote)),
        "can_edit": bool(can_manage and side == Side.BUYER and editable(booking.status)),
        "hold_form": hold_form or HoldForm(initial=hold_initial),
        "offer_form": offer_form,
        "offer_summary": deals.explain(offer_form.draft(booking.currency), quote=agency_quote),
        "reason_form": ReasonForm(),
        "timeline": [(e, _label(e.action, quote=agency_quote, entry=e)) for e in selectors.timeline(booking)],
        "played": bool(booking.ends_at and booking.ends_at <= timezone.now()),
        "assign_form": assign_form or AssignForm(performers=Performer.objects.filter(workspace=ws, is_active=True))
        if ws.kind == "agency" and side == Side.BUYER else None,
        "can_override": request.access.can(BOOKINGS_OVERRIDE),
        # the agency that asked for the act: who answers next, and it may take back what it sent (as the act may)
        "on_behalf": on_behalf,
        "answers_next": f"{selectors.asked_whom(booking)} answers; {booking.act.workspace.name} accept or decline offers."
        if on_behalf else "",
        "can_withdraw_asked": on_behalf and booking.status == Status.INQUIRY and request.access.can(BOOKINGS_MANAGE),
        "advance_form": _advance_form(booking, offers) if booking.status in (Status.CONFIRMED, Status.COMPLETED) else None,
        "advance_riders": rider_summary(riders_in_force(booking)) if booking.status in (Status.CONFIRMED, Status.COMPLETED)
        else None,
        "commitments": list(commitments_for_source("booking", booking.pk)) if booking.confirmed_at else [],
        # The agency that asked for the act reads the record; the conversation and email stay the act's.
        "sections": [] if representative(booking, ws.pk) else booking_sections(request, booking, side),
    }


@workspace_view(BOOKINGS_MANAGE)
def booking_offer_form(request, booking_id):
    """The offer form again for the deal type chosen, with the deal in words (htmx, as the form
    changes). Choosing a package puts its price in the price field."""
    booking, side = _booking(request, booking_id)
    typed = {k: v for k, v in request.GET.items() if k != "csrfmiddlewaretoken"}
    if request.headers.get("HX-Trigger-Name") == "package" and typed.get("package"):
        package = next((p for p in _packages_for(request, booking, side) if str(p.pk) == typed["package"]), None)
        if package is not None:
            typed["guarantee"], typed["currency"] = f"{package.price}", package.currency
    form = _offer_form(request, booking, side, typed=typed)
    quote = _is_agency_quote(request, booking, side)
    return render(request, "bookings/_offer_form.html", {"offer_form": form, "booking": booking,
                                                        "summary": deals.explain(form.draft(booking.currency), quote=quote)})


def _advance_form(booking, offers=None) -> AdvanceForm:
    """The advance as saved, or (nothing advanced yet) the times the accepted offer agreed; where it is
    still empty, what the act's riders in force state (``form.sources`` names the rider version).
    ``offers``: the booking's offers by version when the page has them already (no second read)."""
    try:
        advance = booking.advance  # read with the booking (``_booking``)
    except Advance.DoesNotExist:
        advance = None
    fields = AdvanceForm.base_fields
    if advance:
        initial = {f: getattr(advance, f) for f in fields}
    else:
        if offers is None:
            offers = list(booking.offers.filter(status=OfferStatus.ACCEPTED).order_by("version"))
        agreed = next((o for o in reversed(offers) if o.status == OfferStatus.ACCEPTED), None)
        initial = {f: getattr(agreed, f) for f in ("load_in", "doors", "curfew")} if agreed else {}
    initial, sources = prefill_empty(initial, rider_summary(riders_in_force(booking)))
    form = AdvanceForm(initial=initial)
    for name, said in sources.items():
        form.fields[name].source = said  # shown under the field
    form.sources = sources
    return form


def _offer_heading(offer, previous, booking, *, agency_quote: bool) -> str:
    """A version of the deal as people name it: "First offer from Lantern Hall", "Counter-offer from The
    Velvet Owls", "Revised offer from Lantern Hall" (the same side again), "Quote for Mia Jones"."""
    if agency_quote:
        who = booking.client.name if booking.client_id else "the client"
        return f"Quote for {who}" if previous is None else f"Revised quote for {who}"
    who = (booking.act.workspace.name if booking.act_id else "the act") if offer.side == Side.ACT \
        else booking.workspace.name
    if previous is None:
        return f"First offer from {who}"
    return f"Revised offer from {who}" if previous.side == offer.side else f"Counter-offer from {who}"


def _label(action: str, *, quote: bool = False, entry=None) -> str:
    """"booking.hold_placed" → "Hold placed"; "assignment.created" → "Performer assigned"; an agency's
    offer to its client is a quote ("Quote sent"); a vouch names whom it was for ("Vouched for Lantern Hall")."""
    changed = (entry.after or entry.before) if entry is not None else None
    vouched_for = (changed.get("vouched_for") if isinstance(changed, dict) else "") or "the other side"
    special = {"assignment.created": "Performer assigned", "assignment.removed": "Performer removed",
               "booking.vouched": f"Vouched for {vouched_for}", "booking.vouch_withdrawn": f"Vouch for {vouched_for} withdrawn"}
    if quote:
        special |= {"booking.offer_made": "Quote sent", "booking.counter_offer_made": "Revised quote sent",
                    "booking.offer_withdrawn": "Quote withdrawn", "booking.declined": "The client said no"}
    return special.get(action) or history.action_label(action)


def _side_by_side(versions, *, quote: bool = False) -> list[tuple[str, list[str]]]:
    """One row per term that ever had a value, one column per version: what changed reads across. An
    agency's quote names the amount its client pays "Fee"."""
    if not versions:
        return []
    labels: dict[str, list[str]] = {"Terms": [deals.summary(deal, quote=quote) for _, deal in versions]}
    previous = None
    for index, (_, deal) in enumerate(versions):
        rows = deals.changes(previous or _empty(deal), deal, quote=quote)
        for label, _, new in rows:
            labels.setdefault(label, [""] * len(versions))
            labels[label][index] = new
        previous = deal
    for label, show in _SHOW_TERMS:  # the show's times travel with the offer too
        cells = [show(offer) for offer, _ in versions]
        if any(cells):
            labels[label] = [cell or "" for cell in cells]
    for cells in labels.values():  # carry unchanged values forward so each column reads whole
        for i in range(1, len(cells)):
            cells[i] = cells[i] or cells[i - 1]
    return list(labels.items())


def _clock(value) -> str:
    return f"{value:%H:%M}" if value else ""


_SHOW_TERMS = (
    ("Set length", lambda o: f"{o.set_minutes} minutes" if o.set_minutes else ""),
    ("Load-in", lambda o: _clock(o.load_in)),
    ("Doors", lambda o: _clock(o.doors)),
    ("Curfew", lambda o: _clock(o.curfew)),
)


def _empty(deal):
    return deals.Deal(currency=deal.currency, deal_type=deal.deal_type)


def _act(request, booking_id, call, success: str):
    booking, _ = _booking(request, booking_id)
    try:
        call(booking)
    except Invalid as exc:
        detail = " ".join(m for msgs in exc.errors.values() for m in msgs) if exc.errors else exc.detail
        messages.error(request, detail)
    else:
        messages.success(request, success)
    return redirect("booking_detail", request.access.workspace.slug, booking.pk)


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_action(request, booking_id, transition):
    """The transitions that need at most a reason: lost, release, decline, cancel, complete,
    withdraw, challenge, accept (confirm)."""
    u = request.user
    calls = {
        "lost": (lambda b: services.inquiry_mark_lost(actor=u, booking_id=b.pk, reason=_reason(request)), "Marked lost."),
        "release": (lambda b: services.hold_release(actor=u, booking_id=b.pk, reason=_reason(request)), "Hold released."),
        "decline": (lambda b: services.offer_decline(actor=u, booking_id=b.pk, reason=_reason(request)), "Declined."),
        "cancel": (lambda b: services.booking_cancel(actor=u, booking_id=b.pk, reason=_reason(request)), "Cancelled."),
        "complete": (lambda b: services.booking_complete(actor=u, booking_id=b.pk), "Marked as played."),
        "withdraw": (lambda b: services.offer_withdraw(actor=u, booking_id=b.pk), "Offer withdrawn."),
        "challenge": (lambda b: services.hold_challenge(actor=u, booking_id=b.pk),
                      "The first hold is challenged: it must confirm or release by the deadline."),
        "accept": (lambda b: services.offer_accept(actor=u, booking_id=b.pk), "Confirmed! The contract is issued."),
    }
    if transition not in calls:
        raise NotFound("No such action.")
    call, success = calls[transition]
    return _act(request, booking_id, call, success)


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_hold(request, booking_id):
    """Hold the date; a refusal shows the form again with each error beside its field."""
    form = HoldForm(request.POST)
    booking, side = _booking(request, booking_id)
    if form.is_valid():
        tz = zone(booking.venue.time_zone if booking.venue_id else booking.time_zone)
        d = {k: timezone.make_naive(v).replace(tzinfo=tz) for k, v in form.cleaned_data.items() if v}
        try:
            services.hold_place(actor=request.user, booking_id=booking.pk, **d)
        except DomainError as exc:
            if not _beside_fields(form, exc, {}):
                return _refused(request, booking, exc)
        else:
            messages.success(request, "Date held.")
            return redirect("booking_detail", request.access.workspace.slug, booking.pk)
    return render(request, "bookings/detail.html", _detail_context(request, booking, side, hold_form=form), status=422)


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_offer(request, booking_id):
    """Send an offer, a counter-offer or a quote; a refusal shows the form again with each error beside
    its field."""
    booking, side = _booking(request, booking_id)
    form = _offer_form(request, booking, side, request.POST)
    if form.is_valid():
        try:
            services.offer_make(actor=request.user, booking_id=booking.pk, **form.terms())
        except DomainError as exc:
            if not _beside_fields(form, exc, _OFFER_FIELD):
                return _refused(request, booking, exc)
        else:
            messages.success(request, "Quote sent." if _is_agency_quote(request, booking, side) else "Offer sent.")
            return redirect("booking_detail", request.access.workspace.slug, booking.pk)
    return render(request, "bookings/detail.html", _detail_context(request, booking, side, offer_form=form), status=422)


_OFFER_FIELD = {"package_id": "package", "bonuses": "bonus_tickets", "attachment_ids": "attachments"}


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_assign(request, booking_id):
    ws = request.access.workspace
    form = AssignForm(request.POST, performers=Performer.objects.filter(workspace=ws, is_active=True))
    booking, side = _booking(request, booking_id)
    if request.POST.get("back") == "whos-free":  # assigned from Who's free: answered there, beside the payout
        return _assign_from_whos_free(request, form, booking)
    if ws.kind != "agency" or side != Side.BUYER:  # no Performers card on this page to answer beside
        messages.error(request, "Only the agency that books the show assigns its performers.")
        return redirect("booking_detail", ws.slug, booking.pk)
    if form.is_valid():
        d = form.cleaned_data
        try:
            agency_services.performer_assign(
                actor=request.user, booking_id=booking.pk, performer_id=d["performer"], payout=d["payout"],
                role=d["role"], override_reason=d["override_reason"] or None)
        except Conflict as exc:  # booked elsewhere, or on this show already: said beside the performer
            form.add_error("performer", exc.detail)
        except DomainError as exc:
            if not _beside_fields(form, exc, {"performer_id": "performer"}):
                return _refused(request, booking, exc)
        else:
            messages.success(request, "Performer assigned.")
            return redirect("booking_detail", ws.slug, booking.pk)
    return render(request, "bookings/detail.html", _detail_context(request, booking, side, assign_form=form), status=422)


def _assign_from_whos_free(request, form, booking):
    """Back to Who's free for the same show: a missing or bad payout is said beside that performer's payout
    field (``?unpaid=<performer>``); any other refusal (already booked, say) as a message at the top."""
    back = f"{reverse('whos_free', args=[request.access.workspace.slug])}?booking={booking.pk}"
    performer = request.POST.get("performer", "")
    if not form.is_valid():
        if "payout" in form.errors and performer.isdigit():
            return redirect(f"{back}&unpaid={performer}#performer-{performer}")
        messages.error(request, "Choose a performer and a payout.")
        return redirect(back)
    d = form.cleaned_data
    try:
        agency_services.performer_assign(actor=request.user, booking_id=booking.pk, performer_id=d["performer"],
                                         payout=d["payout"], role=d["role"], override_reason=d["override_reason"] or None)
    except (Invalid, Conflict) as exc:  # a refusal of who is asking is a 403 or 404 page, as anywhere
        messages.error(request, " ".join(m for msgs in getattr(exc, "errors", {}).values() for m in msgs) or exc.detail)
    else:
        messages.success(request, "Performer assigned.")
    return redirect(f"{back}#performer-{d['performer']}")


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_unassign(request, booking_id, performer_id):
    return _act(request, booking_id, lambda b: agency_services.performer_unassign(
        actor=request.user, booking_id=b.pk, performer_id=performer_id), "Performer removed.")


@workspace_view(BOOKINGS_VIEW)
def booking_contract(request, booking_id):
    """The contract: the accepted offer as a document both sides keep."""
    booking, _ = _booking(request, booking_id)
    booking = selectors.booking_detail(booking)
    offers = list(booking.offers.all())
    accepted = next((o for o in offers if o.status == OfferStatus.ACCEPTED), None)
    # Before acceptance, the open offer reads as a draft contract, so both sides see what they would sign.
    offer = accepted or next((o for o in reversed(offers) if o.status == OfferStatus.PROPOSED), None)
    if offer is None:
        raise NotFound("There is no contract without an offer.")
    deal = services.deal_of(offer)
    quote = services.is_agency_quote(booking)
    pdf = render_pdf("bookings/contract_pdf.html", {
        "booking": booking, "offer": offer, "draft": accepted is None, "deal": deal, "agency_quote": quote,
        "summary": deals.summary(deal, quote=quote),
        "deposit": deals.deposit_amount(deal), "assignments": list(booking.assignments.all())}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contract-{booking.reference}.pdf"'
    return response


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def booking_advance(request, booking_id):
    form = AdvanceForm(request.POST)
    booking, _ = _booking(request, booking_id)
    if not form.is_valid():
        messages.error(request, "Check the advance: " + "; ".join(f"{form.fields[f].label or f}: {' '.join(e)}"
                                                                  for f, e in form.errors.items()))
        return redirect("booking_detail", request.access.workspace.slug, booking.pk)
    data = {k: ("" if v is None and k not in _TIME_FIELDS else v) for k, v in form.cleaned_data.items()}
    return _act(request, booking_id, lambda b: services.advance_update(actor=request.user, booking_id=b.pk, **data),
                "Advance saved; the day sheet is up to date.")


_TIME_FIELDS = ("load_in", "soundcheck", "doors", "curfew", "changeover_minutes")


@workspace_view(BOOKINGS_VIEW)
def booking_offer_file(request, booking_id, file_id):
    """A file sent with one of the booking's offers, for either side (anyone else: 404)."""
    booking, _ = _booking(request, booking_id)
    asset = services.offer_file(booking, file_id)
    return download_response(asset.file, filename=services.download_name(asset), content_type=asset.content_type)


@workspace_view(BOOKINGS_VIEW)
def booking_day_sheet(request, booking_id):
    """The day sheet: when, where, who and what for the day of the show, as a PDF."""
    booking, _ = _booking(request, booking_id)
    if booking.starts_at is None:
        raise NotFound("A day sheet needs the show's date.")
    booking = selectors.booking_detail(booking)
    advance = Advance.objects.filter(booking=booking).first() or Advance(booking=booking)
    offers = list(booking.offers.all())
    offer = next((o for o in offers if o.status == OfferStatus.ACCEPTED), None) or next(
        (o for o in reversed(offers) if o.status == OfferStatus.PROPOSED), None)
    draft = booking.status not in (Status.CONFIRMED, Status.COMPLETED)
    pdf = render_pdf("bookings/day_sheet_pdf.html", {"booking": booking, "advance": advance, "offer": offer, "draft": draft,
                                                     "assignments": list(booking.assignments.all()),
                                                     **day_sheet_extras(booking)}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="day-sheet-{booking.reference}.pdf"'
    return response


@workspace_view(BOOKINGS_VIEW)
def booking_calendar(request):
    """Holds, offers and confirmed shows in a month or week calendar."""
    return render(request, "bookings/calendar.html", {})
