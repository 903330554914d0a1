"""notify and the person's own notifications: preferences (off, in the app, email at once, daily digest),
mark read, mark all read, delete, other people's notifications (404), and a fan-out in one INSERT."""

import datetime as dt
import math

import pytest
from django.db import connection
from django.utils import timezone

from backline.accounts.models import User
from backline.core.errors import Invalid, NotFound
from backline.core.models import AuditEntry
from backline.notifications import services
from backline.notifications.models import Notification, NotificationPreference
from backline.notifications.models import NotificationType as T
from backline.notifications.selectors import preferences_for, unread_count
from backline.notifications.tasks import send_digests
from tests.factories import UserFactory

OFFER = {"type": T.OFFER, "title": "Lantern Hall made an offer for The Owls on Sat 19 Dec", "body": "€500 guarantee.",
         "url": "/w/the-owls/bookings/7/"}


@pytest.fixture
def people(db):
    return [UserFactory() for _ in range(4)]


def test_without_a_choice_everyone_is_told_in_the_app_only(people, fire, mailoutbox):
    with fire():
        rows = services.notify(users=people, **OFFER)
    assert len(rows) == 4 and all(r.pk for r in rows)
    assert {n.user_id for n in Notification.objects.filter(read_at=None)} == {p.pk for p in people}
    assert mailoutbox == []


def test_off_tells_nobody_email_sends_one_mail_after_commit_and_digest_waits(people, fire, mailoutbox):
    off, email, digest, default = people
    services.preference_set(actor=off, type=T.OFFER, channel="off")
    services.preference_set(actor=email, type=T.OFFER, channel="email")
    services.preference_set(actor=digest, type=T.OFFER, channel="digest")
    services.preference_set(actor=email, type=T.CONFIRMED, channel="off")  # another type's choice does not matter
    with fire():
        services.notify(users=people, **OFFER)
        assert mailoutbox == []  # nothing leaves before the commit
    assert set(Notification.objects.values_list("user_id", flat=True)) == {email.pk, digest.pk, default.pk}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [email.email] and mail.subject == f"[Backline] {OFFER['title']}"
    assert "€500 guarantee." in mail.body and "http://127.0.0.1:8000/w/the-owls/bookings/7/" in mail.body
    assert "/me/notifications/" in mail.body  # how to change it


def test_an_email_goes_to_the_development_mailbox_by_default(people, fire, settings):
    from backline.core.models import MailboxMessage

    settings.EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
    services.preference_set(actor=people[0], type=T.OFFER, channel="email")
    with fire():
        services.notify(users=people[:1], **OFFER)
    assert MailboxMessage.objects.get(to=people[0].email).subject == f"[Backline] {OFFER['title']}"


def test_the_digest_sends_each_person_one_mail_once(people, fire, mailoutbox):
    digest, also_digest, in_app, emailed = people
    for person in (digest, also_digest):
        services.preference_set(actor=person, type=T.OFFER, channel="digest")
        services.preference_set(actor=person, type=T.CONFIRMED, channel="digest")
    services.preference_set(actor=emailed, type=T.OFFER, channel="email")
    with fire():
        services.notify(users=people, **OFFER)
        services.notify(users=people, type=T.CONFIRMED, title="Confirmed: The Owls at Lantern Hall on Sat 19 Dec")
        services.notify(users=[digest], type=T.HOLD_PLACED, title="Lantern Hall put a 1st hold on The Owls")  # in the app
    read = services.notify(users=[also_digest], type=T.OFFER, title="Already seen")[0]
    services.notification_mark_read(actor=also_digest, notification_id=read.pk)
    mailoutbox.clear()
    with fire():
        assert send_digests.delay().get() == 2
    by_person = {m.to[0]: m for m in mailoutbox}
    assert set(by_person) == {digest.email, also_digest.email}
    body = by_person[digest.email].body
    assert "Your daily digest: 2 notifications" in by_person[digest.email].subject
    assert OFFER["title"] in body and "Confirmed: The Owls" in body and "1st hold" not in body
    assert "Already seen" not in by_person[also_digest.email].body  # read already: not worth an email
    mailoutbox.clear()
    with fire():
        assert services.digests_send() == 0  # nothing twice
    assert mailoutbox == []


def test_the_digest_leaves_out_what_is_older_than_its_window(people, fire, mailoutbox):
    services.preference_set(actor=people[0], type=T.OFFER, channel="digest")
    old = services.notify(users=people[:1], **OFFER)[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - services.DIGEST_LOOKBACK - dt.timedelta(hours=1))
    with fire():
        assert services.digests_send() == 0


def test_an_emailed_notification_is_never_in_a_digest_later(people, fire, mailoutbox):
    person = people[0]
    services.preference_set(actor=person, type=T.OFFER, channel="email")
    with fire():
        services.notify(users=[person], **OFFER)
    services.preference_set(actor=person, type=T.OFFER, channel="digest")
    with fire():
        assert services.digests_send() == 0
    assert len(mailoutbox) == 1


def test_preferences_default_to_in_app_and_bad_choices_are_refused(people):
    person = people[0]
    assert {channel for _, _, channel in preferences_for(person)} == {"in_app"}
    assert [t for t, _, _ in preferences_for(person)] == list(T.values)
    services.preference_set(actor=person, type=T.POLL_OPENED, channel="email")
    services.preference_set(actor=person, type=T.POLL_OPENED, channel="digest")  # changes the one row
    assert NotificationPreference.objects.get(user=person).channel == "digest"
    assert AuditEntry.objects.filter(action="notification_preference.changed", actor=person).count() == 2
    with pytest.raises(Invalid) as bad:
        services.preference_set(actor=person, type=T.POLL_OPENED, channel="pigeon")
    assert "channel" in bad.value.errors
    with pytest.raises(Invalid):
        services.preference_set(actor=person, type="gossip", channel="email")
    assert NotificationPreference.objects.get(user=person).channel == "digest"


def test_mark_read_mark_all_read_and_delete_touch_only_ones_own(people):
    me, other = people[:2]
    mine = services.notify(users=[me], **OFFER)[0]
    services.notify(users=[me], type=T.CONFIRMED, title="Confirmed")
    services.notify(users=[me], type=T.CONFIRMED, title="Confirmed again")
    theirs = services.notify(users=[other], **OFFER)[0]
    assert unread_count(me) == 3
    first = services.notification_mark_read(actor=me, notification_id=mine.pk)
    assert first.read_at is not None
    again = services.notification_mark_read(actor=me, notification_id=mine.pk)
    assert again.read_at == first.read_at  # reading twice keeps the first time
    assert services.notification_mark_all_read(actor=me, type=T.OFFER) == 0
    assert services.notification_mark_all_read(actor=me, type=T.CONFIRMED) == 2
    assert unread_count(me) == 0 and unread_count(other) == 1
    for call in (services.notification_mark_read, services.notification_delete):
        with pytest.raises(NotFound):
            call(actor=me, notification_id=theirs.pk)
        with pytest.raises(NotFound):
            call(actor=me, notification_id=999999)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    services.notification_delete(actor=me, notification_id=mine.pk)
    assert not Notification.objects.filter(pk=mine.pk).exists()
    with pytest.raises(Invalid):
        services.notification_mark_all_read(actor=me, type="gossip")


def test_mark_all_read_without_a_type_reads_everything(people):
    me = people[0]
    for t in (T.OFFER, T.CLOSED, T.POLL_OPENED):
        services.notify(users=[me], type=t, title=f"About {t}")
    assert services.notification_mark_all_read(actor=me) == 3
    assert unread_count(me) == 0


def test_the_bell_counts_up_to_its_cap(people):
    me = people[0]
    for _ in range(3):
        services.notify(users=[me], **OFFER)
    assert unread_count(me, cap=2) == 2 and unread_count(me) == 3


def test_inactive_people_and_duplicates_are_told_once_or_not_at_all(people):
    gone = people[0]
    User.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    services.notify(users=[gone, people[1], people[1]], **OFFER)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [people[1].pk]


def test_a_fan_out_to_500_people_is_one_insert(db, django_assert_max_num_queries):
    """Their preferences in one query, the rows in one INSERT (on SQLite, Django caps one INSERT at 999
    parameters, so there it is as many as that cap needs; on PostgreSQL always one)."""
    User.objects.bulk_create([User(email=f"fan{i}@example.org", name=f"Fan {i}") for i in range(500)])
    crowd = list(User.objects.filter(email__startswith="fan"))
    for person in crowd[:5]:
        services.preference_set(actor=person, type=T.OFFER, channel="off")
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    inserts = math.ceil(500 / connection.ops.bulk_batch_size(fields, crowd))
    if connection.vendor == "postgresql":
        assert inserts == 1
    with django_assert_max_num_queries(1 + inserts) as captured:
        services.notify(users=crowd, **OFFER)
    assert sum(q["sql"].startswith("INSERT") for q in captured.captured_queries) == inserts
    assert Notification.objects.count() == 495
    with django_assert_max_num_queries(1 + inserts):  # constant: the same for a handful
        services.notify(users=crowd[:3] + crowd[10:12], **OFFER)
