# ruff: noqa: F811  (the shared fixtures are imported from fixtures.py and named as arguments)
"""Outreach in the browser: templates (seeded once, created, edited, archived, duplicated), composing from a
contact, a list of contacts or a booking, the htmx preview, sending (the email lands in the outbox, is
delivered and shows in the thread), refused recipients and the hourly limit, the sent list with its
polled statuses and constant queries, one email's timeline, the booking card and the sender identity."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.conversations.models import Message, MessageSource
from backline.core.models import AuditEntry
from backline.mail.models import EmailEvent, EmailStatus, OutboundEmail, SenderIdentity, SuppressionReason
from backline.mail.services import senders, suppressions
from backline.outreach.models import EmailTemplate, TemplateKind
from backline.outreach.services import email_templates, follow_ups, sending
from tests.pages import assert_constant_queries

from .fixtures import HTMX, booking, contact, fire, hall, owls, template_named, to  # noqa: F401

pytestmark = pytest.mark.django_db


def url(workspace, rest=""):
    return f"/w/{workspace.slug}/outreach/{rest}"


# --- seeded templates ------------------------------------------------------------------------------------

def test_the_defaults_are_seeded_once_and_written_for_who_the_workspace_is(hall, owls, make_team):
    workspace, people = hall
    made = email_templates.templates_seed(workspace=workspace)
    assert {t.kind for t in made} == {TemplateKind.FIRST_PITCH, TemplateKind.FOLLOW_UP, TemplateKind.HOLD_CONFIRMATION,
                                      TemplateKind.OFFER, TemplateKind.THANK_YOU}
    assert email_templates.templates_seed(workspace=workspace) == []  # idempotent
    pitch = EmailTemplate.objects.get(workspace=workspace, kind=TemplateKind.FIRST_PITCH)
    assert pitch.follow_up_days == 5 and pitch.follow_up_template.kind == TemplateKind.FOLLOW_UP
    assert "{{ venue }}" in pitch.body  # a venue asks for a date at its venue
    act_pitch = template_named(owls[0], "First pitch")
    assert "{{ green_zone_dates }}" in act_pitch.body and "{{ epk_link }}" in act_pitch.body  # an act offers its dates
    agency, _ = make_team(WorkspaceKind.AGENCY, name="Silver Lining")
    assert "weddings" in template_named(agency, "First pitch").body
    for template in EmailTemplate.objects.all():  # every default passes the same check people's templates do
        email_templates.refuse(email_templates._template_errors(template.workspace_id,
                                                                email_templates._template_data({}, template), template))


def test_a_workspace_that_changed_its_templates_is_not_reseeded(hall, login_client):
    workspace, people = hall
    client = login_client(people[Role.OWNER])
    assert client.get(url(workspace, "templates/")).status_code == 200
    assert EmailTemplate.objects.filter(workspace=workspace).count() == 5
    for template in EmailTemplate.objects.filter(workspace=workspace):
        email_templates.template_archive(actor=people[Role.OWNER], template_id=template.pk)
    client.get(url(workspace, "templates/"))
    client.get(url(workspace, "compose/"))
    assert EmailTemplate.objects.filter(workspace=workspace).count() == 5
    assert AuditEntry.objects.filter(action="email_template.seeded", workspace_id=workspace.pk).count() == 5


# --- templates -------------------------------------------------------------------------------------------

def test_a_manager_creates_edits_duplicates_archives_and_restores_a_template(hall, login_client):
    workspace, people = hall
    client = login_client(people[Role.ADMIN])
    page = client.get(url(workspace, "templates/")).content.decode()
    assert "First pitch" in page and 'data-testid="template-new"' in page
    follow_up = template_named(workspace, "Follow-up")

    bad = client.post(url(workspace, "templates/new/"), {"name": "Autumn", "kind": "custom", "subject": "Hi {{ act }}",
                                                          "body": "{{ x.__class__ }} {% load static %}"})
    assert bad.status_code == 422 and "x.__class__" in bad.content.decode()
    response = client.post(url(workspace, "templates/new/"), {
        "name": "Autumn season", "kind": "first_pitch", "subject": "Autumn at {{ venue }}",
        "body": "Hi {{ contact_first_name }},\n\nAny dates for {{ act }}?", "follow_up_days": "7",
        "follow_up_template": str(follow_up.pk)})
    assert response.status_code == 302
    autumn = EmailTemplate.objects.get(workspace=workspace, name="Autumn season")
    assert (autumn.follow_up_days, autumn.follow_up_template_id, autumn.created_by) == (7, follow_up.pk,
                                                                                         people[Role.ADMIN])
    edit = client.get(url(workspace, f"templates/{autumn.pk}/")).content.decode()
    assert "Autumn at Lantern Hall" in edit  # the preview with example values
    client.post(url(workspace, f"templates/{autumn.pk}/"), {"name": "Autumn season", "kind": "first_pitch",
                                                             "subject": "Autumn nights at {{ venue }}", "body": "Hello",
                                                             "follow_up_days": "", "follow_up_template": ""})
    autumn.refresh_from_db()
    assert autumn.subject == "Autumn nights at {{ venue }}" and autumn.follow_up_days is None

    copy = client.post(url(workspace, f"templates/{autumn.pk}/duplicate/"))
    duplicate = EmailTemplate.objects.get(workspace=workspace, name="Autumn season (copy)")
    assert copy["Location"] == url(workspace, f"templates/{duplicate.pk}/") and duplicate.subject == autumn.subject

    client.post(url(workspace, f"templates/{autumn.pk}/archive/"))
    autumn.refresh_from_db()
    assert autumn.is_archived and "Autumn season (copy)" in client.get(url(workspace, "templates/")).content.decode()
    assert ">Autumn season<" not in client.get(url(workspace, "templates/")).content.decode()
    client.post(url(workspace, f"templates/{autumn.pk}/archive/"), {"restore": "1"})
    autumn.refresh_from_db()
    assert not autumn.is_archived


def test_the_editor_previews_as_you_type_and_flags_unknown_fields(hall, login_client):
    workspace, people = hall
    client = login_client(people[Role.OWNER])
    response = client.post(url(workspace, "templates/preview/"), {"subject": "{{ act }} at {{ venue }}",
                                                                  "body": "Hi {{ contact_first_name }} {{ nope }}"}, **HTMX)
    page = response.content.decode()
    assert "The Velvet Owls at Lantern Hall" in page and "Hi Mara" in page
    assert 'data-testid="template-unknown"' in page and "“nope”" in page and "<html" not in page


def test_a_follow_up_chain_that_comes_back_is_refused(hall):
    workspace, people = hall
    pitch, follow_up = template_named(workspace, "First pitch"), template_named(workspace, "Follow-up")
    with pytest.raises(Exception) as refused:
        email_templates.template_update(actor=people[Role.OWNER], template_id=follow_up.pk, follow_up_days=3,
                                 follow_up_template_id=pitch.pk)
    assert "forever" in str(refused.value.errors["follow_up_template_id"])


def test_a_coordinator_uses_templates_but_does_not_change_them(hall, login_client):
    workspace, people = hall
    client = login_client(people[Role.COORDINATOR])
    pitch = template_named(workspace, "First pitch")
    page = client.get(url(workspace, "templates/")).content.decode()
    assert f'data-testid="template-use-{pitch.pk}"' in page and 'data-testid="template-new"' not in page
    assert client.get(url(workspace, f"templates/{pitch.pk}/")).status_code == 403
    assert client.post(url(workspace, f"templates/{pitch.pk}/archive/")).status_code == 403
    member = login_client(people[Role.MEMBER])
    assert member.get(url(workspace, "templates/")).status_code == 403
    assert member.get(url(workspace, "compose/")).status_code == 403


# --- compose, preview, send ----------------------------------------------------------------------------

def test_compose_from_a_contact_prefills_and_the_preview_shows_the_email_as_sent(hall, login_client):
    workspace, people = hall
    owner = people[Role.OWNER]
    ana = contact(workspace, owner, "Ana Silva", "ana@agency.example", "Northern Agency")
    pitch = template_named(workspace, "Follow-up")
    client = login_client(owner)
    page = client.get(url(workspace, f"compose/?contact={ana.pk}&template={pitch.pk}")).content.decode()
    assert f'<option value="{ana.pk}" selected>' in page and "Re: {{ act }} at {{ venue }}" in page
    response = client.post(url(workspace, "compose/preview/"), {
        "contacts": [ana.pk], "to": "", "subject": "Dates for {{ organisation }}",
        "body": "Hi {{ contact_first_name }},\n\nHow about {{ dates }}?"}, **HTMX)
    preview = response.content.decode()
    assert "<html" not in preview
    assert "Lantern Hall &lt;no-reply@backline.local&gt;" in preview  # the From line from the sender identity
    assert "Dates for Northern Agency" in preview and "Hi Ana," in preview
    assert '<mark class="merge-missing"' in preview and "{{ dates }}" in preview  # no booking: no dates
    assert "this email is not about a booking" in preview
    assert "200 more can go out this hour" in preview


def test_compose_labels_its_recipients_once_and_a_blank_template_reads_as_your_own_message(hall, login_client):
    workspace, people = hall
    page = login_client(people[Role.OWNER]).get(url(workspace, "compose/?subject=Hi&body=Hello")).content.decode()
    form = page.split('data-testid="compose-form"', 1)[1]
    assert form.count('>To</label>') == 1 and ">Contacts</label>" not in form and "<legend" not in form
    assert re.search(r'<option value=""( selected)?>None \(your own message\)</option>', form)
    assert "Blank email" not in form


def test_sending_to_one_contact_lands_in_the_outbox_and_the_thread(hall, login_client, fire):
    workspace, people = hall
    owner = people[Role.OWNER]
    ana = contact(workspace, owner, "Ana Silva", "ana@agency.example", "Northern Agency")
    client = login_client(owner)
    with fire():
        response = client.post(url(workspace, "compose/"), {
            "contacts": [ana.pk], "subject": "Hello {{ organisation }}", "body": "Hi {{ contact_first_name }}, a date?"})
    email = OutboundEmail.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/w/{workspace.slug}/inbox/{email.thread_id}/"
    assert (email.status, email.to_email, email.subject, email.contact) == (EmailStatus.SENT, "ana@agency.example",
                                                                            "Hello Northern Agency", ana)
    assert email.body_text.startswith("Hi Ana, a date?")
    [sent] = [m for m in mail.outbox if m.subject == "Hello Northern Agency"]
    assert sent.to in (["Ana Silva <ana@agency.example>"], ["ana@agency.example"])
    message = Message.objects.get(thread=email.thread)
    assert message.source == MessageSource.EMAIL_OUT and message.body == "Hi Ana, a date?"


def test_compose_from_a_booking_uses_its_contact_and_shows_on_the_booking(hall, owls, booking, login_client, fire):
    workspace, people = hall
    client = login_client(people[Role.OWNER])
    offer = template_named(workspace, "Offer")
    page = client.get(url(workspace, f"compose/?booking={booking.pk}&template={offer.pk}")).content.decode()
    assert "Mara Berg &lt;mara@owls.example&gt;" in page and 'data-testid="compose-booking"' in page
    with fire():
        response = client.post(url(workspace, "compose/"), {
            "booking": booking.pk, "template": offer.pk, "to": "Mara Berg <mara@owls.example>",
            "subject": offer.subject, "body": offer.body})
    assert response.status_code == 302, response.content.decode()[:2000]
    email = OutboundEmail.objects.get()
    assert email.booking == booking and email.template == offer and email.status == EmailStatus.SENT
    assert "€800 vs 70% of net, 50% deposit" in email.body_text and booking.reference in email.body_text
    assert email.subject.startswith("Offer: The Owls at Lantern Hall, ")
    detail = client.get(f"/w/{workspace.slug}/bookings/{booking.pk}/").content.decode()
    card = detail.split('data-testid="booking-outreach"', 1)[1]
    assert email.subject in card and 'data-status="sent"' in card and "First pitch" in card


def test_a_list_with_a_suppressed_address_is_refused_until_the_sender_says_send_to_the_others(hall, login_client, fire):
    workspace, people = hall
    owner = people[Role.OWNER]
    people_ = [contact(workspace, owner, f"Person {i}", f"p{i}@example.org") for i in range(3)]
    suppressions.suppress(workspace_id=workspace.pk, email="p1@example.org", reason=SuppressionReason.OPTED_OUT)
    client = login_client(owner)
    page = client.get(url(workspace, f"compose/?contacts={','.join(str(c.pk) for c in people_)}")).content.decode()
    assert page.count(" selected>") >= 3
    data = {"contacts": [c.pk for c in people_], "subject": "News", "body": "Hi {{ contact_first_name }}"}
    preview = client.post(url(workspace, "compose/preview/"), data, **HTMX).content.decode()
    assert "p1@example.org</span> opted out on" in preview and 'data-testid="preview-refused-count">1 refused' in preview
    with fire():
        refused = client.post(url(workspace, "compose/"), data)
    assert refused.status_code == 422 and not OutboundEmail.objects.exists()
    page = refused.content.decode()
    assert "p1@example.org opted out on" in page and 'data-testid="compose-skip-refused"' in page
    with fire():
        sent = client.post(url(workspace, "compose/"), {**data, "skip_refused": "on"})
    assert sent.status_code == 302
    assert sorted(OutboundEmail.objects.values_list("to_email", flat=True)) == ["p0@example.org", "p2@example.org"]
    assert len([m for m in mail.outbox if m.subject == "News"]) == 2


def test_a_bad_address_sends_nothing_at_all(hall, login_client, fire):
    workspace, people = hall
    client = login_client(people[Role.OWNER])
    with fire():
        response = client.post(url(workspace, "compose/"), {"to": "good@example.org, not-an-address, x@",
                                                            "subject": "Hi", "body": "Hello"})
    assert response.status_code == 422 and not OutboundEmail.objects.exists()
    assert "not-an-address" in response.content.decode()


def test_over_the_hourly_limit_nothing_is_sent_and_the_page_says_when_to_retry(hall, login_client, fire):
    workspace, people = hall
    owner = people[Role.OWNER]
    senders.sender_identity_set(actor=owner, workspace_id=workspace.pk, from_name="Lantern Hall",
                                 from_email="booking@lantern.example", hourly_limit=2)
    client = login_client(owner)
    with fire():
        response = client.post(url(workspace, "compose/"), {"to": "a@x.example, b@x.example, c@x.example",
                                                            "subject": "Hi", "body": "Hello"})
    assert response.status_code == 429 and not OutboundEmail.objects.exists()
    assert "may send 2 emails an hour" in response.content.decode() and "Nothing was sent" in response.content.decode()
    preview = client.post(url(workspace, "compose/preview/"), {"to": "a@x.example, b@x.example, c@x.example",
                                                               "subject": "Hi", "body": "Hello"}, **HTMX)
    assert 'data-testid="preview-over-limit"' in preview.content.decode()


# --- the sent list and one email -------------------------------------------------------------------------

def _send(workspace, owner, n, fire, **kw):
    with fire():
        return sending.outreach_send(actor=owner, workspace_id=workspace.pk,
                                      recipients=to(*(f"r{i}-{timezone.now().timestamp()}@example.org" for i in range(n))),
                                      subject="Hello", body="Hi there", **kw)


def test_the_sent_list_shows_statuses_filters_and_polls_while_they_can_change(hall, login_client, fire):
    workspace, people = hall
    owner = people[Role.OWNER]
    pitch = template_named(workspace, "First pitch")
    [first] = _send(workspace, owner, 1, fire)
    with fire():
        [second] = sending.outreach_send(actor=owner, workspace_id=workspace.pk, recipients=to("zoe@example.org"),
                                          subject="Zoe", body="Hi", template_id=None)
    OutboundEmail.objects.filter(pk=second.pk).update(status=EmailStatus.BOUNCED)
    client = login_client(people[Role.COORDINATOR])
    page = client.get(url(workspace)).content.decode()
    assert f'data-testid="email-row-{first.pk}"' in page and 'data-status="bounced"' in page
    assert 'hx-trigger="every 7s"' in page  # the sent one may still be delivered, opened, replied
    only_bounced = client.get(url(workspace, "?status=bounced")).content.decode()
    assert f"email-row-{second.pk}" in only_bounced and f"email-row-{first.pk}" not in only_bounced
    by_recipient = client.get(url(workspace, "?q=zoe")).content.decode()
    assert f"email-row-{second.pk}" in by_recipient and f"email-row-{first.pk}" not in by_recipient
    assert f"email-row-{first.pk}" not in client.get(url(workspace, f"?template={pitch.pk}")).content.decode()
    OutboundEmail.objects.filter(pk=first.pk).update(status=EmailStatus.OPENED, opened_at=timezone.now())
    rows = client.get(url(workspace, "?status=sent&status=opened&rows=1"), **HTMX).content.decode()
    assert rows.lstrip().startswith('<tbody id="email-rows"') and 'data-status="opened"' in rows
    # the next poll asks for the rows again, with the same filters
    assert f'hx-get="/w/{workspace.slug}/outreach/?status=sent&amp;status=opened&amp;rows=1"' in rows


def test_the_sent_list_costs_the_same_queries_for_many_emails(hall, login_client, fire, django_assert_max_num_queries):
    workspace, people = hall
    owner = people[Role.OWNER]
    _send(workspace, owner, 2, fire)
    client = login_client(owner)
    assert_constant_queries(client, {url(workspace): 12, url(workspace, "?status=sent&q=example"): 12},
                            lambda: _send(workspace, owner, 25, fire), django_assert_max_num_queries)
    with django_assert_max_num_queries(7):  # the polled rows: user, memberships, count, page, status counts, bell
        assert client.get(url(workspace, "?rows=1"), **HTMX).status_code == 200


def test_one_email_shows_its_timeline_and_refreshes_its_status(hall, login_client, fire):
    workspace, people = hall
    [email] = _send(workspace, people[Role.OWNER], 1, fire)
    EmailEvent.objects.create(email=email, provider="mailgun", event_id="ev-1", event_type="delivered",
                              occurred_at=timezone.now(), recipient=email.to_email)
    client = login_client(people[Role.OWNER])
    page = client.get(url(workspace, f"emails/{email.pk}/")).content.decode()
    assert "Delivered" in page and "(mailgun)" in page and 'data-testid="thread-link"' in page
    assert 'hx-get="?status=1"' in page
    partial = client.get(url(workspace, f"emails/{email.pk}/?status=1"), **HTMX).content.decode()
    assert partial.lstrip().startswith('<section class="card') and "<html" not in partial


def test_a_bounced_email_says_why_in_words_and_keeps_the_servers_reply_under_details(hall, login_client, fire):
    workspace, people = hall
    [email] = _send(workspace, people[Role.OWNER], 1, fire)
    reply = "550 5.2.2 The email account that you tried to reach is over quota"
    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.BOUNCED, last_error=reply)
    EmailEvent.objects.create(email=email, provider="mailgun", event_id="ev-b", event_type="bounced",
                              occurred_at=timezone.now(), recipient=email.to_email, description=reply)
    page = login_client(people[Role.OWNER]).get(url(workspace, f"emails/{email.pk}/")).content.decode()
    assert "The mailbox is full." in page and "Bounced: the mailbox is full" in page
    details = page.split('data-testid="mail-server-details"')[1].split("</details>")[0]
    assert "Details from the mail server" in details and reply in details
    assert page.count("over quota") == 1  # the raw reply only inside the disclosure, once


def test_another_workspaces_email_is_not_found(hall, make_team, login_client, fire):
    workspace, people = hall
    [email] = _send(workspace, people[Role.OWNER], 1, fire)
    other, others = make_team(WorkspaceKind.VENUE, name="Elsewhere")
    client = login_client(others[Role.OWNER])
    assert client.get(f"/w/{other.slug}/outreach/emails/{email.pk}/").status_code == 404
    assert client.get(f"/w/{workspace.slug}/outreach/emails/{email.pk}/").status_code == 404


# --- the sender identity ---------------------------------------------------------------------------------

def test_the_sender_identity_is_validated_and_used(hall, login_client, fire, settings):
    workspace, people = hall
    client = login_client(people[Role.ADMIN])
    page = client.get(url(workspace, "sender/")).content.decode()
    assert "Lantern Hall &lt;no-reply@backline.local&gt;" in page
    for bad, field in (({"from_name": "Mara\r\nBcc: x@y.z", "from_email": "mara@lantern.example"}, "one line"),
                       ({"from_name": "Mara", "from_email": "mara@"}, "valid email"),
                       ({"from_name": "Mara", "from_email": "mara@lantern.example", "hourly_limit": "5000"}, "200")):
        response = client.post(url(workspace, "sender/"), bad)
        assert response.status_code == 422 and field in response.content.decode(), field
    assert not SenderIdentity.objects.exists()
    client.post(url(workspace, "sender/"), {"from_name": "Mara at Lantern Hall", "from_email": "mara@lantern.example",
                                            "signature": "Mara Berg\nBooker, **Lantern Hall**", "hourly_limit": "50"})
    identity = SenderIdentity.objects.get(workspace=workspace)
    assert (identity.from_name, identity.hourly_limit) == ("Mara at Lantern Hall", 50)
    [email] = _send(workspace, people[Role.OWNER], 1, fire)
    assert email.from_email == "mara@lantern.example" and "Booker, **Lantern Hall**" in email.body_text
    assert login_client(people[Role.COORDINATOR]).get(url(workspace, "sender/")).status_code == 403


def test_the_nav_shows_outreach_to_those_who_may_send(hall, login_client):
    workspace, people = hall
    assert f'href="/w/{workspace.slug}/outreach/"' in login_client(people[Role.COORDINATOR]).get(
        f"/w/{workspace.slug}/").content.decode()
    assert f'href="/w/{workspace.slug}/outreach/"' not in login_client(people[Role.VIEWER]).get(
        f"/w/{workspace.slug}/").content.decode()


def test_a_follow_up_draft_opens_in_compose_and_sending_it_uses_it_up(hall, login_client, fire):
    workspace, people = hall
    owner = people[Role.OWNER]
    pitch = template_named(workspace, "First pitch")
    with fire():
        [email] = sending.outreach_send(actor=owner, workspace_id=workspace.pk, recipients=to("ana@agency.example"),
                                         subject="Dates?", body="Hi", template_id=pitch.pk)
    assert follow_ups.follow_ups_remind(now=timezone.now() + dt.timedelta(days=6)) == 1
    draft = OutboundEmail.objects.get(status=EmailStatus.DRAFT)
    client = login_client(owner)
    page = client.get(url(workspace, f"compose/?draft={draft.pk}")).content.decode()
    assert 'data-testid="draft-banner"' in page and "Re: Dates?" in page and "ana@agency.example" in page
    with fire():
        response = client.post(url(workspace, "compose/"), {"draft": draft.pk, "to": "ana@agency.example",
                                                            "subject": "Re: Dates?", "body": "Just checking in!"})
    assert response.status_code == 302
    draft.refresh_from_db()
    sent = OutboundEmail.objects.exclude(pk__in=[email.pk, draft.pk]).get()
    assert draft.status == EmailStatus.CANCELLED and sent.follow_up_of == email and sent.thread_id == email.thread_id
    assert client.get(url(workspace, f"compose/?draft={draft.pk}")).status_code == 302  # used up
