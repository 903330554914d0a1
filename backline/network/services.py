"""Every write to the venue network: found a network, invite workspaces and answer invitations,
leave and remove, share shows and co-present them, post on the sharing board, ask for a post (which
starts a conversation between the two workspaces) and answer. Each service checks access itself,
runs in one transaction, locks what it changes, moves statuses only through ``workflow`` and is
audited; notifications go out after commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from backline.accounts.models import Membership, Workspace
from backline.accounts.permissions import access_workspace, roles_with
from backline.bookings.models import Booking, Status
from backline.conversations.services import direct_thread_start
from backline.core import audit
from backline.core.currencies import CURRENCIES
from backline.core.errors import Conflict, Invalid, NotFound
from backline.notifications.models import NotificationType
from backline.notifications.services import notify

from . import workflow
from .models import (
    BoardPost,
    CoPresentation,
    CoPresentStatus,
    MemberStatus,
    Network,
    NetworkMember,
    PostKind,
    PostStatus,
    RequestStatus,
    Resource,
    ResourceRequest,
    Terms,
)
from .permissions import NETWORK_JOIN, NETWORK_SHARE, NetworkAccess, access_network
from .selectors import show_workspace_q

LIMITS = {"name": 120, "description": 2000, "region": 120, "title": 120, "city": 120, "message": 2000}
MAX_FEE = Decimal("1000000")


def _text(errors: dict, field: str, value, *, required: bool = False) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        errors.setdefault(field, []).append("Remove the control characters.")
    if required and not text:
        errors.setdefault(field, []).append("This is required.")
    if len(text) > LIMITS[field]:
        errors.setdefault(field, []).append(f"At most {LIMITS[field]} characters.")
    return text


def _raise(errors: dict) -> None:
    if errors:
        raise Invalid("Please correct the fields shown.", errors=errors)


def _deciders(workspace_ids, capability: str = NETWORK_JOIN):
    """The people who answer for these workspaces (their role holds ``capability``)."""
    return [m.user for m in Membership.objects.select_related("user").filter(
        workspace_id__in=list(workspace_ids), role__in=roles_with(capability))]


def _notify_later(*, workspace_ids, capability: str, type: str, title: str, url: str) -> None:
    workspace_ids = list(workspace_ids)

    def send():
        notify(users=_deciders(workspace_ids, capability), type=type, title=title, url=url,
               workspace_id=workspace_ids[0] if len(workspace_ids) == 1 else None)

    transaction.on_commit(send)


def _network_url(member_workspace: Workspace, network_id: int) -> str:
    return reverse("network:network_detail", args=[member_workspace.slug, network_id])


# --- networks and their members -------------------------------------------------------------------

def network_create(*, actor, workspace_id: int, name: str, description: str = "", region: str = "") -> Network:
    """A new network, its founding workspace its first member and admin (sharing its shows)."""
    access = access_workspace(user=actor, workspace_id=workspace_id, capability=NETWORK_JOIN)
    errors: dict = {}
    name = _text(errors, "name", name, required=True)
    description = _text(errors, "description", description)
    region = _text(errors, "region", region)
    _raise(errors)
    with transaction.atomic():
        network = Network.objects.create(name=name, description=description, region=region,
                                         founded_by=access.workspace, created_by=actor)
        member = NetworkMember.objects.create(network=network, workspace=access.workspace, status=MemberStatus.ACTIVE,
                                              is_admin=True, shares_shows=True, responded_at=timezone.now())
        audit.record(actor=actor, action="network.created", obj=network, workspace_id=access.workspace.pk,
                     after={"name": name, "region": region})
        audit.record(actor=actor, action="network.joined", obj=member, workspace_id=access.workspace.pk)
    return network


def network_invite(*, actor, workspace_id: int, network_id: int, invitee_id: int) -> NetworkMember:
    """Invite another workspace (any kind). Its owners and admins answer. A workspace that declined,
    left or was removed may be invited again; a current member or pending invitation is a 409."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN)
        if not na.member.is_admin:
            raise Conflict("Only the network's admins invite workspaces.", code="not_network_admin")
        invitee = Workspace.objects.filter(pk=invitee_id).first()
        if invitee is None:
            raise Invalid("Choose a workspace to invite.", errors={"invitee_id": ["No such workspace."]})
        member = NetworkMember.objects.select_for_update().filter(network=na.network, workspace=invitee).first()
        before = None
        if member is None:
            member = NetworkMember(network=na.network, workspace=invitee, status=MemberStatus.INVITED)
        else:
            before = {"status": member.status}
            workflow.transition(member, MemberStatus.INVITED)
            member.shares_shows = member.is_admin = False
            member.responded_at = None
        member.invited_by = na.workspace
        member.save()
        audit.record(actor=actor, action="network.invited", obj=member, workspace_id=na.workspace.pk, before=before,
                     after={"status": member.status, "workspace": invitee.pk})
        _notify_later(workspace_ids=[invitee.pk], capability=NETWORK_JOIN, type=NotificationType.NETWORK,
                      title=f"{na.workspace.name} invites {invitee.name} to the network {na.network.name}",
                      url=_network_url(invitee, na.network.pk))
    return member


def network_invite_answer(*, actor, workspace_id: int, network_id: int, accept: bool,
                          share_shows: bool = True) -> NetworkMember:
    """The invited workspace joins (sharing its public shows unless it says not to) or declines."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN,
                            invited=True, lock=True)
        member = na.member
        workflow.transition(member, MemberStatus.ACTIVE if accept else MemberStatus.DECLINED)
        member.responded_at = timezone.now()
        member.shares_shows = bool(accept and share_shows)
        member.save()
        audit.record(actor=actor, action="network.joined" if accept else "network.declined", obj=member,
                     workspace_id=na.workspace.pk, before={"status": MemberStatus.INVITED}, after={"status": member.status})
        if member.invited_by_id:
            verb = "joined" if accept else "declined to join"
            inviter = member.invited_by
            _notify_later(workspace_ids=[inviter.pk], capability=NETWORK_JOIN, type=NotificationType.NETWORK,
                          title=f"{na.workspace.name} {verb} the network {na.network.name}",
                          url=_network_url(inviter, na.network.pk))
    return member


def network_leave(*, actor, workspace_id: int, network_id: int) -> NetworkMember:
    """The workspace leaves (its shows and posts are no longer shown). The last admin cannot leave
    while other members remain."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN,
                            lock=True)
        member = na.member
        others = NetworkMember.objects.filter(network=na.network, status=MemberStatus.ACTIVE).exclude(pk=member.pk)
        if member.is_admin and not others.filter(is_admin=True).exists() and others.exists():
            raise Conflict("You are the network's only admin: another member must be admin before you leave.",
                               code="last_network_admin")
        workflow.transition(member, MemberStatus.LEFT)
        member.is_admin = member.shares_shows = False
        member.save()
        audit.record(actor=actor, action="network.left", obj=member, workspace_id=na.workspace.pk,
                     before={"status": MemberStatus.ACTIVE}, after={"status": member.status})
    return member


def network_member_remove(*, actor, workspace_id: int, network_id: int, member_id: int) -> NetworkMember:
    """A network admin removes a member or takes back an invitation."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN)
        if not na.member.is_admin:
            raise Conflict("Only the network's admins remove members.", code="not_network_admin")
        member = NetworkMember.objects.select_for_update().select_related("workspace").filter(
            pk=member_id, network=na.network).first()
        if member is None:
            raise NotFound("No such member.")
        if member.pk == na.member.pk:
            raise Conflict("Leave the network instead of removing yourself.", code="remove_self")
        before = member.status
        workflow.transition(member, MemberStatus.REMOVED)
        member.is_admin = member.shares_shows = False
        member.save()
        audit.record(actor=actor, action="network.removed", obj=member, workspace_id=na.workspace.pk,
                     before={"status": before}, after={"status": member.status})
    return member


def network_member_admin_set(*, actor, workspace_id: int, network_id: int, member_id: int,
                             is_admin: bool) -> NetworkMember:
    """A network admin makes another active member an admin, or takes the role back (their own too,
    while another admin remains): the network always keeps at least one admin."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN)
        if not na.member.is_admin:
            raise Conflict("Only the network's admins choose its admins.", code="not_network_admin")
        member = NetworkMember.objects.select_for_update().select_related("workspace").filter(
            pk=_int(member_id), network=na.network).exclude(status__in=[MemberStatus.LEFT, MemberStatus.REMOVED,
                                                                         MemberStatus.DECLINED]).first()
        if member is None:
            raise NotFound("No such member.")
        if member.status != MemberStatus.ACTIVE:
            raise Conflict(f"{member.workspace.name} has not joined yet: admins are chosen among members.",
                           code="not_a_member_yet")
        is_admin = bool(is_admin)
        if member.is_admin == is_admin:
            return member
        admins = NetworkMember.objects.select_for_update().filter(network=na.network, status=MemberStatus.ACTIVE,
                                                                  is_admin=True)
        if not is_admin and not admins.exclude(pk=member.pk).exists():
            raise Conflict(f"{member.workspace.name} is the network's only admin: make another member admin first.",
                           code="last_network_admin")
        member.is_admin = is_admin
        member.save(update_fields=["is_admin", "updated_at"])
        audit.record(actor=actor, action="network.admin_granted" if is_admin else "network.admin_revoked", obj=member,
                     workspace_id=na.workspace.pk, before={"is_admin": not is_admin}, after={"is_admin": is_admin})
        if member.workspace_id != na.workspace.pk:
            title = (f"{na.workspace.name} made {member.workspace.name} an admin of {na.network.name}" if is_admin
                     else f"{member.workspace.name} is no longer an admin of {na.network.name}")
            _notify_later(workspace_ids=[member.workspace_id], capability=NETWORK_JOIN, type=NotificationType.NETWORK,
                          title=title, url=_network_url(member.workspace, na.network.pk))
    return member


def network_sharing_set(*, actor, workspace_id: int, network_id: int, shares_shows: bool) -> NetworkMember:
    """Share (or stop sharing) the workspace's confirmed upcoming shows with the network."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_JOIN,
                            lock=True)
        member = na.member
        before = member.shares_shows
        member.shares_shows = bool(shares_shows)
        member.save(update_fields=["shares_shows", "updated_at"])
        if before != member.shares_shows:
            audit.record(actor=actor, action="network.sharing_changed", obj=member, workspace_id=na.workspace.pk,
                         before={"shares_shows": before}, after={"shares_shows": member.shares_shows})
    return member


# --- co-presented shows ---------------------------------------------------------------------------

def co_presentation_propose(*, actor, workspace_id: int, network_id: int, booking_id: int,
                            partner_id: int) -> CoPresentation:
    """Ask another member to co-present one of the workspace's confirmed upcoming shows."""
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_SHARE)
        booking = Booking.objects.filter(show_workspace_q([na.workspace.pk]), pk=booking_id, status=Status.CONFIRMED,
                                         starts_at__gte=timezone.now()).first()
        if booking is None:
            raise Invalid("Choose one of your confirmed upcoming shows.", errors={"booking_id": ["Not one of your shows."]})
        partner = NetworkMember.objects.select_related("workspace").filter(
            network=na.network, workspace_id=partner_id, status=MemberStatus.ACTIVE).exclude(workspace=na.workspace).first()
        if partner is None:
            raise Invalid("Choose another member of the network.", errors={"partner_id": ["Not a member of this network."]})
        try:
            with transaction.atomic():
                co = CoPresentation.objects.create(network=na.network, booking=booking, proposer=na.workspace,
                                                   partner=partner.workspace, created_by=actor)
        except IntegrityError:
            raise Conflict(f"{partner.workspace.name} is already asked to co-present this show.",
                           code="co_presentation_exists") from None
        audit.record(actor=actor, action="network.co_presentation_proposed", obj=co, workspace_id=na.workspace.pk,
                     after={"booking": booking.pk, "partner": partner.workspace_id})
        _notify_later(workspace_ids=[partner.workspace_id], capability=NETWORK_SHARE, type=NotificationType.NETWORK,
                      title=f"{na.workspace.name} asks {partner.workspace.name} to co-present {booking.title}",
                      url=_network_url(partner.workspace, na.network.pk))
    return co


def co_presentation_answer(*, actor, workspace_id: int, co_presentation_id: int, decision: str) -> CoPresentation:
    """The partner accepts or declines; the proposer (or the partner, once accepted) withdraws."""
    if decision not in ("accept", "decline", "withdraw"):
        raise Invalid("Accept, decline or withdraw.", errors={"decision": ["Choose accept, decline or withdraw."]})
    with transaction.atomic():
        co = CoPresentation.objects.select_for_update(of=("self",)).select_related("network").filter(
            pk=co_presentation_id).filter(_party_q(workspace_id)).first()
        if co is None:
            raise NotFound("No such co-presented show.")
        na = access_network(user=actor, workspace_id=workspace_id, network_id=co.network_id, capability=NETWORK_SHARE)
        if decision in ("accept", "decline") and co.partner_id != na.workspace.pk:
            raise Conflict("Only the member asked to co-present answers.", code="not_partner")
        before = co.status
        to = {"accept": CoPresentStatus.ACCEPTED, "decline": CoPresentStatus.DECLINED,
              "withdraw": CoPresentStatus.WITHDRAWN}[decision]
        workflow.transition(co, to)
        co.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action=f"network.co_presentation_{co.status}", obj=co, workspace_id=na.workspace.pk,
                     before={"status": before}, after={"status": co.status})
    return co


def _party_q(workspace_id: int):
    from django.db.models import Q

    return Q(proposer_id=workspace_id) | Q(partner_id=workspace_id)


# --- the sharing board ----------------------------------------------------------------------------

def _date(errors: dict, field: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append("Give a date (YYYY-MM-DD).")
        return None


def clean_post(data: dict) -> dict:
    errors: dict = {}
    kind = data.get("kind")
    if kind not in PostKind.values:
        errors["kind"] = ["Choose offering or looking for."]
    resource = data.get("resource")
    if resource not in Resource.values:
        errors["resource"] = [f"Choose one of {', '.join(Resource.labels)}."]
    terms = data.get("terms") or Terms.FREE
    if terms not in Terms.values:
        errors["terms"] = ["Choose free, for a fee or swap."]
    out = {"kind": kind, "resource": resource, "terms": terms,
           "title": _text(errors, "title", data.get("title"), required=True),
           "description": _text(errors, "description", data.get("description")),
           "city": _text(errors, "city", data.get("city")),
           "available_from": _date(errors, "available_from", data.get("available_from")),
           "available_to": _date(errors, "available_to", data.get("available_to"))}
    if out["available_from"] and out["available_to"] and out["available_to"] < out["available_from"]:
        errors.setdefault("available_to", []).append("The last day comes before the first.")
    fee, currency = data.get("fee"), (data.get("currency") or "").strip().upper()
    if terms == Terms.FEE:
        try:
            fee = Decimal(str(fee))
            if not fee.is_finite() or fee < 0 or fee >= MAX_FEE or fee != fee.quantize(Decimal("0.01")):
                raise ValueError
        except (ValueError, ArithmeticError):
            errors.setdefault("fee", []).append("Give the fee as an amount, for example 150 or 150.50.")
            fee = None
        if currency not in CURRENCIES:
            errors.setdefault("currency", []).append("Choose a currency (for example EUR).")
        out.update(fee=fee, currency=currency)
    else:
        out.update(fee=None, currency="")
    _raise(errors)
    return out


def post_create(*, actor, workspace_id: int, network_id: int, **data) -> BoardPost:
    """Post an offer or a request on the network's board."""
    cleaned = clean_post(data)
    with transaction.atomic():
        na = access_network(user=actor, workspace_id=workspace_id, network_id=network_id, capability=NETWORK_SHARE)
        post = BoardPost.objects.create(network=na.network, workspace=na.workspace, created_by=actor, **cleaned)
        audit.record(actor=actor, action="network.post_created", obj=post, workspace_id=na.workspace.pk,
                     after={k: v for k, v in cleaned.items() if v not in (None, "")})
    return post


def _post_in(na: NetworkAccess, post_id, *, lock: bool = False) -> BoardPost:
    qs = BoardPost.objects.select_related("workspace", "network")
    if lock:
        qs = qs.select_for_update(of=("self",))
    post = qs.filter(pk=_int(post_id), network=na.network).first()
    if post is None:
        raise NotFound("No such post.")
    return post


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("Not found.") from None


def post_close(*, actor, workspace_id: int, post_id: int) -> BoardPost:
    """The poster takes the post off the board (kept, with its requests)."""
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().filter(pk=_int(post_id), workspace_id=workspace_id).first()
        if post is None:
            raise NotFound("No such post.")
        na = access_network(user=actor, workspace_id=workspace_id, network_id=post.network_id, capability=NETWORK_SHARE)
        workflow.transition(post, PostStatus.CLOSED)
        post.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="network.post_closed", obj=post, workspace_id=na.workspace.pk,
                     before={"status": PostStatus.OPEN}, after={"status": post.status})
    return post


def request_create(*, actor, workspace_id: int, post_id: int, message: str) -> ResourceRequest:
    """Ask for a post: a request the poster answers, and a conversation between the two workspaces
    whose first message names the post."""
    errors: dict = {}
    message = _text(errors, "message", message, required=True)
    _raise(errors)
    with transaction.atomic():
        post = BoardPost.objects.select_for_update(of=("self",)).select_related("workspace", "network").filter(
            pk=_int(post_id)).first()
        if post is None:
            raise NotFound("No such post.")
        na = access_network(user=actor, workspace_id=workspace_id, network_id=post.network_id, capability=NETWORK_SHARE)
        if post.workspace_id == na.workspace.pk:
            raise Conflict("This is your own post.", code="own_post")
        if post.status != PostStatus.OPEN or (post.available_to and post.available_to < timezone.localdate()):
            raise Conflict("This post is closed.", code="post_closed")
        if not NetworkMember.objects.filter(network=post.network, workspace=post.workspace,
                                            status=MemberStatus.ACTIVE).exists():
            raise Conflict("The poster is no longer in the network.", code="poster_left")
        if ResourceRequest.objects.filter(post=post, workspace=na.workspace,
                                          status__in=[RequestStatus.REQUESTED, RequestStatus.ACCEPTED]).exists():
            raise Conflict("You have already asked for this.", code="request_exists")
        verb = "offer" if post.kind == PostKind.OFFER else "request"
        url = reverse("network:network_post_detail", args=[post.workspace.slug, post.pk])
        body = (f"About your {verb} on {post.network.name}'s board: **{post.title}** ({url})\n\n{message}")
        thread = direct_thread_start(actor=actor, workspace_id=na.workspace.pk, to_workspace_ids=[post.workspace_id],
                                     subject=f"{post.network.name}: {post.title}", body=body)
        req = ResourceRequest.objects.create(post=post, workspace=na.workspace, created_by=actor, message=message,
                                             thread=thread)
        audit.record(actor=actor, action="network.request_sent", obj=req, workspace_id=na.workspace.pk,
                     after={"post": post.pk, "status": req.status})
    return req


def request_answer(*, actor, workspace_id: int, request_id: int, decision: str) -> ResourceRequest:
    """The poster accepts or declines a request; the asker withdraws it."""
    if decision not in ("accept", "decline", "withdraw"):
        raise Invalid("Accept, decline or withdraw.", errors={"decision": ["Choose accept, decline or withdraw."]})
    with transaction.atomic():
        req = ResourceRequest.objects.select_for_update(of=("self",)).select_related("post__workspace", "workspace").filter(
            pk=_int(request_id)).first()
        if req is None or workspace_id not in (req.workspace_id, req.post.workspace_id):
            raise NotFound("No such request.")
        na = access_network(user=actor, workspace_id=workspace_id, network_id=req.post.network_id,
                            capability=NETWORK_SHARE)
        is_poster = req.post.workspace_id == na.workspace.pk
        if decision == "withdraw" and is_poster or decision != "withdraw" and not is_poster:
            raise Conflict("Only the poster accepts or declines; only the asker withdraws.", code="not_your_answer")
        before = req.status
        to = {"accept": RequestStatus.ACCEPTED, "decline": RequestStatus.DECLINED,
              "withdraw": RequestStatus.WITHDRAWN}[decision]
        workflow.transition(req, to)
        req.responded_at = timezone.now()
        req.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor=actor, action=f"network.request_{req.status}", obj=req, workspace_id=na.workspace.pk,
                     before={"status": before}, after={"status": req.status})
        other = req.workspace if is_poster else req.post.workspace
        _notify_later(workspace_ids=[other.pk], capability=NETWORK_SHARE, type=NotificationType.NETWORK,
                      title=f"{na.workspace.name}: “{req.post.title}” {req.get_status_display().lower()}",
                      # the answer continues in the request's conversation, where the message notices lead
                      url=(reverse("thread_detail", args=[other.slug, req.thread_id]) if req.thread_id else
                           reverse("network:network_post_detail", args=[other.slug, req.post_id])))
    return req


