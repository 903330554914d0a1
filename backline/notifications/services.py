"""Every write to notifications and preferences. ``notify`` is the one door through which other apps'
events reach people: it honours each person's choice per type (off, in the app, by email at once, or in
the daily digest) and writes one row per person in one INSERT."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from backline.core import audit
from backline.core.email import absolute_url
from backline.core.errors import Invalid

from .models import Channel, Notification, NotificationPreference, NotificationType
from .permissions import own_notification

# A digest gathers a day's notifications; it looks back a second day so that a run that starts late
# loses nothing (``digested_at`` makes sure nothing is sent twice).
DIGEST_LOOKBACK = dt.timedelta(days=2)


def _check_type(type: str, field: str = "type") -> str:
    if type not in NotificationType.values:
        raise Invalid("Unknown notification type.", errors={field: [f"Choose one of {', '.join(NotificationType.values)}."]})
    return type


def _send_on_commit(messages: list[tuple[str, str, str]]) -> None:
    """(address, subject, body) triples, each its own email, queued once the transaction commits."""
    if not messages:
        return

    def _send():
        from backline.core.tasks import send_email

        for to, subject, body in messages:
            send_email.delay(to=[to], subject=subject, body=body)

    transaction.on_commit(_send)


def _email(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "preferences_url": absolute_url(reverse("notification_preferences"))}
    subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
    return subject, render_to_string(f"notifications/email/{template}_body.txt", context)


def notify(*, users: Iterable, type: str, title: str, body: str = "", url: str = "", workspace_id: int | None = None,
           emailed_already: bool = False) -> list[Notification]:
    """Tell ``users`` (User objects) one thing. Each person's preference for ``type`` decides: off →
    nothing; in the app or digest → a row; email → a row and an email after commit. Two queries
    whatever the number of people (their preferences, then one INSERT). ``emailed_already``: the
    lower app has emailed them about it (an invitation), so no second email."""
    _check_type(type)
    people = list({u.pk: u for u in users if getattr(u, "is_active", True)}.values())
    if not people:
        return []
    chosen = dict(NotificationPreference.objects.filter(user_id__in=[u.pk for u in people], type=type)
                  .values_list("user_id", "channel"))
    now = timezone.now()
    title, body = title.strip()[:200], body.strip()[:2000]
    rows, mail = [], []
    for person in people:
        channel = chosen.get(person.pk, Channel.IN_APP)
        if channel == Channel.OFF:
            continue
        email_now = channel == Channel.EMAIL and not emailed_already and bool(person.email)
        rows.append(Notification(user_id=person.pk, type=type, title=title, body=body, url=url, workspace_id=workspace_id,
                                 created_at=now, digested_at=now if channel == Channel.EMAIL else None))
        if email_now:
            mail.append(person.email)
    if not rows:
        return []
    # One statement, atomic by itself (bulk_create wraps SQLite's batches in a transaction): no savepoint.
    created = Notification.objects.bulk_create(rows)
    if mail:
        subject, text = _email("notification", {"title": title, "body": body,
                                                "url": absolute_url(url or reverse("notification_list"))})
        _send_on_commit([(to, subject, text) for to in mail])
    return created


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = own_notification(user=actor, notification_id=notification_id, lock=True)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor, type: str | None = None) -> int:
    """Mark every unread notification of the actor's (of one type, if given) read; answers how many."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if type:
        qs = qs.filter(type=_check_type(type))
    with transaction.atomic():
        return qs.update(read_at=timezone.now())


def notification_delete(*, actor, notification_id: int) -> None:
    with transaction.atomic():
        own_notification(user=actor, notification_id=notification_id, lock=True).delete()


def preference_set(*, actor, type: str, channel: str) -> NotificationPreference:
    """How the actor wants to be told about ``type``: in_app, email, digest or off."""
    _check_type(type)
    if channel not in Channel.values:
        raise Invalid("Unknown channel.", errors={"channel": [f"Choose one of {', '.join(Channel.values)}."]})
    with transaction.atomic():
        preference = NotificationPreference.objects.select_for_update().filter(user=actor, type=type).first()
        before = preference.channel if preference else Channel.IN_APP
        if preference is None:
            preference = NotificationPreference.objects.create(user=actor, type=type, channel=channel)
        elif preference.channel != channel:
            preference.channel = channel
            preference.save(update_fields=["channel"])
        if before != channel:
            audit.record(actor=actor, action="notification_preference.changed", obj=preference, workspace_id=None,
                         before={"type": type, "channel": before}, after={"type": type, "channel": channel})
    return preference


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Email each person who chose the daily digest for some types their unread notifications of those
    types since the last digest, in one email; each notification goes out once. Answers how many emails."""
    now = now or timezone.now()
    wants_digest = NotificationPreference.objects.filter(user_id=OuterRef("user_id"), type=OuterRef("type"),
                                                         channel=Channel.DIGEST)
    with transaction.atomic():
        due = list(Notification.objects.select_for_update(of=("self",)).select_related("user")
                   .filter(Exists(wants_digest), read_at__isnull=True, digested_at__isnull=True,
                           created_at__gt=now - DIGEST_LOOKBACK, created_at__lte=now)
                   .order_by("user_id", "-created_at", "-id"))
        if not due:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in due], digested_at__isnull=True).update(digested_at=now)
        by_person: dict[int, list[Notification]] = defaultdict(list)
        for n in due:
            by_person[n.user_id].append(n)
        messages = []
        for items in by_person.values():
            person = items[0].user
            if not person.email or not person.is_active:
                continue
            subject, text = _email("digest", {"person": person, "items": [
                {"title": n.title, "body": n.body, "url": absolute_url(n.url) if n.url else ""} for n in items],
                "inbox_url": absolute_url(reverse("notification_list"))})
            messages.append((person.email, subject, text))
        _send_on_commit(messages)
    return len(messages)


def notifications_read_for(*, user, type: str, url_suffix: str, at=None) -> int:
    """``user``'s unread notifications of ``type`` that link to a page ending in ``url_suffix`` count as
    read (another app showed the page: a conversation read in full needs no second look at the bell).
    Answers how many."""
    return Notification.objects.filter(user=user, type=type, read_at__isnull=True,
                                       url__endswith=url_suffix).update(read_at=at or timezone.now())


def notifications_read_in(*, user_id: int, type: str, workspace_id: int, at=None) -> int:
    """``user``'s unread notifications of ``type`` about ``workspace_id`` count as read (what they asked
    for is done: an invitation answered). Answers how many."""
    return Notification.objects.filter(user_id=user_id, type=type, workspace_id=workspace_id,
                                       read_at__isnull=True).update(read_at=at or timezone.now())
