"""Reads for notifications: always one person's own."""

from __future__ import annotations

from .models import (
    DEFAULT_CHANNEL,
    Notification,
    NotificationPreference,
    NotificationType,
)

BADGE_CAP = 100  # the bell counts up to here and shows "99+" beyond: the count stays an index-only read


def notifications_for(user, *, type: str | None = None, unread: bool | None = None):
    """The person's notifications, newest first, optionally of one type and read or unread."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if type:
        qs = qs.filter(type=type)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.select_related("workspace").order_by("-created_at", "-id")


def unread_count(user, *, cap: int | None = None) -> int:
    """How many unread notifications the person has (one query; with ``cap``, counted up to it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if cap is not None:
        return qs.values("pk")[:cap].count()
    return qs.count()


def preferences_for(user) -> list[tuple[str, str, str]]:
    """(type, label, channel) for every notification type, the default where the person chose nothing."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("type", "channel"))
    return [(value, label, chosen.get(value, DEFAULT_CHANNEL)) for value, label in NotificationType.choices]
