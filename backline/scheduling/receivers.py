"""Reactions to other apps' domain events."""

from django.dispatch import receiver

from backline.accounts.events import member_removed


@receiver(member_removed)
def rotate_act_feed_of_departed_member(sender, *, workspace_id, user_id, **_):
    """Whoever leaves an act (or is removed, by anyone) loses its calendar feed: the shared URL they may
    have kept stops working. Other members fetch the new one from the act's schedule page."""
    from .feeds import act_feed_rotate_after_removal

    act_feed_rotate_after_removal(workspace_id=workspace_id, user_id=user_id)


def _availability_changed(sender, instance, **_):
    """A rule, block, commitment or default was written or deleted: its person's cached free time is
    out of date (``availability_cache``). Writes that send no signal call ``changed`` themselves."""
    from .availability_cache import changed

    changed([instance.user_id])


def connect_availability_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import AvailabilityBlock, AvailabilityRule, Commitment, PersonSchedule

    for model in (AvailabilityRule, AvailabilityBlock, Commitment, PersonSchedule):
        post_save.connect(_availability_changed, sender=model, dispatch_uid=f"availability-changed-save-{model.__name__}")
        post_delete.connect(_availability_changed, sender=model,
                            dispatch_uid=f"availability-changed-delete-{model.__name__}")
