"""The represents relation in the browser: an act's "Agencies" page and an agency's "Acts we represent"
page (one template, each side's words), with the request or invitation form and accept, decline, end."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.models import Workspace, WorkspaceKind
from backline.accounts.permissions import BOOKINGS_VIEW, WORKSPACE_EDIT
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound

from . import representations as reps


class PartnerForm(forms.Form):
    """Whom to ask: an act (from an agency) or an agency (from an act), by name."""

    partner = forms.ChoiceField(help_text="Type to search by name.")

    def __init__(self, *args, kind: str, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.label = "Act" if kind == WorkspaceKind.ACT else "Agency"
        rows = Workspace.objects.filter(kind=kind).exclude(pk__in=exclude).order_by("name").values_list("pk", "name")
        field.choices = [("", "Choose…"), *rows]
        field.widget.attrs.update({"data-searchable": "1", "data-max-items": "1"})


def _page(request, form=None):
    ws = request.access.workspace
    if ws.kind not in (WorkspaceKind.ACT, WorkspaceKind.AGENCY):
        raise NotFound("Only acts and agencies have representations.")
    is_agency = ws.kind == WorkspaceKind.AGENCY
    rows = list(reps.representations_for(ws))
    live = [r.act.workspace_id if is_agency else r.agency_id for r in rows if r.status != reps.S.ENDED]
    can_edit = request.access.can(WORKSPACE_EDIT)
    if form is None and can_edit:
        form = PartnerForm(kind=WorkspaceKind.ACT if is_agency else WorkspaceKind.AGENCY, exclude=live)
    items = [{"r": r, "partner": r.act.workspace if is_agency else r.agency, "awaits_us": reps.awaits(r, ws),
              "asked_by_us": r.asked_by_agency == is_agency} for r in rows]
    return render(request, "artists/representations.html", {
        "is_agency": is_agency, "ask_url": "represented_act_request" if is_agency else "act_agency_invite",
        "items": items, "form": form if can_edit else None, "can_edit": can_edit})


def _list_view(kind: str, name: str):
    """The list page of one kind of workspace (any other kind: 404)."""

    @workspace_view(BOOKINGS_VIEW)
    def view(request):
        if request.access.workspace.kind != kind:
            raise NotFound(f"This workspace is not an {kind}.")
        return _page(request)

    view.__name__ = view.__qualname__ = name
    return view


def _ask_view(kind: str, partner_kind: str, list_url: str, name: str):
    """The form's POST: an agency asks an act (``representation_request``), an act invites an agency."""

    @workspace_view(WORKSPACE_EDIT)
    @require_POST
    def view(request):
        if request.access.workspace.kind != kind:
            raise NotFound(f"This workspace is not an {kind}.")
        return _ask(request, partner_kind, list_url)

    view.__name__ = view.__qualname__ = name
    return view


act_agencies = _list_view(WorkspaceKind.ACT, "act_agencies")
represented_acts = _list_view(WorkspaceKind.AGENCY, "represented_acts")
act_agency_invite = _ask_view(WorkspaceKind.ACT, WorkspaceKind.AGENCY, "act_agencies", "act_agency_invite")
represented_act_request = _ask_view(WorkspaceKind.AGENCY, WorkspaceKind.ACT, "represented_acts",
                                    "represented_act_request")


def _ask(request, partner_kind: str, url_name: str):
    ws = request.access.workspace
    form = PartnerForm(request.POST, kind=partner_kind)
    if form.is_valid():
        partner = int(form.cleaned_data["partner"])
        try:
            if partner_kind == WorkspaceKind.ACT:
                rep = reps.representation_request(actor=request.user, agency_workspace_id=ws.pk, act_workspace_id=partner)
            else:
                rep = reps.representation_invite(actor=request.user, act_workspace_id=ws.pk, agency_workspace_id=partner)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            other = rep.act.workspace.name if partner_kind == WorkspaceKind.ACT else rep.agency.name
            messages.success(request, f"Asked {other}. They accept or decline from their workspace.")
            return redirect(url_name, ws.slug)
    return _page(request, form)


def _answer(request, representation_id: int, change, done: str):
    ws = request.access.workspace
    try:
        rep = change(actor=request.user, workspace_id=ws.pk, representation_id=representation_id)
    except NotFound:
        raise  # not this workspace's: 404, as for a missing one
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done.format(agency=rep.agency.name, act=rep.act.workspace.name))
    return redirect("represented_acts" if ws.kind == WorkspaceKind.AGENCY else "act_agencies", ws.slug)


@workspace_view(WORKSPACE_EDIT)
@require_POST
def representation_accept(request, representation_id: int):
    return _answer(request, representation_id, reps.representation_accept,
                   "{agency} now represents {act}: it may ask venues for dates for the act.")


@workspace_view(WORKSPACE_EDIT)
@require_POST
def representation_decline(request, representation_id: int):
    return _answer(request, representation_id, reps.representation_decline, "Declined.")


@workspace_view(WORKSPACE_EDIT)
@require_POST
def representation_end(request, representation_id: int):
    return _answer(request, representation_id, reps.representation_end,
                   "Ended: {agency} asks no more dates for {act}. Inquiries already sent stay.")
