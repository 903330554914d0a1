"""The ``messaging`` app hands its models to ``contacts``, ``notifications``, ``conversations``, ``mail``
and ``outreach`` (ADR 0009). Django's state forgets them here; the tables stay as they are (the new apps
use them under the same names). The content types follow the models, so the audit history of a
contact, a thread or an email (``core.AuditEntry.object_type``) and any permission stay attached."""

from django.db import migrations

MOVED = {
    'contact': 'contacts',
    'notification': 'notifications',
    'notificationpreference': 'notifications',
    'thread': 'conversations',
    'threadparty': 'conversations',
    'message': 'conversations',
    'attachment': 'conversations',
    'threadread': 'conversations',
    'senderidentity': 'mail',
    'outboundemail': 'mail',
    'emailevent': 'mail',
    'suppression': 'mail',
    'quarantinedemail': 'mail',
    'emailtemplate': 'outreach',
}


def _move(apps, schema_editor, *, forwards: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model, app in MOVED.items():
        source, target = ("messaging", app) if forwards else (app, "messaging")
        old = types.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = types.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
        else:  # both exist (the new one made by an earlier run): keep the new one, move the history to it
            AuditEntry.objects.using(schema_editor.connection.alias).filter(object_type=old).update(object_type=new)
            old.delete()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor):
    _move(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('conversations', '0001_initial'),
        ('core', '0001_initial'),
        ('mail', '0001_initial'),
        ('messaging', '0002_threads_outreach_contacts'),
        ('notifications', '0001_initial'),
        ('outreach', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='contact',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='contact',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='threadparty',
                name='contact',
            ),
            migrations.RemoveField(
                model_name='message',
                name='author_contact',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='contact',
            ),
            migrations.RemoveField(
                model_name='emailevent',
                name='email',
            ),
            migrations.RemoveField(
                model_name='emailtemplate',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='emailtemplate',
                name='follow_up_template',
            ),
            migrations.RemoveField(
                model_name='emailtemplate',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='template',
            ),
            migrations.RemoveField(
                model_name='message',
                name='author',
            ),
            migrations.RemoveField(
                model_name='message',
                name='author_workspace',
            ),
            migrations.RemoveField(
                model_name='message',
                name='thread',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='message',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='user',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='notificationpreference',
                name='user',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='booking',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='follow_up_of',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='thread',
            ),
            migrations.RemoveField(
                model_name='outboundemail',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='suppression',
                name='source_email',
            ),
            migrations.RemoveField(
                model_name='quarantinedemail',
                name='decided_by',
            ),
            migrations.RemoveField(
                model_name='quarantinedemail',
                name='thread',
            ),
            migrations.RemoveField(
                model_name='quarantinedemail',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='senderidentity',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='suppression',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='thread',
                name='booking',
            ),
            migrations.RemoveField(
                model_name='thread',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='thread',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='threadparty',
                name='thread',
            ),
            migrations.RemoveField(
                model_name='threadread',
                name='thread',
            ),
            migrations.RemoveField(
                model_name='threadparty',
                name='workspace',
            ),
            migrations.RemoveField(
                model_name='threadread',
                name='user',
            ),
            migrations.DeleteModel(
                name='Attachment',
            ),
            migrations.DeleteModel(
                name='Contact',
            ),
            migrations.DeleteModel(
                name='EmailEvent',
            ),
            migrations.DeleteModel(
                name='EmailTemplate',
            ),
            migrations.DeleteModel(
                name='Message',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='NotificationPreference',
            ),
            migrations.DeleteModel(
                name='OutboundEmail',
            ),
            migrations.DeleteModel(
                name='QuarantinedEmail',
            ),
            migrations.DeleteModel(
                name='SenderIdentity',
            ),
            migrations.DeleteModel(
                name='Suppression',
            ),
            migrations.DeleteModel(
                name='Thread',
            ),
            migrations.DeleteModel(
                name='ThreadParty',
            ),
            migrations.DeleteModel(
                name='ThreadRead',
            ),
        ]),
        migrations.RunPython(forwards, backwards),
    ]
