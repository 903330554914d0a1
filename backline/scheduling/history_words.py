"""How the workspace History page words scheduling's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import Answer, CommitmentStatus, EventKind, EventStatus, FeedKind, PollStatus, State
from .rrule_words import day_text, describe


def _exdates(value) -> str | None:
    import datetime as dt

    days = []
    for item in value if isinstance(value, (list, tuple)) else [value]:
        try:
            days.append(day_text(dt.date.fromisoformat(str(item)[:10])))
        except ValueError:
            days.append(str(item))
    return ", ".join(days) or None


def register() -> None:
    history.register_actions({
        "availability_rule.created": "{actor} added a repeating pattern: {object}",
        "availability_rule.updated": "{actor} changed a repeating pattern: {object}",
        "availability_rule.split": "{actor} changed a repeating pattern from a date on: {object}",
        "availability_rule.ended": "{actor} stopped a repeating pattern: {object}",
        "availability_rule.deleted": "{actor} deleted a repeating pattern: {object}",
        "availability_block.created": "{actor} marked a time: {object}",
        "availability_block.updated": "{actor} changed a marked time: {object}",
        "availability_block.replaced": "{actor} replaced a marked time: {object}",
        "availability_block.deleted": "{actor} removed a marked time: {object}",
        "schedule.default_changed": "{actor} changed what their unmarked time means",
        "commitment.created": "{actor} added a commitment: {object}",
        "commitment.updated": "{actor} changed a commitment: {object}",
        "act_event.created": "{actor} scheduled {object}",
        "act_event.updated": "{actor} changed {object}",
        "act_event.cancelled": "{actor} cancelled {object}",
        "act_event.deleted": "{actor} deleted {object}",
        "poll.created": "{actor} asked the band about dates: {object}",
        "poll.answered": "{actor} answered the date poll {object}",
        "poll.closed": "{actor} closed the date poll {object}",
        "poll.reopened": "{actor} reopened the date poll {object}",
        "poll.decided": "{actor} picked a date in the poll {object}",
        "calendar_feed.created": "{actor} made a calendar link: {object}",
        "calendar_feed.rotated": "{actor} replaced a calendar link (the old one stops working): {object}",
        "calendar_feed.green_zone_changed": "{actor} changed whether a calendar link shows green dates: {object}",
        "external_calendar.added": "{actor} connected the calendar {object}",
        "external_calendar.removed": "{actor} disconnected the calendar {object}",
        "external_calendar.refreshed": "Backline read the calendar {object} again",
        "external_calendar.refresh_failed": "Backline could not read the calendar {object}",
        "share_link.created": "{actor} shared availability: {object}",
        "share_link.revoked": "{actor} stopped sharing availability: {object}",
    })
    history.register_fields({
        "rrule": "Repeats", "starts_on": "From", "ends_on": "Until", "start_time": "From (time)",
        "end_time": "To (time)", "exdates": "Except on", "state": "Marked as", "default_state": "Unmarked time is",
        "all_day": "All day", "label": "Note", "starts_at": "Starts", "ends_at": "Ends", "exclusive": "Blocks other bookings",
        "event_count": "Events read", "failures": "Failed attempts", "last_error": "Last problem", "options": "Dates",
        "location": "Where", "notes": "Notes", "title": "Title",
    })
    history.register_formatter("rrule", lambda value: describe(str(value)))
    history.register_formatter("exdates", _exdates)
    for name, choices in (("state", State), ("default_state", State), ("kind", EventKind), ("answer", Answer)):
        history.register_values(name, dict(choices.choices))
    for choices in (CommitmentStatus, EventStatus, PollStatus):
        history.register_values("status", dict(choices.choices))
    history.register_values("feed_kind", dict(FeedKind.choices))
