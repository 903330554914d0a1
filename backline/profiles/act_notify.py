"""The act's bookers are told of a date request made through its press kit, as it arrives (the buyer's
inquiry itself stays the buyer's record until a hold or offer)."""

from __future__ import annotations

from django.urls import reverse

from backline.notifications.press_kit import press_kit_request_notify


def _day(value) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def buyer_asked(kit, booking, *, actor) -> None:
    """A logged-in venue or promoter logged an inquiry: who, which day, where, and their message. The link
    opens the venue's public page (the inquiry is not the act's to open yet)."""
    where = booking.venue.name if booking.venue_id else ""
    if booking.room_id:
        where = f"{where}, {booking.room.name}"
    title = f"{booking.workspace.name} asks for {_day(booking.date_from)} through your press kit"
    body = " · ".join(x for x in (f"at {where}" if where else "", f"from {actor.display_name}",
                                  booking.notes[:200]) if x)
    body += ". They see your answer once they place a hold or make an offer; you can also write to them."
    press_kit_request_notify(act_workspace_id=kit.act.workspace_id, title=title, body=body,
                             url=reverse("profiles:venue", args=[booking.venue.slug]) if where and booking.venue.slug else "",
                             exclude_user_id=actor.pk)


def someone_emailed(kit, data, email) -> None:
    """Someone without an account asked: the email went to the booking contact; this links its thread in
    the act's inbox, where the answer is written."""
    ws = kit.act.workspace
    title = f"{data['name']} asks for {_day(data['date'])} through your press kit"
    body = " · ".join(x for x in (f"at {data['where']}", data["email"], (data.get("message") or "")[:200]) if x)
    url = reverse("thread_detail", args=[ws.slug, email.thread_id]) if email.thread_id else \
        reverse("thread_inbox", args=[ws.slug])
    press_kit_request_notify(act_workspace_id=ws.pk, title=title, body=body, url=url)
