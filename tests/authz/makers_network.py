"""Makers of venue-network objects for the matrix worlds (see makers_threads for the contract).

``network_id``: a network the world's workspace founded (so it is an active member and admin), with a
promoter as a second member. ``network_member_id``: another active member of the world's newest network.
``post_id``: a board post of the world's workspace. ``request_id``: another member's request for one of
the world's posts. ``copresent_id``: another member asks the world's workspace to co-present a show."""

from __future__ import annotations

from .table import unique

MAKERS: dict = {}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}


def _partner(network, founder_owner, founder_ws):
    """A promoter workspace that joins ``network`` (invited by the founder, accepted by its owner)."""
    from backline.accounts import services as accounts
    from backline.network import services
    from tests.factories import UserFactory

    from .table import berlin_id

    owner = UserFactory()
    ws = accounts.workspace_create(actor=owner, kind="promoter", name=unique("Matrix partner"), geoname_id=berlin_id())
    services.network_invite(actor=founder_owner, workspace_id=founder_ws.pk, network_id=network.pk, invitee_id=ws.pk)
    member = services.network_invite_answer(actor=owner, workspace_id=ws.pk, network_id=network.pk, accept=True)
    return owner, ws, member


def _network(world):
    from backline.network import services

    network = services.network_create(actor=world.owner, workspace_id=world.workspace.pk, name=unique("Matrix circuit"),
                                      region="Berlin")
    _partner(network, world.owner, world.workspace)
    return network


def _latest(world):
    from backline.network.models import Network

    return Network.objects.filter(founded_by=world.workspace).order_by("-id").first() or _network(world)


def _member(world) -> int:
    return _partner(_latest(world), world.owner, world.workspace)[2].pk


def _post(world):
    from backline.network import services

    return services.post_create(actor=world.owner, workspace_id=world.workspace.pk, network_id=_latest(world).pk,
                                kind="offer", resource="backline", title=unique("Drum kit"), city="Berlin")


def _request(world) -> int:
    from backline.network import services

    post = _post(world)
    owner, ws, _ = _partner(post.network, world.owner, world.workspace)
    return services.request_create(actor=owner, workspace_id=ws.pk, post_id=post.pk, message="May we borrow it?").pk


def _co_presentation(world) -> int:
    """Made directly (a proposal needs a confirmed show of the partner's; the world's own booking stands in)."""
    from backline.bookings.models import Booking
    from backline.network.models import CoPresentation
    from backline.network.services import co_presentation_answer

    network = _latest(world)
    owner, ws, _ = _partner(network, world.owner, world.workspace)
    booking = Booking.objects.filter(workspace=world.workspace).first() or Booking.objects.order_by("pk").first()
    for live in CoPresentation.objects.filter(booking=booking, partner=world.workspace, status__in=["proposed", "accepted"]):
        # one live co-presentation per show and partner: the earlier one is withdrawn, as in real use
        co_presentation_answer(actor=world.owner, workspace_id=world.workspace.pk, co_presentation_id=live.pk,
                               decision="withdraw")
    return CoPresentation.objects.create(network=network, booking=booking, proposer=ws, partner=world.workspace,
                                         created_by=owner).pk


MAKERS["network_id"] = lambda world: _network(world).pk
MAKERS["network_member_id"] = _member
MAKERS["post_id"] = lambda world: _post(world).pk
MAKERS["request_id"] = _request
MAKERS["copresent_id"] = _co_presentation
