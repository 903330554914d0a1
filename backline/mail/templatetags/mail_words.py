"""``{% load mail_words %}``: a mail server's refusal in people's words (``{{ reply|refusal_words }}``)."""

from django import template

from backline.mail.refusals import refusal_in_words

register = template.Library()

# The tracking events whose description is a mail server's refusal.
REFUSALS = frozenset({"bounced", "rejected", "deferred", "failed"})


@register.filter
def refusal_words(reply: str) -> str:
    return refusal_in_words(reply)


@register.filter
def is_refusal(event_type: str) -> bool:
    return str(event_type) in REFUSALS


@register.simple_tag
def mail_server_replies(email, events) -> list[str]:
    """The mail server's own words about ``email`` (its last error and its events' descriptions), once each,
    for the "Details from the mail server" disclosure on the email's page."""
    replies = [email.last_error] if email.last_error and str(email.status) in ("bounced", "failed", "queued") else []
    replies += [ev.description for ev in events if ev.description]
    return list(dict.fromkeys(replies))
