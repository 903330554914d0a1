"""Agencies' books in the browser: clients (with their booking history) and packages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound

from .. import selectors as bookings
from ..models import Client, Package
from . import selectors, services
from .forms import ClientForm, PackageForm
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
