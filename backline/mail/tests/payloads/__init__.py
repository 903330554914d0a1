"""The providers' real webhook payloads (from their documentation and django-anymail's own test suite),
filled in for one test and signed the way the provider signs them.

Mailgun signs each call with HMAC-SHA256 over ``timestamp + token`` using the webhook signing key: in the
JSON tracking webhook inside its ``signature`` block, in the inbound (route "forward") form post as the
``timestamp``, ``token`` and ``signature`` fields. Postmark calls with HTTP basic auth (anymail's
WEBHOOK_SECRET)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import secrets
import time
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent
MAILGUN_KEY = "key-mailgun-webhook-signing-test"
POSTMARK_SECRET = "postmark-hook:s3cret-basic-auth"
INBOUND_DOMAIN = "reply.backline.test"


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text())


def webhook_settings(settings, provider: str = "mailgun", *, key: str | None = MAILGUN_KEY,
                     secret: str | None = None) -> None:
    """Configure pytest-django's ``settings`` fixture for one provider's webhooks."""
    settings.EMAIL_WEBHOOK_PROVIDER = provider
    settings.INBOUND_EMAIL_DOMAIN = INBOUND_DOMAIN
    settings.ANYMAIL = {"WEBHOOK_SECRET": secret, "MAILGUN_WEBHOOK_SIGNING_KEY": key or "", "MAILGUN_API_KEY": ""}


def mailgun_signature(timestamp: str, token: str, key: str = MAILGUN_KEY) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def mailgun_tracking(name: str, *, email=None, recipient: str | None = None, message_id: str | None = None,
                     email_id: str | int | None = None, timestamp: float | None = None, token: str | None = None,
                     key: str | None = MAILGUN_KEY) -> dict:
    """Mailgun's JSON tracking webhook ``mailgun_<name>.json`` (delivered, opened, failed_permanent,
    complained, unsubscribed) about ``email`` (an OutboundEmail: its id in the user variables, its
    recipient and Message-ID), signed with ``key`` (None: the signature block is left out)."""
    data = load(f"mailgun_{name}.json")
    event = data["event-data"]
    if email is not None:
        recipient = recipient or email.to_email
        message_id = message_id or email.header_message_id.strip("<>")
        email_id = email.pk if email_id is None else email_id
    if recipient:
        event["recipient"] = recipient
        if "to" in event["message"]["headers"]:
            event["message"]["headers"]["to"] = recipient
    if message_id:
        event["message"]["headers"]["message-id"] = message_id
    if email_id is not None:
        event["user-variables"] = {"backline_email_id": str(email_id)}
    else:
        event["user-variables"] = {}
    if timestamp is not None:
        event["timestamp"] = timestamp
    data["signature"]["token"] = token or data["signature"]["token"]
    data["signature"]["timestamp"] = str(int(event["timestamp"]))
    if key is None:
        del data["signature"]
    else:
        data["signature"]["signature"] = mailgun_signature(data["signature"]["timestamp"], data["signature"]["token"], key)
    return data


def reply_address(thread) -> str:
    return f"reply+{thread.reply_token}@{INBOUND_DOMAIN}"


def mailgun_inbound(*, to: str, sender: str = "dana@example.org", from_name: str = "Dana Booker",
                    subject: str = "Re: Friday club night", text: str | None = "Sounds good.", html: str | None = None,
                    message_id: str | None = None, cc: str | None = None, extra_headers: list | None = None,
                    envelope_recipient: str | None = None, key: str | None = MAILGUN_KEY, token: str | None = None,
                    attachments: dict | None = None) -> dict:
    """Mailgun's inbound route ("forward") multipart form post of a message to ``to``, signed with
    ``key`` (None: unsigned). ``attachments``: {"attachment-1": file object, ...}."""
    data = load("mailgun_inbound.json")
    message_id = message_id or f"<{secrets.token_hex(8)}@mail.example.org>"
    from_header = f"{from_name} <{sender}>" if from_name else sender
    date = format_datetime(time_to_datetime(time.time()))
    headers = [h for h in data["message-headers"] if h[0] not in ("From", "To", "Message-Id", "Subject", "Date",
                                                                  "X-Envelope-From", "Content-Type")]
    headers += [["X-Envelope-From", f"<{sender}>"], ["From", from_header], ["Date", date], ["Message-Id", message_id],
                ["Subject", subject], ["To", to]]
    if cc:
        headers.append(["Cc", cc])
    headers += [list(h) for h in (extra_headers or [])]
    headers.append(["Content-Type", "multipart/alternative; boundary=\"089e0825ccf874a0bb055b4f7e23\""])
    data.update({
        "recipient": envelope_recipient if envelope_recipient is not None else to.rpartition("<")[2].rstrip(">"),
        "sender": sender, "from": from_header, "From": from_header, "subject": subject, "Subject": subject,
        "To": to, "Message-Id": message_id, "Date": date, "X-Envelope-From": f"<{sender}>",
        "body-plain": text or "", "stripped-text": text or "", "body-html": html or "", "stripped-html": html or "",
        "token": token or secrets.token_hex(25), "timestamp": str(int(time.time())),
        "message-headers": json.dumps(headers),
    })
    if cc:
        data["Cc"] = cc
    if text is None:
        for field in ("body-plain", "stripped-text"):
            data.pop(field)
    if html is None:
        for field in ("body-html", "stripped-html"):
            data.pop(field)
    if attachments:
        data["attachment-count"] = str(len(attachments))
        data.update(attachments)
    if key is None:
        data.pop("signature")
    else:
        data["signature"] = mailgun_signature(data["timestamp"], data["token"], key)
    return data


def time_to_datetime(seconds: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def postmark_auth(secret: str = POSTMARK_SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def postmark_tracking(name: str, *, email=None, message_id: str | None = None) -> dict:
    """Postmark's ``postmark_<name>.json`` (delivery, bounce) about ``email``."""
    data = copy.deepcopy(load(f"postmark_{name}.json"))
    if email is not None:
        data["Metadata"] = {"backline_email_id": str(email.pk)}
        data["Recipient" if "Recipient" in data else "Email"] = email.to_email
    if message_id:
        data["MessageID"] = message_id
    return data


def postmark_inbound(*, to: str, sender: str = "dana@example.org", name: str = "Dana Booker",
                     text: str = "Yes, Friday works for us.", message_id: str | None = None) -> dict:
    data = load("postmark_inbound.json")
    data.update({"From": sender, "FromName": name, "FromFull": {"Email": sender, "Name": name, "MailboxHash": ""},
                 "To": f"\"Lantern Hall\" <{to}>", "ToFull": [{"Email": to, "Name": "Lantern Hall", "MailboxHash": ""}],
                 "OriginalRecipient": to, "TextBody": text, "StrippedTextReply": text,
                 "HtmlBody": f"<html><body><p>{text}</p></body></html>"})
    data["Headers"][0]["Value"] = f"<{sender}>"
    data["Headers"][-1]["Value"] = message_id or f"<{secrets.token_hex(8)}@mail.example.org>"
    return data
