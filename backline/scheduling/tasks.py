from celery import shared_task

from . import import_services


@shared_task
def refresh_external_calendars() -> int:
    """Refresh the personal calendars whose next fetch is due (CELERY_BEAT_SCHEDULE: every 15 minutes)."""
    return import_services.refresh_due_calendars()
