# ruff: noqa: F811  (the shared fixtures are imported from fixtures.py and named as arguments)
"""Follow-ups: an outreach email from a template with follow-up days that gets no reply gives its sender a
draft (from the follow-up template, merged) and a ``follow_up`` notification once the days have passed;
a reply (marked by tracking, or an answer arriving in the thread) stops it, as do a bounce or an opt-out;
each email is reminded once; the sequence continues through the follow-up's own template."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backline.accounts.models import Role
from backline.conversations import services as conversations
from backline.conversations.models import MessageSource
from backline.mail.models import EmailStatus, OutboundEmail, SuppressionReason
from backline.mail.services import suppressions, tracking
from backline.notifications.models import Notification, NotificationType
from backline.outreach.services import email_templates, follow_ups, sending
from backline.outreach.tasks import remind_follow_ups

from .fixtures import contact, fire, hall  # noqa: F401

pytestmark = pytest.mark.django_db
DAYS = 4


@pytest.fixture
def sequence(hall):
    """A pitch that follows up after 4 days with a nudge, which follows up after 7 days with a last call."""
    workspace, people = hall
    owner = people[Role.OWNER]
    last = email_templates.template_create(actor=owner, workspace_id=workspace.pk, name="Last call", subject="Last call",
                                    body="Last try, {{ contact_first_name }}.")
    nudge = email_templates.template_create(actor=owner, workspace_id=workspace.pk, name="Nudge", subject="Nudge",
                                     body="Hi {{ contact_first_name }}, any news from {{ organisation }}?",
                                     follow_up_days=7, follow_up_template_id=last.pk)
    pitch = email_templates.template_create(actor=owner, workspace_id=workspace.pk, name="Pitch",
                                            subject="Dates for {{ workspace }}",
                                     body="Hi {{ contact_first_name }}", follow_up_days=DAYS, follow_up_template_id=nudge.pk)
    return pitch, nudge, last


@pytest.fixture
def pitched(hall, sequence, fire):
    workspace, people = hall
    coordinator = people[Role.COORDINATOR]
    ana = contact(workspace, people[Role.OWNER], "Ana Silva", "ana@agency.example", "Northern Agency")
    with fire():
        [email] = sending.outreach_send(actor=coordinator, workspace_id=workspace.pk,
                                         recipients=[sending.Recipient(contact_id=ana.pk)], template_id=sequence[0].pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.follow_up_due_at is not None
    return email


def later(days, minutes=1):
    return timezone.now() + dt.timedelta(days=days, minutes=minutes)


def test_no_reply_after_the_days_gives_the_sender_a_draft_and_a_notification(hall, sequence, pitched):
    workspace, people = hall
    assert follow_ups.follow_ups_remind(now=later(DAYS - 1)) == 0  # not yet
    assert follow_ups.follow_ups_remind(now=later(DAYS)) == 1
    draft = OutboundEmail.objects.get(status=EmailStatus.DRAFT)
    assert (draft.follow_up_of, draft.thread_id, draft.contact_id, draft.template) == (
        pitched, pitched.thread_id, pitched.contact_id, sequence[1])
    assert draft.subject == "Re: Dates for Lantern Hall" and draft.body_text == "Hi Ana, any news from Northern Agency?"
    assert draft.message_id is None  # not in the thread, not in the outbox
    pitched.refresh_from_db()
    assert pitched.follow_up_reminded_at is not None
    [note] = Notification.objects.filter(type=NotificationType.FOLLOW_UP)
    assert note.user == people[Role.COORDINATOR] and note.workspace_id == workspace.pk
    assert note.url == f"/w/{workspace.slug}/outreach/compose/?draft={draft.pk}"
    assert "No reply from Ana Silva" in note.title
    assert follow_ups.follow_ups_remind(now=later(DAYS + 3)) == 0  # once
    assert OutboundEmail.objects.filter(status=EmailStatus.DRAFT).count() == 1


def test_a_reply_stops_the_sequence(pitched):
    email = OutboundEmail.objects.select_for_update().get(pk=pitched.pk)
    tracking.mark_replied(email, timezone.now())
    assert follow_ups.follow_ups_remind(now=later(DAYS + 1)) == 0
    assert not OutboundEmail.objects.filter(status=EmailStatus.DRAFT).exists()
    assert not Notification.objects.filter(type=NotificationType.FOLLOW_UP).exists()


def test_an_answer_in_the_thread_stops_it_even_before_the_email_is_marked(pitched):
    conversations.add_message(thread=pitched.thread, body="Sounds good, call me", source=MessageSource.EMAIL_IN,
                            author_name="Ana Silva", author_email="ana@agency.example", notify=False)
    assert follow_ups.follow_ups_remind(now=later(DAYS + 1)) == 0
    pitched.refresh_from_db()
    assert pitched.follow_up_reminded_at is not None  # closed: not looked at again
    assert not OutboundEmail.objects.filter(status=EmailStatus.DRAFT).exists()


def test_bounced_or_opted_out_recipients_get_no_reminder(hall, pitched):
    workspace, _ = hall
    suppressions.suppress(workspace_id=workspace.pk, email="ana@agency.example", reason=SuppressionReason.OPTED_OUT)
    assert follow_ups.follow_ups_remind(now=later(DAYS + 1)) == 0
    OutboundEmail.objects.filter(pk=pitched.pk).update(status=EmailStatus.BOUNCED, follow_up_reminded_at=None)
    assert follow_ups.follow_ups_remind(now=later(DAYS + 1)) == 0
    assert not Notification.objects.filter(type=NotificationType.FOLLOW_UP).exists()


def test_the_sequence_continues_through_the_follow_ups_own_template(hall, sequence, pitched, fire):
    workspace, people = hall
    follow_ups.follow_ups_remind(now=later(DAYS))
    draft = OutboundEmail.objects.get(status=EmailStatus.DRAFT)
    with fire():
        [nudge] = sending.outreach_send(actor=people[Role.COORDINATOR], workspace_id=workspace.pk,
                                         recipients=[sending.Recipient(contact_id=draft.contact_id)], draft_id=draft.pk)
    assert (nudge.follow_up_of, nudge.template, nudge.thread_id) == (pitched, sequence[1], pitched.thread_id)
    assert nudge.body_text.startswith("Hi Ana, any news from Northern Agency?")
    assert nudge.follow_up_due_at is not None
    assert follow_ups.follow_ups_remind(now=later(7 + 1)) == 1
    last = OutboundEmail.objects.get(status=EmailStatus.DRAFT)
    assert last.follow_up_of == nudge and last.body_text == "Last try, Ana." and last.template == sequence[2]


def test_a_template_without_follow_up_days_sets_no_reminder(hall, sequence, fire):
    workspace, people = hall
    with fire():
        [email] = sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                         recipients=[sending.Recipient(email="x@y.example", name="X")],
                                         template_id=sequence[2].pk)
    assert email.follow_up_due_at is None


def test_the_task_runs_the_reminders(pitched, settings):
    assert remind_follow_ups.apply().get() == 0  # not due yet
    OutboundEmail.objects.filter(pk=pitched.pk).update(follow_up_due_at=timezone.now() - dt.timedelta(minutes=1))
    assert remind_follow_ups.apply().get() == 1
