"""The webhook endpoints: only the configured provider answers; anything anymail cannot verify is refused
with 401, logged (provider, caller, reason; never the payload's secrets) and changes nothing."""

import json
import logging

import pytest

from backline.mail.models import EmailEvent, EmailStatus, QuarantinedEmail
from backline.mail.views import PROVIDERS
from backline.notifications.models import Notification

from .payloads import (
    MAILGUN_KEY,
    POSTMARK_SECRET,
    mailgun_inbound,
    mailgun_tracking,
    postmark_auth,
    postmark_tracking,
    reply_address,
    webhook_settings,
)
from .payloads.scene import build_scene

pytestmark = pytest.mark.django_db

TRACKING = "/webhooks/email/mailgun/tracking/"
INBOUND = "/webhooks/email/mailgun/inbound/"
LOGGER = "backline.mail.webhooks"


@pytest.fixture
def scene(make_team, fire, settings):
    webhook_settings(settings)
    return build_scene(make_team, fire)


def post_json(client, url, data, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def snapshot():
    return (EmailEvent.objects.count(), QuarantinedEmail.objects.count(), Notification.objects.count())


def refused(caplog, response):
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    records = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]
    assert records, "a refused webhook is logged"
    return records[-1]


def test_a_correctly_signed_tracking_call_is_accepted(client, scene):
    response = post_json(client, TRACKING, mailgun_tracking("delivered", email=scene.email))
    assert response.status_code == 200
    assert scene.refresh().status == EmailStatus.DELIVERED


@pytest.mark.parametrize("how", ["wrong key", "tampered signature", "missing signature block"])
def test_an_unverified_tracking_call_is_refused_with_401_logged_and_changes_nothing(client, scene, caplog, how):
    data = mailgun_tracking("failed_permanent", email=scene.email, key=None if how == "missing signature block"
                            else "not-the-signing-key" if how == "wrong key" else MAILGUN_KEY)
    if how == "tampered signature":
        data["signature"]["signature"] = data["signature"]["signature"][:-4] + "0000"
    before = snapshot()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = post_json(client, TRACKING, data, REMOTE_ADDR="203.0.113.9")
    record = refused(caplog, response)
    assert record.provider == "mailgun" and record.remote_addr == "203.0.113.9"
    assert "mailgun" in record.getMessage() and "203.0.113.9" in record.getMessage()
    if how != "missing signature block":
        assert data["signature"]["signature"] not in record.getMessage()  # never the payload's secrets
    assert MAILGUN_KEY not in caplog.text
    assert snapshot() == before
    assert scene.refresh().status == EmailStatus.SENT
    assert response.json()["code"] == "webhook_unverified"


def test_an_unsigned_inbound_post_is_refused_and_nothing_is_posted(client, scene, caplog):
    messages_before = scene.thread.messages.count()
    data = mailgun_inbound(to=reply_address(scene.thread), key=None)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.post(INBOUND, data=data)
    refused(caplog, response)
    forged = mailgun_inbound(to=reply_address(scene.thread), key="guessed-key")
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.post(INBOUND, data=forged)
    refused(caplog, response)
    assert scene.thread.messages.count() == messages_before
    assert QuarantinedEmail.objects.count() == 0
    assert scene.refresh().replied_at is None


@pytest.mark.parametrize("url", [TRACKING, INBOUND])
def test_without_a_signing_key_every_call_is_refused_not_configured(client, scene, settings, caplog, url):
    webhook_settings(settings, key="")  # MAILGUN_WEBHOOK_SIGNING_KEY empty and no WEBHOOK_SECRET
    # Signed with the empty key, which anyone could compute: still refused.
    data = (mailgun_tracking("delivered", email=scene.email, key="") if url == TRACKING
            else mailgun_inbound(to=reply_address(scene.thread), key=""))
    before = snapshot()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = post_json(client, url, data) if url == TRACKING else client.post(url, data=data)
    record = refused(caplog, response)
    assert response.json()["code"] == "webhooks_not_configured"
    assert "not configured" in record.getMessage()
    assert snapshot() == before


def test_only_the_configured_provider_answers(client, scene, settings):
    data = mailgun_tracking("delivered", email=scene.email)
    for provider in ("postmark", "sendgrid", "no-such-provider"):
        assert post_json(client, f"/webhooks/email/{provider}/tracking/", data).status_code == 404
        assert client.post(f"/webhooks/email/{provider}/inbound/", data={}).status_code == 404
    settings.EMAIL_WEBHOOK_PROVIDER = "postmark"
    assert post_json(client, TRACKING, data).status_code == 404
    assert scene.refresh().status == EmailStatus.SENT


def test_only_post_and_head(client, scene):
    assert client.get(TRACKING).status_code == 405
    assert client.put(TRACKING, data="{}", content_type="application/json").status_code == 405
    assert client.head(TRACKING).status_code == 200  # providers check the address with HEAD


def test_a_logged_in_session_does_not_make_an_unsigned_call_acceptable(client, scene, caplog):
    client.force_login(scene.owner)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = post_json(client, TRACKING, mailgun_tracking("complained", email=scene.email, key=None))
    refused(caplog, response)
    assert scene.refresh().status == EmailStatus.SENT


def test_every_provider_in_the_table_is_refused_when_not_configured(client, settings, caplog):
    settings.ANYMAIL = {"WEBHOOK_SECRET": None, "MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    for provider in PROVIDERS:
        settings.EMAIL_WEBHOOK_PROVIDER = provider
        for kind in ("tracking", "inbound"):
            response = client.post(f"/webhooks/email/{provider}/{kind}/", data="{}", content_type="application/json")
            assert response.status_code == 401, (provider, kind, response.content)
            assert response.json()["code"] == "webhooks_not_configured", (provider, kind)


# --- a second provider: Postmark, secured with HTTP basic auth (anymail's WEBHOOK_SECRET) ------------------

@pytest.fixture
def postmark(scene, settings):
    webhook_settings(settings, "postmark", key=None, secret=POSTMARK_SECRET)
    return scene


def test_postmark_with_the_right_basic_auth_is_accepted(client, postmark):
    response = post_json(client, "/webhooks/email/postmark/tracking/", postmark_tracking("delivery", email=postmark.email),
                         **postmark_auth())
    assert response.status_code == 200, response.content
    assert postmark.refresh().status == EmailStatus.DELIVERED


@pytest.mark.parametrize("auth", [None, "postmark-hook:wrong", "someone:else"])
def test_postmark_without_the_right_basic_auth_is_refused(client, postmark, caplog, auth):
    extra = postmark_auth(auth) if auth else {}
    before = snapshot()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = post_json(client, "/webhooks/email/postmark/tracking/",
                             postmark_tracking("bounce", email=postmark.email), **extra)
    record = refused(caplog, response)
    assert response["WWW-Authenticate"].startswith("Basic")
    assert "s3cret" not in caplog.text and record.provider == "postmark"
    assert snapshot() == before


def test_postmark_without_a_webhook_secret_is_not_configured(client, postmark, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    response = post_json(client, "/webhooks/email/postmark/tracking/", postmark_tracking("delivery", email=postmark.email),
                         **postmark_auth())
    assert response.status_code == 401 and response.json()["code"] == "webhooks_not_configured"
    assert postmark.refresh().status == EmailStatus.SENT


def test_tracking_events_posted_to_the_inbound_address_are_a_400_not_a_500(client, scene):
    response = post_json(client, INBOUND, mailgun_tracking("delivered", email=scene.email))
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_misrouted"
