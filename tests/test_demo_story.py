"""The demo tells one story: what people were told, what their threads say, their calendars and the
bookings' history all agree with the bookings themselves (issue 12, item 14).

The demo is built once for the module (with real commits, as ``manage.py demo`` does) and removed after it.
"""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from backline.bookings.models import Advance, Booking, Engagement, Status
from backline.conversations.models import Message, ThreadKind
from backline.core.models import AuditEntry
from backline.notifications.models import Notification, NotificationType
from backline.notifications.receivers import day
from backline.scheduling.models import Commitment

BOOKING_URL = re.compile(r"/bookings/(\d+)/$")
A_DAY = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
# "Load-in from 16:00", "Doors 20:00", "Curfew is strict at 23:30": a time the thread settled.
SETTLED = re.compile(r"\b(load-in|doors|curfew)\b\D{0,30}?(\d{1,2}:\d\d)", re.IGNORECASE)
ADVANCE_FIELD = {"load-in": "load_in", "doors": "doors", "curfew": "curfew"}
BEFORE_THE_SHOW = (NotificationType.HOLD_PLACED, NotificationType.OFFER, NotificationType.CONFIRMED)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)
        call_command("demo", "--quiet")
        yield
        call_command("flush", interactive=False, verbosity=0)
        importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _notified_bookings():
    bookings = Booking.objects.in_bulk()
    for note in Notification.objects.exclude(url=""):
        match = BOOKING_URL.search(note.url)
        if match and int(match[1]) in bookings:
            yield note, bookings[int(match[1])]


def test_every_notification_that_names_a_booking_names_its_real_date():
    checked = 0
    for note, booking in _notified_bookings():
        when = booking.starts_at or booking.date_from
        if when is None or not A_DAY.search(note.title):
            continue
        assert day(when, booking.time_zone) in note.title, (note.title, booking.title, when)
        checked += 1
    assert checked > 20  # holds, offers and confirmations of every show, played ones included


def test_nobody_is_told_of_a_hold_an_offer_or_a_confirmation_after_the_show():
    played = 0
    for note, booking in _notified_bookings():
        if note.type in BEFORE_THE_SHOW and booking.starts_at:
            assert note.created_at < booking.starts_at, (note.title, note.created_at, booking.starts_at)
            played += booking.status == Status.COMPLETED
    assert played  # the played shows' notifications moved with them into the past


def test_every_show_whose_thread_settles_the_advance_has_that_advance():
    threads = 0
    for booking in Booking.objects.filter(threads__kind=ThreadKind.BOOKING).distinct():
        text = "\n".join(Message.objects.filter(thread__booking=booking, thread__kind=ThreadKind.BOOKING)
                         .values_list("body", flat=True))
        settled = {ADVANCE_FIELD[word.lower()]: dt.time.fromisoformat(f"{time:0>5}") for word, time in SETTLED.findall(text)}
        if not settled:
            continue
        threads += 1
        advance = Advance.objects.filter(booking=booking).first()
        assert advance is not None, f"{booking.title}: the thread settles {settled}, the advance is empty"
        assert {name: getattr(advance, name) for name in settled} == settled
    assert threads


def test_calendars_and_history_hold_each_shows_real_times():
    booking_type = ContentType.objects.get_for_model(Booking)
    shows = Booking.objects.filter(status__in=(Status.CONFIRMED, Status.COMPLETED))
    assert shows.filter(status=Status.COMPLETED).exists()
    for booking in shows:
        spans = {(e.starts_at, e.ends_at) for e in Engagement.objects.filter(booking=booking)}
        spans |= {(c.starts_at, c.ends_at) for c in Commitment.objects.filter(source_type="booking", source_id=booking.pk)}
        assert spans == {(booking.starts_at, booking.ends_at)}, booking.title
        held = [entry.after["starts_at"] for entry in AuditEntry.objects.filter(
            object_type=booking_type, object_id=str(booking.pk), action="booking.hold_placed").order_by("-at")]
        if booking.act_id:  # a show put to an act was held first (an agency's own gig is logged with its times)
            assert held and dt.datetime.fromisoformat(held[0]) == booking.starts_at, booking.title
        history = AuditEntry.objects.filter(object_type=booking_type, object_id=str(booking.pk))
        assert not history.filter(action="booking.confirmed", at__gt=booking.starts_at).exists(), booking.title


def test_every_message_notification_is_dated_when_its_message_was_written():
    """The demo's conversations are spread over the last days: what people were told moved with them."""
    thread_url = re.compile(r"/inbox/(\d+)/$")
    written = {(thread_id, at) for thread_id, at in Message.objects.values_list("thread_id", "created_at")}
    notes = Notification.objects.filter(type=NotificationType.MESSAGE)
    assert notes.exists()
    for note in notes:
        thread_id = int(thread_url.search(note.url)[1])
        assert (thread_id, note.created_at) in written, (note.title, note.created_at)


def test_a_thread_that_speaks_of_the_signed_contract_comes_after_the_confirmation():
    checked = 0
    for booking in Booking.objects.filter(status=Status.CONFIRMED, threads__kind=ThreadKind.BOOKING).distinct():
        signed = (Message.objects.filter(thread__booking=booking, thread__kind=ThreadKind.BOOKING,
                                         body__icontains="contract").order_by("created_at").first())
        if signed is None:
            continue
        checked += 1
        assert booking.confirmed_at < signed.created_at, booking.title
        told = Notification.objects.filter(url__endswith=f"/bookings/{booking.pk}/", type=NotificationType.CONFIRMED)
        assert told.exists() and not told.filter(created_at__gt=signed.created_at).exists(), booking.title
    assert checked
