from celery import shared_task

from . import services


@shared_task
def expire_holds_and_offers() -> int:
    """Warn of holds running out soon, then expire what is due."""
    services.warn_expiring_holds()
    return services.expire_due()
