"""An installation made before the messaging split (ADR 0009) migrates forward with all its data.

The database is taken back to the schema the old code made (every app at its last migration before the
split, the communication apps not yet there), filled through the old code's models (the historical
``messaging`` models), then migrated forward. The rows must be where the new apps read them, with the
same ids, and the audit history must still name them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backline.contacts.models import Contact
from backline.conversations.models import Message, Thread
from backline.core.audit import history_for
from backline.mail.models import OutboundEmail
from backline.notifications.models import Notification
from backline.outreach.models import EmailTemplate

NEW_APPS = ("contacts", "conversations", "mail", "notifications", "outreach")
LATER_APPS = ("network",)
BEFORE = [("messaging", "0002_threads_outreach_contacts"), *((app, None) for app in NEW_APPS)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_split_keeps_every_row_and_its_history():
    latest = _latest()
    try:
        executor = _migrate(BEFORE)
        # apps that came later and build on the new ones (the venue network) are not in the old code either
        old_nodes = [node for node in latest if node[0] not in (*NEW_APPS, *LATER_APPS, "messaging")] + BEFORE[:1]
        old = executor.loader.project_state(old_nodes).apps
        with pytest.raises(LookupError):  # the old code had no contacts app
            old.get_model("contacts", "Contact")
        user = old.get_model("accounts", "User").objects.create(email="old@example.org", password="!")
        ws = old.get_model("accounts", "Workspace").objects.create(kind="venue", name="Old Hall", slug="old-hall")
        contact = old.get_model("messaging", "Contact").objects.create(workspace=ws, name="Rita Promoter",
                                                                        email="rita@example.org")
        thread = old.get_model("messaging", "Thread").objects.create(kind="email", workspace=ws, subject="Avails?")
        old.get_model("messaging", "ThreadParty").objects.create(thread=thread, contact=contact)
        message = old.get_model("messaging", "Message").objects.create(thread=thread, body="Hello", source="email_out",
                                                                       author_contact=contact)
        template = old.get_model("messaging", "EmailTemplate").objects.create(workspace=ws, name="Pitch",
                                                                              subject="Hi", body="Hello")
        email = old.get_model("messaging", "OutboundEmail").objects.create(
            workspace=ws, thread=thread, message=message, contact=contact, template=template, to_email="rita@example.org",
            subject="Avails?", body_text="Hello", header_message_id="<old@example.org>")
        old.get_model("messaging", "Notification").objects.create(user=user, type="message", title="New message")
        content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="messaging",
                                                                                           model="contact")[0]
        old.get_model("core", "AuditEntry").objects.create(action="contact.created", object_type=content_type,
                                                           object_id=str(contact.pk), object_repr="Rita Promoter")
    finally:
        _migrate(latest)
        ContentType.objects.clear_cache()

    moved = Contact.objects.get(pk=contact.pk)
    assert (moved.name, moved.email, moved.workspace_id) == ("Rita Promoter", "rita@example.org", ws.pk)
    assert Thread.objects.get(pk=thread.pk).parties.get().contact_id == contact.pk
    assert Message.objects.get(pk=message.pk).author_contact_id == contact.pk
    new_email = OutboundEmail.objects.get(pk=email.pk)
    assert (new_email.contact_id, new_email.template_id, new_email.message_id) == (contact.pk, template.pk, message.pk)
    assert EmailTemplate.objects.get(pk=template.pk).name == "Pitch"
    assert Notification.objects.get(user_id=user.pk).title == "New message"
    # the content type followed the model: the contact's audit history is still its own
    assert [e.action for e in history_for(moved)] == ["contact.created"]
