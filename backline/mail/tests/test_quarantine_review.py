"""Reviewing held mail, in the browser (/w/<slug>/inbox/held/) and through the API: release posts it to its
thread as received by email from its sender, discard throws it away; both audited, both once; only the
workspace's outreach managers, and never another workspace's held mail."""

import pytest
from django.utils import timezone

from backline.accounts.models import Role
from backline.contacts.models import Contact
from backline.conversations.models import MessageSource, ThreadParty
from backline.core.models import AuditEntry
from backline.mail.models import EmailStatus, QuarantinedEmail, QuarantineReason, QuarantineStatus
from backline.notifications.models import Notification, NotificationType
from tests.pages import assert_constant_queries

from .payloads import mailgun_inbound, reply_address, webhook_settings
from .payloads.scene import build_scene

pytestmark = pytest.mark.django_db

INBOUND = "/webhooks/email/mailgun/inbound/"
EVIL = "Hi, I am Dana's assistant.\n<script>alert('x')</script>\n<b>Pay here</b>"


@pytest.fixture
def scene(make_team, fire, settings, client):
    webhook_settings(settings)
    scene = build_scene(make_team, fire)
    with fire():
        response = client.post(INBOUND, data=mailgun_inbound(
            to=reply_address(scene.thread), sender="assistant@harbour.example", from_name="Sam Assistant",
            subject="Re: Friday club night", text=EVIL + "\n\nOn Mon, 8 Dec 2025, Lantern Hall wrote:\n> old"))
    assert response.status_code == 200
    scene.held = QuarantinedEmail.objects.get()
    return scene


def page(scene, rest=""):
    return f"/w/{scene.workspace.slug}/inbox/held/{rest}"


def test_the_list_shows_held_mail_as_escaped_text(scene, login_client):
    response = login_client(scene.owner).get(page(scene))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Assistant" in html and "assistant@harbour.example" in html and "Re: Friday club night" in html
    assert "Not part of the conversation" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "&lt;b&gt;Pay here&lt;/b&gt;" in html
    assert f'action="{page(scene, f"{scene.held.pk}/release/")}"' in html


@pytest.mark.parametrize("role, status", [(Role.OWNER, 200), (Role.ADMIN, 200), (Role.COORDINATOR, 403),
                                          (Role.MEMBER, 403), (Role.VIEWER, 403)])
def test_only_outreach_managers_see_held_mail(scene, login_client, role, status):
    client = login_client(scene.people[role])
    assert client.get(page(scene)).status_code == status
    assert client.post(page(scene, f"{scene.held.pk}/discard/")).status_code == (302 if status == 200 else 403)


def test_release_posts_it_to_the_thread_as_the_sender_and_marks_the_email_replied(scene, login_client, fire):
    client = login_client(scene.owner)
    with fire():
        response = client.post(page(scene, f"{scene.held.pk}/release/"))
    assert response.status_code == 302 and response["Location"] == page(scene)
    held = QuarantinedEmail.objects.get()
    assert held.status == QuarantineStatus.RELEASED and held.decided_by == scene.owner and held.decided_at
    [message] = scene.thread.messages.filter(source=MessageSource.EMAIL_IN)
    assert message.author_name == "Sam Assistant" and message.author_email == "assistant@harbour.example"
    assert message.body == EVIL  # the quoted previous message is cut off
    assert "<script>" not in message.body_html
    assert not Contact.objects.filter(email="assistant@harbour.example").exists()  # not asked for
    email = scene.refresh()
    assert email.status == EmailStatus.REPLIED and email.replied_at == held.received_at
    assert Notification.objects.filter(user=scene.sender, type=NotificationType.EMAIL_REPLY).exists()
    entry = AuditEntry.objects.get(action="quarantine.released")
    assert entry.actor == scene.owner and entry.workspace_id == scene.workspace.pk
    assert entry.before["status"] == "pending" and entry.after["status"] == "released"
    assert entry.after["message_id"] == message.pk
    # Listed under "Posted" afterwards, not under "Waiting".
    waiting = client.get(page(scene)).content.decode()
    assert "was posted to “Friday club night”" in waiting  # the flash message after the redirect
    assert 'data-testid="held-email"' not in waiting
    posted = client.get(page(scene) + "?status=released").content.decode()
    assert posted.count('data-testid="held-email"') == 1 and "Posted by" in posted


def test_release_with_add_contact_lets_the_senders_next_reply_through(scene, login_client, client, fire):
    with fire():
        response = login_client(scene.owner).post(page(scene, f"{scene.held.pk}/release/"), {"add_contact": "1"})
    assert response.status_code == 302
    contact = Contact.objects.get(workspace=scene.workspace, email="assistant@harbour.example")
    assert contact.name == "Sam Assistant"
    assert ThreadParty.objects.filter(thread=scene.thread, contact=contact).exists()
    with fire():
        client.post(INBOUND, data=mailgun_inbound(to=reply_address(scene.thread), sender="assistant@harbour.example",
                                                  from_name="Sam Assistant", text="Deposit details follow."))
    assert scene.thread.messages.filter(body="Deposit details follow.", author_contact=contact).exists()
    assert QuarantinedEmail.objects.count() == 1


def test_release_by_htmx_answers_the_card_replacement(scene, login_client):
    response = login_client(scene.owner).post(page(scene, f"{scene.held.pk}/release/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="held-{scene.held.pk}"' in html and 'data-testid="held-decided"' in html and "posted" in html
    assert 'id="held-tabs" hx-swap-oob="true"' in html  # the "Waiting" count, updated out of band
    assert '<span class="badge' not in html.split('id="held-tabs"')[1]  # nothing waits any more


def test_discard_on_the_web(scene, login_client):
    client = login_client(scene.people[Role.ADMIN])
    response = client.post(page(scene, f"{scene.held.pk}/discard/"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "discarded" in response.content.decode()
    held = QuarantinedEmail.objects.get()
    assert held.status == QuarantineStatus.DISCARDED and held.decided_by == scene.people[Role.ADMIN]
    assert not scene.thread.messages.filter(source=MessageSource.EMAIL_IN).exists()
    assert AuditEntry.objects.filter(action="quarantine.discarded", object_id=str(held.pk)).count() == 1


def test_a_decided_email_cannot_be_decided_again(scene, login_client):
    client = login_client(scene.owner)
    client.post(page(scene, f"{scene.held.pk}/discard/"))
    response = client.post(page(scene, f"{scene.held.pk}/release/"), follow=True)
    assert "already discarded" in response.content.decode()
    assert QuarantinedEmail.objects.get().status == QuarantineStatus.DISCARDED
    assert not scene.thread.messages.filter(source=MessageSource.EMAIL_IN).exists()


def test_another_workspaces_held_mail_is_404_everywhere(scene, make_team, fire, login_client, bearer, client):
    other = build_scene(make_team, fire, name="Elsewhere Club", to_email="x@example.net")
    theirs = QuarantinedEmail.objects.create(reason=QuarantineReason.STRANGER, thread=other.thread,
                                             workspace=other.workspace, from_email="m@evil.example", text="hi")
    staff_only = QuarantinedEmail.objects.create(reason=QuarantineReason.NO_TOKEN, from_email="m@evil.example")
    mine = login_client(scene.owner)
    for item in (theirs, staff_only):
        assert mine.post(page(scene, f"{item.pk}/release/")).status_code == 404
        assert mine.post(page(scene, f"{item.pk}/discard/")).status_code == 404
        for action in ("release", "discard"):
            response = client.post(f"/api/v1/quarantine/{item.pk}/{action}", content_type="application/json",
                                   **bearer(scene.owner))
            assert response.status_code == 404
    # Their held mail, named through their own slug by our owner: still 404 (not a member).
    assert mine.post(f"/w/{other.workspace.slug}/inbox/held/{theirs.pk}/discard/").status_code == 404
    assert QuarantinedEmail.objects.filter(status=QuarantineStatus.PENDING).count() == 3
    assert "m@evil.example" not in mine.get(page(scene)).content.decode()


# --- API --------------------------------------------------------------------------------------------------

def test_api_list_release_and_discard(scene, client, bearer, fire):
    auth = bearer(scene.owner)
    response = client.get(f"/api/v1/workspaces/{scene.workspace.pk}/quarantine", **auth)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == scene.held.pk and item["reason"] == "stranger" and item["status"] == "pending"
    assert item["thread_id"] == scene.thread.pk and item["thread_subject"] == "Friday club night"
    assert item["text"].startswith("Hi, I am Dana's assistant.\n<script>")  # data, as text
    with fire():
        response = client.post(f"/api/v1/quarantine/{scene.held.pk}/release", {"add_contact": True},
                               content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["held"]["status"] == "released" and out["thread_id"] == scene.thread.pk
    assert scene.thread.messages.filter(pk=out["message_id"], source=MessageSource.EMAIL_IN).exists()
    assert Contact.objects.filter(workspace=scene.workspace, email="assistant@harbour.example").exists()
    again = client.post(f"/api/v1/quarantine/{scene.held.pk}/discard", content_type="application/json", **auth)
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    released = client.get(f"/api/v1/workspaces/{scene.workspace.pk}/quarantine?status=released", **auth).json()
    assert [i["id"] for i in released["items"]] == [scene.held.pk]
    assert client.get(f"/api/v1/workspaces/{scene.workspace.pk}/quarantine", **auth).json()["count"] == 0


def test_api_discard_and_permissions(scene, client, bearer):
    url = f"/api/v1/quarantine/{scene.held.pk}/discard"
    for role in (Role.COORDINATOR, Role.MEMBER, Role.VIEWER):
        response = client.post(url, content_type="application/json", **bearer(scene.people[role]))
        assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
        listing = client.get(f"/api/v1/workspaces/{scene.workspace.pk}/quarantine", **bearer(scene.people[role]))
        assert listing.status_code == 403
    assert client.post(url, content_type="application/json").status_code == 401
    response = client.post(url, content_type="application/json", **bearer(scene.owner))
    assert response.status_code == 200 and response.json()["status"] == "discarded"
    assert AuditEntry.objects.filter(action="quarantine.discarded").count() == 1


def test_the_list_costs_the_same_with_many_held_emails(scene, login_client, client, bearer,
                                                       django_assert_max_num_queries):
    web = login_client(scene.owner)
    def more(n=30):
        QuarantinedEmail.objects.bulk_create([
            QuarantinedEmail(reason=QuarantineReason.STRANGER, thread=scene.thread, workspace=scene.workspace,
                             from_email=f"s{i}@evil.example", subject=f"Spam {i}", text="buy", received_at=timezone.now())
            for i in range(n)])
        QuarantinedEmail.objects.filter(from_email="s1@evil.example").update(
            status=QuarantineStatus.DISCARDED, decided_by=scene.owner, decided_at=timezone.now())

    more(1)
    web.post(page(scene, f"{scene.held.pk}/discard/"))  # one on each list before counting
    assert_constant_queries(web, {page(scene): 8, page(scene) + "?status=discarded": 8}, more,
                            django_assert_max_num_queries)
    auth = bearer(scene.owner)
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/workspaces/{scene.workspace.pk}/quarantine", **auth)
    assert response.json()["count"] == 30


def test_release_never_marks_an_email_still_in_the_queue_replied(scene, login_client, fire):
    """A second email to Dana waits in the queue: releasing the held reply marks the one she got."""
    from backline.mail.services import outbox

    queued = outbox.email_queue(actor=scene.sender, workspace_id=scene.workspace.pk, to_email="dana@example.org",
                                to_name="Dana Booker", subject="The rider", body="Rider attached.",
                                contact_id=scene.contact.pk, deliver=False)
    assert queued.thread_id == scene.thread.pk
    with fire():
        response = login_client(scene.owner).post(page(scene, f"{scene.held.pk}/release/"))
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == EmailStatus.QUEUED and queued.replied_at is None
    assert scene.refresh().status == EmailStatus.REPLIED
