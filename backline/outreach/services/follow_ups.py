"""Follow-up reminders: an email sent from a template with "follow up after N days" that got no
reply in time becomes a draft follow-up for its sender, who is told (hourly task)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from backline.accounts.models import Membership
from backline.accounts.permissions import OUTREACH_MANAGE, OUTREACH_SEND, roles_with
from backline.conversations.models import Message, MessageSource
from backline.core import audit
from backline.core.errors import NotFound
from backline.mail.models import EmailStatus, OutboundEmail
from backline.mail.services import outbox, suppressions
from backline.notifications.models import NotificationType

from .. import merge_fields
from ..permissions import booking_of
from .sending import compose_url

log = logging.getLogger(__name__)

REMINDABLE = (EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.OPENED)


def _re(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"[:200]


def _who_to_tell(email: OutboundEmail) -> list:
    """The email's sender if they may still send for the workspace; else its owners and admins."""
    senders = roles_with(OUTREACH_SEND)
    if email.created_by_id and Membership.objects.filter(user_id=email.created_by_id, workspace_id=email.workspace_id,
                                                         role__in=senders).exists():
        return [email.created_by]
    return [m.user for m in Membership.objects.select_related("user")
            .filter(workspace_id=email.workspace_id, role__in=roles_with(OUTREACH_MANAGE))]


def _close(email: OutboundEmail, now: dt.datetime, why: str) -> None:
    """End the email's sequence without a reminder (``follow_up_reminded_at`` marks it handled)."""
    outbox.follow_up_close(email=email, now=now)
    audit.record(actor=None, action="outbound_email.follow_up_closed", obj=email, workspace_id=email.workspace_id,
                 after={"reason": why})


def _remind_one(email_id: int, now: dt.datetime) -> OutboundEmail | None:
    from backline.notifications.services import notify

    with transaction.atomic():
        email = (OutboundEmail.objects.select_for_update(of=("self",))
                 .select_related("workspace", "template__follow_up_template", "created_by", "contact")
                 .filter(pk=email_id, follow_up_reminded_at__isnull=True, replied_at__isnull=True,
                         follow_up_due_at__lte=now, status__in=REMINDABLE).first())
        if email is None:  # replied, bounced or handled since the list was read
            return None
        answered = Message.objects.filter(thread_id=email.thread_id, source=MessageSource.EMAIL_IN,
                                          created_at__gt=email.created_at).exists() if email.thread_id else False
        if answered:
            _close(email, now, "a reply arrived in the thread")
            return None
        if suppressions.sendable(workspace_id=email.workspace_id, emails=[email.to_email]):
            _close(email, now, "the address bounced or opted out")
            return None
        later = OutboundEmail.objects.filter(thread_id=email.thread_id, to_email__iexact=email.to_email,
                                             created_at__gt=email.created_at).exclude(pk=email.pk).exclude(
            status__in=(EmailStatus.DRAFT, EmailStatus.CANCELLED)).exists() if email.thread_id else False
        if later:
            _close(email, now, "a later email to the same person continues the conversation")
            return None
        follow_up = email.template.follow_up_template if email.template_id else None
        if follow_up is None:
            _close(email, now, "no follow-up template")
            return None
        try:
            booking = booking_of(email.workspace, email.booking_id) if email.booking_id else None
        except NotFound:  # the booking is no longer the workspace's to see
            booking = None
        source = merge_fields.MergeSource(workspace=email.workspace, sender=email.created_by, booking=booking,
                                          texts=(follow_up.body,))
        values = source.for_recipient(contact=email.contact, name=email.to_name)
        draft = outbox.follow_up_draft_create(email=email, template=follow_up, subject=_re(email.subject),
                                              body_text=merge_fields.render_body(follow_up.body, values), now=now)
        audit.record(actor=None, action="outbound_email.follow_up_drafted", obj=draft, workspace_id=email.workspace_id,
                     after={"follow_up_of": email.pk, "template": follow_up.pk})
        days = max(1, (now - email.created_at).days)
        people = _who_to_tell(email)
        if people:
            notify(users=people, type=NotificationType.FOLLOW_UP,
                   title=f"No reply from {email.to_name or email.to_email} in {days} day{'s' if days != 1 else ''}",
                   body=f"“{email.subject}”: a follow-up draft is ready for you to check and send.",
                   url=compose_url(email.workspace.slug, draft=draft.pk), workspace_id=email.workspace_id)
    return draft


def follow_ups_remind(*, now: dt.datetime | None = None) -> int:
    """For every sent email whose follow-up is due with no reply (and not bounced or opted out): a
    follow-up draft from its template's follow-up template, and a ``follow_up`` notification to its
    sender linking to the draft. Each email is handled in its own transaction, once. Answers how many
    drafts were made."""
    now = now or timezone.now()
    due = list(OutboundEmail.objects.filter(follow_up_due_at__lte=now, follow_up_reminded_at__isnull=True,
                                            replied_at__isnull=True, status__in=REMINDABLE)
               .order_by("follow_up_due_at", "id").values_list("pk", flat=True))
    made = 0
    for email_id in due:
        try:
            if _remind_one(email_id, now) is not None:
                made += 1
        except Exception:  # one broken email must not stop everyone else's reminders
            log.exception("follow-up reminder for outbound email %s failed", email_id)
    return made
