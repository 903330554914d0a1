from celery import shared_task

from .services import external_calendars


@shared_task
def refresh_external_calendars() -> int:
    """Refresh the personal calendars whose next fetch is due (CELERY_BEAT_SCHEDULE: every 15 minutes)."""
    return external_calendars.refresh_due_calendars()
