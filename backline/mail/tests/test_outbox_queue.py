"""Queueing outreach: bad input, header injection, suppressed addresses and the hourly limit are refused
before anything is written; a good email is committed with its thread message, bodies and audit entry."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from ninja import NinjaAPI

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts.models import Contact
from backline.conversations.models import Message, MessageSource, Thread, ThreadKind
from backline.core.api import install_error_handlers
from backline.core.errors import Invalid, NotFound, RateLimited
from backline.core.models import AuditEntry
from backline.core.timeutil import day_words
from backline.mail.models import EmailStatus, OutboundEmail, SenderIdentity, Suppression, SuppressionReason
from backline.mail.services import outbox, suppressions

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoter(make_team):
    workspace, people = make_team(WorkspaceKind.PROMOTER, name="Night Owl Promotions")
    return workspace, people


def send(promoter, **kw):
    workspace, people = promoter
    args = {"to_email": "ana@venue.example", "subject": "Friday?", "body": "Hello Ana"} | kw
    return outbox.email_queue(actor=people[Role.OWNER], workspace_id=workspace.pk, **args)


def nothing_written():
    return not OutboundEmail.objects.exists() and not Message.objects.exists() and not Thread.objects.exists()


@pytest.mark.parametrize("field,value", [
    ("subject", "Hello\r\nBcc: everyone@victim.example"),
    ("subject", "Hello\nBcc: everyone@victim.example"),
    ("subject", "Tab\tand NUL\x00"),
    ("subject", "Line\u2028separator"),
    ("to_name", "Ana\r\nBcc: everyone@victim.example"),
])
def test_header_injection_is_refused_naming_the_field(promoter, field, value):
    with pytest.raises(Invalid) as refused:
        send(promoter, **{field: value})
    assert field in refused.value.errors
    assert "control characters" in refused.value.errors[field][0]
    assert nothing_written()


@pytest.mark.parametrize("kw,field", [
    ({"to_email": "not an address"}, "to_email"),
    ({"to_email": "ana@venue.example\r\nBcc: x@y.example"}, "to_email"),
    ({"to_email": "ana@"}, "to_email"),
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"body": "  \n "}, "body"),
    ({"body": "x" * 20001}, "body"),
    ({"to_name": "n" * 201}, "to_name"),
    ({"body": "Hello\x00 Ana"}, "body"),  # PostgreSQL cannot store NUL
    ({"body": "Hello\x1b[2J Ana"}, "body"),
])
def test_bad_input_is_refused_and_nothing_is_written(promoter, kw, field):
    with pytest.raises(Invalid) as refused:
        send(promoter, **kw)
    assert list(refused.value.errors) == [field]
    assert nothing_written()


def test_a_body_keeps_its_tabs_and_line_breaks(promoter):
    email = send(promoter, body="Hello Ana,\r\n\n\tthe rider:\n\t- two guitars")
    assert email.body_text.startswith("Hello Ana,\r\n\n\tthe rider:\n\t- two guitars")


@pytest.mark.parametrize("reason,global_,shown", [
    (SuppressionReason.OPTED_OUT, False, "opted out on"),
    (SuppressionReason.COMPLAINED, False, "marked our email as spam on"),
    (SuppressionReason.BOUNCED, True, "bounced on"),
])
def test_a_suppressed_address_is_refused_with_the_reason_and_date(promoter, reason, global_, shown):
    workspace, _ = promoter
    Suppression.objects.create(workspace=None if global_ else workspace, email="ana@venue.example", reason=reason,
                               created_at=timezone.now() - dt.timedelta(days=3))
    day = timezone.localdate() - dt.timedelta(days=3)
    with pytest.raises(Invalid) as refused:
        send(promoter, to_email="Ana@Venue.example")
    assert refused.value.code == "address_suppressed"
    assert f"ana@venue.example {shown} {day_words(day)}" in refused.value.detail
    assert refused.value.errors["to_email"] == [f"ana@venue.example {shown} {day_words(day)}."]
    assert nothing_written()
    assert suppressions.sendable(workspace_id=workspace.pk, emails=["ANA@venue.example", "bob@venue.example"]) == {
        "ana@venue.example": f"{shown} {day_words(day)}"}


def test_another_workspaces_opt_out_does_not_stop_this_one(promoter, make_team):
    other, _ = make_team(WorkspaceKind.VENUE, name="Other Room")
    Suppression.objects.create(workspace=other, email="ana@venue.example", reason=SuppressionReason.OPTED_OUT)
    assert send(promoter).status == EmailStatus.QUEUED
    assert suppressions.sendable(workspace_id=promoter[0].pk, emails=["ana@venue.example"]) == {}


def test_suppress_is_idempotent(promoter):
    workspace, _ = promoter
    first, new = suppressions.suppress(workspace_id=workspace.pk, email="Ana@Venue.example", reason=SuppressionReason.OPTED_OUT)
    again, new_again = suppressions.suppress(workspace_id=workspace.pk, email="ana@venue.example",
                                       reason=SuppressionReason.OPTED_OUT)
    assert (new, new_again) == (True, False) and first == again
    assert Suppression.objects.count() == 1 and first.email == "ana@venue.example"
    assert AuditEntry.objects.filter(action="suppression.created").count() == 1


def test_a_queued_email_is_committed_with_its_thread_message_bodies_and_audit(promoter, make_team):
    workspace, people = promoter
    contact = Contact.objects.create(workspace=workspace, name="Ana Booker", email="ana@venue.example")
    before = timezone.now()
    email = send(promoter, to_name="Ana Booker", contact_id=contact.pk, follow_up_days=5,
                 body="Hi Ana,\n\nHow about **Friday**?")
    assert email.status == EmailStatus.QUEUED and email.attempts == 0 and email.next_attempt_at is None
    assert email.from_name == "Night Owl Promotions" and email.from_email == "no-reply@backline.local"
    assert email.reply_to == f"reply+{email.thread.reply_token}@reply.backline.local"
    assert email.header_message_id.startswith("<") and email.header_message_id.endswith("@backline.local>")
    assert email.created_by == people[Role.OWNER] and email.contact == contact
    assert 5 * 86400 - 5 < (email.follow_up_due_at - before).total_seconds() < 5 * 86400 + 5
    unsubscribe = suppressions.opt_out_url(workspace_id=workspace.pk, email="ana@venue.example")
    assert email.body_text.startswith("Hi Ana,\n\nHow about **Friday**?")
    assert unsubscribe in email.body_text and unsubscribe in email.body_html
    assert "<strong>Friday</strong>" in email.body_html

    thread = email.thread
    assert thread.kind == ThreadKind.EMAIL and thread.workspace == workspace
    assert set(thread.parties.values_list("contact_id", flat=True)) == {None, contact.pk}
    assert email.message.source == MessageSource.EMAIL_OUT and email.message.body == "Hi Ana,\n\nHow about **Friday**?"
    assert email.message.author_workspace == workspace
    entry = AuditEntry.objects.get(action="outbound_email.queued")
    assert entry.object_id == str(email.pk) and entry.workspace_id == workspace.pk

    # The next email to the same contact continues the same conversation.
    again = send(promoter, contact_id=contact.pk, subject="Following up")
    assert again.thread_id == thread.pk


def test_delivery_is_scheduled_only_after_commit(promoter, django_capture_on_commit_callbacks, mailoutbox):
    mailoutbox.clear()  # the team's invitations
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = send(promoter)
    assert len(callbacks) == 1 and mailoutbox == []
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == email.header_message_id


def test_objects_of_another_workspace_are_not_found(promoter, make_team):
    other, _ = make_team(WorkspaceKind.PROMOTER, name="Rival Promotions")
    foreign = Contact.objects.create(workspace=other, name="Theirs", email="theirs@example.org")
    with pytest.raises(NotFound):
        send(promoter, contact_id=foreign.pk)
    foreign_thread = Thread.objects.create(kind=ThreadKind.EMAIL, workspace=other, subject="Theirs")
    with pytest.raises(NotFound):
        send(promoter, thread=foreign_thread)
    with pytest.raises(NotFound):
        outbox.email_queue(actor=None, workspace_id=999999, to_email="a@b.example", subject="s", body="b")
    assert nothing_written() or not OutboundEmail.objects.exists()


def test_an_act_cannot_attach_an_email_to_a_venues_own_inquiry_about_it(make_team):
    """A venue's inquiry that names the act is the venue's note until it holds the date: the act may not
    even learn its id by attaching an email to it (404, as for any booking it cannot see)."""
    from backline.bookings.models import Booking, Status

    venue_ws, _ = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    act_ws, band = make_team(WorkspaceKind.ACT, name="The Owls")
    logged = Booking.objects.create(workspace=venue_ws, act=act_ws.act, title="Their note", status=Status.INQUIRY,
                                    reference="BL-0000000A")
    with pytest.raises(NotFound):
        outbox.email_queue(actor=band[Role.OWNER], workspace_id=act_ws.pk, to_email="a@venue.example",
                           subject="About the date", body="Hello", booking_id=logged.pk)
    assert not OutboundEmail.objects.exists()
    asked = Booking.objects.create(workspace=venue_ws, act=act_ws.act, title="We asked", status=Status.INQUIRY,
                                   reference="BL-0000000B", act_asked=True)
    email = outbox.email_queue(actor=band[Role.OWNER], workspace_id=act_ws.pk, to_email="a@venue.example",
                               subject="About the date", body="Hello", booking_id=asked.pk)
    assert email.booking_id == asked.pk


def test_the_sender_identity_and_signature_are_used(promoter):
    workspace, _ = promoter
    SenderIdentity.objects.create(workspace=workspace, from_name="Mia\r\nBcc: x", from_email="mia@nightowl.example",
                                  signature="Mia\nNight Owl")
    assert outbox.sender_for(workspace) == ("MiaBcc: x", "mia@nightowl.example")  # no line break survives
    email = send(promoter)
    assert email.from_email == "mia@nightowl.example"
    assert "\n-- \nMia\nNight Owl\n" in email.body_text


# --- the hourly limit -----------------------------------------------------------------------------

def test_the_hourly_limit_refuses_with_when_to_retry(promoter, settings):
    workspace, _ = promoter
    settings.OUTREACH_HOURLY_LIMIT = 3
    first = send(promoter, to_email="a@venue.example")
    send(promoter, to_email="b@venue.example")
    assert outbox.hourly_allowance(workspace_id=workspace.pk)[0] == 1
    send(promoter, to_email="c@venue.example")
    OutboundEmail.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(minutes=50))
    remaining, wait = outbox.hourly_allowance(workspace_id=workspace.pk)
    assert remaining == 0 and 9 * 60 <= wait <= 10 * 60  # the oldest leaves the hour in 10 minutes

    with pytest.raises(RateLimited) as limited:
        send(promoter, to_email="d@venue.example")
    assert limited.value.status == 429 and limited.value.code == "rate_limited"
    assert 9 * 60 <= limited.value.extra["retry_after"] <= 10 * 60
    assert "3 emails an hour" in limited.value.detail and "10 minutes" in limited.value.detail
    assert OutboundEmail.objects.count() == 3

    # The API answers 429 with Retry-After and the seconds in the problem document.
    api = NinjaAPI(urls_namespace="outbox-limit-test")
    install_error_handlers(api)
    response = api.on_exception(None, limited.value)
    body = json.loads(response.content)
    assert response.status_code == 429 and response["Retry-After"] == str(limited.value.extra["retry_after"])
    assert body["retry_after"] == limited.value.extra["retry_after"] and body["code"] == "rate_limited"

    # Once the oldest is more than an hour old, there is room again.
    OutboundEmail.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    assert send(promoter, to_email="d@venue.example").status == EmailStatus.QUEUED


def test_drafts_do_not_count_and_the_sender_identity_sets_the_limit(promoter, settings):
    workspace, _ = promoter
    settings.OUTREACH_HOURLY_LIMIT = 1
    SenderIdentity.objects.create(workspace=workspace, from_name="Mia", from_email="mia@nightowl.example", hourly_limit=2)
    draft = send(promoter)
    OutboundEmail.objects.filter(pk=draft.pk).update(status=EmailStatus.DRAFT)  # a follow-up draft, as prepared
    send(promoter, to_email="a@venue.example")
    send(promoter, to_email="b@venue.example")
    with pytest.raises(RateLimited):
        send(promoter, to_email="c@venue.example")


def test_queue_many_is_all_or_nothing(promoter, settings):
    workspace, people = promoter
    items = [{"to_email": f"p{i}@venue.example", "subject": f"Hi {i}", "body": "Hello"} for i in range(3)]
    bad = items + [{"to_email": "x@venue.example", "subject": "Evil\r\nBcc: y", "body": "b"}]
    with pytest.raises(Invalid) as refused:
        outbox.email_queue_many(actor=people[Role.OWNER], workspace_id=workspace.pk, emails=bad)
    assert list(refused.value.errors) == ["emails[3].subject"]
    assert nothing_written()
    settings.OUTREACH_HOURLY_LIMIT = 2
    with pytest.raises(RateLimited):
        outbox.email_queue_many(actor=people[Role.OWNER], workspace_id=workspace.pk, emails=items)
    assert nothing_written()
    settings.OUTREACH_HOURLY_LIMIT = 3
    created = outbox.email_queue_many(actor=people[Role.OWNER], workspace_id=workspace.pk, emails=items)
    assert [e.to_email for e in created] == ["p0@venue.example", "p1@venue.example", "p2@venue.example"]
    assert AuditEntry.objects.filter(action="outbound_email.queued").count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="concurrent writers need PostgreSQL (SQLite has one writer)")
def test_concurrent_requests_cannot_both_pass_the_limit(make_team, settings):
    settings.OUTREACH_HOURLY_LIMIT = 1
    workspace, people = make_team(WorkspaceKind.PROMOTER, name="Racers")
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(i):
        try:
            barrier.wait()
            outbox.email_queue(actor=people[Role.OWNER], workspace_id=workspace.pk, to_email=f"r{i}@venue.example",
                               subject="Race", body="Go", deliver=False)
            outcomes.append("queued")
        except RateLimited:
            outcomes.append("limited")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["limited", "queued"]
    assert OutboundEmail.objects.filter(workspace=workspace).count() == 1


# --- through the API (the outreach send endpoint queues through the outbox) ----------------------

def test_the_api_answers_429_with_retry_after_and_422_for_header_injection(promoter, bearer, client, settings):
    workspace, people = promoter
    settings.OUTREACH_HOURLY_LIMIT = 1
    headers = bearer(people[Role.OWNER])
    url = f"/api/v1/workspaces/{workspace.pk}/outreach/send"

    def post(address, subject="Friday?"):
        return client.post(url, {"recipients": [{"email": address, "name": "Ana"}], "subject": subject,
                                 "body": "Hello Ana"}, content_type="application/json", **headers)

    injected = post("ana@venue.example", subject="Hello\r\nBcc: everyone@victim.example")
    assert injected.status_code == 422, injected.content
    assert "subject" in {e["field"].split(".")[-1] for e in injected.json()["errors"]}
    assert not OutboundEmail.objects.exists()

    assert post("ana@venue.example").status_code == 201
    limited = post("bob@venue.example")
    assert limited.status_code == 429, limited.content
    assert limited["Content-Type"] == "application/problem+json"
    body = limited.json()
    assert body["code"] == "rate_limited" and 3500 <= body["retry_after"] <= 3600
    assert limited["Retry-After"] == str(body["retry_after"])
    assert OutboundEmail.objects.count() == 1
