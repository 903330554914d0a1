from celery import shared_task

from . import services, tokens


@shared_task
def expire_invitations() -> int:
    return services.invitations_expire_due()


@shared_task
def prune_refresh_tokens() -> int:
    return tokens.prune_expired_refresh_tokens()
