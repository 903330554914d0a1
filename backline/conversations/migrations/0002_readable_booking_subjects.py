"""A booking's conversation was titled "<reference> · <title>" (BL-A30A786B · …): a code where people look
for words. It is now the booking's title, day and venue (``services.booking_subject``, which reads only
plain fields the historical models have too), with the reference shown beside it as secondary text; this
renames the conversations already stored, and the subject in the titles of their message notifications."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace, Substr


def forwards(apps, schema_editor):
    from backline.conversations.services import booking_subject

    Thread = apps.get_model("conversations", "Thread")
    Notification = apps.get_model("notifications", "Notification")
    for thread in Thread.objects.filter(kind="booking", booking__isnull=False).select_related("booking__venue").iterator():
        if thread.subject.startswith(thread.booking.reference):
            old, thread.subject = thread.subject, booking_subject(thread.booking)
            thread.save(update_fields=["subject"])
            (Notification.objects.filter(type="message", title__contains=f"“{old}”")
             .update(title=Substr(Replace("title", Value(f"“{old}”"), Value(f"“{thread.subject}”")), 1, 200)))


class Migration(migrations.Migration):

    dependencies = [("conversations", "0001_initial"), ("notifications", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
