"""Reactions to accounts' domain events."""

from django.dispatch import receiver

from backline.accounts.events import member_joined
from backline.accounts.models import Role, User


@receiver(member_joined)
def link_joined_member_to_line_up(sender, *, workspace_id, user_id, membership_id, **_):
    from backline.accounts.models import Membership

    from .services import act_member_link_user

    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None or membership.role == Role.VIEWER:
        return
    act_member_link_user(workspace_id=workspace_id, user=User.objects.get(pk=user_id))
