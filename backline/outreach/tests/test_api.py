# ruff: noqa: F811  (the shared fixtures are imported from fixtures.py and named as arguments)
"""Outreach through the API: templates (CRUD, archive, unknown fields 422), the merge field list, preview,
send (an email really in the outbox and in the thread), refused recipients, the hourly limit (429 with
Retry-After), the sent list with filters and constant queries, one email with its events, the sender
identity and the follow-up drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.conversations.models import Message, MessageSource
from backline.mail.models import EmailEvent, EmailStatus, OutboundEmail, SuppressionReason
from backline.mail.services import suppressions
from backline.outreach.services import email_templates, follow_ups, sending

from .fixtures import booking, contact, fire, hall, owls, template_named, to  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def owner_api(hall, bearer):
    workspace, people = hall
    return workspace, people, bearer(people[Role.OWNER])


def post(client, path, body, headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def test_templates_crud_archive_and_fields(client, owner_api):
    workspace, people, auth = owner_api
    listed = client.get(f"{API}/workspaces/{workspace.pk}/email-templates", **auth)
    assert listed.status_code == 200 and {t["name"] for t in listed.json()} == {
        "First pitch", "Follow-up", "Hold confirmation", "Offer", "Thank-you"}
    bad = post(client, f"/workspaces/{workspace.pk}/email-templates",
               {"name": "X", "subject": "Hi", "body": "{{ act.__init__ }}"}, auth)
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["code"] == "unknown_merge_field" and bad.json()["errors"][0]["field"] == "body"
    made = post(client, f"/workspaces/{workspace.pk}/email-templates",
                {"name": "Winter", "subject": "{{ act }} in winter", "body": "Hi {{ contact_first_name }}",
                 "kind": "first_pitch"}, auth)
    assert made.status_code == 201, made.content
    tid = made.json()["id"]
    patched = client.patch(f"{API}/email-templates/{tid}", {"subject": "{{ act }}, winter dates"},
                           content_type="application/json", **auth)
    assert patched.status_code == 200 and patched.json()["subject"] == "{{ act }}, winter dates"
    assert patched.json()["body"] == "Hi {{ contact_first_name }}"
    archived = post(client, f"/email-templates/{tid}/archive", {}, auth)
    assert archived.json()["is_archived"] is True
    assert "Winter" not in {t["name"] for t in client.get(f"{API}/workspaces/{workspace.pk}/email-templates", **auth).json()}
    assert post(client, f"/email-templates/{tid}/archive", {"archived": False}, auth).json()["is_archived"] is False
    fields = client.get(f"{API}/email-templates/fields", **auth).json()
    assert [f["name"] for f in fields][:3] == ["act", "act_genres", "act_city"] and len(fields) == 16


def test_a_coordinator_may_not_change_templates_and_outsiders_see_nothing(client, hall, bearer, make_team):
    workspace, people = hall
    pitch = template_named(workspace, "First pitch")
    coordinator = bearer(people[Role.COORDINATOR])
    assert client.get(f"{API}/email-templates/{pitch.pk}", **coordinator).status_code == 200
    assert client.patch(f"{API}/email-templates/{pitch.pk}", {"name": "Mine"}, content_type="application/json",
                        **coordinator).status_code == 403
    _, others = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    outsider = bearer(others[Role.OWNER])
    assert client.get(f"{API}/email-templates/{pitch.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/workspaces/{workspace.pk}/emails", **outsider).status_code == 404


def test_preview_and_send_an_email_that_lands_in_the_outbox_and_the_thread(client, hall, owls, booking, bearer, fire):
    workspace, people = hall
    auth = bearer(people[Role.OWNER])
    mara = contact(workspace, people[Role.OWNER], "Mara Berg", "mara@owls.example", "Owls Management")
    hold = template_named(workspace, "Hold confirmation")
    body = {"recipients": [{"contact_id": mara.pk}, {"email": "tour@owls.example", "name": "Kai Nguyen"}],
            "booking_id": booking.pk, "template_id": hold.pk}
    preview = post(client, f"/workspaces/{workspace.pk}/outreach/preview", body, auth)
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["from_email"] == "no-reply@backline.local" and data["ready"] == 2 and data["remaining_this_hour"] == 200
    first = data["emails"][0]
    assert first["subject"].startswith("Hold placed: The Owls at Lantern Hall, ") and first["to_email"] == "mara@owls.example"
    assert first["body"].startswith("Hi Mara,") and booking.reference in first["body"]
    assert data["emails"][1]["body"].startswith("Hi Kai,")
    assert not OutboundEmail.objects.exists()  # a preview sends nothing
    with fire():
        sent = post(client, f"/workspaces/{workspace.pk}/outreach/send", body, auth)
    assert sent.status_code == 201, sent.content
    assert sent.json()["count"] == 2
    emails = OutboundEmail.objects.order_by("to_email")
    assert [e.status for e in emails] == [EmailStatus.SENT, EmailStatus.SENT]
    assert {e.booking_id for e in emails} == {booking.pk} and {e.template_id for e in emails} == {hold.pk}
    for email in emails:
        assert Message.objects.get(thread=email.thread, source=MessageSource.EMAIL_OUT).body.startswith("Hi ")
    detail = client.get(f"{API}/emails/{emails[0].pk}", **auth).json()
    assert detail["status"] == "sent" and detail["events"] == [] and "Hold placed" in detail["subject"]


def test_a_second_email_to_the_same_person_continues_the_conversation(hall, fire):
    workspace, people = hall
    with fire():
        [a] = sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("x@y.example"),
                                     subject="One", body="First")
        [b] = sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("X@y.example"),
                                     subject="Two", body="Second")
    assert a.thread_id == b.thread_id


def test_refused_recipients_are_listed_and_skipped_only_when_asked(client, owner_api, fire):
    workspace, people, auth = owner_api
    suppressions.suppress(workspace_id=None, email="gone@example.org", reason=SuppressionReason.BOUNCED)
    body = {"recipients": [{"email": "gone@example.org"}, {"email": "here@example.org"}], "subject": "Hi",
            "body": "Hello"}
    with fire():
        refused = post(client, f"/workspaces/{workspace.pk}/outreach/send", body, auth)
    assert refused.status_code == 422 and refused.json()["code"] == "recipients_refused"
    assert "gone@example.org bounced on" in refused.json()["detail"] and not OutboundEmail.objects.exists()
    with fire():
        sent = post(client, f"/workspaces/{workspace.pk}/outreach/send", {**body, "skip_refused": True}, auth)
    assert sent.status_code == 201 and [e["to_email"] for e in sent.json()["emails"]] == ["here@example.org"]


def test_over_the_hourly_limit_is_429_with_retry_after_and_nothing_sent(client, owner_api, fire):
    workspace, people, auth = owner_api
    put = client.put(f"{API}/workspaces/{workspace.pk}/sender-identity",
                     {"from_name": "Lantern Hall", "from_email": "booking@lantern.example", "hourly_limit": 2},
                     content_type="application/json", **auth)
    assert put.status_code == 200 and put.json()["effective_hourly_limit"] == 2
    with fire():
        ok = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                  {"recipients": [{"email": "a@x.example"}], "subject": "Hi", "body": "Hello"}, auth)
        assert ok.status_code == 201
        over = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                    {"recipients": [{"email": "b@x.example"}, {"email": "c@x.example"}], "subject": "Hi",
                     "body": "Hello"}, auth)
    assert over.status_code == 429 and over["Content-Type"].startswith("application/problem+json")
    assert 0 < int(over["Retry-After"]) <= 3600 and over.json()["retry_after"] == int(over["Retry-After"])
    assert over.json()["code"] == "rate_limited" and over.json()["remaining"] == 1
    assert OutboundEmail.objects.count() == 1


def test_unknown_and_empty_fields_at_send_are_422(client, owner_api):
    workspace, people, auth = owner_api
    unknown = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                   {"recipients": [{"email": "a@x.example"}], "subject": "Hi", "body": "{% load static %}"}, auth)
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_merge_field"
    empty = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                 {"recipients": [{"email": "a@x.example"}], "subject": "Hi", "body": "Offer: {{ deal_summary }}"}, auth)
    assert empty.status_code == 422 and empty.json()["code"] == "merge_field_missing"
    assert "{{ deal_summary }} has no value for a@x.example" in empty.json()["errors"][0]["message"]
    header = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                  {"recipients": [{"email": "a@x.example", "name": "A\r\nBcc: all@victim.example"}], "subject": "Hi",
                   "body": "Hello"}, auth)
    assert header.status_code == 422
    assert not OutboundEmail.objects.exists()


def test_the_email_list_filters_and_costs_constant_queries(client, owner_api, fire, django_assert_max_num_queries):
    workspace, people, auth = owner_api
    pitch = template_named(workspace, "Follow-up")

    def send(n, **kw):
        with fire():
            sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk,
                                   recipients=to(*(f"p{i}-{OutboundEmail.objects.count()}@example.org" for i in range(n))),
                                   subject="Hello", body="Hi", **kw)

    send(2)
    path = f"{API}/workspaces/{workspace.pk}/emails"
    client.get(path, **auth)
    with django_assert_max_num_queries(8) as few:
        assert len(client.get(path, **auth).json()["items"]) == 2
    send(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path, **auth).json()["count"] == 22
    OutboundEmail.objects.filter(pk=OutboundEmail.objects.first().pk).update(status=EmailStatus.BOUNCED)
    assert client.get(f"{path}?status=bounced", **auth).json()["count"] == 1
    assert client.get(f"{path}?recipient=p1-2", **auth).json()["count"] == 1
    assert client.get(f"{path}?template_id={pitch.pk}", **auth).json()["count"] == 0


def test_one_email_with_its_events(client, owner_api, fire):
    workspace, people, auth = owner_api
    with fire():
        [email] = sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk, recipients=to("a@x.example"),
                                         subject="Hi", body="Hello")
    EmailEvent.objects.create(email=email, provider="postmark", event_id="e1", event_type="opened",
                              occurred_at=timezone.now(), recipient="a@x.example")
    data = client.get(f"{API}/emails/{email.pk}", **auth).json()
    assert [e["event_type"] for e in data["events"]] == ["opened"] and data["thread_id"] == email.thread_id


def test_the_sender_identity_is_validated(client, owner_api, bearer):
    workspace, people, auth = owner_api
    got = client.get(f"{API}/workspaces/{workspace.pk}/sender-identity", **auth).json()
    assert got == {"from_name": "Lantern Hall", "from_email": "no-reply@backline.local", "signature": "",
                   "hourly_limit": None, "effective_hourly_limit": 200, "site_hourly_limit": 200, "is_default": True,
                   "remaining_this_hour": 200}
    bad = client.put(f"{API}/workspaces/{workspace.pk}/sender-identity",
                     {"from_name": "Lantern\nHall", "from_email": "x@y.example", "hourly_limit": 201},
                     content_type="application/json", **auth)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"from_name", "hourly_limit"}
    coordinator = bearer(people[Role.COORDINATOR])
    assert client.put(f"{API}/workspaces/{workspace.pk}/sender-identity", {"from_name": "A", "from_email": "a@b.example"},
                      content_type="application/json", **coordinator).status_code == 403


def test_follow_up_drafts_are_listed_sent_with_draft_id_or_discarded(client, owner_api, fire):
    workspace, people, auth = owner_api
    nudge = email_templates.template_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Nudge",
                                     subject="Re: dates", body="Hi {{ contact_first_name }}, any news?")
    pitch = email_templates.template_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Pitch", subject="Dates",
                                     body="Hi", follow_up_days=5, follow_up_template_id=nudge.pk)
    with fire():
        sending.outreach_send(actor=people[Role.OWNER], workspace_id=workspace.pk,
                               recipients=[sending.Recipient(email="a@x.example", name="Ana Silva"),
                                           sending.Recipient(email="b@x.example", name="Ben")],
                               template_id=pitch.pk)
    follow_ups.follow_ups_remind(now=timezone.now() + dt.timedelta(days=5, minutes=1))
    drafts = client.get(f"{API}/workspaces/{workspace.pk}/follow-ups", **auth).json()
    assert [d["status"] for d in drafts] == ["draft", "draft"] and drafts[0]["subject"] == "Re: Dates"
    assert drafts[0]["body_text"] == "Hi Ana, any news?"
    with fire():
        sent = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                    {"recipients": [{"email": drafts[0]["to_email"]}], "draft_id": drafts[0]["id"]}, auth)
    assert sent.status_code == 201, sent.content
    assert sent.json()["emails"][0]["follow_up_of_id"] == drafts[0]["follow_up_of_id"]
    again = post(client, f"/workspaces/{workspace.pk}/outreach/send",
                 {"recipients": [{"email": drafts[0]["to_email"]}], "draft_id": drafts[0]["id"]}, auth)
    assert again.status_code == 409
    assert post(client, f"/emails/{drafts[1]['id']}/discard", {}, auth).json()["status"] == "cancelled"
    assert client.get(f"{API}/workspaces/{workspace.pk}/follow-ups", **auth).json() == []
    assert post(client, f"/emails/{drafts[1]['id']}/discard", {}, auth).status_code == 409
