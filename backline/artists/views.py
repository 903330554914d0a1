from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from backline.accounts.permissions import MEMBERS_VIEW, ROSTER_MANAGE, WORKSPACE_EDIT
from backline.accounts.selectors import members_for
from backline.accounts.ui import workspace_view
from backline.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import ActCreateForm, ActDetailsForm, ActMemberForm, PerformerForm
from .models import ActMember, Performer


@login_required
def act_new(request):
    form = ActCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            act = services.act_create(actor=request.user, geoname_id=data.pop("city"), **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{act.workspace.name} is ready. Invite your bandmates from Members.")
            return redirect("workspace_dashboard", act.workspace.slug)
    return render(request, "accounts/workspace_form.html", {"form": form, "title": "New act"})


def _act_or_404(access):
    act = selectors.act_for(access)
    if act is None:
        raise NotFound("This workspace is not an act.")
    return act


def _line_up_context(request, details_form=None, member_form=None):
    access = request.access
    act = _act_or_404(access)
    can_edit = access.can(WORKSPACE_EDIT)
    return {
        "act": act,
        "line_up": list(selectors.line_up_for(access)),
        "can_manage": access.can(ROSTER_MANAGE),
        "details_form": details_form or (ActDetailsForm(initial={
            "act_type": act.act_type, "genres": [g.slug for g in act.genres.all()], "formed_year": act.formed_year})
            if can_edit else None),
        "member_form": member_form or ActMemberForm(),
    }


@workspace_view(MEMBERS_VIEW)
def line_up(request):
    return render(request, "artists/line_up.html", _line_up_context(request))


@workspace_view(WORKSPACE_EDIT)
@require_POST
def act_details(request):
    form = ActDetailsForm(request.POST)
    if form.is_valid():
        try:
            services.act_update(actor=request.user, workspace_id=request.access.workspace.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Act details saved.")
            return redirect("line_up", request.access.workspace.slug)
    return render(request, "artists/line_up.html", _line_up_context(request, details_form=form))


@workspace_view(ROSTER_MANAGE)
@require_POST
def act_member_add(request):
    form = ActMemberForm(request.POST)
    if form.is_valid():
        try:
            member = services.act_member_add(actor=request.user, workspace_id=request.access.workspace.pk,
                                             **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{member.name} added to the line-up.")
            return redirect("line_up", request.access.workspace.slug)
    return render(request, "artists/line_up.html", _line_up_context(request, member_form=form))


def _member_of(request, member_id) -> ActMember:
    member = ActMember.objects.filter(pk=member_id, act__workspace=request.access.workspace).first()
    if member is None:
        raise NotFound("No such member.")
    return member


@workspace_view(ROSTER_MANAGE)
def act_member_edit(request, member_id):
    member = _member_of(request, member_id)
    form = ActMemberForm(request.POST or None, initial={
        "name": member.name, "email": member.email, "instruments": member.instruments, "is_optional": member.is_optional})
    if request.method == "POST" and form.is_valid():
        try:
            services.act_member_update(actor=request.user, member_id=member.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved.")
            return redirect("line_up", request.access.workspace.slug)
    return render(request, "accounts/workspace_form.html", {
        "form": form, "title": f"Edit {member.name}", "submit_label": "Save",
        "cancel_url": f"/w/{request.access.workspace.slug}/line-up/"})


@workspace_view(ROSTER_MANAGE)
@require_POST
def act_member_remove(request, member_id):
    member = _member_of(request, member_id)
    services.act_member_remove(actor=request.user, member_id=member.pk)
    messages.success(request, f"{member.name} removed from the line-up.")
    return redirect("line_up", request.access.workspace.slug)


# --- agency performers ----------------------------------------------------------------------------

def _agency_access(request):
    if request.access.workspace.kind != "agency":
        raise NotFound("Only agencies keep performers.")
    return request.access


@workspace_view(MEMBERS_VIEW)
def performer_list(request):
    access = _agency_access(request)
    show = request.GET.get("show", "active")
    performers = selectors.performers_for(access, active=None if show == "all" else True)
    return render(request, "artists/performers.html", {"performers": performers, "show": show,
                                                       "can_manage": access.can(ROSTER_MANAGE)})


@workspace_view(ROSTER_MANAGE)
def performer_new(request):
    access = _agency_access(request)
    return _performer_form(request, access, None)


@workspace_view(ROSTER_MANAGE)
def performer_edit(request, performer_id):
    access = _agency_access(request)
    performer = Performer.objects.filter(pk=performer_id, workspace=access.workspace).first()
    if performer is None:
        raise NotFound("No such performer.")
    return _performer_form(request, access, performer)


def _performer_form(request, access, performer):
    members = list(members_for(access))
    initial = {"is_active": True}
    if performer:
        initial = {"name": performer.name, "email": performer.email, "phone": performer.phone,
                   "skills": performer.skills, "is_active": performer.is_active, "user": performer.user_id}
    form = PerformerForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user_id = data.pop("user")
        creating = performer is None
        try:
            with transaction.atomic():
                if performer is None:
                    is_active = data.pop("is_active")
                    performer = services.performer_create(actor=request.user, workspace_id=access.workspace.pk, **data)
                    if not is_active:
                        services.performer_update(actor=request.user, performer_id=performer.pk, is_active=False)
                else:
                    services.performer_update(actor=request.user, performer_id=performer.pk, **data)
                if user_id != performer.user_id:
                    services.performer_link_user(actor=request.user, performer_id=performer.pk, user_id=user_id)
        except DomainError as exc:
            form.add_domain_error(exc)
            if creating:  # the new record was rolled back with the transaction: still a new performer
                performer = None
        else:
            messages.success(request, f"{performer.name} saved.")
            return redirect("performer_list", access.workspace.slug)
    return render(request, "accounts/workspace_form.html", {
        "form": form, "title": f"Edit {performer.name}" if performer else "New performer",
        "submit_label": "Save", "cancel_url": f"/w/{access.workspace.slug}/performers/"})
