"""An agency asks a venue or promoter for a date on behalf of an act it represents (ADR 0006 addendum)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from backline.accounts.permissions import BOOKINGS_MANAGE
from backline.accounts.ui import workspace_view
from backline.artists.representations import represented_acts
from backline.core.errors import DomainError

from .. import selectors, services
from ..forms import AskForm
from ..views import ask_initial, ask_request
from .permissions import agency_of


class AgencyAskForm(AskForm):
    """The act's ask, with the act chosen among those the agency represents."""

    act = forms.ChoiceField(label="For the act", help_text="An act you represent. Type to search.")

    field_order = ["act"]

    def __init__(self, *args, acts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["act"].choices = [("", "Choose…"), *((a.workspace_id, a.workspace.name) for a in acts)]
        self.fields["act"].widget.attrs.update({"data-searchable": "1", "data-max-items": "1"})
        self.order_fields(["act"])


@workspace_view(BOOKINGS_MANAGE)
def agency_ask(request):
    """The agency's "Ask a venue for a date" (prefilled from a venue's search result: ?venue=<id>)."""
    ws = agency_of(request.access)
    acts = list(represented_acts(ws))
    venues, promoters = selectors.askable()
    initial = {"currency": ws.currency, **ask_initial(request)}
    if len(acts) == 1:  # the one act, in its own currency
        initial.update(act=acts[0].workspace_id, currency=acts[0].workspace.currency)
    form = AgencyAskForm(request.POST or None, initial=initial, venues=venues, promoters=promoters, acts=acts)
    if request.method == "POST" and (ask := ask_request(request, form)) is not None:
        try:
            booking = services.inquiry_request(actor=request.user, agency_workspace_id=ws.pk,
                                               act_workspace_id=int(form.cleaned_data["act"]), **ask)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Inquiry sent to {selectors.asked_whom(booking)} for {booking.act.workspace.name}. "
                                      "The act sees it too.")
            return redirect("booking_detail", ws.slug, booking.pk)
    return render(request, "bookings/ask_form.html", {
        "form": form, "represented": acts, "agency": True,
        "cancel_url": reverse("booking_board", args=[ws.slug])})
