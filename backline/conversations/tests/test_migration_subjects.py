"""Migration 0002: booking conversations stored with the reference as their subject ("BL-… · title") are
renamed in words, and so are the titles of their message notifications."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backline.conversations.models import Thread, ThreadKind
from backline.conversations.services import booking_subject
from backline.notifications.models import Notification
from tests.communication import held, world  # noqa: F401  (fixture)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_reference_subjects_become_words(world):  # noqa: F811
    booking = held(world)
    old = f"{booking.reference} · {booking.title}"
    thread = Thread.objects.create(kind=ThreadKind.BOOKING, booking=booking, workspace=world["venue_ws"], subject=old)
    other = Thread.objects.create(kind=ThreadKind.DIRECT, workspace=world["venue_ws"], subject="BL-00000000 notes")
    person = world["buyer"]["owner"]
    note = Notification.objects.create(user=person, type="message", title=f"Ana in “{old}”")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([("conversations", "0001_initial")])
    _migrate(latest)
    thread.refresh_from_db()
    assert thread.subject == booking_subject(booking) and booking.reference not in thread.subject
    assert Thread.objects.get(pk=other.pk).subject == "BL-00000000 notes"  # only booking threads are renamed
    assert Notification.objects.get(pk=note.pk).title == f"Ana in “{thread.subject}”"
