"""Mail that cannot be trusted to a thread is held, never posted: no reply address, an unknown or forged
token, or a sender who is not part of the thread. The thread's workspace reviews strangers' mail (its
outreach managers are told); mail naming no thread stays with the site's staff."""

import json
import secrets

import pytest

from backline.accounts.models import Role
from backline.conversations.models import MessageSource
from backline.mail.models import EmailStatus, QuarantinedEmail, QuarantineReason, QuarantineStatus
from backline.notifications.models import Notification, NotificationType

from .payloads import INBOUND_DOMAIN, mailgun_inbound, reply_address, webhook_settings
from .payloads.scene import build_scene

pytestmark = pytest.mark.django_db

INBOUND = "/webhooks/email/mailgun/inbound/"


@pytest.fixture
def scene(make_team, fire, settings):
    webhook_settings(settings)
    return build_scene(make_team, fire)


@pytest.fixture
def post(client, fire):
    def send(data):
        with fire():
            response = client.post(INBOUND, data=data)
        assert response.status_code == 200, response.content
        return response

    return send


def nothing_posted(scene):
    assert not scene.thread.messages.filter(source=MessageSource.EMAIL_IN).exists()
    email = scene.refresh()
    assert email.status == EmailStatus.SENT and email.replied_at is None


def test_a_stranger_writing_to_a_valid_reply_address_is_held_for_the_workspace(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), sender="mallory@evil.example", from_name="Mallory",
                         subject="Re: Friday club night", text="Please pay the deposit to my account."))
    nothing_posted(scene)
    held = QuarantinedEmail.objects.get()
    assert held.reason == QuarantineReason.STRANGER and held.status == QuarantineStatus.PENDING
    assert held.thread == scene.thread and held.workspace == scene.workspace and held.token == scene.thread.reply_token
    assert (held.from_email, held.from_name, held.subject) == ("mallory@evil.example", "Mallory", "Re: Friday club night")
    assert held.text == "Please pay the deposit to my account."
    assert held.headers["X-Mailgun-Spf"] == ["Pass"] and held.headers["envelope_sender"] == "mallory@evil.example"
    # The workspace's outreach managers are told (owner and admin), nobody else.
    told = set(Notification.objects.filter(type=NotificationType.QUARANTINE).values_list("user_id", flat=True))
    assert told == {scene.people[Role.OWNER].pk, scene.people[Role.ADMIN].pk}
    note = Notification.objects.filter(type=NotificationType.QUARANTINE).first()
    assert note.url == f"/w/{scene.workspace.slug}/inbox/held/" and "Mallory" in note.title


def test_a_forged_token_that_looks_right_is_held_for_staff(scene, post):
    forged = f"reply+{secrets.token_hex(12)}@{INBOUND_DOMAIN}"
    post(mailgun_inbound(to=forged, sender="dana@example.org", text="Hello"))
    nothing_posted(scene)
    held = QuarantinedEmail.objects.get()
    assert held.reason == QuarantineReason.UNKNOWN_TOKEN and held.workspace is None and held.thread is None
    assert held.token == forged.split("+")[1].split("@")[0]
    assert not Notification.objects.filter(type=NotificationType.QUARANTINE).exists()


def test_an_unknown_token_on_another_domain_is_not_a_token(scene, post):
    post(mailgun_inbound(to=f"reply+{scene.thread.reply_token}@{INBOUND_DOMAIN}.evil.example", text="Hello"))
    nothing_posted(scene)
    assert QuarantinedEmail.objects.get().reason == QuarantineReason.NO_TOKEN


def test_mail_without_a_reply_address_is_held_for_staff(scene, post):
    post(mailgun_inbound(to=f"bookings@{INBOUND_DOMAIN}", text="Do you book weddings?"))
    nothing_posted(scene)
    held = QuarantinedEmail.objects.get()
    assert held.reason == QuarantineReason.NO_TOKEN and held.workspace is None and held.token == ""


def test_a_made_up_token_and_the_real_one_together_find_the_thread(scene, post):
    fake = f"reply+{secrets.token_hex(12)}@{INBOUND_DOMAIN}"
    post(mailgun_inbound(to=fake, cc=reply_address(scene.thread), envelope_recipient=fake, text="Both."))
    assert scene.thread.messages.filter(source=MessageSource.EMAIL_IN, body="Both.").exists()
    assert not QuarantinedEmail.objects.exists()


def test_a_stranger_spoofing_only_the_envelope_sender_is_still_a_stranger(scene, post):
    data = mailgun_inbound(to=reply_address(scene.thread), sender="mallory@evil.example", text="Spoofed")
    data["sender"] = "dana@example.org"  # the envelope says Dana, the From header says Mallory
    post(data)
    nothing_posted(scene)
    assert QuarantinedEmail.objects.get().reason == QuarantineReason.STRANGER


def test_held_html_is_kept_as_text(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), sender="mallory@evil.example", text=None,
                         html="<p>Click <a href='https://evil.example'>here</a></p><script>steal()</script>"))
    held = QuarantinedEmail.objects.get()
    assert held.text == "Click here"


def test_the_same_held_message_delivered_twice_is_held_once(scene, post):
    data = mailgun_inbound(to=reply_address(scene.thread), sender="mallory@evil.example", message_id="<m-1@evil>")
    post(data)
    post(data)
    assert QuarantinedEmail.objects.count() == 1
    assert Notification.objects.filter(type=NotificationType.QUARANTINE).count() == 2  # owner and admin, once each


def test_nul_characters_in_held_mail_are_dropped(scene, post):
    """PostgreSQL refuses NUL in text and jsonb: held mail keeps everything else."""
    post(mailgun_inbound(to=reply_address(scene.thread), sender="mallory@evil.example", from_name="Mal\x00lory",
                         subject="Re: Friday\x00 club night", text="Pay\x00 here.",
                         cc="Some\x00one <someone@example.org>",
                         extra_headers=[["Reply-To", "pay\x00@evil.example"], ["X-Spam-Status", "No\x00"]]))
    held = QuarantinedEmail.objects.get()
    assert (held.from_name, held.subject, held.text) == ("Mallory", "Re: Friday club night", "Pay here.")
    assert "\x00" not in held.to and "\\u0000" not in json.dumps(held.headers)
    assert held.headers["Reply-To"] == ["pay@evil.example"] and held.headers["Subject"] == ["Re: Friday club night"]


def test_mail_to_an_internal_threads_address_is_held_not_posted(scene, post):
    """An internal conversation never takes email, even from a member of the workspace who somehow has
    its address: the mail is held as naming no thread."""
    from backline.conversations import services as threads

    inside = threads.internal_channel_for(scene.workspace)
    member = scene.people[Role.MEMBER]
    post(mailgun_inbound(to=reply_address(inside), sender=member.email, from_name="A member",
                         subject="Re: team", text="Posting by email?"))
    assert not inside.messages.exists()
    held = QuarantinedEmail.objects.get()
    assert held.reason == QuarantineReason.UNKNOWN_TOKEN and held.thread is None
