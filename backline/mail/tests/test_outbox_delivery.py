"""The outbox delivers through a real SMTP server (aiosmtpd on loopback): nothing is lost while the server
is down, nothing is sent twice, permanent refusals bounce, and mail to an address suppressed after it
was queued is cancelled."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections import Counter
from contextlib import nullcontext
from email import policy

import pytest
from aiosmtpd.controller import Controller
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.message import AnymailRecipientStatus
from django.test import override_settings
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.conversations.models import MessageSource
from backline.core.models import AuditEntry
from backline.core.timeutil import day_words
from backline.mail import tasks
from backline.mail.models import EmailStatus, OutboundEmail, SenderIdentity, Suppression, SuppressionReason
from backline.mail.services import delivery, outbox, suppressions
from backline.notifications.models import Notification, NotificationType

pytestmark = pytest.mark.django_db


class Mailbox:
    """An aiosmtpd handler that keeps what it accepts and refuses the recipients in ``refuse`` with 550."""

    def __init__(self, refuse=()):
        self.envelopes = []
        self.refuse = {a.lower() for a in refuse}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [email.message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]

    def message_ids(self) -> Counter:
        return Counter(m["Message-ID"] for m in self.messages())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp(port: int):
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                             EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="",
                             EMAIL_HOST_PASSWORD="", EMAIL_TIMEOUT=5)


@pytest.fixture
def server():
    """start(port, refuse=()) → a running Mailbox on 127.0.0.1:port; stopped at the end."""
    running = []

    def start(port: int, refuse=()):
        handler = Mailbox(refuse)
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        running.append(controller)
        return handler

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def promoter(make_team):
    workspace, people = make_team(WorkspaceKind.PROMOTER, name="Night Owl Promotions")
    return workspace, people[Role.OWNER]


def queue(promoter, fire, n=1, **kw):
    workspace, owner = promoter
    out = []
    with fire():
        for i in range(n):
            args = {"to_email": f"buyer{i}@example.org", "to_name": f"Buyer {i}", "subject": f"Pitch {i}",
                    "body": f"Hello {i},\n\nWe would love to play **your room**."} | kw
            out.append(outbox.email_queue(actor=owner, workspace_id=workspace.pk, **args))
    return out


def test_fault_the_server_is_down_then_up_and_every_email_goes_out_exactly_once(promoter, fire, server):
    port = free_port()  # nothing listens here yet
    with smtp(port):
        emails = queue(promoter, fire, n=20)  # each one's delivery task runs after commit, and fails

        for e in OutboundEmail.objects.filter(pk__in=[e.pk for e in emails]):
            assert e.status == EmailStatus.QUEUED
            assert e.attempts == 1
            assert "Could not reach the mail server" in e.last_error
            assert e.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)  # backoff 30 s (+ jitter)
        # Not due yet: a sweep now sends nothing and changes nothing.
        assert delivery.deliver_due() == {}

        # Still down when the first retries come due: the sweep tries once, backs off, and stops.
        later = timezone.now() + dt.timedelta(seconds=40)  # the first retries (30-33 s) are due
        assert delivery.deliver_due(now=later) == {EmailStatus.QUEUED: 1}
        assert OutboundEmail.objects.filter(attempts=2).count() == 1

        mailbox = server(port)  # the server comes back
        counts = delivery.deliver_due(now=later)
        assert counts == {EmailStatus.SENT: 19}  # the one that just failed again waits for its backoff (60 s)
        counts = delivery.deliver_due(now=timezone.now() + dt.timedelta(minutes=5))
        assert counts == {EmailStatus.SENT: 1}

        # Sweeping again and re-running every per-email task sends nothing twice.
        assert delivery.deliver_due(now=timezone.now() + dt.timedelta(hours=2)) == {}
        assert delivery.deliver_due(now=timezone.now() + dt.timedelta(hours=2)) == {}
        for e in emails:
            assert tasks.deliver_email.delay(e.pk).get() is None

    ids = mailbox.message_ids()
    assert len(ids) == 20 and set(ids.values()) == {1}
    assert set(ids) == {e.header_message_id for e in emails}
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="outbound_email.sent").count() == 20


def test_a_second_claim_of_the_same_email_gets_nothing(promoter, fire, server):
    port = free_port()
    mailbox = server(port)
    with smtp(port):
        [e] = queue(promoter, nullcontext, n=1)  # delivery not scheduled: the on-commit work is dropped
        first = delivery.claim(e.pk)
        assert first is not None and first.attempts == 1
        assert delivery.claim(e.pk) is None  # leased to the first worker
        assert delivery.deliver_one(e.pk) is None
        assert delivery.deliver_due() == {}
        assert mailbox.envelopes == []
        # Even once the lease is over, a worker holding an old claim cannot record over a newer one.
        stale = delivery.claim(e.pk, now=timezone.now() + dt.timedelta(hours=1))
        assert stale is not None and stale.attempts == 2
        delivery.mark_sent(first)  # the first worker's late answer
        assert OutboundEmail.objects.get(pk=e.pk).status == EmailStatus.QUEUED
        delivery.mark_sent(stale)
        assert OutboundEmail.objects.get(pk=e.pk).status == EmailStatus.SENT


def test_a_slow_batch_never_sends_an_email_another_worker_took_after_its_lease_ran_out(promoter, server, settings):
    """Worker A claims a batch of three; it is so slow that the lease runs out before it reaches them, and
    worker B (a sweep later on) claims and sends the second. A renews each lease right before sending:
    the first and third are still its own and go out, the second is B's and A skips it."""
    port = free_port()
    mailbox = server(port)
    with smtp(port):
        emails = queue(promoter, nullcontext, n=3)  # delivery not scheduled
        batch = delivery.claim_batch(limit=3)  # worker A
        assert [e.pk for e in batch] == [e.pk for e in emails]
        lease_over = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 60)
        assert delivery.claim(emails[0].pk, now=timezone.now()) is None  # leased to A while the lease lasts
        assert delivery.deliver_one(emails[1].pk, now=lease_over) == EmailStatus.SENT  # worker B
        counts: dict[str, int] = {}
        assert delivery._send_batch(batch, counts) is True  # A goes on with its (old) batch
        assert counts == {EmailStatus.SENT: 2}

    ids = mailbox.message_ids()
    assert len(mailbox.envelopes) == 3 and set(ids.values()) == {1}
    assert set(ids) == {e.header_message_id for e in emails}
    rows = {e.pk: e for e in OutboundEmail.objects.filter(pk__in=[e.pk for e in emails])}
    assert {r.status for r in rows.values()} == {EmailStatus.SENT}
    assert [rows[e.pk].attempts for e in emails] == [1, 2, 1]  # the second: A's claim, then B's
    assert AuditEntry.objects.filter(action="outbound_email.sent").count() == 3


def test_the_lease_is_renewed_right_before_the_send_and_only_by_its_holder(promoter, settings):
    [e] = queue(promoter, nullcontext, n=1)
    settings.OUTBOX_CLAIM_SECONDS = 60
    mine = delivery.claim(e.pk)
    first_lease = mine.next_attempt_at
    settings.OUTBOX_CLAIM_SECONDS = 600
    assert delivery.renew_lease(mine) is True
    row = OutboundEmail.objects.get(pk=e.pk)
    assert row.next_attempt_at == mine.next_attempt_at > first_lease + dt.timedelta(seconds=500)
    # Past the first lease, nobody else can take it any more.
    assert delivery.claim(e.pk, now=first_lease + dt.timedelta(seconds=60)) is None
    # Past the renewed one another worker can; then the first holder's renewal fails and it keeps off.
    theirs = delivery.claim(e.pk, now=mine.next_attempt_at + dt.timedelta(seconds=1))
    assert theirs is not None and theirs.attempts == 2
    assert delivery.renew_lease(mine) is False
    assert delivery.renew_lease(theirs) is True
    # A handed-back email is not the old holder's either.
    delivery.release([theirs])
    assert delivery.renew_lease(theirs) is False
    assert delivery.deliver_one(e.pk) == EmailStatus.SENT  # due again at once, for whoever claims it


def test_the_email_as_it_arrives(promoter, fire, server):
    workspace, owner = promoter
    SenderIdentity.objects.create(workspace=workspace, from_name="Mia from Night Owl", from_email="mia@nightowl.example",
                                  signature="Mia Jensen\nNight Owl Promotions")
    port = free_port()
    mailbox = server(port)
    with smtp(port):
        [sent] = queue(promoter, fire, to_email="Booker@Venue.example", to_name="Ana Booker",
                       subject="Friday 12 September?", body="Hi Ana,\n\n<script>alert(1)</script> **Bold** plan")
    sent.refresh_from_db()
    assert sent.status == EmailStatus.SENT and sent.attempts == 1 and sent.sent_at is not None

    [envelope] = mailbox.envelopes
    assert envelope.mail_from == "mia@nightowl.example"
    assert envelope.rcpt_tos == ["Booker@venue.example"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["From"] == "Mia from Night Owl <mia@nightowl.example>"
    assert message["To"] == "Ana Booker <Booker@venue.example>"
    assert message["Subject"] == "Friday 12 September?"
    assert message["Message-ID"] == sent.header_message_id and sent.header_message_id.endswith("@nightowl.example>")
    assert message["Reply-To"] == f"reply+{sent.thread.reply_token}@reply.backline.local"
    opt_out = suppressions.opt_out_url(workspace_id=workspace.pk, email="booker@venue.example")
    assert message["List-Unsubscribe"].strip() == f"<{opt_out}>, <mailto:{sent.reply_to}?subject=unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Hi Ana,")
    assert "-- \nMia Jensen\nNight Owl Promotions" in text
    assert opt_out in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert "<strong>Bold</strong>" in html
    assert f'href="{opt_out}"' in html
    assert "Mia Jensen" in html

    # The outgoing message is in the thread, as the sender's.
    assert sent.message.source == MessageSource.EMAIL_OUT
    assert sent.message.author == owner and sent.message.thread_id == sent.thread_id


def test_a_failing_server_is_retried_with_growing_waits_then_failed_and_the_sender_told(promoter, fire, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_BACKOFF_SECONDS = 30
    workspace, owner = promoter
    port = free_port()
    with smtp(port):
        [e] = queue(promoter, fire, to_email="gone@example.org")
        waits = []
        for _ in range(2):
            e.refresh_from_db()
            assert e.status == EmailStatus.QUEUED
            start = timezone.now()
            waits.append((e.next_attempt_at - start).total_seconds())
            delivery.deliver_due(now=e.next_attempt_at + dt.timedelta(seconds=1))
        e.refresh_from_db()
    assert 25 < waits[0] <= 34 and 55 < waits[1] <= 67  # 30 s, then 60 s (+ up to 10% jitter)
    assert e.status == EmailStatus.FAILED and e.attempts == 3 and e.next_attempt_at is None
    assert "Could not reach the mail server" in e.last_error
    [note] = Notification.objects.filter(user=owner, type=NotificationType.EMAIL_REPLY)
    assert note.title == "Email to gone@example.org could not be delivered"
    assert AuditEntry.objects.filter(action="outbound_email.failed", object_id=str(e.pk)).count() == 1
    # A failed email is final: the sweep and the task leave it alone.
    assert delivery.deliver_due(now=timezone.now() + dt.timedelta(days=1)) == {}
    assert delivery.deliver_one(e.pk) is None


def test_backoff_doubles_and_stops_at_an_hour(settings):
    settings.OUTBOX_BACKOFF_SECONDS = 30
    assert 30 <= delivery.backoff_seconds(1) <= 33
    assert 240 <= delivery.backoff_seconds(4) <= 264
    assert delivery.backoff_seconds(20) == 3600


def test_a_permanent_refusal_bounces_and_suppresses_the_address_everywhere(promoter, fire, server, make_team):
    workspace, owner = promoter
    port = free_port()
    mailbox = server(port, refuse=["nobody@venue.example"])
    with smtp(port):
        bad, good = queue(promoter, fire, n=1, to_email="nobody@venue.example") + queue(promoter, fire, n=1)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == EmailStatus.BOUNCED and bad.bounced_at is not None and bad.attempts == 1
    assert "550" in bad.last_error
    assert good.status == EmailStatus.SENT
    assert len(mailbox.envelopes) == 1
    suppression = Suppression.objects.get(email="nobody@venue.example")
    assert suppression.workspace is None and suppression.reason == SuppressionReason.BOUNCED
    assert suppression.source_email == bad
    note = Notification.objects.get(user=owner, type=NotificationType.EMAIL_REPLY)
    assert note.title == "Email to nobody@venue.example bounced"
    assert "could not be delivered: the address doesn't exist." in note.body and "550" not in note.body
    # Every workspace is now refused this address, with the reason.
    other, people = make_team(WorkspaceKind.VENUE, name="Other Room")
    assert suppressions.sendable(workspace_id=other.pk, emails=["Nobody@Venue.example"]) == {
        "nobody@venue.example": f"bounced on {day_words(timezone.localdate())}"}


def test_a_temporary_refusal_is_retried_not_bounced(promoter, fire, server):
    port = free_port()

    class Busy(Mailbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "451 4.7.1 Greylisted, try again later"

    controller = Controller(Busy(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp(port):
            [e] = queue(promoter, fire)
    finally:
        controller.stop()
    e.refresh_from_db()
    assert e.status == EmailStatus.QUEUED and e.attempts == 1 and "451" in e.last_error
    assert not Suppression.objects.exists()


def test_mail_to_an_address_suppressed_after_queueing_is_cancelled(promoter, server):
    workspace, owner = promoter
    port = free_port()
    mailbox = server(port)
    with smtp(port):
        [e] = queue(promoter, nullcontext)  # queued; delivery not yet run
        suppressions.suppress(workspace_id=workspace.pk, email="BUYER0@example.org", reason=SuppressionReason.OPTED_OUT)
        assert delivery.deliver_due() == {}
    e.refresh_from_db()
    assert e.status == EmailStatus.CANCELLED
    assert e.last_error.startswith("Not sent: buyer0@example.org opted out on")
    assert mailbox.envelopes == []
    assert AuditEntry.objects.filter(action="outbound_email.cancelled", object_id=str(e.pk)).exists()


def test_the_periodic_task_and_the_per_email_task_deliver(promoter, server):
    port = free_port()
    mailbox = server(port)
    with smtp(port):
        a, b = queue(promoter, nullcontext, n=2)
        assert tasks.deliver_email.delay(a.pk).get() == EmailStatus.SENT
        assert tasks.deliver_outbox.delay().get() == {EmailStatus.SENT: 1}
    assert sorted(mailbox.message_ids()) == sorted([a.header_message_id, b.header_message_id])


def test_the_sweep_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["deliver-outbox"]
    assert entry == {"task": "backline.messaging.tasks.deliver_outbox", "schedule": 60.0}


def test_the_development_mailbox_receives_outreach_by_default(promoter, fire, settings):
    from backline.core.models import MailboxMessage

    settings.EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
    [e] = queue(promoter, fire, to_email="dev@example.org")
    e.refresh_from_db()
    assert e.status == EmailStatus.SENT
    stored = MailboxMessage.objects.get(to__contains="dev@example.org")
    assert stored.subject == "Pitch 0" and "Stop emails" in stored.html


def test_a_batch_queued_together_goes_out_over_one_connection(promoter, fire, server):
    workspace, owner = promoter
    port = free_port()
    mailbox = server(port)
    sessions = set()
    original = mailbox.handle_DATA

    async def remember(server_, session, envelope):
        sessions.add(id(session))
        return await original(server_, session, envelope)

    mailbox.handle_DATA = remember
    items = [{"to_email": f"list{i}@venue.example", "subject": f"Hello {i}", "body": "Hi"} for i in range(5)]
    with smtp(port), fire():
        created = outbox.email_queue_many(actor=owner, workspace_id=workspace.pk, emails=items)
    assert len(mailbox.envelopes) == 5 and len(sessions) == 1
    assert set(OutboundEmail.objects.filter(pk__in=[e.pk for e in created]).values_list("status", flat=True)) == {
        EmailStatus.SENT}


def test_an_anymail_provider_gets_the_metadata_and_its_message_id_is_kept(promoter, fire, settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # anymail's own test provider
    mail.outbox = []
    [e] = queue(promoter, fire, to_email="api@venue.example")
    e.refresh_from_db()
    [sent] = mail.outbox
    assert e.status == EmailStatus.SENT and e.provider_message_id == "0"  # the test provider's id
    params = sent.anymail_test_params
    assert params["metadata"] == {"backline_email_id": str(e.pk)} and params["tags"] == ["outreach"]
    assert params["reply_to"][0].addr_spec == e.reply_to
    assert params["extra_headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


class RefusingProvider(AnymailTestBackend):
    """Anymail's test provider, answering "rejected" for addresses at refused.example (as a provider's
    API does for a recipient on its own suppression list)."""

    def post_to_esp(self, payload, message):
        refused = [a for a in payload.recipient_emails if a.endswith("@refused.example")]
        if refused:
            message.anymail_test_response = {"recipient_status": {
                a: AnymailRecipientStatus(message_id=None, status="rejected") for a in payload.recipient_emails}}
        return super().post_to_esp(payload, message)


def test_a_provider_refusing_the_recipient_bounces(promoter, fire, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingProvider"
    [e] = queue(promoter, fire, to_email="nobody@refused.example")
    e.refresh_from_db()
    assert e.status == EmailStatus.BOUNCED and "rejected" in e.last_error
    assert Suppression.objects.get(email="nobody@refused.example").workspace is None
