"""A notification is its recipient's alone: anyone else gets 404, exactly as for a missing one."""

from __future__ import annotations

from backline.core.errors import NotFound

from .models import Notification


def own_notification(*, user, notification_id: int, lock: bool = False) -> Notification:
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such notification.")
    qs = Notification.objects.select_for_update() if lock else Notification.objects
    notification = qs.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound("No such notification.")
    return notification
