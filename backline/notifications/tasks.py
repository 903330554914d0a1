"""Notifications' periodic task: the daily digest (beat: "send-notification-digests")."""

from celery import shared_task

from . import services

# Task names keep the module they had before the messaging split (ADR 0009): beat schedules and tasks
# already queued in a broker name them.


@shared_task(name="backline.messaging.tasks.send_digests")
def send_digests() -> int:
    return services.digests_send()
