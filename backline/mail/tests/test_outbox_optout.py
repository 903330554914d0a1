"""The opt-out link every outreach email carries: a page with a button, mail programs' one-click POST
(RFC 8058), idempotent, and a forged token is 404. After it, the workspace cannot write to the address."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from backline.accounts.models import Role, WorkspaceKind
from backline.core.errors import Invalid
from backline.mail.models import EmailStatus, OutboundEmail, Suppression, SuppressionReason
from backline.mail.services import delivery, outbox, suppressions

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoter(make_team):
    workspace, people = make_team(WorkspaceKind.PROMOTER, name="Night Owl Promotions")
    return workspace, people[Role.OWNER]


@pytest.fixture
def link(promoter):
    """The path of the opt-out link in a queued email to ana@venue.example."""
    workspace, owner = promoter
    email = outbox.email_queue(actor=owner, workspace_id=workspace.pk, to_email="Ana@Venue.example", subject="Friday?",
                               body="Hello Ana", deliver=False)
    url = re.search(r"https?://\S+/o/\S+/", email.body_text).group(0)
    assert url == suppressions.opt_out_url(workspace_id=workspace.pk, email="ana@venue.example")
    return urlsplit(url).path


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_the_link_asks_first_and_changes_nothing(promoter, link):
    response = csrf_client().get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop emails from Night Owl Promotions?" in page
    assert "ana@venue.example" in page
    assert 'data-testid="opt-out-confirm"' in page
    assert response["X-Robots-Tag"] == "noindex"
    # The token stays out of Referer headers to other sites, while our own form still sends its Origin
    # (with "no-referrer" browsers send "Origin: null" and the CSRF check refuses the button).
    assert response["Referrer-Policy"] == "same-origin"
    assert not Suppression.objects.exists()


def test_the_button_stops_the_workspaces_email_and_confirms(promoter, link):
    workspace, owner = promoter
    client = csrf_client()
    client.get(link)  # sets the CSRF cookie
    response = client.post(link, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 200
    assert "Night Owl Promotions will not email you again" in response.content.decode()
    suppression = Suppression.objects.get()
    assert (suppression.workspace, suppression.email, suppression.reason) == (workspace, "ana@venue.example",
                                                                              SuppressionReason.OPTED_OUT)
    # The email already queued is cancelled when its delivery comes round; new ones are refused.
    assert delivery.deliver_due() == {}
    assert OutboundEmail.objects.get().status == EmailStatus.CANCELLED
    with pytest.raises(Invalid) as refused:
        outbox.email_queue(actor=owner, workspace_id=workspace.pk, to_email="ana@venue.example", subject="Again?",
                           body="Hello")
    assert refused.value.code == "address_suppressed" and "opted out on" in refused.value.detail
    # Visiting the link again says so.
    assert "You have already stopped emails" in client.get(link).content.decode()


def test_a_post_without_the_csrf_token_is_refused(link):
    response = csrf_client().post(link, {})
    assert response.status_code == 403
    assert not Suppression.objects.exists()


def test_one_click_unsubscribe_works_without_a_token_and_is_idempotent(promoter, link):
    client = csrf_client()
    for _ in range(2):
        response = client.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert Suppression.objects.count() == 1


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),  # a forged signature
    lambda token: "eyJ3IjoxLCJlIjoiZXZlQGV4YW1wbGUub3JnIn0:forged",  # someone else's address, unsigned
    lambda token: "nothing-here",
])
def test_a_forged_token_is_not_found(link, mangle):
    token = link.rstrip("/").rsplit("/", 1)[1]
    bad = f"/o/{mangle(token)}/"
    assert csrf_client().get(bad).status_code == 404
    assert csrf_client().post(bad, "List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded").status_code == 404
    assert not Suppression.objects.exists()


def test_a_token_signed_with_another_salt_is_not_found(promoter):
    from django.core import signing

    workspace, _ = promoter
    token = signing.Signer(salt="something.else").sign_object({"w": workspace.pk, "e": "ana@venue.example"},
                                                               compress=True)
    assert csrf_client().get(f"/o/{token}/").status_code == 404


def test_the_link_of_a_deleted_workspace_is_not_found(promoter, link):
    workspace, _ = promoter
    workspace.delete()
    assert csrf_client().get(link).status_code == 404


def test_the_recipient_can_take_the_opt_out_back_but_never_a_bounce(promoter, link):
    workspace, owner = promoter
    client = csrf_client()
    client.get(link)
    token = client.cookies["csrftoken"].value
    page = client.post(link, {"csrfmiddlewaretoken": token}).content.decode()
    assert 'data-testid="opt-out-undo"' in page
    assert csrf_client().post(link, {"action": "undo"}).status_code == 403  # needs the page's token
    page = client.post(link, {"csrfmiddlewaretoken": token, "action": "undo"}).content.decode()
    assert "Night Owl Promotions may email ana@venue.example again." in page
    assert not Suppression.objects.exists()
    assert outbox.email_queue(actor=owner, workspace_id=workspace.pk, to_email="ana@venue.example", subject="Hi",
                              body="Hello", deliver=False).status == EmailStatus.QUEUED
    # A complaint or a bounce is not lifted from this page.
    Suppression.objects.create(workspace=workspace, email="ana@venue.example", reason=SuppressionReason.COMPLAINED)
    page = client.post(link, {"csrfmiddlewaretoken": token, "action": "undo"}).content.decode()
    assert Suppression.objects.filter(reason=SuppressionReason.COMPLAINED).exists()
    assert 'data-testid="opt-out-undo"' not in page
