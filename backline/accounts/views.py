"""The accounts web interface: thin adapters over services and selectors."""

import math

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backline.core import history
from backline.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import InvitationForm, NewOrganisationForm, ProfileForm, SocialLinkFormSet, WorkspaceProfileForm
from .models import Invitation, Membership, Role, WorkspaceKind
from .permissions import AUDIT_VIEW, MEMBERS_MANAGE, MEMBERS_VIEW, WORKSPACE_EDIT, can_grant, roles_for_kind
from .ui import panels_for, workspace_view


class LoginView(allauth_views.LoginView):
    """allauth's log-in page, answering 429 with ``Retry-After`` (like the API) when too many failed
    attempts for the address or from the client refused it; the page still shows the form and why."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "retry_after", None):
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


def too_many_requests(request, exception=None):
    """allauth's other limits (log-in or sign-up attempts per client, password-reset emails…) answer
    through this ``handler429``: a page saying so, status 429, and ``Retry-After``: the longest window
    of the page's limits, after which every counted attempt has expired."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    match = request.resolver_match
    limits = app_settings.RATE_LIMITS
    action = ALLAUTH_ACTIONS.get(match.url_name if match else "")
    configured = [limits.get(action)] if action in limits else list(limits.values())
    retry_after = max((rate.duration for rates in configured for rate in parse_rates(rates)), default=60)
    response = render(request, "429.html", {"retry_minutes": max(1, math.ceil(retry_after / 60))}, status=429)
    response["Retry-After"] = str(math.ceil(retry_after))
    return response


# The allauth action each rate-limited page counts against (allauth.account.app_settings.RATE_LIMITS).
ALLAUTH_ACTIONS = {"account_login": "login", "account_signup": "signup", "account_reset_password": "reset_password",
                   "account_reset_password_from_key": "reset_password_from_key",
                   "account_change_password": "change_password", "account_email": "manage_email",
                   "account_reauthenticate": "reauthenticate"}


def home(request):
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    memberships = list(selectors.memberships_for_user(request.user))
    remembered = request.session.get("workspace")
    for m in memberships:
        if m.workspace.slug == remembered:
            return redirect("workspace_dashboard", m.workspace.slug)
    if len(memberships) == 1:
        return redirect("workspace_dashboard", memberships[0].workspace.slug)
    return redirect("workspace_list")


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, initial={
        "name": user.name, "pronouns": user.pronouns, "phone": user.phone, "time_zone": user.time_zone})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in ("name", "pronouns", "phone", "time_zone")}
        if data.get("avatar"):
            changes["avatar"] = data["avatar"]
        try:
            services.user_update_profile(actor=user, **changes)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def workspace_list(request):
    # One read serves the list and the shell's workspace switcher (the context processor reuses it).
    request.my_memberships = list(selectors.memberships_for_user(request.user))
    return render(request, "accounts/workspace_list.html", {
        "memberships": request.my_memberships,
        "invitations": selectors.pending_invitations_for_user(request.user),
    })


@login_required
def workspace_new(request):
    return render(request, "accounts/workspace_new.html")


@login_required
def workspace_new_organisation(request, kind):
    if kind not in (WorkspaceKind.PROMOTER, WorkspaceKind.AGENCY):
        raise NotFound("Unknown kind.")
    form = NewOrganisationForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ws = services.workspace_create(
                actor=request.user, kind=kind, name=data["name"], geoname_id=data["city"], bio=data["bio"],
                website=data["website"], contact_email=data["contact_email"], phone=data["phone"],
                currency=data["currency"], **({"commission_percent": data["commission_percent"]}
                                              if kind == WorkspaceKind.AGENCY else {}))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"{ws.name} is ready.")
            return redirect("workspace_dashboard", ws.slug)
    return render(request, "accounts/workspace_form.html", {"form": form, "kind_label": WorkspaceKind(kind).label,
                                                             "title": f"New {WorkspaceKind(kind).label.lower()}"})


@workspace_view()
def workspace_dashboard(request):
    access = request.access
    panels = panels_for(access)
    ws = access.workspace
    checks = [("Name and bio", bool(ws.bio), reverse("workspace_profile", args=[ws.slug])),
              ("Home city", bool(ws.city_name), reverse("workspace_profile", args=[ws.slug])),
              ("Website or social links", bool(ws.website) or ws.social_links.exists(),
               reverse("workspace_profile", args=[ws.slug]))]
    for panel in panels:
        checks.extend(panel.checks)
    done = sum(1 for _, ok, _ in checks if ok)
    members = list(selectors.members_for(access)) if access.can(MEMBERS_VIEW) else []
    invitations, mine = selectors.dashboard_invitations(access, request.user,
                                                        include_workspace=access.can(MEMBERS_MANAGE))
    return render(request, "accounts/dashboard.html", {
        "panels": panels, "checks": checks, "completeness": round(100 * done / len(checks)),
        "can_edit": access.can(WORKSPACE_EDIT),
        "members": members, "invitations": invitations,
        "my_invitations": mine,
        "scripts": list(dict.fromkeys(s for panel in panels for s in panel.scripts)),
    })


@workspace_view(WORKSPACE_EDIT)
def workspace_profile(request):
    ws = request.access.workspace
    initial = {"name": ws.name, "city": ws.geoname_id, "time_zone": ws.time_zone, "bio": ws.bio,
               "website": ws.website, "contact_email": ws.contact_email, "phone": ws.phone,
               "currency": ws.currency, "commission_percent": ws.commission_percent}
    links_initial = [{"platform": link.platform, "url": link.url} for link in selectors.social_links_for(ws)]
    form = WorkspaceProfileForm(request.POST or None, initial=initial, kind=ws.kind)
    links = SocialLinkFormSet(request.POST or None, initial=links_initial, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        data = dict(form.cleaned_data)
        city = data.pop("city")
        if city == ws.geoname_id:
            city = ""  # unchanged city: keep a hand-corrected time zone
        elif data["time_zone"] == ws.time_zone:
            del data["time_zone"]  # a new city brings its own zone unless the zone was changed too
        link_pairs = [(f.cleaned_data["platform"], f.cleaned_data["url"]) for f in links.forms
                      if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            with transaction.atomic():  # profile and links together: a refused link leaves the profile unchanged
                services.workspace_update(actor=request.user, workspace_id=ws.pk, geoname_id=city, **data)
                services.workspace_set_social_links(actor=request.user, workspace_id=ws.pk, links=link_pairs)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "The profile is saved.")
            return redirect("workspace_profile", ws.slug)
    return render(request, "accounts/workspace_profile.html", {"form": form, "links": links})


def _members_context(request, invite_form=None):
    access = request.access
    can_manage = access.can(MEMBERS_MANAGE)
    members = list(selectors.members_for(access))
    assignable = [r for r in roles_for_kind(access.workspace.kind) if can_grant(access.role, r)]
    return {
        "members": [(m, can_manage and can_grant(access.role, m.role) and m.user_id != request.user.pk) for m in members],
        "can_manage": can_manage,
        "assignable_roles": [(r, Role(r).label) for r in assignable],
        "invitations": list(selectors.invitations_for(access)) if can_manage else [],
        "invite_form": invite_form or InvitationForm(kind=access.workspace.kind),
    }


def _members_response(request, invite_form=None):
    template = "accounts/members.html#members" if request.htmx else "accounts/members.html"
    return render(request, template, _members_context(request, invite_form))


@workspace_view(MEMBERS_VIEW)
def workspace_members(request):
    return _members_response(request)


@workspace_view(MEMBERS_MANAGE)
@require_POST
def invitation_create(request):
    ws = request.access.workspace
    form = InvitationForm(request.POST, kind=ws.kind)
    if form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, workspace_id=ws.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            form = None
    if not request.htmx and form is None:
        return redirect("workspace_members", ws.slug)
    return _members_response(request, form)


def _invitation_of(request, invitation_id) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id, workspace=request.access.workspace).first()
    if invitation is None:
        raise NotFound("No such invitation.")
    return invitation


@workspace_view(MEMBERS_MANAGE)
@require_POST
def invitation_resend(request, invitation_id):
    invitation = services.invitation_resend(actor=request.user, invitation_id=_invitation_of(request, invitation_id).pk)
    messages.success(request, f"Invitation sent again to {invitation.email}.")
    return _after_member_action(request)


@workspace_view(MEMBERS_MANAGE)
@require_POST
def invitation_revoke(request, invitation_id):
    invitation = services.invitation_revoke(actor=request.user, invitation_id=_invitation_of(request, invitation_id).pk)
    messages.success(request, f"The invitation of {invitation.email} is revoked.")
    return _after_member_action(request)


def _membership_of(request, membership_id) -> Membership:
    membership = Membership.objects.filter(pk=membership_id, workspace=request.access.workspace).first()
    if membership is None:
        raise NotFound("No such member.")
    return membership


@workspace_view(MEMBERS_MANAGE)
@require_POST
def member_role(request, membership_id):
    membership = services.membership_change_role(actor=request.user, membership_id=_membership_of(request, membership_id).pk,
                                                 role=request.POST.get("role", ""))
    messages.success(request, f"{membership.user} is now {membership.get_role_display().lower()}.")
    return _after_member_action(request)


@workspace_view(MEMBERS_MANAGE)
@require_POST
def member_remove(request, membership_id):
    membership = _membership_of(request, membership_id)
    name = str(membership.user)
    services.membership_remove(actor=request.user, membership_id=membership.pk)
    messages.success(request, f"{name} was removed.")
    return _after_member_action(request)


def _after_member_action(request):
    if request.htmx:
        return _members_response(request)
    return redirect("workspace_members", request.access.workspace.slug)


@workspace_view()
@require_POST
def workspace_leave(request):
    ws = request.access.workspace
    services.membership_leave(actor=request.user, workspace_id=ws.pk)
    request.session.pop("workspace", None)
    messages.success(request, f"You left {ws.name}.")
    return redirect("workspace_list")


@workspace_view(AUDIT_VIEW)
def workspace_history(request):
    object_type, object_id = request.GET.get("object_type", ""), request.GET.get("object_id", "")
    entries = selectors.audit_for(request.access, object_type=object_type, object_id=object_id)
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), 100_000)  # an offset the database can take
    except ValueError:
        number = 1
    # Newer / older pages without counting them: one entry more than a page says whether there are older
    # ones, and the query the count would cost reads the names of the people and things instead.
    entries = list(entries[(number - 1) * HISTORY_PAGE:number * HISTORY_PAGE + 1])
    rows = history.describe(entries[:HISTORY_PAGE])
    return render(request, "accounts/history.html", {
        "rows": rows, "number": number, "has_older": len(entries) > HISTORY_PAGE,
        "object_type": object_type, "object_id": object_id,
        "object_repr": rows[0].name if object_id and rows else "",
        "object_label": _object_label(rows[0].entry) if object_type and rows else ""})


HISTORY_PAGE = 50


def _object_label(entry) -> str:
    model = entry.object_type.model_class()
    return str(model._meta.verbose_name) if model else "item"


@login_required
def invitation_detail(request, token):
    invitation = Invitation.objects.select_related("workspace", "invited_by").filter(token=token).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer == "accept":
            membership = services.invitation_accept(user=request.user, token=token)
            messages.success(request, f"Welcome to {membership.workspace.name}!")
            return redirect("workspace_dashboard", membership.workspace.slug)
        if answer == "decline":
            services.invitation_decline(user=request.user, token=token)
            messages.info(request, "You declined the invitation.")
            return redirect("home")
    wrong_account = invitation.email.lower() != request.user.email.lower()
    return render(request, "accounts/invitation.html", {"invitation": invitation, "wrong_account": wrong_account})
