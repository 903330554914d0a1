"""How the History page words conversations' audit entries (see ``backline.core.history``)."""

from backline.bookings.history_words import without_reference
from backline.core import history
from backline.core.text import plain_text

from .models import Thread, ThreadKind


def register() -> None:
    history.register_actions({
        "thread.booking_started": "{actor} started a conversation about a booking: {object}",
        "thread.support_started": "{actor} started a conversation with the support acts: {object}",
        "thread.direct_started": "{actor} started a conversation: {object}",
        "thread.email_started": "{actor} started an email conversation: {object}",
        "thread.internal_started": "{actor} started an internal conversation: {object}",
        "thread.party_added": "{actor} added someone to the conversation {object}",
    }, obj=without_reference)
    history.register_actions({"message.posted": "{actor} wrote: “{object}”"}, obj=plain_text)
    history.register_formatter("subject", without_reference)  # subjects recorded before they were words
    history.register_fields({"thread": "Conversation", "chars": "Length (characters)", "attachments": "Files"})
    history.hide_fields("chars")
    history.register_values("kind", dict(ThreadKind.choices))
    history.register_reference("conversation", Thread, fields=("thread",), name="subject", shown=without_reference)
