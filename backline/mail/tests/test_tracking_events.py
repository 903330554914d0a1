"""Tracking events from the provider, posted as the provider posts them: the email's status moves forward
only, each event is stored once (a duplicate webhook changes nothing), bounces and complaints suppress
the address and tell the sender."""

import datetime as dt
import json

import pytest

from backline.core.errors import Invalid
from backline.core.models import AuditEntry
from backline.mail.models import EmailEvent, EmailStatus, OutboundEmail, Suppression
from backline.mail.services import outbox
from backline.mail.services.tracking import STATUS_RANK, advance_status, mark_replied
from backline.notifications.models import Notification, NotificationType

from .payloads import POSTMARK_SECRET, mailgun_signature, mailgun_tracking, postmark_auth, postmark_tracking, webhook_settings
from .payloads.scene import build_scene

pytestmark = pytest.mark.django_db

TRACKING = "/webhooks/email/mailgun/tracking/"
T0 = 1_760_000_000.0  # a fixed moment: events are "at" T0 + n minutes


def at(minutes: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(T0 + minutes * 60, tz=dt.UTC)


@pytest.fixture
def scene(make_team, fire, settings):
    webhook_settings(settings)
    return build_scene(make_team, fire)


@pytest.fixture
def post(client, fire):
    def send(data, url=TRACKING, **extra):
        with fire():
            response = client.post(url, data=json.dumps(data), content_type="application/json", **extra)
        assert response.status_code == 200, response.content
        return response

    return send


def event(scene, name, minutes, **kw):
    return mailgun_tracking(name, email=scene.email, timestamp=T0 + minutes * 60, **kw)


def test_the_outbox_sent_the_email_with_its_id_for_tracking(scene, mailoutbox):
    assert scene.email.status == EmailStatus.SENT
    assert scene.email.thread is not None
    sent = mailoutbox[-1]
    assert sent.extra_headers["Message-ID"] == scene.email.header_message_id


def test_delivered_then_opened(scene, post):
    post(event(scene, "delivered", 1))
    email = scene.refresh()
    assert email.status == EmailStatus.DELIVERED and email.delivered_at == at(1)
    post(event(scene, "opened", 5))
    email = scene.refresh()
    assert email.status == EmailStatus.OPENED and email.opened_at == at(5)
    events = list(EmailEvent.objects.filter(email=email).values_list("provider", "event_type", "occurred_at"))
    assert events == [("mailgun", "delivered", at(1)), ("mailgun", "opened", at(5))]
    stored = EmailEvent.objects.get(email=email, event_type="delivered")
    assert stored.event_id == "651869375b9df3c98fc15c4889b102119add1235c38fc92824"  # Mailgun's signature token
    assert stored.recipient == "dana@example.org"
    assert "signature" not in stored.payload and stored.payload["event-data"]["event"] == "delivered"


def test_the_same_webhook_delivered_twice_changes_nothing_the_second_time(scene, post):
    payload = event(scene, "opened", 3)
    post(payload)
    email = scene.refresh()
    first = (email.status, email.opened_at, EmailEvent.objects.count(), Notification.objects.count())
    post(payload)
    post(payload)
    email = scene.refresh()
    assert (email.status, email.opened_at, EmailEvent.objects.count(), Notification.objects.count()) == first
    assert EmailEvent.objects.filter(email=email, event_type="opened").count() == 1


def test_a_duplicate_bounce_suppresses_and_notifies_once(scene, post):
    payload = event(scene, "failed_permanent", 2)
    post(payload)
    post(payload)
    assert Suppression.objects.filter(email="dana@example.org").count() == 1
    told = Notification.objects.filter(user=scene.sender, type=NotificationType.EMAIL_REPLY)
    assert told.count() == 1
    assert AuditEntry.objects.filter(action="suppression.created").count() == 1


def test_statuses_never_go_backwards(scene, post):
    post(event(scene, "opened", 10))
    post(event(scene, "delivered", 2, token="late-delivered-token-0000000000000000000000000001"))
    email = scene.refresh()
    assert email.status == EmailStatus.OPENED  # a late "delivered" does not undo "opened"
    assert email.delivered_at == at(2) and email.opened_at == at(10)  # but its time is recorded


def test_a_later_open_does_not_move_the_first_open_time(scene, post):
    post(event(scene, "opened", 10))
    post(event(scene, "opened", 30, token="second-open-token-000000000000000000000000000001"))
    email = scene.refresh()
    assert email.opened_at == at(10)
    assert EmailEvent.objects.filter(email=email, event_type="opened").count() == 2  # both kept as history


def test_a_permanent_failure_bounces_suppresses_everywhere_and_tells_the_sender(scene, post, make_team, fire):
    post(event(scene, "opened", 1))
    post(event(scene, "failed_permanent", 2))
    email = scene.refresh()
    assert email.status == EmailStatus.BOUNCED and email.bounced_at == at(2)
    assert email.follow_up_due_at is None  # no reminder to follow up an address that bounced
    suppression = Suppression.objects.get(email="dana@example.org")
    assert suppression.workspace_id is None and suppression.reason == "bounced" and suppression.source_email == email
    note = Notification.objects.get(user=scene.sender, type=NotificationType.EMAIL_REPLY)
    assert "bounced" in note.title and "The address doesn't exist." in note.body
    assert "550" not in note.body and "5.1.1" not in note.body  # the raw reply stays on the email's page
    assert not Notification.objects.filter(user=scene.owner, type=NotificationType.EMAIL_REPLY).exists()
    stored = EmailEvent.objects.get(email=email, event_type="bounced")
    assert "does not exist" in stored.description
    # Later outreach to the address is refused, with the reason, by this and every other workspace.
    with pytest.raises(Invalid, match="bounced"):
        outbox.email_queue(actor=scene.owner, workspace_id=scene.workspace.pk, to_email="Dana@Example.org",
                           subject="Another try", body="Hello again")
    other = build_scene(make_team, fire, name="Elsewhere Club", to_email="someone@example.net")
    with pytest.raises(Invalid, match="bounced"):
        outbox.email_queue(actor=other.owner, workspace_id=other.workspace.pk, to_email="dana@example.org",
                           subject="Hello", body="Hello")


def test_a_complaint_wins_over_opened_and_suppresses_for_the_workspace(scene, post, make_team, fire):
    post(event(scene, "opened", 1))
    post(event(scene, "complained", 3))
    email = scene.refresh()
    assert email.status == EmailStatus.COMPLAINED and email.complained_at == at(3)
    suppression = Suppression.objects.get(email="dana@example.org")
    assert suppression.workspace_id == scene.workspace.pk and suppression.reason == "complained"
    assert "spam" in Notification.objects.get(user=scene.sender, type=NotificationType.EMAIL_REPLY).title
    with pytest.raises(Invalid, match="spam"):
        outbox.email_queue(actor=scene.owner, workspace_id=scene.workspace.pk, to_email="dana@example.org",
                           subject="Sorry", body="Sorry")
    # Another workspace may still write to her.
    other = build_scene(make_team, fire, name="Elsewhere Club", to_email="dana@example.org")
    assert other.email.status == EmailStatus.SENT


def test_an_unsubscribe_opts_the_address_out_of_the_workspace(scene, post):
    post(event(scene, "unsubscribed", 4))
    email = scene.refresh()
    assert email.status == EmailStatus.SENT  # status unchanged; the opt-out is a suppression
    assert Suppression.objects.get(email="dana@example.org", workspace=scene.workspace).reason == "opted_out"
    assert email.follow_up_due_at is None


def test_a_reply_is_final_a_later_bounce_is_recorded_but_does_not_move_it(scene, post):
    email = scene.refresh()
    assert mark_replied(email, at(5))
    post(event(scene, "opened", 6))
    post(event(scene, "complained", 7))
    email = scene.refresh()
    assert email.status == EmailStatus.REPLIED
    assert email.opened_at == at(6) and email.complained_at == at(7)
    assert Suppression.objects.filter(email="dana@example.org", workspace=scene.workspace).exists()


def test_an_event_found_by_message_id_when_metadata_is_missing(scene, post):
    data = mailgun_tracking("delivered", email=scene.email, timestamp=T0)
    data["event-data"]["user-variables"] = {}
    data["signature"]["signature"] = mailgun_signature(data["signature"]["timestamp"], data["signature"]["token"])
    post(data)
    assert scene.refresh().status == EmailStatus.DELIVERED


def test_metadata_naming_another_recipients_email_is_not_trusted(scene, post, make_team, fire):
    other = build_scene(make_team, fire, name="Elsewhere Club", to_email="else@example.net")
    data = mailgun_tracking("complained", email=scene.email, email_id=other.email.pk, timestamp=T0)
    post(data)  # recipient dana@..., metadata points at an email to else@...: matched by Message-ID instead
    assert scene.refresh().status == EmailStatus.COMPLAINED
    assert other.refresh().status == EmailStatus.SENT


def test_an_event_for_an_unknown_message_is_kept_without_an_email(scene, post):
    post(mailgun_tracking("delivered", recipient="nobody@example.com", message_id="1234.abc@elsewhere.test",
                          email_id="not-a-number", timestamp=T0))
    stored = EmailEvent.objects.get(event_type="delivered")
    assert stored.email is None and stored.recipient == "nobody@example.com"
    assert scene.refresh().status == EmailStatus.SENT


def test_status_rank_table():
    assert [s for s, _ in sorted(STATUS_RANK.items(), key=lambda kv: kv[1]) if s not in (EmailStatus.FAILED,)] == [
        EmailStatus.QUEUED, EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.OPENED, EmailStatus.BOUNCED,
        EmailStatus.COMPLAINED, EmailStatus.REPLIED]


def test_drafts_and_cancelled_emails_are_never_moved():
    for status in (EmailStatus.DRAFT, EmailStatus.CANCELLED):
        email = OutboundEmail(status=status)
        assert advance_status(email, EmailStatus.DELIVERED, at(1)) == []
        assert email.status == status and email.delivered_at is None


# --- Postmark: no event id on deliveries (a stable one is derived), the provider's message id ------------

def test_postmark_delivery_and_hard_bounce(scene, post, settings):
    webhook_settings(settings, "postmark", key=None, secret=POSTMARK_SECRET)
    assert scene.email.status == EmailStatus.SENT
    url = "/webhooks/email/postmark/tracking/"
    delivery = postmark_tracking("delivery", email=scene.email)
    delivery["Metadata"] = {}  # found by Postmark's MessageID instead
    # what the Postmark backend would have answered when the outbox sent it
    OutboundEmail.objects.filter(pk=scene.email.pk).update(provider_message_id=delivery["MessageID"])
    post(delivery, url, **postmark_auth())
    post(delivery, url, **postmark_auth())  # no ID in Postmark deliveries: the derived one dedupes
    email = scene.refresh()
    assert email.status == EmailStatus.DELIVERED
    assert email.delivered_at == dt.datetime(2019, 11, 5, 16, 33, 54, 907025, tzinfo=dt.UTC)
    events = EmailEvent.objects.filter(email=email, provider="postmark")
    assert events.count() == 1 and events.get().event_id.startswith("derived:")
    post(postmark_tracking("bounce", email=scene.email), url, **postmark_auth())
    assert scene.refresh().status == EmailStatus.BOUNCED
    assert Suppression.objects.filter(email="dana@example.org", workspace__isnull=True).exists()


def test_postmark_soft_bounce_does_not_suppress(scene, post, settings):
    webhook_settings(settings, "postmark", key=None, secret=POSTMARK_SECRET)
    soft = postmark_tracking("bounce", email=scene.email)
    soft.update({"Type": "SoftBounce", "TypeCode": 4096, "ID": 42})
    post(soft, "/webhooks/email/postmark/tracking/", **postmark_auth())
    assert scene.refresh().status == EmailStatus.BOUNCED
    assert not Suppression.objects.exists()


# --- only what went out can be replied to ------------------------------------------------------------------

@pytest.mark.parametrize("status", [EmailStatus.QUEUED, EmailStatus.FAILED, EmailStatus.DRAFT, EmailStatus.CANCELLED])
def test_an_email_that_never_went_out_is_never_marked_replied(scene, status):
    OutboundEmail.objects.filter(pk=scene.email.pk).update(status=status, sent_at=None)
    email = scene.refresh()
    assert advance_status(email, EmailStatus.REPLIED, at(1)) == []
    assert not mark_replied(email, at(1))
    email = scene.refresh()
    assert email.status == status and email.replied_at is None


def test_a_sent_email_is_still_replied_to(scene):
    for status in (EmailStatus.SENT, EmailStatus.DELIVERED, EmailStatus.OPENED, EmailStatus.BOUNCED):
        OutboundEmail.objects.filter(pk=scene.email.pk).update(status=status, replied_at=None)
        assert mark_replied(scene.refresh(), at(1))
        assert scene.refresh().status == EmailStatus.REPLIED


# --- NUL characters (PostgreSQL refuses them in text and jsonb) ---------------------------------------------

def test_nul_characters_in_an_event_are_dropped(scene, post):
    data = event(scene, "failed_permanent", 2)
    status = data["event-data"]["delivery-status"]
    status["message"] = "5.1.1 No such\u0000 user"
    status["description"] = ""
    data["event-data"]["tags"] = ["out\u0000reach"]
    data["event-data"]["user-variables"]["note\u0000"] = "x\u0000y"
    post(data)
    stored = EmailEvent.objects.get(event_type="bounced")
    assert stored.description == "5.1.1 No such user"
    assert "\\u0000" not in json.dumps(stored.payload)
    assert stored.payload["event-data"]["tags"] == ["outreach"]
    assert scene.refresh().status == EmailStatus.BOUNCED
