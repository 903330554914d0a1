"""Mail's tasks: deliver one queued email, a batch, and (every minute) whatever is due.

Task names keep the module they had before the messaging split (ADR 0009): beat schedules and tasks
already queued in a broker name them."""

from celery import shared_task

from .services import delivery


@shared_task(name="backline.messaging.tasks.deliver_email", ignore_result=True)
def deliver_email(email_id: int) -> str | None:
    """Deliver one queued outreach email (scheduled when it is queued). Failures are recorded on the
    row and retried by ``deliver_outbox`` with backoff; a retried or duplicate task sends nothing twice."""
    return delivery.deliver_one(email_id)


@shared_task(name="backline.messaging.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): deliver the queued emails whose next attempt is due."""
    return delivery.deliver_due()


@shared_task(name="backline.messaging.tasks.deliver_emails", ignore_result=True)
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Deliver a batch queued together (outreach to a list of contacts) over shared connections."""
    return delivery.deliver_many(list(email_ids))
