"""Outreach's periodic task: follow-up reminders (beat: "follow-up-reminders", hourly)."""

from celery import shared_task

from .services import follow_ups


@shared_task(name="backline.messaging.tasks_outreach.remind_follow_ups")  # its name before the split (ADR 0009)
def remind_follow_ups() -> int:
    """Follow-up drafts and reminders for sent outreach that got no reply in time; answers how many."""
    return follow_ups.follow_ups_remind()
