"""A date request from someone without an account, made on an act's press kit. They become (or are found
as) a contact of the act, tagged ``press-kit``, and their request opens an email conversation with them in
the act's inbox: the act answers there (the answer is emailed to them through outreach, and their replies
come back to the same conversation by its reply address). A copy goes to the act's booking address
through the outbox, saying where to answer; the form is rate-limited by the caller."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from backline.contacts.services import contact_from_request
from backline.conversations.models import MessageSource
from backline.conversations.services import add_message, email_thread_for
from backline.core.errors import DomainError
from backline.mail.services import outbox

TAG = "press-kit"


def _request_text(data) -> str:
    return (f"Date: {data['date']:%A %d %B %Y}\nVenue or city: {data['where']}"
            + (f"\n\n{data['message']}" if data.get("message") else ""))


def email_request(request, kit, data):
    """The conversation with the person who asked (returned), and the outbox copy to the booking address."""
    ws = kit.act.workspace
    to = kit.booking_email or ws.contact_email
    if not to:
        raise DomainError(f"{ws.name} has no booking email yet: write to them another way.")
    subject = f"Date request for {data['date']:%d %b %Y} from {data['name']}"[:200]
    with transaction.atomic():
        contact = contact_from_request(workspace_id=ws.pk, name=data["name"], email=data["email"], tag=TAG,
                                       note=f"Asked for a date on {data['date']:%d %b %Y} through the press kit.")
        thread = email_thread_for(workspace=ws, subject=subject, contact=contact)
        add_message(thread=thread, body=_request_text(data), source=MessageSource.APP, author_contact=contact,
                    author_name=data["name"], author_email=contact.email, notify=False)
        where = request.build_absolute_uri(reverse("thread_detail", args=[ws.slug, thread.pk]))
        body = (f"{data['name']} <{data['email']}> asks for a date through your press kit.\n\n{_request_text(data)}\n\n"
                f"Answer in Backline, where the request is a conversation with them: {where}\n"
                f"Your answer is emailed to them from there and their replies come back to it. "
                f"(Replying to this email reaches your own inbox, not them.)")
        outbox.email_queue(actor=None, workspace_id=ws.pk, to_email=to, to_name=kit.booking_name, subject=subject,
                           body=body)
    return thread
