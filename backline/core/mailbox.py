"""The development mailbox: an email backend that stores messages in the database.

It is the embedded default (no mail server needed): sign-up verification, password resets and
invitations can be read at /dev/mailbox/. Set EMAIL_URL to send real mail instead.
"""

from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .models import MailboxMessage

        sent = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            MailboxMessage.objects.create(
                subject=message.subject[:300],
                from_email=message.from_email,
                to=", ".join(message.recipients()),
                body=message.body,
                html=html,
            )
            sent += 1
        return sent
