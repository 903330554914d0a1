"""Shared set-up for the outreach tests (imported by the test modules here): a venue (Lantern Hall)
that books an act (The Owls, indie rock from Berlin, free every evening) through a booking with an
offer, contacts, and helpers to send and deliver. It holds no tests itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from backline.accounts.models import Role, WorkspaceKind
from backline.artists.services import act_update
from backline.bookings import services as bookings
from backline.contacts import services as contacts
from backline.outreach.services import email_templates, sending
from backline.scheduling.services.availability import availability_rule_create
from backline.venues.models import Venue

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def fire(django_capture_on_commit_callbacks):
    """``with fire(): ...``: the block's on-commit work (delivery, notifications) runs at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def hall(make_team):
    workspace, people = make_team(WorkspaceKind.VENUE, name="Lantern Hall")
    return workspace, people


@pytest.fixture
def owls(make_team):
    """An act whose line-up (everyone who joined it) is free every evening, with genres."""
    workspace, people = make_team(WorkspaceKind.ACT, name="The Owls")
    act_update(actor=people[Role.OWNER], workspace_id=workspace.pk, genres=["indie-rock", "shoegaze"])
    for person in people.values():
        availability_rule_create(actor=person, state="free", starts_on=timezone.localdate() - dt.timedelta(days=1),
                                 start_time=dt.time(17), end_time=dt.time(23, 59), rrule="FREQ=DAILY",
                                 time_zone="Europe/Berlin")
    return workspace, people


def show_start(days: int = 40):
    from zoneinfo import ZoneInfo

    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(21), tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def booking(hall, owls):
    """Lantern Hall's hold on The Owls with an offer of €800 vs 70% of net."""
    workspace, people = hall
    buyer = people[Role.OWNER]
    venue = Venue.objects.get(workspace=workspace)
    b = bookings.inquiry_create(actor=buyer, workspace_id=workspace.pk, title="The Owls: release show",
                                act_id=owls[0].act.pk, venue_id=venue.pk, contact_name="Mara Berg",
                                contact_email="mara@owls.example")
    start = show_start()
    bookings.hold_place(actor=buyer, booking_id=b.pk, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    bookings.offer_make(actor=buyer, booking_id=b.pk, deal_type="versus", guarantee="800", percent="70", basis="net",
                        deposit_percent="50")
    b.refresh_from_db()
    return b


def contact(workspace, owner, name, email="", organisation="", **kw):
    return contacts.contact_create(actor=owner, workspace_id=workspace.pk, name=name, email=email,
                                   organisation=organisation, **kw)


def to(*addresses) -> list[sending.Recipient]:
    return [sending.Recipient(email=a) for a in addresses]


def template_named(workspace, name):
    email_templates.templates_seed(workspace=workspace)
    return workspace.email_templates.get(name=name)
