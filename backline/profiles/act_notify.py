"""The act's bookers are told of a date request made through its press kit, as it arrives. A buyer's
request is an inquiry the act sees from the start (``Source.PRESS_KIT``): its message opens the booking's
conversation between the two, where the act answers."""

from __future__ import annotations

from django.urls import reverse

from backline.conversations.models import MessageSource
from backline.conversations.services import add_message, booking_thread_for
from backline.notifications.press_kit import press_kit_request_notify


def _day(value) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def buyer_asked(kit, booking, *, actor) -> None:
    """A logged-in venue or promoter logged an inquiry: its message opens the booking's conversation
    (written by the buyer, telling nobody by itself), and the act's bookers are told who asks for which
    day, where, with a link to the inquiry in their own bookings."""
    message = (booking.notes or "").strip()
    if message:
        add_message(thread=booking_thread_for(booking), body=message, author=actor,
                    author_workspace=booking.workspace, source=MessageSource.APP, notify=False)
    where = booking.venue.name if booking.venue_id else ""
    if booking.room_id:
        where = f"{where}, {booking.room.name}"
    title = f"{booking.workspace.name} asks for {_day(booking.date_from)} through your press kit"
    body = " · ".join(x for x in (f"at {where}" if where else "", f"from {actor.display_name}",
                                  message[:200].rstrip(".")) if x)
    body += ". Answer in the inquiry's conversation."
    press_kit_request_notify(act_workspace_id=kit.act.workspace_id, title=title, body=body,
                             url=reverse("booking_detail", args=[kit.act.workspace.slug, booking.pk]),
                             exclude_user_id=actor.pk)


def someone_emailed(kit, data, thread) -> None:
    """Someone without an account asked: this links the conversation with them in the act's inbox, where
    the answer is written (``email_request``)."""
    ws = kit.act.workspace
    title = f"{data['name']} asks for {_day(data['date'])} through your press kit"
    body = " · ".join(x for x in (f"at {data['where']}", data["email"], (data.get("message") or "")[:200]) if x)
    press_kit_request_notify(act_workspace_id=ws.pk, title=title, body=body,
                             url=reverse("thread_detail", args=[ws.slug, thread.pk]))
