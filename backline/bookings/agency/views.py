"""Agencies' books in the browser: clients (with their booking history) and packages; who is free on a
date; a performer's gig."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW, WORKSPACE_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.core.places import directions_url
from backline.core.timeutil import zone

from .. import selectors as bookings
from ..models import CLAIMING_STAGES, Booking, Client, Package
from . import selectors, services
from .forms import ClientForm, PackageForm, WhosFreeForm
from .permissions import agency_of


@workspace_view(BOOKINGS_VIEW)
def client_list(request):
    ws = agency_of(request.access)
    show_archived = request.GET.get("archived") == "1"
    form = ClientForm()
    return render(request, "bookings/agency/clients.html", {
        "clients": selectors.clients_for(ws, archived=show_archived), "form": form, "archived": show_archived,
        "can_manage": request.access.can(BOOKINGS_MANAGE)})


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def client_new(request):
    ws = agency_of(request.access)
    form = ClientForm(request.POST)
    if form.is_valid():
        try:
            client = services.client_create(actor=request.user, workspace_id=ws.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{client.name} added.")
            return redirect("client_list", ws.slug)
    return render(request, "bookings/agency/clients.html", {"clients": selectors.clients_for(ws), "form": form,
                                                     "can_manage": True}, status=422)


def _client_of(ws, client_id) -> Client:
    client = Client.objects.filter(pk=client_id, workspace=ws).first()
    if client is None:
        raise NotFound("No such client.")
    return client


@workspace_view(BOOKINGS_VIEW)
def client_detail(request, client_id):
    """A client with its whole booking history; editors change details or archive it here."""
    ws = agency_of(request.access)
    client = _client_of(ws, client_id)
    can_manage = request.access.can(BOOKINGS_MANAGE)
    form = ClientForm(request.POST or None, initial={f: getattr(client, f) for f in ClientForm.base_fields})
    if request.method == "POST":
        if not can_manage:
            raise NotFound("No such client.")
        if form.is_valid():
            try:
                services.client_update(actor=request.user, client_id=client.pk, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "Saved.")
                return redirect("client_detail", ws.slug, client.pk)
    history = list(bookings.sorted_bookings(bookings.with_fee(bookings.bookings_for(
        request.user, checked_access=request.access, client_id=client.pk)), "-date"))
    return render(request, "bookings/agency/client_detail.html", {
        "client": client, "form": form, "history": history, "totals": bookings.fee_totals_of(history),
        "can_manage": can_manage})


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def client_archive(request, client_id):
    ws = agency_of(request.access)
    client = services.client_archive(actor=request.user, client_id=_client_of(ws, client_id).pk)
    messages.success(request, f"{client.name} archived; their bookings stay in the history.")
    return redirect("client_list", ws.slug)


@workspace_view(BOOKINGS_VIEW)
def package_list(request):
    ws = agency_of(request.access)
    return render(request, "bookings/agency/packages.html", {
        "packages": selectors.packages_for(ws), "form": PackageForm(initial={"currency": ws.currency}),
        "can_manage": request.access.can(BOOKINGS_MANAGE)})


@workspace_view(BOOKINGS_MANAGE)
def package_edit(request, package_id=None):
    """New package (no id) or a change to one; deactivating is unticking "Offered"."""
    ws = agency_of(request.access)
    package = None
    if package_id is not None:
        package = Package.objects.filter(pk=package_id, workspace=ws).first()
        if package is None:
            raise NotFound("No such package.")
    initial = {f: getattr(package, f) for f in PackageForm.base_fields} if package else {"currency": ws.currency}
    form = PackageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if package is None:
                data.pop("is_active")
                services.package_create(actor=request.user, workspace_id=ws.pk, **data)
            else:
                services.package_update(actor=request.user, package_id=package.pk, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Package saved.")
            return redirect("package_list", ws.slug)
    return render(request, "accounts/workspace_form.html", {
        "form": form, "title": f"Edit {package.name}" if package else "New package",
        "submit_label": "Save", "cancel_url": f"/w/{ws.slug}/packages/"})


@workspace_view(WORKSPACE_VIEW)
def gig_detail(request, booking_id):
    """A gig as the performer playing it needs it: when and where (in their own time zone), directions,
    call times, the day sheet, who else plays and their own payout. Only a performer assigned to it and
    the agency's coordinators, admins and owners see it; anyone else gets 404."""
    agency_of(request.access)
    booking, advance, line_up, mine = selectors.gig_for(access=request.access, booking_id=booking_id)
    venue = booking.venue
    address = ", ".join(p for p in (venue.name, venue.address, " ".join(filter(None, (venue.postal_code, venue.city_name))))
                        if p) if venue else booking.location
    place_zone = venue.time_zone if venue else booking.time_zone
    viewer_zone = request.user.time_zone or "UTC"
    return render(request, "bookings/agency/gig.html", {
        "booking": booking, "advance": advance, "mine": mine, "line_up": line_up,
        "others": [a for a in line_up if a != mine], "address": address,
        "directions": directions_url(address=address, latitude=venue.latitude if venue else None,
                                     longitude=venue.longitude if venue else None),
        "viewer_zone": viewer_zone, "place_zone": place_zone if place_zone != viewer_zone else "",
        "place_tz": zone(place_zone), "calls": _call_times(booking, advance, zone(place_zone)),
        "staff": request.access.can(BOOKINGS_MANAGE)})


def _call_times(booking, advance, place_tz) -> list[tuple[str, object]]:
    """(label, local time at the venue) for each call time the booking has: the advance's, else the deal's."""
    def pick(name):
        return getattr(advance, name, None) or getattr(booking, f"offer_{name}", None)

    show = booking.starts_at.astimezone(place_tz).time() if booking.starts_at else None
    calls = [("Load-in", pick("load_in")), ("Soundcheck", getattr(advance, "soundcheck", None)), ("Doors", pick("doors")),
             ("Show starts", show), ("Curfew", pick("curfew"))]
    return [(label, value) for label, value in calls if value]


# Who's free reads top to bottom: who is on the show, who can play, who to ask, who cannot.
_ORDER = ("on_show", "free", "partly", "not_said", "no_calendar", "booked", "elsewhere", "unavailable")
_COUNTS = (("on_show", "on this show", {"on_show"}), ("free", "free", {"free"}),
           ("unknown", "to ask", {"partly", "not_said", "no_calendar"}),
           ("busy", "not free", {"booked", "elsewhere", "unavailable"}))


@workspace_view(BOOKINGS_MANAGE)
def whos_free(request):
    """Which performers are free, busy (and why) or unknown on a day or part of it, from the agency's
    bookings and the performers' own availability; with ``?booking=``, in that show's times, each free
    performer one click from being assigned to it."""
    ws = agency_of(request.access)
    tz = zone(ws.time_zone)
    staffing = None
    if request.GET.get("booking", "").isdigit():
        staffing = Booking.objects.filter(pk=request.GET["booking"], workspace=ws, status__in=CLAIMING_STAGES,
                                          starts_at__isnull=False).first()
        if staffing is None:  # not this agency's, closed, or without times yet: nothing to staff here
            raise NotFound("No such booking.")
    if staffing is not None:
        day = staffing.starts_at.astimezone(tz).date()
        form = WhosFreeForm(initial={"date": day})
        start = end = None
    else:
        form = WhosFreeForm(request.GET if "date" in request.GET else None,
                            initial={"date": timezone.now().astimezone(tz).date()})
        valid = form.is_valid() if form.is_bound else True
        data = form.cleaned_data if form.is_bound and valid else {}
        day, start, end = data.get("date") or form.initial["date"], data.get("start"), data.get("end")
        if not valid:
            return render(request, "bookings/agency/whos_free.html", {"form": form, "people": None, "day": day}, status=422)
    try:
        window = selectors.availability_window(ws, day, start, end)
        whole_day = selectors.availability_window(ws, day)
        rows = selectors.performers_availability(ws, day, start=start, end=end, booking=staffing)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "bookings/agency/whos_free.html", {"form": form, "people": None, "day": day}, status=422)
    shows = Booking.objects.filter(workspace=ws, status__in=CLAIMING_STAGES, starts_at__lt=whole_day[1],
                                   ends_at__gt=whole_day[0]).order_by("starts_at")
    people = sorted(rows, key=lambda r: _ORDER.index(r.kind))  # the same order within a kind: by name
    counts = [(kind, label, sum(1 for r in rows if r.kind in kinds)) for kind, label, kinds in _COUNTS]
    return render(request, "bookings/agency/whos_free.html", {
        "form": form, "people": people, "counts": [c for c in counts if c[2]], "day": day, "start": start, "end": end,
        "staffing": staffing, "unpaid": int(request.GET["unpaid"]) if request.GET.get("unpaid", "").isdigit() else None,
        "window": (staffing.starts_at, staffing.ends_at) if staffing else window,
        "shows": list(shows[:20])})
