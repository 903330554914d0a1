"""The demo's conversations: built through the services on the demo bookings, and a second run adds nothing."""

import importlib

import pytest
from django.apps import apps

from backline.conversations.models import Attachment, Message, Thread, ThreadKind
from backline.demo import bookings, world
from backline.demo import conversations as demo_threads

pytestmark = pytest.mark.django_db(transaction=True)  # the demo's receivers run on commit


def test_the_demo_has_a_booking_a_support_a_direct_conversation_and_team_channels(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    # The genres the migrations load, which a flush by an earlier transactional test removes.
    importlib.import_module("backline.artists.migrations.0002_genres").load(apps, None)
    world.build()
    bookings.build()
    assert demo_threads.build() is True
    booking_thread = Thread.objects.get(kind=ThreadKind.BOOKING)
    assert booking_thread.booking.title == demo_threads.RELEASE_SHOW
    assert set(booking_thread.parties.values_list("workspace__name", flat=True)) == {"Lantern Hall", "The Velvet Owls"}
    authors = list(Message.objects.filter(thread=booking_thread).values_list("author_workspace__name", flat=True))
    assert len(authors) == 4 and set(authors) == {"Lantern Hall", "The Velvet Owls"}
    assert Attachment.objects.filter(message__thread=booking_thread).count() == 1
    support = Thread.objects.get(kind=ThreadKind.SUPPORT)
    assert support.booking_id == booking_thread.booking_id and support.messages.count() == 2
    direct = Thread.objects.get(kind=ThreadKind.DIRECT)
    assert set(direct.parties.values_list("workspace__name", flat=True)) == {"Lantern Hall", "Silver Lining Entertainment"}
    # the history reads like a real one: spread over the last days, newest activity first
    assert list(Thread.objects.exclude(kind=ThreadKind.INTERNAL).values_list("kind", flat=True)) == [
        "booking", "direct", "support"]
    # each demo team talks among itself in its channel; the Owls' owner and admin also about money
    channels = Thread.objects.filter(kind=ThreadKind.INTERNAL, is_channel=True)
    assert set(channels.values_list("workspace__name", flat=True)) == {
        "The Velvet Owls", "Lantern Hall", "Night Shift Promotions", "Silver Lining Entertainment"}
    for channel in channels:
        assert channel.messages.count() >= 3
        assert set(channel.messages.values_list("author_workspace", flat=True)) == {channel.workspace_id}
        assert list(channel.parties.values_list("workspace_id", "contact_id")) == [(channel.workspace_id, None)]
    money = Thread.objects.get(kind=ThreadKind.INTERNAL, is_channel=False)
    assert money.members.count() == 2 and money.messages.count() == 2
    internal = Message.objects.filter(thread__kind=ThreadKind.INTERNAL).count()
    assert demo_threads.build() is False
    assert Message.objects.count() == 8 + internal
