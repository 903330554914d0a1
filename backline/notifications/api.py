"""The notifications API: a person's own notifications and how they want to be told (``/me/...``)."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backline.core.api import ERROR_RESPONSES
from backline.core.openapi import keep_operation_ids

from . import selectors, services
from .models import Channel, NotificationType

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    type: NotificationType
    title: str
    body: str
    url: str = Field(description="a path on this site: the booking, poll or event as you see it")
    workspace_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationFilters(Schema):
    type: NotificationType | None = None
    unread: bool | None = Field(None, description="true: only unread; false: only read")


class CountOut(Schema):
    count: int


class MarkAllIn(Schema):
    type: NotificationType | None = Field(None, description="only this type; every type when left out")


class PreferenceOut(Schema):
    type: NotificationType
    label: str
    channel: Channel


class PreferenceIn(Schema):
    channel: Channel = Field(description="in_app, email (at once), digest (a daily email) or off")


@router.get("/notifications", response={200: list[NotificationOut], **ERROR_RESPONSES})
@paginate
def notification_list(request, filters: Query[NotificationFilters]):
    """Your notifications, newest first; filter by ``type`` and by ``unread``."""
    return selectors.notifications_for(request.auth, type=filters.type, unread=filters.unread)


@router.get("/notifications/unread", response={200: CountOut, **ERROR_RESPONSES})
def notification_unread(request):
    """How many unread notifications you have (what the bell shows)."""
    return {"count": selectors.unread_count(request.auth)}


@router.patch("/notifications/mark-all-read", response={200: CountOut, **ERROR_RESPONSES})
def notification_mark_all_read(request, payload: MarkAllIn | None = None):
    """Mark all your unread notifications read (of one ``type`` if given); answers how many changed."""
    count = services.notification_mark_all_read(actor=request.auth, type=payload.type if payload else None)
    return {"count": count}


@router.patch("/notifications/{notification_id}/read", response={200: NotificationOut, **ERROR_RESPONSES})
def notification_read(request, notification_id: int):
    return services.notification_mark_read(actor=request.auth, notification_id=notification_id)


@router.delete("/notifications/{notification_id}", response={204: None, **ERROR_RESPONSES})
def notification_delete(request, notification_id: int):
    services.notification_delete(actor=request.auth, notification_id=notification_id)
    return 204, None


@router.get("/me/notification-preferences", response={200: list[PreferenceOut], **ERROR_RESPONSES})
def preference_list(request):
    """How you are told about each type of notification (``in_app`` where you chose nothing)."""
    return [{"type": t, "label": label, "channel": channel} for t, label, channel in selectors.preferences_for(request.auth)]


@router.put("/me/notification-preferences/{type}", response={200: PreferenceOut, **ERROR_RESPONSES})
def preference_put(request, type: NotificationType, payload: PreferenceIn):
    preference = services.preference_set(actor=request.auth, type=type, channel=payload.channel)
    return {"type": preference.type, "label": NotificationType(preference.type).label, "channel": preference.channel}


keep_operation_ids(router, "backline.messaging.api")  # where these operations were first published (ADR 0009)
