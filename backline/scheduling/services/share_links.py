"""Public share links: an act's green-zone dates for promoters who are not on Backline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backline.accounts.permissions import SCHEDULE_MANAGE
from backline.core import audit
from backline.core.errors import Invalid, NotFound
from backline.core.timeutil import MAX_RANGE_DAYS, check_planned, planning_bounds

from ..models import ShareLink
from ..permissions import access_act, access_share_link

LINK_FIELDS = ("label", "starts_on", "ends_on", "min_hours", "window_start", "window_end")


def share_link_create(*, actor, workspace_id: int, starts_on: dt.date, ends_on: dt.date, label: str = "",
                      min_hours: Decimal | float = 0, window_start: dt.time | None = None,
                      window_end: dt.time | None = None) -> ShareLink:
    check_planned(starts_on=starts_on, ends_on=ends_on)
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = ["The last day is before the first."]
    elif (ends_on - starts_on).days + 1 > MAX_RANGE_DAYS:
        errors["ends_on"] = [f"Share at most {MAX_RANGE_DAYS} days."]
    if not 0 <= Decimal(str(min_hours)) <= 24:
        errors["min_hours"] = ["Choose between 0 and 24 hours."]
    if (window_start is None) != (window_end is None):
        errors["window_end"] = ["Give both ends of the time-of-day window, or neither."]
    if errors:
        raise Invalid("Please correct the link.", errors=errors)
    with transaction.atomic():
        _, act = access_act(user=actor, workspace_id=workspace_id, capability=SCHEDULE_MANAGE)
        link = ShareLink.objects.create(act=act, label=(label or "").strip()[:120], starts_on=starts_on, ends_on=ends_on,
                                        min_hours=Decimal(str(min_hours)), window_start=window_start,
                                        window_end=window_end, created_by=actor)
        audit.record(actor=actor, action="share_link.created", obj=link, workspace_id=workspace_id,
                     after=audit.snapshot(link, LINK_FIELDS))
    return link


def share_link_revoke(*, actor, link_id: int) -> ShareLink:
    with transaction.atomic():
        _, link = access_share_link(user=actor, link_id=link_id, capability=SCHEDULE_MANAGE, lock=True)
        if link.revoked_at is not None:
            raise NotFound("No such share link.")
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor=actor, action="share_link.revoked", obj=link, workspace_id=link.act.workspace_id,
                     after={"revoked_at": link.revoked_at})
    return link


def share_link_by_token(token: str) -> ShareLink:
    """The live link behind a public URL; unknown and revoked tokens are both ``NotFound``."""
    link = (ShareLink.objects.select_related("act__workspace").filter(token=token, revoked_at__isnull=True).first()
            if token else None)
    if link is None:
        raise NotFound("No such link.")
    return link


def share_link_days(link: ShareLink) -> tuple[dt.date, dt.date]:
    """The days the link shows: its range within ``planning_bounds``. A link stored before dates were
    bounded may reach year 9999; it shows what can be shown, and one wholly outside is ``NotFound``."""
    first, last = planning_bounds()
    start, end = max(link.starts_on, first), min(link.ends_on, last)
    if start > end:
        raise NotFound("No such link.")
    return start, min(end, start + dt.timedelta(days=MAX_RANGE_DAYS - 1))
