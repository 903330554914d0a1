"""Reactions to other apps' domain events."""

from django.dispatch import receiver

from backline.accounts.events import member_removed


@receiver(member_removed)
def leave_internal_threads(sender, *, workspace_id, user_id, **_):
    """Whoever leaves a workspace (or is removed) leaves its internal threads among chosen members; the
    channel and threads for everyone follow membership by themselves."""
    from .services import membership_ended

    membership_ended(workspace_id=workspace_id, user_id=user_id)
