"""The venue network in the browser: my networks and invitations, a network's page (members, also in
town this week, upcoming shows, the sharing board), founding a network, inviting, answering, posting,
asking and answering requests, co-presenting a show. Thin adapters over ``services`` and
``selectors``: every change is a service call, every refusal a message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backline.accounts.ui import workspace_view
from backline.conversations.selectors import workspace_search
from backline.core.errors import DomainError, Invalid, NotFound

from . import selectors, services
from .models import BoardPost, CoPresentation, MemberStatus, PostKind, Resource, ResourceRequest, Terms
from .permissions import NETWORK_JOIN, NETWORK_SHARE, NETWORK_VIEW, network_for


def _detail(request, network_id):
    return redirect("network:network_detail", request.access.workspace.slug, network_id)


def _act(request, fn, success: str, back):
    """Run a service; its refusal becomes a message. Then back to ``back``."""
    try:
        fn()
        messages.success(request, success)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.detail if not getattr(exc, "errors", None)
                       else " ".join(m for ms in exc.errors.values() for m in ms))
    return back


@workspace_view(NETWORK_VIEW)
def network_list(request):
    access = request.access
    rows = list(selectors.networks_for(access.workspace.pk))
    return render(request, "network/list.html", {
        "active": [m for m in rows if m.status == MemberStatus.ACTIVE],
        "invited": [m for m in rows if m.status == MemberStatus.INVITED],
        "can_join": access.can(NETWORK_JOIN)})


@workspace_view(NETWORK_JOIN)
def network_new(request):
    data, errors = {}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("name", "description", "region")}
        try:
            network = services.network_create(actor=request.user, workspace_id=request.access.workspace.pk, **data)
            messages.success(request, f"The network {network.name} is started. Invite the places and people you work with.")
            return _detail(request, network.pk)
        except Invalid as exc:
            errors = exc.errors
    else:
        data = {"region": request.access.workspace.city_name}
    return render(request, "network/new.html", {"data": data, "errors": errors})


@workspace_view(NETWORK_VIEW)
def network_detail(request, network_id):
    access = request.access
    na = network_for(access, network_id, invited=True)
    network, ws = na.network, access.workspace
    if na.member.status == MemberStatus.INVITED:
        return render(request, "network/invited.html", {"network": network, "member": na.member,
                                                         "can_join": access.can(NETWORK_JOIN)})
    city = ws.city_name or network.region
    members = list(selectors.members_of(network.pk))
    active = sum(m.status == MemberStatus.ACTIVE for m in members)
    context = {
        "network": network, "me": na.member, "members": members, "city": city,
        "active_count": active, "invited_count": len(members) - active,
        "admin_count": sum(m.is_admin and m.status == MemberStatus.ACTIVE for m in members),
        "in_town": selectors.also_in_town(network.pk, city=city),
        "shows": selectors.network_shows(network.pk, limit=30),
        "posts": list(selectors.board_for(network.pk)[:50]),
        "my_requests": list(selectors.requests_for(network.pk, ws.pk)[:30]),
        "co_presentations": list(selectors.co_presentations_for(network.pk, ws.pk)),
        "can_join": access.can(NETWORK_JOIN), "can_share": access.can(NETWORK_SHARE),
    }
    return render(request, "network/detail.html", context)


@workspace_view(NETWORK_JOIN)
def network_invite(request, network_id):
    access = request.access
    na = network_for(access, network_id, capability=NETWORK_JOIN)
    if request.method == "POST":
        try:
            invitee = int(request.POST.get("invitee", ""))
        except ValueError:
            invitee = 0
        return _act(request, lambda: services.network_invite(
            actor=request.user, workspace_id=access.workspace.pk, network_id=na.network.pk, invitee_id=invitee),
            "Invitation sent. Their owners and admins answer it.", _detail(request, na.network.pk))
    q = request.GET.get("q", "")[:100]
    taken = set(selectors.members_of(na.network.pk).values_list("workspace_id", flat=True))
    found = [w for w in workspace_search(q, limit=15) if w.pk not in taken]
    template = "network/_invite_results.html" if request.htmx else "network/invite.html"
    return render(request, template, {"network": na.network, "q": q, "found": found})


@require_POST
@workspace_view(NETWORK_JOIN)
def network_answer(request, network_id):
    accept = request.POST.get("decision") == "accept"
    ws = request.access.workspace
    back = _detail(request, network_id) if accept else redirect("network:network_list", ws.slug)
    return _act(request, lambda: services.network_invite_answer(
        actor=request.user, workspace_id=ws.pk, network_id=network_id, accept=accept,
        share_shows=request.POST.get("share_shows") == "on"),
        "Welcome to the network." if accept else "Invitation declined.", back)


@require_POST
@workspace_view(NETWORK_JOIN)
def network_leave(request, network_id):
    ws = request.access.workspace
    network_for(request.access, network_id, capability=NETWORK_JOIN)
    try:
        services.network_leave(actor=request.user, workspace_id=ws.pk, network_id=network_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return _detail(request, network_id)
    messages.success(request, "You have left the network.")
    return redirect("network:network_list", ws.slug)


@require_POST
@workspace_view(NETWORK_JOIN)
def network_sharing(request, network_id):
    ws = request.access.workspace
    share = request.POST.get("shares_shows") == "on"
    return _act(request, lambda: services.network_sharing_set(actor=request.user, workspace_id=ws.pk,
                                                              network_id=network_id, shares_shows=share),
                "Your upcoming shows are shown to the network." if share else "Your shows are no longer shown to the network.",
                _detail(request, network_id))


@require_POST
@workspace_view(NETWORK_JOIN)
def network_member_remove(request, network_id, network_member_id):
    ws = request.access.workspace
    network_for(request.access, network_id, capability=NETWORK_JOIN)
    return _act(request, lambda: services.network_member_remove(actor=request.user, workspace_id=ws.pk,
                                                                network_id=network_id, member_id=network_member_id),
                "Removed from the network.", _detail(request, network_id))


@require_POST
@workspace_view(NETWORK_JOIN)
def network_member_admin(request, network_id, network_member_id):
    """A network admin gives another member the admin role, or takes it back (the last admin keeps it)."""
    ws = request.access.workspace
    network_for(request.access, network_id, capability=NETWORK_JOIN)
    make = request.POST.get("is_admin") == "on"
    return _act(request, lambda: services.network_member_admin_set(
        actor=request.user, workspace_id=ws.pk, network_id=network_id, member_id=network_member_id, is_admin=make),
        "They are now an admin of the network." if make else "The admin role is taken back.", _detail(request, network_id))


@workspace_view(NETWORK_SHARE)
def network_co_present(request, network_id):
    access = request.access
    na = network_for(access, network_id, capability=NETWORK_SHARE)
    if request.method == "POST":
        def propose():
            try:
                booking, partner = int(request.POST.get("booking", "")), int(request.POST.get("partner", ""))
            except ValueError:
                raise Invalid("Choose a show and a member.", errors={"booking": ["Choose a show and a member."]}) from None
            services.co_presentation_propose(actor=request.user, workspace_id=access.workspace.pk,
                                             network_id=na.network.pk, booking_id=booking, partner_id=partner)
        return _act(request, propose, "Asked. The show is credited to both of you once they agree.",
                    _detail(request, na.network.pk))
    partners = [m for m in selectors.members_of(na.network.pk, with_invited=False) if m.workspace_id != access.workspace.pk]
    return render(request, "network/co_present.html", {
        "network": na.network, "shows": selectors.my_upcoming_shows(access.workspace.pk), "partners": partners})


@require_POST
@workspace_view(NETWORK_SHARE)
def network_co_present_answer(request, copresent_id):
    ws = request.access.workspace
    co = CoPresentation.objects.filter(pk=copresent_id).only("network_id").first()
    if co is None:
        raise NotFound("No such co-presented show.")
    decision = request.POST.get("decision", "")
    return _act(request, lambda: services.co_presentation_answer(actor=request.user, workspace_id=ws.pk,
                                                                 co_presentation_id=copresent_id, decision=decision),
                "Done.", _detail(request, co.network_id))


def _form_data(request) -> dict:
    return {k: request.POST.get(k, "") for k in ("kind", "resource", "title", "description", "city", "available_from",
                                                 "available_to", "terms", "fee", "currency")}


@workspace_view(NETWORK_SHARE)
def network_post_new(request, network_id):
    access = request.access
    na = network_for(access, network_id, capability=NETWORK_SHARE)
    errors: dict = {}
    data = {"kind": request.GET.get("kind", PostKind.OFFER), "city": access.workspace.city_name,
            "currency": access.workspace.currency, "terms": Terms.FREE}
    if request.method == "POST":
        data = _form_data(request)
        try:
            post = services.post_create(actor=request.user, workspace_id=access.workspace.pk,
                                        network_id=na.network.pk, **data)
            messages.success(request, "Posted on the board.")
            return redirect("network:network_post_detail", access.workspace.slug, post.pk)
        except Invalid as exc:
            errors = exc.errors
    return render(request, "network/post_new.html", {
        "network": na.network, "data": data, "errors": errors, "kinds": PostKind.choices,
        "resources": Resource.choices, "terms": Terms.choices})


def _post_for(request, post_id) -> tuple[BoardPost, object]:
    post = BoardPost.objects.select_related("workspace", "network").filter(pk=post_id).first()
    if post is None:
        raise NotFound("No such post.")
    return post, network_for(request.access, post.network_id)


@workspace_view(NETWORK_VIEW)
def network_post_detail(request, post_id):
    post, na = _post_for(request, post_id)
    ws = request.access.workspace
    reqs = list(selectors.requests_for_post(post, ws.pk))
    return render(request, "network/post_detail.html", {
        "post": post, "network": na.network, "requests": reqs, "mine": post.workspace_id == ws.pk,
        "can_share": request.access.can(NETWORK_SHARE),
        "asked": any(r.workspace_id == ws.pk and r.status in ("requested", "accepted") for r in reqs)})


@require_POST
@workspace_view(NETWORK_SHARE)
def network_post_ask(request, post_id):
    post, _na = _post_for(request, post_id)
    ws = request.access.workspace
    return _act(request, lambda: services.request_create(actor=request.user, workspace_id=ws.pk, post_id=post.pk,
                                                         message=request.POST.get("message", "")),
                f"Asked. A conversation with {post.workspace.name} has started in your inbox.",
                redirect("network:network_post_detail", ws.slug, post.pk))


@require_POST
@workspace_view(NETWORK_SHARE)
def network_post_close(request, post_id):
    post, _na = _post_for(request, post_id)
    ws = request.access.workspace
    return _act(request, lambda: services.post_close(actor=request.user, workspace_id=ws.pk, post_id=post.pk),
                "The post is off the board.", redirect("network:network_post_detail", ws.slug, post.pk))


@require_POST
@workspace_view(NETWORK_SHARE)
def network_request_answer(request, request_id):
    ws = request.access.workspace
    req = ResourceRequest.objects.select_related("post").filter(pk=request_id).first()
    if req is None or ws.pk not in (req.workspace_id, req.post.workspace_id):
        raise NotFound("No such request.")
    network_for(request.access, req.post.network_id)
    decision = request.POST.get("decision", "")
    return _act(request, lambda: services.request_answer(actor=request.user, workspace_id=ws.pk, request_id=req.pk,
                                                         decision=decision),
                "Answered.", redirect("network:network_post_detail", ws.slug, req.post_id))


def thread_link(slug: str, thread_id: int) -> str:
    return reverse("thread_detail", args=[slug, thread_id])
