"""The demo world's outreach: every demo workspace gets its default templates, and Lantern Hall, Night
Shift Promotions and Silver Lining Entertainment have sent emails in every state a booker meets: an
offer that was delivered, opened and answered (the reply threaded in through the inbound path), a
hold confirmation delivered, a quote opened, a pitch that bounced, and a pitch nobody answered whose
follow-up draft is waiting. Everything goes through the services (templates, compose and send, the
outbox, the provider's tracking events, the inbound reply); only the send times are moved back, as the
bookings demo moves played shows into the past. Deterministic and re-runnable: a workspace that has
sent outreach already is left alone."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from backline.accounts.models import User, Workspace
from backline.bookings.models import Booking
from backline.mail.models import OutboundEmail
from backline.outreach.models import EmailTemplate
from backline.outreach.services import email_templates, follow_ups, sending

DOMAIN = "demo.example.org"


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _workspace(name: str, owner: User | None) -> Workspace | None:
    return Workspace.objects.filter(name=name, memberships__user=owner).first() if owner else None


def _template(workspace: Workspace, name: str) -> EmailTemplate:
    return EmailTemplate.objects.get(workspace=workspace, name=name)


def _booking(workspace: Workspace, title: str) -> Booking | None:
    return Booking.objects.filter(workspace=workspace, title=title).first()


def _send(actor, workspace, *, to: str, name: str, template: str, booking=None, hours_ago: float = 0,
          subject: str | None = None, body: str | None = None) -> OutboundEmail:
    [email] = sending.outreach_send(actor=actor, workspace_id=workspace.pk,
                                     recipients=[sending.Recipient(email=to, name=name)],
                                     template_id=_template(workspace, template).pk, booking_id=booking.pk if booking else None,
                                     subject=subject, body=body)
    email.refresh_from_db()
    if hours_ago:
        _move_back(email, dt.timedelta(hours=hours_ago))
        email.refresh_from_db()
    return email


def _move_back(email: OutboundEmail, by: dt.timedelta) -> None:
    """Send times in the past (a fresh install has no history): the email, its thread message, the
    notifications it sent and its follow-up due date move back together, and the thread's parties joined
    no later than that (a party sees a conversation from when it joined: the demo's history must be theirs
    to read)."""
    from backline.conversations.models import Message, Thread, ThreadParty
    from backline.notifications.models import Notification

    with transaction.atomic():
        fields = {f: getattr(email, f) - by for f in ("created_at", "sent_at", "follow_up_due_at") if getattr(email, f)}
        OutboundEmail.objects.filter(pk=email.pk).update(**fields)
        if email.message_id:
            Message.objects.filter(pk=email.message_id).update(created_at=email.created_at - by)
        if email.thread_id:
            at = email.created_at - by
            Thread.objects.filter(pk=email.thread_id).update(last_message_at=at)
            Thread.objects.filter(pk=email.thread_id, created_at__gt=at).update(created_at=at)
            ThreadParty.objects.filter(thread_id=email.thread_id, joined_at__gt=at).update(joined_at=at)
            Notification.objects.filter(url__endswith=f"/inbox/{email.thread_id}/",
                                        created_at__gte=email.created_at).update(created_at=at)


def _track(email: OutboundEmail, event_type: str, hours_after: float, **extra) -> None:
    """The provider's tracking event, as its webhook would report it."""
    from anymail.signals import AnymailTrackingEvent

    from backline.mail.services.tracking import METADATA_KEY, tracking_event_record

    at = email.created_at + dt.timedelta(hours=hours_after)
    tracking_event_record(provider="demo", event=AnymailTrackingEvent(
        event_type=event_type, timestamp=min(at, timezone.now()), event_id=f"demo-{email.pk}-{event_type}-{hours_after:g}",
        message_id=email.header_message_id, recipient=email.to_email, metadata={METADATA_KEY: email.pk},
        esp_event={}, **extra))


def _reply(email: OutboundEmail, text: str, hours_after: float) -> None:
    """The recipient's answer, arriving at the thread's reply address through the inbound path."""
    from anymail.inbound import AnymailInboundMessage
    from anymail.signals import AnymailInboundEvent

    from backline.mail.services.inbound import inbound_receive
    from backline.mail.services.outbox import reply_address

    at = min(email.created_at + dt.timedelta(hours=hours_after), timezone.now())
    message = AnymailInboundMessage.construct(
        from_email=f"{email.to_name} <{email.to_email}>", to=reply_address(email.thread), subject=f"Re: {email.subject}",
        text=text, headers=[("Message-ID", f"<demo-reply-{email.pk}@{DOMAIN}>"), ("In-Reply-To", email.header_message_id)])
    from backline.conversations.models import Message
    from backline.notifications.models import Notification

    received = timezone.now()
    inbound_receive(provider="demo", event=AnymailInboundEvent(event_type="inbound", timestamp=at, message=message,
                                                               event_id=f"demo-reply-{email.pk}"))
    reply = Message.objects.filter(thread_id=email.thread_id).order_by("-id").first()
    if reply is not None:  # whoever was told of the reply was told when it arrived
        Notification.objects.filter(url__endswith=f"/inbox/{email.thread_id}/", created_at__gte=received).update(
            created_at=reply.created_at)


def _venue(owner: User, ws: Workspace) -> None:
    release = _booking(ws, "The Velvet Owls: album release")
    if release is not None:
        offer = _send(owner, ws, to=f"owner.act@{DOMAIN}", name="Mara Berg", template="Offer", booking=release,
                      hours_ago=70)
        _track(offer, "delivered", 0.05)
        _track(offer, "opened", 3)
        _reply(offer, "Hi,\n\nThanks, that works for us: 800 vs 70% with the bonus at 250. Send the contract over and "
                      "we'll sign this week.\n\nMara", 20)
    holds = list(Booking.objects.filter(workspace=ws, status="hold", act__isnull=False).select_related("act__workspace")
                 .order_by("hold_rank", "id")[:3])
    if holds:
        held = _send(owner, ws, to="ada@parissonore.example.org", name="Ada Moreau", template="Hold confirmation",
                     booking=holds[0], hours_ago=30)
        _track(held, "delivered", 0.1)
    if len(holds) > 1:
        bounced = _send(owner, ws, to="priya@northernlights-old.example.org", name="Priya Rossi", template="First pitch",
                        booking=holds[-1], hours_ago=26)
        from anymail.signals import RejectReason

        _track(bounced, "bounced", 0.02, reject_reason=RejectReason.BOUNCED,
               description="550 5.1.1 The email account that you tried to reach does not exist")
    season = _booking(ws, "Tour date?")
    if season is not None:
        pitch = _send(owner, ws, to="liam@greenroom.example.org", name="Liam Byrne", template="First pitch",
                      booking=season, hours_ago=24 * 6)
        _track(pitch, "delivered", 0.1)
        _track(pitch, "opened", 30)
        follow_ups.follow_ups_remind()  # six days without a reply: the follow-up draft is waiting


def _promoter(owner: User, ws: Workspace) -> None:
    booking = Booking.objects.filter(workspace=ws, status="offer", act__isnull=False).order_by("id").first()
    if booking is not None:
        email = _send(owner, ws, to="kai@riversideartists.example.org", name="Kai Okafor", template="Offer",
                      booking=booking, hours_ago=5)
        _track(email, "delivered", 0.05)
    confirmed = Booking.objects.filter(workspace=ws, status="confirmed", act__isnull=False).order_by("id").first()
    if confirmed is not None:  # a one-off email, written without a template's text
        _send(owner, ws, to="aoife@foundrysocial.example.org", name="Aoife Walsh", template="Hold confirmation",
              booking=confirmed, hours_ago=0.2, subject="Advancing {{ act }} at {{ venue }}, {{ date }}",
              body="Hi {{ contact_first_name }},\n\n{{ act }} are confirmed for {{ date }} (ref. {{ booking_reference }}). "
                   "Could you send load-in times, the stage plot you have on file and parking details for a splitter "
                   "van?\n\nThanks,\n{{ sender_name }}")


def _agency(owner: User, ws: Workspace) -> None:
    gala = _booking(ws, "Midland gala dinner")
    if gala is not None:
        quote = _send(owner, ws, to="events@midland.example.org", name="Grace Hill", template="Offer", booking=gala,
                      hours_ago=48)
        _track(quote, "delivered", 0.1)
        _track(quote, "opened", 2)
        _track(quote, "opened", 26)


SIDES = (
    ("Lantern Hall", f"owner.venue@{DOMAIN}", _venue),
    ("Night Shift Promotions", f"owner.promoter@{DOMAIN}", _promoter),
    ("Silver Lining Entertainment", f"owner.agency@{DOMAIN}", _agency),
    ("The Velvet Owls", f"owner.act@{DOMAIN}", None),  # templates only: its pitch needs a public link first
)


def build() -> int:
    """Seed the demo workspaces' templates and send their demo outreach; answers how many emails it wrote,
    the follow-up draft included (0 when they are there already, or the demo world is not loaded).
    Call it after the bookings (and best after the contacts and conversations) are built."""
    before = OutboundEmail.objects.count()
    for name, owner_email, side in SIDES:
        owner = _user(owner_email)
        ws = _workspace(name, owner)
        if ws is None:
            continue
        email_templates.templates_seed(workspace=ws)
        if side is not None and not OutboundEmail.objects.filter(workspace=ws).exists():
            side(owner, ws)
    return OutboundEmail.objects.count() - before
