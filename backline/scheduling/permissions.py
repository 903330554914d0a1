"""Access helpers for scheduling. A person's availability is theirs alone; an act's events, polls and
share links follow the act workspace's roles (``SCHEDULE_VIEW`` / ``SCHEDULE_MANAGE``)."""

from __future__ import annotations

from backline.accounts.models import Membership
from backline.accounts.permissions import SCHEDULE_VIEW, WorkspaceAccess, access_workspace
from backline.artists.models import Act, ActMember
from backline.core.errors import NotFound

from .models import ActEvent, AvailabilityBlock, AvailabilityRule, BlockSource, DatePoll, ShareLink


def access_act(*, user, capability: str = SCHEDULE_VIEW, workspace_id: int | None = None, slug: str | None = None,
               memberships=None) -> tuple[WorkspaceAccess, Act]:
    """The act workspace and its act profile, if the user holds ``capability`` there (one query)."""
    if memberships is None and getattr(user, "is_authenticated", False):
        qs = Membership.objects.select_related("workspace__act").filter(user=user)
        memberships = list(qs.filter(workspace__slug=slug) if slug is not None else qs.filter(workspace_id=workspace_id))
    access = access_workspace(user=user, capability=capability, workspace_id=workspace_id, slug=slug,
                              memberships=memberships)
    try:
        act = access.workspace.act
    except Act.DoesNotExist:
        raise NotFound("This workspace is not an act.") from None
    act.workspace = access.workspace
    return access, act


def own_rule(*, user, rule_id: int, lock: bool = False) -> AvailabilityRule:
    qs = AvailabilityRule.objects.select_for_update() if lock else AvailabilityRule.objects
    rule = qs.filter(pk=rule_id, user=user).first() if getattr(user, "is_authenticated", False) else None
    if rule is None:
        raise NotFound("No such availability pattern.")
    return rule


def own_block(*, user, block_id: int, lock: bool = False) -> AvailabilityBlock:
    """A block the person entered themselves (imported blocks change only by re-importing)."""
    qs = AvailabilityBlock.objects.select_for_update() if lock else AvailabilityBlock.objects
    block = (qs.filter(pk=block_id, user=user, source=BlockSource.MANUAL).first()
             if getattr(user, "is_authenticated", False) else None)
    if block is None:
        raise NotFound("No such availability block.")
    return block


def access_event(*, user, event_id: int, capability: str = SCHEDULE_VIEW, lock: bool = False):
    qs = ActEvent.objects.select_for_update(of=("self",)) if lock else ActEvent.objects
    event = qs.select_related("act").filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such event.")
    access, act = access_act(user=user, capability=capability, workspace_id=event.act.workspace_id)
    return access, event


def access_poll(*, user, poll_id: int, capability: str = SCHEDULE_VIEW, lock: bool = False):
    qs = DatePoll.objects.select_for_update(of=("self",)) if lock else DatePoll.objects
    poll = qs.select_related("act").filter(pk=poll_id).first()
    if poll is None:
        raise NotFound("No such poll.")
    access, act = access_act(user=user, capability=capability, workspace_id=poll.act.workspace_id)
    return access, poll


def access_share_link(*, user, link_id: int, capability: str, lock: bool = False):
    qs = ShareLink.objects.select_for_update(of=("self",)) if lock else ShareLink.objects
    link = qs.select_related("act").filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such share link.")
    access, act = access_act(user=user, capability=capability, workspace_id=link.act.workspace_id)
    return access, link


def line_up_entry(*, user, act: Act) -> ActMember | None:
    """The person's own entry in the act's line-up (who answers polls), if any."""
    return ActMember.objects.filter(act=act, user=user).first() if getattr(user, "is_authenticated", False) else None
