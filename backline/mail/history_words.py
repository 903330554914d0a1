"""How the History page words mail's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import EmailStatus, OutboundEmail, QuarantineReason, QuarantineStatus, SuppressionReason


def register() -> None:
    history.register_actions({
        "outbound_email.queued": "{actor} sent an email: {object}",
        "outbound_email.sent": "The email went out: {object}",
        "outbound_email.failed": "An email could not be sent: {object}",
        "outbound_email.bounced": "An email bounced: {object}",
        "outbound_email.cancelled": "{actor} cancelled an email: {object}",
        "outbound_email.follow_up_drafted": "{actor} drafted a follow-up email: {object}",
        "outbound_email.follow_up_closed": "{actor} closed the follow-up of {object}",
        "outbound_email.draft_sent": "{actor} sent a drafted email: {object}",
        "outbound_email.draft_discarded": "{actor} discarded a drafted email: {object}",
        "suppression.created": "Backline stopped writing to {object}",
        "suppression.removed": "{actor} allowed email to {object} again",
        "quarantine.released": "{actor} posted a held email to its conversation: {object}",
        "quarantine.discarded": "{actor} discarded a held email: {object}",
        "sender_identity.changed": "{actor} changed who outgoing email is from",
    })
    history.register_fields({"to": "To", "subject": "Subject", "attempts": "Attempts",
                             "follow_up_of": "Follows up", "from_name": "Sender name", "reply_to": "Replies go to"})
    history.register_values("status", dict(EmailStatus.choices))
    history.register_values("status", {k: v for k, v in QuarantineStatus.choices if k != "pending"})
    history.register_values("reason", {**dict(SuppressionReason.choices), **dict(QuarantineReason.choices)})
    history.register_reference("email", OutboundEmail, fields=("follow_up_of",), name="subject")
