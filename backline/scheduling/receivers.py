"""Reactions to other apps' domain events."""

from django.dispatch import receiver

from backline.accounts.events import member_removed


@receiver(member_removed)
def rotate_act_feed_of_departed_member(sender, *, workspace_id, user_id, **_):
    """Whoever leaves an act (or is removed, by anyone) loses its calendar feed: the shared URL they may
    have kept stops working. Other members fetch the new one from the act's schedule page."""
    from .feeds import act_feed_rotate_after_removal

    act_feed_rotate_after_removal(workspace_id=workspace_id, user_id=user_id)
