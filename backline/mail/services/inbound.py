"""Replies by email: anymail's ``inbound`` events, arriving through our webhook (webhooks.py) once the
call is verified, land in their thread or are held for a person to look at.

Outreach goes out with a per-thread reply address, ``reply+<thread.reply_token>@<INBOUND_EMAIL_DOMAIN>``.
An incoming message is trusted to its thread only when

1. one of its recipients (the envelope recipient, To, Cc, Delivered-To, X-Original-To) is such an
   address — otherwise it is held as ``no_token``;
2. the token names a thread — otherwise (forged, mistyped or from a deleted thread) ``unknown_token``;
3. its sender (the From address; the envelope sender when there is no From) may write to the thread
   (``thread_emails_of``: its contacts, the addresses its outreach went to, and members of
   its current workspace parties whose role may send messages) — otherwise ``stranger``, held for the
   thread's workspace.

The From header is not proof of anything (anyone can write any address in it), so a reply is never
attributed to a Backline user: it is posted as an ``email_in`` message *from its address* (its author
name from the header; linked to the workspace's contact with that address, if any; no user, no
workspace), shown as "received by email from <address>". Its text is the text part, or the HTML part
reduced to text; the quoted previous message cut off; at most 20,000 characters; never HTML. The latest
outreach email of the thread to that sender that went out (``tracking.went_out``; never one still
queued or failed, which would then never be sent) becomes "replied" (which stops its follow-up) and,
on its first reply, its author is told (``email_reply``). Automatic replies (out-of-office) are posted
but mark nothing replied.

NUL characters are dropped from everything taken from the message (text, subject, names, addresses,
kept headers): PostgreSQL refuses them.

The same message delivered twice (same Message-ID, same thread) is posted once: each message leaves an
``EmailEvent`` of type ``inbound`` whose unique ``(provider, event_id)`` is derived from the thread and
the Message-ID, so the outreach email's history also shows when the reply came in.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import logging
import re
from email.utils import getaddresses

import nh3
from anymail.signals import inbound
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from backline.accounts.models import Membership
from backline.accounts.permissions import MESSAGES_SEND, OUTREACH_MANAGE, roles_with
from backline.conversations import services as conversations
from backline.conversations.models import Message, MessageSource, Thread, ThreadKind
from backline.conversations.permissions import current_workspace_parties
from backline.notifications.models import NotificationType

from .. import contact_book
from ..models import (
    EmailEvent,
    EmailStatus,
    OutboundEmail,
    QuarantinedEmail,
    QuarantineReason,
    SuppressionReason,
)
from . import suppressions
from .tracking import mark_replied, no_nul, thread_link, went_out

logger = logging.getLogger("backline.mail.inbound")

MAX_BODY = 20000
TOKEN_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "Bcc")
KEPT_HEADERS = ("Message-ID", "Date", "From", "Sender", "Reply-To", "To", "Cc", "Delivered-To", "Subject",
                "In-Reply-To", "References", "Auto-Submitted", "X-Mailgun-Spf", "X-Mailgun-Dkim-Check-Result",
                "X-Spam-Status", "Authentication-Results")
NO_TEXT = "(This email had no text.)"


# --- reading the message ----------------------------------------------------------------------------------

def _token_pattern() -> re.Pattern:
    domain = re.escape(settings.INBOUND_EMAIL_DOMAIN.strip().lower())
    return re.compile(rf"reply\+([a-z0-9]{{1,64}})@{domain}", re.IGNORECASE)


def reply_tokens(message) -> list[str]:
    """Every thread token the message is addressed to, envelope recipient first, in order, lower-case."""
    values = [message.envelope_recipient or ""]
    for header in TOKEN_HEADERS:
        values += [str(v) for v in (message.get_all(header) or [])]
    pattern, tokens = _token_pattern(), []
    for _, address in getaddresses([v for v in values if v]):
        match = pattern.fullmatch(address.strip())
        if match and match.group(1).lower() not in tokens:
            tokens.append(match.group(1).lower())
    return tokens


def sender_of(message) -> tuple[str, str]:
    """(address lower-case, display name): the From header, else the envelope sender."""
    try:
        sender = message.from_email
    except Exception:  # noqa: BLE001  (an unparseable From is treated as no From)
        sender = None
    address = no_nul(getattr(sender, "addr_spec", "") or "").strip()
    name = no_nul(getattr(sender, "display_name", "") or "").strip()
    if not address or "@" not in address:
        address = no_nul(message.envelope_sender or "").strip().strip("<>")
    return address.lower()[:254], name[:200]


def subject_of(message) -> str:
    return no_nul(str(message.subject or ""))


_SPACE = re.compile(r"\s+")
_LINE_END = re.compile(r"<br\s*/?>|</(div|tr|dt|dd|section|article|header|footer)\s*>", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</(p|ul|ol|dl|table|blockquote|pre|h[1-6])\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """HTML reduced to plain text: every tag stripped by nh3 (scripts and styles with their content),
    line breaks kept (a blank line after paragraphs, lists and tables), list items as "- ", entities
    decoded. The result is only ever stored and shown as text."""
    markup = _SPACE.sub(" ", markup)
    markup = _LINE_END.sub("\n", markup)
    markup = _PARAGRAPH_END.sub("\n\n", markup)
    markup = _LIST_ITEM.sub("\n- ", markup)
    text = html_lib.unescape(nh3.clean(markup, tags=set(), clean_content_tags={"script", "style", "head", "title"}))
    lines = [line.strip() for line in text.replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_of(message) -> str:
    """The message's text: its text/plain part, else its HTML part reduced to text."""
    text = no_nul(message.text or "")
    if not text.strip() and message.html:
        text = html_to_text(no_nul(message.html))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# "On Tue, 5 Mar 2024 at 10:00, Alice <alice@example.org> wrote:" (and the same in a few languages)
_ATTRIBUTION = re.compile(
    r"^\s*(on\s.+\swrote|am\s.+\sschrieb.*|le\s.+\sa\s+écrit\s*|el\s.+\sescribió|op\s.+\sschreef.*)\s*:\s*$",
    re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*(-{2,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{2,}|_{20,})\s*$",
                       re.IGNORECASE)
_HEADER_BLOCK = (re.compile(r"^\s*\*?(from|von|de)\s*:\*?\s", re.IGNORECASE),
                 re.compile(r"^\s*\*?(sent|date|to|gesendet|datum|an|envoyé|à)\s*:\*?\s", re.IGNORECASE))


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything from the quoted message's attribution line ("On … wrote:",
    possibly wrapped over two lines), an "Original Message" rule or an Outlook header block
    ("From: … / Sent: …") on is cut, then trailing ">"-quoted and blank lines. Quotes interleaved with
    the answer stay. A message that would be left empty is kept whole."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (_ATTRIBUTION.match(line) or _ORIGINAL.match(line)
                or (line.strip() and not line.lstrip().startswith(">") and not _ATTRIBUTION.match(following)
                    and _ATTRIBUTION.match(f"{line} {following}"))
                or (_HEADER_BLOCK[0].match(line) and _HEADER_BLOCK[1].match(following))):
            cut = i
            break
    kept = lines[:cut]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    result = "\n".join(kept).strip()
    return result or text.strip()


def reply_body(text: str) -> str:
    body = strip_quoted(text)[:MAX_BODY].strip()
    return body or NO_TEXT


def is_automatic(message) -> bool:
    """An out-of-office or other automatic answer (RFC 3834 and the common non-standard headers)."""
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (message.get("Precedence") or "").strip().lower()
    return (auto != "no" or precedence in ("auto_reply", "bulk", "junk", "list")
            or bool(message.get("X-Autoreply")) or bool(message.get("X-Autorespond")))


def _headers(message) -> dict:
    kept = {}
    for name in KEPT_HEADERS:
        values = message.get_all(name) or []
        if values:
            kept[name] = [str(v)[:1000] for v in values][:10]
    kept["envelope_sender"] = str(message.envelope_sender or "")[:254]
    kept["envelope_recipient"] = str(message.envelope_recipient or "")[:1000]
    return no_nul(kept)


def _recipients(message) -> str:
    to = [str(v) for v in (message.get_all("To") or [])] + [str(v) for v in (message.get_all("Cc") or [])]
    if message.envelope_recipient and message.envelope_recipient not in " ".join(to):
        to.append(str(message.envelope_recipient))
    return no_nul(", ".join(to))[:5000]


def _dedupe_key(thread: Thread | None, message, event) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    if not message_id:
        message_id = f"event:{event.event_id}" if event.event_id else "content:" + hashlib.sha256(
            "|".join([str(message.get("From") or ""), str(message.get("Date") or ""), str(message.get("Subject") or ""),
                      text_of(message)[:2000]]).encode()).hexdigest()
    basis = f"{thread.pk if thread else '-'}|{message_id}"
    return "inbound:" + hashlib.sha256(basis.encode()).hexdigest()


# --- what happens to it -----------------------------------------------------------------------------------

def inbound_receive(*, provider: str, event) -> Message | QuarantinedEmail | None:
    """Post one incoming message to its thread or hold it. Answers the Message or the QuarantinedEmail,
    or None for a message already received."""
    message = event.message
    provider = (provider or "unknown").lower()[:40]
    tokens = reply_tokens(message)
    address, name = sender_of(message)
    at = event.timestamp or timezone.now()
    with transaction.atomic():
        thread, token = None, tokens[0] if tokens else ""
        for candidate in tokens:
            thread = (Thread.objects.select_related("workspace").filter(reply_token=candidate)
                      .exclude(kind=ThreadKind.INTERNAL).first())  # internal threads never take email
            if thread is not None:
                token = candidate
                break
        if not tokens:
            reason = QuarantineReason.NO_TOKEN
        elif thread is None:
            reason = QuarantineReason.UNKNOWN_TOKEN
        elif not address or address not in thread_emails_of(thread):
            reason = QuarantineReason.STRANGER
        else:
            reason = None
        replied_to = replied_email(thread, address) if reason is None else None
        automatic = is_automatic(message)
        try:
            with transaction.atomic():
                EmailEvent.objects.create(
                    email=replied_to, provider=provider, event_id=_dedupe_key(thread, message, event),
                    event_type="inbound", occurred_at=at, recipient=address if "@" in address else "",
                    description=(f"Reply from {name or address}" + (" (automatic)" if automatic else "")
                                 if reason is None else f"Held for review: {QuarantineReason(reason).label}")[:500],
                    payload={"message_id": no_nul(str(message.get("Message-ID") or ""))[:300],
                             "thread_id": getattr(thread, "pk", None), "subject": subject_of(message)[:300],
                             "held": reason})
        except IntegrityError:
            logger.info("Duplicate inbound message %s ignored", message.get("Message-ID"))
            return None
        if reason is not None:
            return hold(message=message, reason=reason, thread=thread, token=token, address=address, name=name, at=at)
        return _post(message=message, thread=thread, address=address, name=name, at=at, replied_to=replied_to,
                     automatic=automatic)


def replied_email(thread: Thread, address: str | None = None, *, lock: bool = False) -> OutboundEmail | None:
    """The latest outreach email of the thread (to ``address``, if given) that went out: a reply can
    answer nothing else (an email still queued or failed was never received)."""
    qs = OutboundEmail.objects.select_for_update(of=("self",)) if lock else OutboundEmail.objects
    qs = (qs.select_related("workspace", "created_by", "thread").filter(went_out(), thread=thread)
          .exclude(status__in=[EmailStatus.DRAFT, EmailStatus.CANCELLED]))
    if address is not None:
        qs = qs.filter(to_email__iexact=address)
    return qs.order_by("-created_at", "-id").first()


def sender_contact(thread: Thread, address: str):
    """The thread workspace's contact with the sender's address, if any. Mail is never attributed to a
    Backline user: the From header proves nothing."""
    if not address:
        return None
    return contact_book.find(workspace_id=thread.workspace_id, email=address)


def _post(*, message, thread: Thread, address: str, name: str, at, replied_to: OutboundEmail | None,
          automatic: bool) -> Message:
    contact = sender_contact(thread, address)
    files, dropped = _attachments(message)
    body = reply_body(text_of(message))
    if dropped:
        body = (body + "\n\n" + f"(Not kept from the email: {', '.join(dropped)}.)")[:MAX_BODY]
    posted = conversations.add_message(
        thread=thread, body=body, source=MessageSource.EMAIL_IN, author_contact=contact,
        author_name=name or (contact.name if contact else "") or address, author_email=address)
    for upload, content_type, size in files:
        conversations.attachment_add(message=posted, upload=upload, filename=upload.name, content_type=content_type,
                                     size=size)
    if replied_to is not None and is_unsubscribe(message):
        # The mailto: of List-Unsubscribe: the recipient of our outreach asks to hear no more from us.
        suppressions.suppress(workspace_id=thread.workspace_id, email=address, reason=SuppressionReason.OPTED_OUT,
                        source_email=replied_to)
        return posted
    if replied_to is not None and not automatic:
        email = OutboundEmail.objects.select_for_update(of=("self",)).select_related("workspace", "created_by", "thread").get(
            pk=replied_to.pk)
        if mark_replied(email, at):
            tell_author_of_reply(email, who=posted.author_name, preview=posted.body)
    return posted


def is_unsubscribe(message) -> bool:
    """The request a mail program sends for List-Unsubscribe's mailto: (subject "unsubscribe", any "Re:")."""
    subject = re.sub(r"^(\s*(re|aw|sv|antw)\s*:\s*)+", "", subject_of(message), flags=re.IGNORECASE)
    return subject.strip().lower() == "unsubscribe"


def tell_author_of_reply(email: OutboundEmail, *, who: str, preview: str) -> None:
    """After commit, the email's author is told that ``who`` replied (``email_reply``)."""
    from backline.notifications.services import notify

    author = email.created_by
    if author is None or not author.is_active:
        return
    url = thread_link(email.thread, email.workspace.slug)
    title = f"{who} replied to “{email.subject}”"[:200]
    preview = preview if len(preview) <= 300 else preview[:299] + "…"
    workspace_id = email.workspace_id
    transaction.on_commit(lambda: notify(users=[author], type=NotificationType.EMAIL_REPLY, title=title, body=preview,
                                         url=url, workspace_id=workspace_id))


def _attachments(message) -> tuple[list[tuple], list[str]]:
    """The message's attachments that pass the upload checks (as files to store) and the names of those
    that do not (or all of them, where attachments are not checked on this server)."""
    parts = list(message.attachments or [])
    if not parts:
        return [], []
    try:
        from backline.conversations.attachments import check_upload, clean_filename
    except ImportError:  # pragma: no cover  (the attachment checks ship with the threads part)
        check_upload, clean_filename = None, lambda name: name.replace("/", "_").replace("\\", "_")[-200:] or "file"
    from backline.core.errors import DomainError

    limit = getattr(settings, "MESSAGE_ATTACHMENTS_PER_MESSAGE", 5)
    kept, dropped = [], []
    for part in parts:
        filename = clean_filename(no_nul(part.get_filename() or "attachment"))
        if check_upload is None or len(kept) >= limit:
            dropped.append(filename)
            continue
        upload = SimpleUploadedFile(filename, part.get_content_bytes() or b"", content_type=part.get_content_type())
        try:
            content_type, size = check_upload(upload)
        except DomainError:
            dropped.append(filename)
            continue
        upload.seek(0)
        kept.append((upload, content_type, size))
    return kept, dropped


def hold(*, message, reason: str, thread: Thread | None, token: str, address: str, name: str, at) -> QuarantinedEmail:
    """Keep the message for a person: the thread's workspace (its outreach managers are told), or the
    site's staff when no thread is known."""
    item = QuarantinedEmail.objects.create(
        received_at=at, reason=reason, thread=thread, workspace=thread.workspace if thread else None, token=token[:100],
        from_email=address, from_name=name, to=_recipients(message), subject=subject_of(message)[:300],
        text=text_of(message)[:MAX_BODY], headers=_headers(message))
    logger.info("Held incoming email %s (%s) from %s", item.pk, reason, address)
    if thread is not None:
        transaction.on_commit(lambda: _tell_reviewers(item))
    return item


def _tell_reviewers(item: QuarantinedEmail) -> None:
    from django.urls import NoReverseMatch, reverse

    from backline.notifications.services import notify

    managers = [m.user for m in Membership.objects.select_related("user").filter(
        workspace_id=item.workspace_id, role__in=roles_with(OUTREACH_MANAGE))]
    try:
        url = reverse("quarantine_list", args=[item.workspace.slug])
    except NoReverseMatch:
        url = ""
    who = item.from_name or item.from_email or "someone"
    notify(users=managers, type=NotificationType.QUARANTINE, title=f"Email from {who} held for review"[:200],
           body=f"“{item.subject or '(no subject)'}” — {QuarantineReason(item.reason).label}.", url=url,
           workspace_id=item.workspace_id)


@receiver(inbound, dispatch_uid="backline.mail.inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    """anymail's inbound signal, sent by our verified webhook view for each incoming message."""
    inbound_receive(provider=esp_name, event=event)


def thread_emails_of(thread: Thread) -> set[str]:
    """Every address that may write to the thread by email (lower-case): its contacts', those its
    outreach was sent to (even after the contact was deleted: they answer the email they got), and
    those of the active members of its current workspace parties whose role may send messages. Mail
    from these addresses is posted as received by email from the address, never as a Backline user."""
    emails = {e.lower() for e in thread.parties.filter(contact__isnull=False)
              .exclude(contact__email="").values_list("contact__email", flat=True)}
    emails |= {e.lower() for e in OutboundEmail.objects.filter(thread=thread).values_list("to_email", flat=True)}
    workspace_ids = [p.workspace_id for p in current_workspace_parties(thread)]
    emails |= {e.lower() for e in Membership.objects.filter(workspace_id__in=workspace_ids, user__is_active=True,
                                                            role__in=roles_with(MESSAGES_SEND))
               .values_list("user__email", flat=True) if e}
    return emails
