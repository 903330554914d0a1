"""Telling an act that someone asked for a date through its press kit. A logged-in buyer's inquiry stays
the buyer's record until a hold or offer (the act cannot open it), and an anonymous request is an email;
so the act's bookers hear of either here, with what was asked, at once."""

from __future__ import annotations

from django.db import transaction

from backline.accounts.models import Membership
from backline.accounts.permissions import BOOKINGS_MANAGE, roles_with

from .models import NotificationType as T
from .services import notify


def press_kit_request_notify(*, act_workspace_id: int, title: str, body: str = "", url: str = "",
                             exclude_user_id: int | None = None) -> None:
    """After commit: one in-app notification (and the email each person chose) for every active member of
    the act's workspace who may answer date requests (``bookings.manage``), except ``exclude_user_id`` (who
    asked). Two queries and one INSERT."""
    def send():
        users = [m.user for m in Membership.objects.filter(workspace_id=act_workspace_id, user__is_active=True,
                                                           role__in=roles_with(BOOKINGS_MANAGE))
                 .exclude(user_id=exclude_user_id).select_related("user")]
        notify(users=users, type=T.INQUIRY, title=title, body=body, url=url, workspace_id=act_workspace_id)
    transaction.on_commit(send)
