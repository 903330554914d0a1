"""Replies by email, posted as Mailgun's inbound route posts them: they land in the right thread, mark the
email replied (which stops its follow-up) and tell its sender; the same message delivered twice is posted
once; HTML is reduced to text and never stored or shown as HTML."""

import io
import json

import pytest

from backline.accounts.models import Role
from backline.conversations.models import Attachment, Message, MessageSource
from backline.mail.models import EmailEvent, EmailStatus, QuarantinedEmail
from backline.mail.services.inbound import html_to_text, strip_quoted
from backline.notifications.models import Notification, NotificationType

from .payloads import POSTMARK_SECRET, mailgun_inbound, postmark_auth, postmark_inbound, reply_address, webhook_settings
from .payloads.scene import build_scene

pytestmark = pytest.mark.django_db

INBOUND = "/webhooks/email/mailgun/inbound/"

REPLY = """Hi,

Yes, Friday the 19th works for us. Can The Owls start at 21:00?

Dana

On Mon, 8 Dec 2025 at 10:02, Lantern Hall <reply+abc@reply.backline.test> wrote:
> Hi Dana,
>
> Would The Owls fit your Friday club night?
>
> Best, Lantern Hall
"""


@pytest.fixture
def scene(make_team, fire, settings):
    webhook_settings(settings)
    return build_scene(make_team, fire)


@pytest.fixture
def post(client, fire):
    def send(data, url=INBOUND, **extra):
        with fire():
            response = client.post(url, data=data, **extra)
        assert response.status_code == 200, response.content
        return response

    return send


def replies(thread):
    return list(thread.messages.filter(source=MessageSource.EMAIL_IN).order_by("id"))


def test_a_reply_lands_in_its_thread_marks_the_email_replied_and_tells_the_sender(scene, post):
    post(mailgun_inbound(to=f"Lantern Hall <{reply_address(scene.thread)}>", text=REPLY,
                         message_id="<CAEPk3R+4Zr@mail.example.org>"))
    [message] = replies(scene.thread)
    assert message.body == "Hi,\n\nYes, Friday the 19th works for us. Can The Owls start at 21:00?\n\nDana"
    assert message.author_contact == scene.contact and message.author_email == "dana@example.org"
    assert message.author_name == "Dana Booker" and message.author is None
    assert "<" not in message.body_html.replace("<p>", "").replace("</p>", "").replace("<br>", "").replace("<br />", "")
    email = scene.refresh()
    assert email.status == EmailStatus.REPLIED and email.replied_at is not None  # the follow-up stops
    note = Notification.objects.get(user=scene.sender, type=NotificationType.EMAIL_REPLY)
    assert note.title == "Dana Booker replied to “Friday club night”"
    assert "Friday the 19th" in note.body
    # The workspace's readers hear of the new message as of any other.
    assert Notification.objects.filter(user=scene.people[Role.VIEWER], type=NotificationType.MESSAGE).exists()
    inbound = EmailEvent.objects.get(event_type="inbound")
    assert inbound.email == email and inbound.provider == "mailgun"
    assert QuarantinedEmail.objects.count() == 0


def test_the_same_message_delivered_twice_is_posted_once(scene, post):
    data = mailgun_inbound(to=reply_address(scene.thread), text="Count us in.", message_id="<dup-1@mail.example.org>")
    post(data)
    post(data)
    again = mailgun_inbound(to=reply_address(scene.thread), text="Count us in.", message_id="<dup-1@mail.example.org>")
    post(again)  # a redelivery with a new Mailgun token: the Message-ID still dedupes
    assert len(replies(scene.thread)) == 1
    assert Notification.objects.filter(user=scene.sender, type=NotificationType.EMAIL_REPLY).count() == 1
    assert EmailEvent.objects.filter(event_type="inbound").count() == 1


def test_a_second_reply_is_posted_but_the_sender_is_told_of_the_first_only(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), text="First answer."))
    first_replied_at = scene.refresh().replied_at
    post(mailgun_inbound(to=reply_address(scene.thread), text="And another thing."))
    assert [m.body for m in replies(scene.thread)] == ["First answer.", "And another thing."]
    assert scene.refresh().replied_at == first_replied_at
    assert Notification.objects.filter(user=scene.sender, type=NotificationType.EMAIL_REPLY).count() == 1


def test_the_token_is_found_in_cc_and_in_upper_case(scene, post):
    address = reply_address(scene.thread).upper().replace("REPLY+", "Reply+")
    post(mailgun_inbound(to="someone@example.org", cc=f"Lantern <{address}>", envelope_recipient=address,
                         text="Copying you in."))
    assert [m.body for m in replies(scene.thread)] == ["Copying you in."]


def test_html_only_mail_is_stored_as_text_never_html(scene, post):
    html = ("<html><head><style>p{color:red}</style><title>x</title></head><body>"
            "<p>Hello <b>there</b> &amp; thanks!</p><script>alert('owned')</script>"
            "<img src=x onerror=alert(1)><div>Line two<br>Line three</div>"
            "<a href=\"javascript:alert(2)\">click</a></body></html>")
    post(mailgun_inbound(to=reply_address(scene.thread), text=None, html=html))
    [message] = replies(scene.thread)
    assert message.body == "Hello there & thanks!\n\nLine two\nLine three\nclick"
    for bad in ("<script", "alert", "onerror", "javascript:", "<b>", "<img", "color:red"):
        assert bad not in message.body and bad not in message.body_html


def test_a_reply_with_script_in_its_text_is_shown_escaped(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), text="<script>alert(1)</script> sounds good"))
    [message] = replies(scene.thread)
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html


def test_an_automatic_reply_is_posted_but_does_not_count_as_a_reply(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), subject="Automatic reply: Friday club night",
                         text="I am away until Monday.", extra_headers=[["Auto-Submitted", "auto-replied"]]))
    assert [m.body for m in replies(scene.thread)] == ["I am away until Monday."]
    email = scene.refresh()
    assert email.status == EmailStatus.SENT and email.replied_at is None  # the follow-up still comes
    assert not Notification.objects.filter(type=NotificationType.EMAIL_REPLY).exists()


def test_a_member_replying_by_email_is_posted_from_their_address_never_as_them(scene, post):
    """The From header proves nothing: mail from a member's address is posted as received by email from
    that address, with no Backline author (a forger would otherwise write as the member)."""
    member = scene.people[Role.MEMBER]
    post(mailgun_inbound(to=reply_address(scene.thread), sender=member.email.upper(), from_name="", text="Noted."))
    [message] = replies(scene.thread)
    assert message.author is None and message.author_workspace is None and message.author_contact is None
    assert message.author_email == member.email.lower() and message.author_name == member.email.lower()
    assert scene.refresh().replied_at is None  # not an answer from the recipient


def test_a_forged_from_of_the_coordinator_never_posts_as_the_coordinator(scene, post, login_client):
    coordinator = scene.people[Role.COORDINATOR]
    post(mailgun_inbound(to=reply_address(scene.thread), sender=coordinator.email, from_name="Carla from Lantern Hall",
                         text="Change of plan: pay the deposit to IBAN XX00 0000."))
    [message] = replies(scene.thread)
    assert message.author is None and message.author_workspace is None
    assert message.author_name == "Carla from Lantern Hall" and message.author_email == coordinator.email.lower()
    page = login_client(scene.owner).get(f"/w/{scene.workspace.slug}/inbox/{scene.thread.pk}/").content.decode()
    assert f"received by email from {coordinator.email.lower()}" in page
    assert "bl-mine" not in page.split(f'id="message-{message.pk}"')[0].rsplit("<article", 1)[-1]


def test_a_viewer_whose_role_may_not_send_messages_cannot_write_by_email(scene, post):
    person = scene.people[Role.VIEWER]
    post(mailgun_inbound(to=reply_address(scene.thread), sender=person.email, from_name="", text="Me too."))
    assert replies(scene.thread) == []
    held = QuarantinedEmail.objects.get()
    assert held.reason == "stranger" and held.from_email == person.email.lower()


def test_an_agency_performer_cannot_write_by_email(make_team, fire, settings, post):
    from backline.accounts.models import WorkspaceKind

    webhook_settings(settings)
    agency, people = make_team(WorkspaceKind.AGENCY, name="Northern Lights Agency")
    agency_scene = build_scene(make_team, fire, name="Harbour Promotions")
    from backline.conversations.models import ThreadParty

    ThreadParty.objects.create(thread=agency_scene.thread, workspace=agency)
    post(mailgun_inbound(to=reply_address(agency_scene.thread), sender=people[Role.PERFORMER].email, from_name="",
                         text="Can I come?"))
    assert replies(agency_scene.thread) == []
    assert QuarantinedEmail.objects.get().reason == "stranger"
    post(mailgun_inbound(to=reply_address(agency_scene.thread), sender=people[Role.MEMBER].email, from_name="",
                         text="Booked."))
    assert [m.body for m in replies(agency_scene.thread)] == ["Booked."]


def test_a_reply_never_marks_an_email_that_has_not_gone_out_replied(scene, post):
    """Dana got the first email; a second one to her waits in the queue (the mail server is down). Her
    reply to the first marks the first replied; the second stays queued, to be sent."""
    from backline.mail.services import outbox

    queued = outbox.email_queue(actor=scene.sender, workspace_id=scene.workspace.pk, to_email="dana@example.org",
                                to_name="Dana Booker", subject="Friday club night: the rider", body="Rider attached.",
                                contact_id=scene.contact.pk, deliver=False)
    assert queued.thread_id == scene.thread.pk and queued.status == EmailStatus.QUEUED
    post(mailgun_inbound(to=reply_address(scene.thread), text="Yes, Friday works."))
    queued.refresh_from_db()
    assert queued.status == EmailStatus.QUEUED and queued.replied_at is None and queued.sent_at is None
    first = scene.refresh()
    assert first.status == EmailStatus.REPLIED and first.replied_at is not None
    assert EmailEvent.objects.get(event_type="inbound").email == first
    from backline.mail.models import OutboundEmail

    OutboundEmail.objects.filter(pk=queued.pk).update(status=EmailStatus.FAILED)
    OutboundEmail.objects.filter(pk=first.pk).delete()  # only the failed one is left to match
    post(mailgun_inbound(to=reply_address(scene.thread), text="Hello?"))
    queued.refresh_from_db()
    assert queued.status == EmailStatus.FAILED and queued.replied_at is None


def test_nul_characters_from_the_provider_are_dropped(scene, post):
    """A NUL cannot be stored in PostgreSQL text or jsonb: it is removed from everything received."""
    post(mailgun_inbound(to=reply_address(scene.thread), from_name="Dana\x00 Booker", subject="Re: Friday\x00 club night",
                         text="Yes,\x00 Friday works.", message_id="<nul\x00-1@mail.example.org>"))
    [message] = replies(scene.thread)
    assert message.body == "Yes, Friday works." and message.author_name == "Dana Booker"
    event = EmailEvent.objects.get(event_type="inbound")
    assert "\x00" not in event.description and "\\u0000" not in json.dumps(event.payload)
    assert event.payload["subject"] == "Re: Friday club night"


def test_a_long_reply_is_capped(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), text="x" * 30000))
    [message] = replies(scene.thread)
    assert len(message.body) == 20000


def test_attachments_that_pass_the_checks_are_kept_others_are_named(scene, post):
    good = io.BytesIO(b"Set list\n1. Owl Song\n")
    good.name = "setlist.txt"
    bad = io.BytesIO(b"MZ\x90\x00 not really a program")
    bad.name = "invoice.exe"
    post(mailgun_inbound(to=reply_address(scene.thread), text="Set list attached.",
                         attachments={"attachment-1": good, "attachment-2": bad}))
    [message] = replies(scene.thread)
    [kept] = Attachment.objects.filter(message=message)
    assert kept.filename == "setlist.txt" and kept.content_type == "text/plain" and kept.size == 21
    assert kept.file.read() == b"Set list\n1. Owl Song\n"
    assert message.body == "Set list attached.\n\n(Not kept from the email: invoice.exe.)"


def test_postmark_inbound_lands_in_the_thread(scene, client, fire, settings):
    webhook_settings(settings, "postmark", key=None, secret=POSTMARK_SECRET)
    data = postmark_inbound(to=reply_address(scene.thread), text="Yes, Friday works for us.")
    for _ in range(2):
        with fire():
            response = client.post("/webhooks/email/postmark/inbound/", data=json.dumps(data),
                                   content_type="application/json", **postmark_auth())
        assert response.status_code == 200, response.content
    assert [m.body for m in replies(scene.thread)] == ["Yes, Friday works for us."]
    assert scene.refresh().status == EmailStatus.REPLIED


# --- the text of a reply ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (REPLY, "Hi,\n\nYes, Friday the 19th works for us. Can The Owls start at 21:00?\n\nDana"),
    ("Sure!\n\nOn Tue, Mar 5, 2024 at 10:00 AM Lantern Hall <\nreply+abc@reply.backline.test> wrote:\n> old", "Sure!"),
    ("Ja, gerne.\n\nAm 05.03.2024 um 10:00 schrieb Lantern Hall <x@y.z>:\n> alt", "Ja, gerne."),
    ("Fine by us.\n\n-----Original Message-----\nFrom: Lantern Hall\nSent: Monday\n\nold text", "Fine by us."),
    ("Fine.\n\nFrom: Lantern Hall <x@y.z>\nSent: Monday, 8 December 2025 10:02\nTo: Dana\nSubject: Re", "Fine."),
    ("> Can you do Friday?\nYes.\n> And the fee?\n500 is fine.\n\n> Best\n> Lantern", "> Can you do Friday?\nYes.\n"
     "> And the fee?\n500 is fine."),
    ("> only a quote", "> only a quote"),
    ("On Friday we can play a longer set.\nThanks!", "On Friday we can play a longer set.\nThanks!"),
])
def test_strip_quoted(text, expected):
    assert strip_quoted(text) == expected


def test_html_to_text_keeps_lines_and_drops_tags():
    assert html_to_text("<ul><li>One</li><li>Two &lt;3</li></ul><p>Bye</p>") == "- One\n- Two <3\n\nBye"


def test_every_inbound_message_is_a_message_row_of_the_thread_not_html(scene, post):
    post(mailgun_inbound(to=reply_address(scene.thread), text=None, html="<p>Only <i>HTML</i></p>"))
    assert Message.objects.filter(thread=scene.thread, source=MessageSource.EMAIL_IN, body="Only HTML").exists()


def test_an_unsubscribe_reply_from_the_recipient_opts_them_out(scene, post):
    """List-Unsubscribe's mailto: answers to the thread with the subject "unsubscribe"."""
    from backline.core.errors import Invalid
    from backline.mail.models import Suppression
    from backline.mail.services import outbox

    post(mailgun_inbound(to=reply_address(scene.thread), subject="unsubscribe", text=""))
    suppression = Suppression.objects.get(email="dana@example.org")
    assert suppression.workspace_id == scene.thread.workspace_id and suppression.reason == "opted_out"
    assert scene.refresh().status != EmailStatus.REPLIED  # a request, not an answer: the sender is not told
    assert not Notification.objects.filter(user=scene.sender, type=NotificationType.EMAIL_REPLY).exists()
    assert len(replies(scene.thread)) == 1  # the team sees the request in the thread
    with pytest.raises(Invalid, match="opted out"):
        outbox.email_queue(actor=scene.sender, workspace_id=scene.thread.workspace_id, to_email="dana@example.org",
                           subject="One more thing", body="Hello again")


def test_an_ordinary_reply_mentioning_unsubscribe_opts_nobody_out(scene, post):
    from backline.mail.models import Suppression

    post(mailgun_inbound(to=reply_address(scene.thread), subject="Re: unsubscribe me from the old list, not this",
                         text="Keep me posted."))
    assert not Suppression.objects.exists()
    assert scene.refresh().status == EmailStatus.REPLIED


def test_a_deleted_contact_may_still_answer_the_email_they_got_and_the_delete_button_says_so(scene, post, login_client):
    """The address an email was sent to may answer in that email's conversation, in the book or not;
    elsewhere a deleted contact is a stranger. The confirmation on the contact's page says exactly that."""
    from backline.contacts.services import contact_create, contact_delete
    from backline.mail.services import inbound, outbox

    page = login_client(scene.owner).get(f"/w/{scene.workspace.slug}/contacts/{scene.contact.pk}/").content.decode()
    assert "replies from their address will be held for review" not in page
    assert ("Replies from their address to the emails you sent them still arrive in those conversations; "
            "other mail from them is held for review.") in page
    jonas = contact_create(actor=scene.owner, workspace_id=scene.workspace.pk, name="Jonas Weber",
                           email="jonas@example.org")
    other = outbox.email_queue(actor=scene.sender, workspace_id=scene.workspace.pk, to_email="jonas@example.org",
                               subject="Avails?", body="Any dates in March?", contact_id=jonas.pk, deliver=False)
    contact_delete(actor=scene.owner, contact_id=scene.contact.pk)
    assert "dana@example.org" in inbound.thread_emails_of(scene.thread)
    post(mailgun_inbound(to=reply_address(scene.thread), text="Still keen on Friday."))
    [message] = replies(scene.thread)
    assert message.author_contact is None and message.author_email == "dana@example.org"
    post(mailgun_inbound(to=reply_address(other.thread), text="Jonas asked me to write."))
    assert replies(other.thread) == []
    assert QuarantinedEmail.objects.get().reason == "stranger"
