"""Reads of the venue network, already scoped to what a member workspace may see. Shows are reduced
to what is public (act, venue, city, day): never a fee, a deal, a hold or a note.

For the public pages (profiles): ``shows_featured_for(workspace_id)`` (the upcoming public shows of the
workspace's network partners that share theirs) and ``co_presenters_for(booking_ids)`` (who presents
each show together)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from backline.bookings.models import Booking, Status

from .models import BoardPost, CoPresentation, CoPresentStatus, MemberStatus, NetworkMember, PostStatus, ResourceRequest

SHOWS_LIMIT = 100
IN_TOWN_DAYS = 7


@dataclass(frozen=True)
class PublicShow:
    """A confirmed upcoming show as anyone may know it."""

    booking_id: int
    act: str
    venue: str
    city: str
    starts_at: dt.datetime
    time_zone: str
    presenters: tuple[str, ...] = ()

    @property
    def local_start(self) -> dt.datetime:
        from backline.core.timeutil import zone

        try:
            return self.starts_at.astimezone(zone(self.time_zone))
        except Exception:  # noqa: BLE001 - a zone that no longer exists: show UTC
            return self.starts_at


def show_workspace_q(workspace_ids) -> Q:
    """Bookings a workspace is part of as buyer or as the act that plays."""
    ids = list(workspace_ids)
    return Q(workspace_id__in=ids) | Q(act__workspace_id__in=ids)


def networks_for(workspace_id: int):
    """The workspace's networks (active) and invitations (pending), with each network's member count."""
    return (NetworkMember.objects.filter(workspace_id=workspace_id, status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED])
            .select_related("network", "invited_by")
            .annotate(member_count=Count("network__members", filter=Q(network__members__status=MemberStatus.ACTIVE)))
            .order_by("-status", "network__name", "id"))


def members_of(network_id: int, *, with_invited: bool = True):
    statuses = [MemberStatus.ACTIVE, MemberStatus.INVITED] if with_invited else [MemberStatus.ACTIVE]
    return (NetworkMember.objects.filter(network_id=network_id, status__in=statuses)
            .select_related("workspace").order_by("status", "workspace__name", "id"))


def _public(rows, presenters: dict[int, tuple[str, ...]]) -> list[PublicShow]:
    return [PublicShow(booking_id=b.pk, act=b.act.workspace.name if b.act_id else "", venue=b.venue.name if b.venue_id else
                       b.location, city=(b.venue.city_name if b.venue_id else "") or "", starts_at=b.starts_at,
                       time_zone=b.time_zone, presenters=presenters.get(b.pk, ())) for b in rows]


def co_presenters_for(booking_ids) -> dict[int, tuple[str, ...]]:
    """For each booking, the workspaces presenting it together (accepted co-presentations): the
    proposer first, then its partners ("Lantern Hall × Nightjar Promotions"). One query."""
    out: dict[int, list[str]] = {}
    rows = (CoPresentation.objects.filter(booking_id__in=list(booking_ids), status=CoPresentStatus.ACCEPTED)
            .select_related("proposer", "partner").order_by("created_at", "id"))
    for co in rows:
        names = out.setdefault(co.booking_id, [])
        for name in (co.proposer.name, co.partner.name):
            if name not in names:
                names.append(name)
    return {k: tuple(v) for k, v in out.items()}


def _shows(workspace_ids, *, start: dt.datetime, end: dt.datetime | None = None, city: str = "",
           limit: int = SHOWS_LIMIT) -> list[PublicShow]:
    qs = (Booking.objects.filter(show_workspace_q(workspace_ids), status=Status.CONFIRMED, starts_at__gte=start)
          .select_related("act__workspace", "venue").only(
              "id", "starts_at", "time_zone", "location", "act__id", "act__workspace__name", "venue__name",
              "venue__city_name"))
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if city:
        qs = qs.filter(venue__city_name__iexact=city)
    rows = list(qs.order_by("starts_at", "id")[:limit])
    return _public(rows, co_presenters_for([b.pk for b in rows]))


def sharing_workspace_ids(network_id: int) -> list[int]:
    return list(NetworkMember.objects.filter(network_id=network_id, status=MemberStatus.ACTIVE, shares_shows=True)
                .values_list("workspace_id", flat=True))


def network_shows(network_id: int, *, now: dt.datetime | None = None, limit: int = SHOWS_LIMIT) -> list[PublicShow]:
    """The upcoming public shows of the members that share theirs (two or three queries)."""
    return _shows(sharing_workspace_ids(network_id), start=now or timezone.now(), limit=limit)


def also_in_town(network_id: int, *, city: str, now: dt.datetime | None = None) -> list[PublicShow]:
    """The members' shared shows in ``city`` in the next seven days."""
    now = now or timezone.now()
    if not city:
        return []
    return _shows(sharing_workspace_ids(network_id), start=now, end=now + dt.timedelta(days=IN_TOWN_DAYS), city=city)


def shows_featured_for(workspace_id: int, *, now: dt.datetime | None = None, limit: int = 20) -> list[PublicShow]:
    """For the workspace's public page: upcoming public shows of its partners in every network where
    it shares its shows (partners that share theirs too), its own shows left out."""
    mine = NetworkMember.objects.filter(workspace_id=workspace_id, status=MemberStatus.ACTIVE, shares_shows=True)
    partners = set(NetworkMember.objects.filter(network_id__in=mine.values("network_id"), status=MemberStatus.ACTIVE,
                                                shares_shows=True).exclude(workspace_id=workspace_id)
                   .values_list("workspace_id", flat=True))
    if not partners:
        return []
    own = Booking.objects.filter(show_workspace_q([workspace_id])).values("pk")
    shows = _shows(partners, start=now or timezone.now(), limit=limit + 50)
    own_ids = set(own.filter(pk__in=[s.booking_id for s in shows]).values_list("pk", flat=True))
    return [s for s in shows if s.booking_id not in own_ids][:limit]


def my_upcoming_shows(workspace_id: int, *, now: dt.datetime | None = None) -> list[PublicShow]:
    """The workspace's own confirmed upcoming shows (to choose one to co-present)."""
    return _shows([workspace_id], start=now or timezone.now(), limit=50)


def co_presentations_for(network_id: int, workspace_id: int):
    """Co-presentations the workspace proposed or was asked for in this network, live ones first."""
    return (CoPresentation.objects.filter(Q(proposer_id=workspace_id) | Q(partner_id=workspace_id), network_id=network_id,
                                          status__in=[CoPresentStatus.PROPOSED, CoPresentStatus.ACCEPTED])
            .select_related("proposer", "partner", "booking__act__workspace", "booking__venue").order_by("-id")[:50])


def board_for(network_id: int, *, today: dt.date | None = None, kind: str | None = None, resource: str | None = None):
    """The open posts of active members whose dates have not passed, newest first."""
    today = today or timezone.localdate()
    active = NetworkMember.objects.filter(network_id=network_id, status=MemberStatus.ACTIVE).values("workspace_id")
    qs = (BoardPost.objects.filter(network_id=network_id, status=PostStatus.OPEN, workspace_id__in=active)
          .filter(Q(available_to__isnull=True) | Q(available_to__gte=today))
          .select_related("workspace").annotate(request_count=Count("requests")))
    if kind:
        qs = qs.filter(kind=kind)
    if resource:
        qs = qs.filter(resource=resource)
    return qs.order_by("-created_at", "-id")


def requests_for(network_id: int, workspace_id: int):
    """Requests the workspace sent, and those sent for its posts, in this network."""
    return (ResourceRequest.objects.filter(Q(workspace_id=workspace_id) | Q(post__workspace_id=workspace_id),
                                           post__network_id=network_id)
            .select_related("post__workspace", "workspace", "thread").order_by("-created_at", "-id"))


def requests_for_post(post: BoardPost, workspace_id: int):
    """The requests for a post: all of them for its poster, one's own for anyone else."""
    qs = ResourceRequest.objects.filter(post=post).select_related("workspace", "thread")
    if post.workspace_id != workspace_id:
        qs = qs.filter(workspace_id=workspace_id)
    return qs.order_by("-created_at", "-id")
