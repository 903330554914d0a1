"""Outreach's periodic task: follow-up reminders (beat: "follow-up-reminders", hourly)."""

from celery import shared_task

from . import outreach


@shared_task
def remind_follow_ups() -> int:
    """Follow-up drafts and reminders for sent outreach that got no reply in time; answers how many."""
    return outreach.follow_ups_remind()
