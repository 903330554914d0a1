"""The demo venue network: Lantern Hall started the "Berlin Independent Circuit" with Night Shift
Promotions and The Velvet Owls; the agency is invited and has not answered. On the sharing board the
hall lends a drum kit (Night Shift asked for it, the hall accepted: a conversation between them) and
Night Shift looks for a lighting tech. The Owls' album release at Lantern Hall is co-presented by the
hall and Night Shift."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from backline.accounts.models import User, Workspace
from backline.bookings.models import Booking, Status
from backline.network import services
from backline.network.models import Network

from .world import DOMAIN

NAME = "Berlin Independent Circuit"


def _owner(kind: str) -> User:
    return User.objects.get(email=f"owner.{kind}@{DOMAIN}")


def _workspace(kind: str) -> Workspace | None:
    return Workspace.objects.filter(kind=kind, memberships__user__email=f"owner.{kind}@{DOMAIN}",
                                    memberships__role="owner").order_by("pk").first()


def build(today: dt.date | None = None) -> bool:
    """Add the network; ``False`` if it is there already (or the world is not)."""
    if Network.objects.filter(name=NAME).exists():
        return False
    venue, promoter, act, agency = (_workspace(k) for k in ("venue", "promoter", "act", "agency"))
    if None in (venue, promoter, act, agency):
        return False
    today = today or dt.date.today()
    vo, po, ao = _owner("venue"), _owner("promoter"), _owner("act")
    with transaction.atomic():
        network = services.network_create(
            actor=vo, workspace_id=venue.pk, name=NAME, region="Berlin",
            description="Independent rooms, promoters and bands in Berlin: we tell each other what is on, "
                        "lend gear and crew, and present shows together.")
        for ws, owner in ((promoter, po), (act, ao)):
            services.network_invite(actor=vo, workspace_id=venue.pk, network_id=network.pk, invitee_id=ws.pk)
            services.network_invite_answer(actor=owner, workspace_id=ws.pk, network_id=network.pk, accept=True)
        services.network_invite(actor=vo, workspace_id=venue.pk, network_id=network.pk, invitee_id=agency.pk)

        kit = services.post_create(
            actor=vo, workspace_id=venue.pk, network_id=network.pk, kind="offer", resource="backline",
            title="Drum kit to lend (Gretsch Catalina, 4 pieces, with cymbals)", city="Berlin",
            description="Kick 22\", toms 12\" and 16\", snare, hi-hat, crash and ride. Collect from Lantern Hall; "
                        "bring it back clean.", available_from=today, available_to=today + dt.timedelta(days=90),
            terms="free")
        services.post_create(
            actor=po, workspace_id=promoter.pk, network_id=network.pk, kind="request", resource="crew",
            title="Lighting tech for a Saturday night", city="Berlin",
            description="A small club show, 8 movers and a hazer, desk programmed on the day. Load-in at 17:00.",
            available_from=today + dt.timedelta(days=10), available_to=today + dt.timedelta(days=11),
            terms="fee", fee="180.00", currency="EUR")
        req = services.request_create(actor=po, workspace_id=promoter.pk, post_id=kit.pk,
                                      message="Our headliner's drummer flies in without a kit. Could we borrow yours "
                                              "for our show on the 19th? We collect and return the next morning.")
        services.request_answer(actor=vo, workspace_id=venue.pk, request_id=req.pk, decision="accept")

        show = (Booking.objects.filter(workspace=venue, status=Status.CONFIRMED, act__workspace=act,
                                       starts_at__date__gte=today).order_by("starts_at").first())
        if show is not None:
            co = services.co_presentation_propose(actor=vo, workspace_id=venue.pk, network_id=network.pk,
                                                  booking_id=show.pk, partner_id=promoter.pk)
            services.co_presentation_answer(actor=po, workspace_id=promoter.pk, co_presentation_id=co.pk,
                                            decision="accept")
    _date_notices_as_their_messages(network.pk)
    return True


def _date_notices_as_their_messages(network_id: int) -> None:
    """The board's requests open conversations; each notice of a message there (sent after the commit, a
    moment later) carries the time of the message it announces, as the demo's other conversations do."""
    from backline.conversations.models import Message
    from backline.network.models import ResourceRequest
    from backline.notifications.models import Notification, NotificationType

    for thread_id in ResourceRequest.objects.filter(post__network_id=network_id, thread__isnull=False).values_list(
            "thread_id", flat=True):
        written = list(Message.objects.filter(thread_id=thread_id).order_by("created_at").values_list("created_at",
                                                                                                      flat=True))
        if not written:
            continue
        for note in Notification.objects.filter(type=NotificationType.MESSAGE, url__endswith=f"/inbox/{thread_id}/"):
            at = max((w for w in written if w <= note.created_at), default=written[0])
            Notification.objects.filter(pk=note.pk).update(created_at=at)
