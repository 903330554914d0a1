"""Outreach email in a real Chromium. A promoter writes to a talent buyer from the "First pitch" template
about a booking, previews it and sends it; the provider reports it delivered and the buyer's reply comes
back through the inbound webhook (Mailgun's signed payloads, posted over HTTP to the live server). Without
a reload, the reply appears in the conversation and the email turns "Replied" in the sent list. Then a
stranger writes to the same reply address: the mail is held, and the promoter posts it to the
conversation from the held-mail page."""

import datetime as dt
import json
import urllib.parse
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from backline.accounts.models import WorkspaceKind
from backline.accounts.services import workspace_create
from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.contacts.services import contact_create
from backline.core.places import find_city
from backline.mail.models import EmailStatus, OutboundEmail, QuarantinedEmail
from backline.mail.tests.payloads import mailgun_inbound, mailgun_tracking, reply_address, webhook_settings
from backline.venues.services import venue_create
from tests.factories import PASSWORD, UserFactory

from .test_journey_band import assert_clean, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def post_webhook(base_url: str, path: str, data: dict, *, as_json: bool) -> int:
    """POST to the live server the way the provider does (not through the browser)."""
    body = json.dumps(data).encode() if as_json else urllib.parse.urlencode(data).encode()
    kind = "application/json" if as_json else "application/x-www-form-urlencoded"
    request = urllib.request.Request(base_url + path, data=body, headers={"Content-Type": kind}, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status


@pytest.fixture
def promoter(site, settings):
    webhook_settings(settings)  # Mailgun, with its signing key, and the inbound domain
    berlin = find_city("Berlin", "DE").geoname_id
    pia = UserFactory(email="pia.promoter@example.org", name="Pia Promoter")
    ws = workspace_create(actor=pia, kind=WorkspaceKind.PROMOTER, name="Night Shift", geoname_id=berlin)
    venue = venue_create(actor=pia, workspace_id=ws.pk, name="Crypt Club", capacity=300, geoname_id=berlin)
    singer = UserFactory(email="sol.singer@example.org", name="Sol Singer")
    act = act_create(actor=singer, name="The Night Owls", geoname_id=berlin)
    start = (dt.datetime.now(BERLIN) + dt.timedelta(days=30)).replace(hour=21, minute=0, second=0, microsecond=0)
    booking = bookings.inquiry_create(actor=pia, workspace_id=ws.pk, title="Night Owls at the Crypt", act_id=act.pk,
                                      venue_id=venue.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    dana = contact_create(actor=pia, workspace_id=ws.pk, name="Dana Booker", email="dana@owls-agency.example",
                          role="agent", organisation="Owls Agency")
    return pia, ws, booking, dana


def test_an_outreach_email_is_sent_tracked_and_its_reply_threaded(open_browser, site, promoter):
    pia, ws, booking, dana = promoter
    b = open_browser()
    log_in(b, pia.email, PASSWORD)
    page = b.page

    # Compose from the "First pitch" template about the booking, to Dana.
    page.goto(f"/w/{ws.slug}/outreach/compose/?booking={booking.pk}&contact={dana.pk}")
    page.get_by_test_id("compose-template").select_option(label="First pitch")
    expect(page.get_by_test_id("compose-subject")).to_have_value("Inquiry: {{ act }} at {{ venue }}, {{ dates }}")
    # The preview shows the email as Dana gets it, merge fields filled in.
    preview = page.get_by_test_id("compose-preview-pane")
    expect(preview).to_contain_text("Inquiry: The Night Owls at Crypt Club")
    expect(preview).to_contain_text("We'd love to have The Night Owls play Crypt Club")
    b.shot("compose")
    page.get_by_test_id("compose-send").click()

    # Sent: the conversation opens, with the email in it.
    expect(page.get_by_test_id("thread")).to_be_visible()
    email = OutboundEmail.objects.get(workspace=ws)
    assert email.to_email == "dana@owls-agency.example" and email.template.name == "First pitch"
    assert email.status == EmailStatus.SENT  # delivered by the outbox to the development mailbox
    expect(page.get_by_test_id("message")).to_have_count(1)
    thread_url = page.url
    b.shot("sent-thread")

    # The sent list, open in a second tab, shows it sent.
    sent_list = b.context.new_page()
    sent_list.goto(f"/w/{ws.slug}/outreach/")
    row = sent_list.get_by_test_id(f"email-row-{email.pk}")
    expect(row.get_by_test_id("email-status")).to_have_text("Sent")

    # The provider reports delivery, then Dana's reply arrives through the inbound webhook.
    assert post_webhook(site.url, "/webhooks/email/mailgun/tracking/", mailgun_tracking("delivered", email=email),
                        as_json=True) == 200
    expect(row.get_by_test_id("email-status")).to_have_text("Delivered", timeout=20_000)
    reply = ("Hi Pia,\n\nThe Owls would love to. Can they go on at 21:30?\n\nDana\n\n"
             f"On Mon, Pia Promoter <{reply_address(email.thread)}> wrote:\n> We'd love to have The Night Owls")
    assert post_webhook(site.url, "/webhooks/email/mailgun/inbound/", mailgun_inbound(
        to=f"Night Shift <{reply_address(email.thread)}>", sender="dana@owls-agency.example", from_name="Dana Booker",
        subject=f"Re: {email.subject}", text=reply), as_json=False) == 200

    # Without a reload: the sent list says "Replied" …
    expect(row.get_by_test_id("email-status")).to_have_text("Replied", timeout=20_000)
    b.step += 1
    sent_list.screenshot(path=str(b.folder / f"{b.step:02d}-sent-list-replied.png"), full_page=True)
    # … and the reply appears in the conversation, received by email, without the quoted part.
    assert page.url == thread_url
    expect(page.get_by_test_id("message")).to_have_count(2, timeout=20_000)
    newest = page.get_by_test_id("message").last
    expect(newest.get_by_test_id("message-author")).to_have_text("Dana Booker")
    expect(newest.get_by_test_id("message-source")).to_contain_text("received by email")
    expect(newest.get_by_test_id("message-body")).to_contain_text("Can they go on at 21:30?")
    expect(newest.get_by_test_id("message-body")).not_to_contain_text("We'd love to have")
    b.shot("reply-threaded")
    email.refresh_from_db()
    assert email.status == EmailStatus.REPLIED and email.replied_at is not None and email.delivered_at is not None

    # A stranger writes to the same reply address: held, not posted.
    assert post_webhook(site.url, "/webhooks/email/mailgun/inbound/", mailgun_inbound(
        to=reply_address(email.thread), sender="tour.manager@owls-agency.example", from_name="Toni Tourmanager",
        text="Tech rider attached soon. <script>alert(1)</script>"), as_json=False) == 200
    assert QuarantinedEmail.objects.filter(workspace=ws, reason="stranger").count() == 1
    expect(page.get_by_test_id("message")).to_have_count(2)

    # Pia reviews it on the held-mail page and posts it to the conversation (adding Toni to it).
    page.goto(f"/w/{ws.slug}/inbox/held/")
    held = page.get_by_test_id("held-email")
    expect(held).to_have_count(1)
    expect(held.get_by_test_id("held-text")).to_contain_text("<script>alert(1)</script>")  # shown as text
    b.shot("held")
    held.get_by_label("Also add tour.manager@owls-agency.example to the conversation").check()
    held.get_by_test_id("release").click()
    expect(page.get_by_test_id("held-decided")).to_contain_text("posted to")
    expect(page.get_by_test_id("status-pending")).to_have_text("Waiting")  # the count went with it
    b.shot("held-released")
    page.get_by_role("link", name="Open the conversation").click()
    expect(page.get_by_test_id("message")).to_have_count(3)
    expect(page.get_by_test_id("message").last.get_by_test_id("message-author")).to_have_text("Toni Tourmanager")
    b.shot("released-in-thread")
    assert_clean(b)
