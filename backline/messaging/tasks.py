from celery import shared_task

from . import services


@shared_task
def send_digests() -> int:
    return services.digests_send()
