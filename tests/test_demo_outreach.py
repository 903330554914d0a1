"""The outreach demo on a small copy of the demo world's venue side: templates seeded, emails in each
state through the real paths (outbox, tracking events, the inbound reply, the follow-up reminder), and a
second run adds nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backline.artists.services import act_create
from backline.bookings import services as bookings
from backline.conversations import selectors
from backline.conversations.models import Message, MessageSource, ThreadParty
from backline.conversations.permissions import access_thread
from backline.core.places import find_city
from backline.demo import outreach as demo_outreach
from backline.mail.models import EmailStatus, OutboundEmail
from backline.outreach.models import EmailTemplate
from backline.venues.models import Venue
from backline.venues.services import venue_workspace_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DOMAIN = "demo.example.org"


@pytest.fixture
def venue_side(django_capture_on_commit_callbacks):
    berlin = find_city("Berlin", "DE").geoname_id
    tz = ZoneInfo("Europe/Berlin")
    buyer = UserFactory(email=f"owner.venue@{DOMAIN}", name="Leon Schmidt")
    with django_capture_on_commit_callbacks(execute=True):
        hall = venue_workspace_create(actor=buyer, name="Lantern Hall", capacity=400, geoname_id=berlin).workspace
        venue = Venue.objects.get(workspace=hall)
        acts = [act_create(actor=UserFactory(email=email), name=name, geoname_id=berlin)
                for email, name in ((f"owner.act@{DOMAIN}", "The Velvet Owls"), ("b@x.example", "Paper Foxes"),
                                    ("c@x.example", "Glass Tides"), ("d@x.example", "Salt Comets"))]
        day = timezone.localdate() + dt.timedelta(days=30)
        start = dt.datetime.combine(day, dt.time(21), tzinfo=tz)
        release = bookings.inquiry_create(actor=buyer, workspace_id=hall.pk, title="The Velvet Owls: album release",
                                          act_id=acts[0].pk, venue_id=venue.pk, contact_name="Mara Berg",
                                          contact_email=f"owner.act@{DOMAIN}")
        bookings.hold_place(actor=buyer, booking_id=release.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
        bookings.offer_make(actor=buyer, booking_id=release.pk, deal_type="guarantee", guarantee="800")
        later = start + dt.timedelta(days=14)
        for act in acts[1:3]:
            b = bookings.inquiry_create(actor=buyer, workspace_id=hall.pk, title=f"{act.workspace.name} headline",
                                        act_id=act.pk, venue_id=venue.pk)
            bookings.hold_place(actor=buyer, booking_id=b.pk, starts_at=later, ends_at=later + dt.timedelta(hours=2))
        bookings.inquiry_create(actor=buyer, workspace_id=hall.pk, title="Tour date?", act_id=acts[3].pk,
                                venue_id=venue.pk, date_from=day + dt.timedelta(days=100),
                                date_to=day + dt.timedelta(days=120))
    return hall


def test_the_demo_sends_emails_in_every_state_once(venue_side, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_outreach.build() == 5
    assert EmailTemplate.objects.filter(workspace=venue_side).count() == 5
    statuses = sorted(OutboundEmail.objects.filter(workspace=venue_side).values_list("status", flat=True))
    assert statuses == sorted([EmailStatus.REPLIED, EmailStatus.DELIVERED, EmailStatus.BOUNCED, EmailStatus.OPENED,
                               EmailStatus.DRAFT])
    replied = OutboundEmail.objects.get(status=EmailStatus.REPLIED)
    assert Message.objects.filter(thread=replied.thread, source=MessageSource.EMAIL_IN).count() == 1
    draft = OutboundEmail.objects.get(status=EmailStatus.DRAFT)
    assert draft.follow_up_of.to_email == "liam@greenroom.example.org" and draft.subject.startswith("Re: Inquiry:")
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_outreach.build() == 0


def test_the_workspace_reads_every_demo_email_in_its_conversation(venue_side, django_capture_on_commit_callbacks):
    """The demo backdates its emails; the workspace's place in each email thread goes back with them (a
    party reads a conversation from when it joined), so no demo conversation opens empty."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_outreach.build()
    emails = OutboundEmail.objects.filter(workspace=venue_side, message__isnull=False).select_related("message")
    assert emails.count() == 4
    for email in emails:
        party = ThreadParty.objects.get(thread_id=email.thread_id, workspace=venue_side)
        assert party.joined_at <= email.message.created_at, email.subject
        visible = selectors.messages_for(access_thread(user=venue_side.memberships.first().user,
                                                       thread_id=email.thread_id))
        assert email.message in list(visible), email.subject


def test_without_the_demo_world_it_does_nothing(db):
    assert demo_outreach.build() == 0
    assert not EmailTemplate.objects.exists()
