"""What conversations do when a lower app's event arrives."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver

from backline.accounts.events import member_removed
from backline.bookings import events as booking_events
from backline.bookings.models import Booking


@receiver(booking_events.inquiry_logged)
def on_inquiry_logged(sender, *, booking_id, actor_id=None, act_workspace_id=None, message="", **_):
    """An act asked a venue or promoter for a date with a message: the message opens the booking's
    conversation between the two, written by the person who sent it, so the buyer answers it there.
    (The buyer was told of the inquiry already, so the message itself notifies nobody; it is also the
    inquiry's notes, so nothing is lost if this fails.)"""
    from .models import MessageSource
    from .services import add_message, booking_thread_for

    message = (message or "").strip()
    if not message or act_workspace_id is None:
        return
    booking = Booking.objects.select_related("act__workspace", "workspace").filter(pk=booking_id, act_asked=True).first()
    author = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if booking is None or booking.act_id is None or booking.act.workspace_id != act_workspace_id:
        return
    with transaction.atomic():
        thread = booking_thread_for(booking)
        if not thread.messages.exists():
            add_message(thread=thread, body=message, author=author, author_workspace=booking.act.workspace,
                        source=MessageSource.APP, notify=False)


@receiver(member_removed)
def leave_internal_threads(sender, *, workspace_id, user_id, **_):
    """Whoever leaves a workspace (or is removed) leaves its internal threads among chosen members; the
    channel and threads for everyone follow membership by themselves."""
    from .services import membership_ended

    membership_ended(workspace_id=workspace_id, user_id=user_id)
