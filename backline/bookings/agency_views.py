"""Agencies' books in the browser: clients (with their booking history) and packages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from backline.accounts.permissions import BOOKINGS_MANAGE, BOOKINGS_VIEW
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound
from backline.core.forms import Form

from . import agency_services, selectors
from .models import Client, Package


class ClientForm(Form):
    name = forms.CharField(max_length=120)
    company = forms.CharField(max_length=120, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    city_name = forms.CharField(max_length=120, required=False, label="City")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class PackageForm(Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    duration_minutes = forms.IntegerField(min_value=15, max_value=1440, label="Duration (minutes)")
    performer_count = forms.IntegerField(min_value=1, max_value=100, initial=1, label="Performers")
    price = forms.DecimalField(min_value=0, decimal_places=2)
    currency = forms.CharField(max_length=3, required=False)
    is_active = forms.BooleanField(required=False, initial=True, label="Offered (untick to deactivate)")


def _agency(request):
    if request.access.workspace.kind != "agency":
        raise NotFound("Only agencies keep clients and packages.")
    return request.access.workspace


@workspace_view(BOOKINGS_VIEW)
def client_list(request):
    ws = _agency(request)
    show_archived = request.GET.get("archived") == "1"
    form = ClientForm()
    return render(request, "bookings/clients.html", {
        "clients": selectors.clients_for(ws, archived=show_archived), "form": form, "archived": show_archived,
        "can_manage": request.access.can(BOOKINGS_MANAGE)})


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def client_new(request):
    ws = _agency(request)
    form = ClientForm(request.POST)
    if form.is_valid():
        try:
            client = agency_services.client_create(actor=request.user, workspace_id=ws.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{client.name} added.")
            return redirect("client_list", ws.slug)
    return render(request, "bookings/clients.html", {"clients": selectors.clients_for(ws), "form": form,
                                                     "can_manage": True}, status=422)


def _client_of(ws, client_id) -> Client:
    client = Client.objects.filter(pk=client_id, workspace=ws).first()
    if client is None:
        raise NotFound("No such client.")
    return client


@workspace_view(BOOKINGS_VIEW)
def client_detail(request, client_id):
    """A client with its whole booking history; editors change details or archive it here."""
    ws = _agency(request)
    client = _client_of(ws, client_id)
    can_manage = request.access.can(BOOKINGS_MANAGE)
    form = ClientForm(request.POST or None, initial={f: getattr(client, f) for f in ClientForm.base_fields})
    if request.method == "POST":
        if not can_manage:
            raise NotFound("No such client.")
        if form.is_valid():
            try:
                agency_services.client_update(actor=request.user, client_id=client.pk, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "Saved.")
                return redirect("client_detail", ws.slug, client.pk)
    history = selectors.bookings_for(request.user, checked_access=request.access, client_id=client.pk)
    return render(request, "bookings/client_detail.html", {"client": client, "form": form, "history": history,
                                                           "can_manage": can_manage})


@workspace_view(BOOKINGS_MANAGE)
@require_POST
def client_archive(request, client_id):
    ws = _agency(request)
    client = agency_services.client_archive(actor=request.user, client_id=_client_of(ws, client_id).pk)
    messages.success(request, f"{client.name} archived; their bookings stay in the history.")
    return redirect("client_list", ws.slug)


@workspace_view(BOOKINGS_VIEW)
def package_list(request):
    ws = _agency(request)
    return render(request, "bookings/packages.html", {
        "packages": selectors.packages_for(ws), "form": PackageForm(initial={"currency": ws.currency}),
        "can_manage": request.access.can(BOOKINGS_MANAGE)})


@workspace_view(BOOKINGS_MANAGE)
def package_edit(request, package_id=None):
    """New package (no id) or a change to one; deactivating is unticking "Offered"."""
    ws = _agency(request)
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
                agency_services.package_create(actor=request.user, workspace_id=ws.pk, **data)
            else:
                agency_services.package_update(actor=request.user, package_id=package.pk, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Package saved.")
            return redirect("package_list", ws.slug)
    return render(request, "accounts/workspace_form.html", {
        "form": form, "title": f"Edit {package.name}" if package else "New package",
        "submit_label": "Save", "cancel_url": f"/w/{ws.slug}/packages/"})


urlpatterns = [
    path("w/<slug:slug>/clients/", client_list, name="client_list"),
    path("w/<slug:slug>/clients/new/", client_new, name="client_new"),
    path("w/<slug:slug>/clients/<int:client_id>/", client_detail, name="client_detail"),
    path("w/<slug:slug>/clients/<int:client_id>/archive/", client_archive, name="client_archive"),
    path("w/<slug:slug>/packages/", package_list, name="package_list"),
    path("w/<slug:slug>/packages/new/", package_edit, name="package_new"),
    path("w/<slug:slug>/packages/<int:package_id>/", package_edit, name="package_edit"),
]
