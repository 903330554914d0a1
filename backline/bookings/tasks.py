from celery import shared_task

from . import services


@shared_task
def expire_holds_and_offers() -> int:
    return services.expire_due()
