"""Who sees and does what in a network. A network exists only for its member workspaces: anyone
else (a missing network, one the workspace was never in, or left) gets 404.

Inside a member workspace the role decides (capabilities from ``backline.accounts.permissions``):

- read the network (members, shows, the board, requests): ``bookings.view`` (every role but an
  agency's performers);
- post on the board, ask for a post, answer requests, co-present shows: ``bookings.manage``
  (owners, admins, coordinators);
- the workspace's place in networks (found one, invite, answer an invitation, leave, share its
  shows, remove a member as a network admin): ``workspace.edit`` (owners and admins)."""

from __future__ import annotations

from dataclasses import dataclass

from backline.accounts.permissions import (
    BOOKINGS_MANAGE,
    BOOKINGS_VIEW,
    WORKSPACE_EDIT,
    WorkspaceAccess,
    access_workspace,
)
from backline.core.errors import Forbidden, NotFound

from .models import MemberStatus, Network, NetworkMember

NETWORK_VIEW = BOOKINGS_VIEW
NETWORK_SHARE = BOOKINGS_MANAGE
NETWORK_JOIN = WORKSPACE_EDIT


@dataclass(frozen=True)
class NetworkAccess:
    access: WorkspaceAccess
    network: Network
    member: NetworkMember

    @property
    def workspace(self):
        return self.access.workspace

    def can(self, capability: str) -> bool:
        return self.access.can(capability)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound("No such network.") from None


def network_for(access: WorkspaceAccess, network_id, *, capability: str = NETWORK_VIEW, invited: bool = False,
                lock: bool = False) -> NetworkAccess:
    """The network as the workspace of ``access`` sees it: 404 unless the workspace is an active member
    (or, with ``invited``, has a pending invitation); 403 when the role lacks ``capability``."""
    statuses = [MemberStatus.ACTIVE, MemberStatus.INVITED] if invited else [MemberStatus.ACTIVE]
    qs = NetworkMember.objects.select_related("network")
    if lock:
        qs = qs.select_for_update(of=("self",))
    member = qs.filter(network_id=_int(network_id), workspace_id=access.workspace.pk, status__in=statuses).first()
    if member is None:
        raise NotFound("No such network.")
    if not access.can(capability):
        raise Forbidden(f"Your role ({access.membership.get_role_display()}) does not allow this.")
    return NetworkAccess(access=access, network=member.network, member=member)


def access_network(*, user, workspace_id: int, network_id, capability: str = NETWORK_VIEW, invited: bool = False,
                   lock: bool = False) -> NetworkAccess:
    """``network_for`` from a user and workspace id (the API and services)."""
    try:
        access = access_workspace(user=user, workspace_id=workspace_id, capability=NETWORK_VIEW)
    except NotFound:
        raise NotFound("No such network.") from None
    return network_for(access, network_id, capability=capability, invited=invited, lock=lock)
