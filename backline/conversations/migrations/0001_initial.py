"""Threads, their parties, messages, attachments and read marks, taken over from the former ``messaging`` app (ADR 0009).

The tables already exist (``messaging`` 0001 and 0002 made them, on a new database as on an old one)
and keep their names (``db_table``), so this migration only tells Django's state that the models
live here now; ``messaging`` 0003 lets go of them. No row is touched."""

import backline.conversations.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('bookings', '0006_neutral_commitment_titles'),
        ('contacts', '0001_initial'),
        ('messaging', '0002_threads_outreach_contacts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Message',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('author_name', models.CharField(blank=True, max_length=200)),
                    ('author_email', models.EmailField(blank=True, max_length=254)),
                    ('body', models.TextField(max_length=20000)),
                    ('body_html', models.TextField(blank=True)),
                    ('source', models.CharField(choices=[('app', 'Written in Backline'), ('email_out', 'Sent by email'), ('email_in', 'Received by email')], default='app', max_length=12)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('author_contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='contacts.contact')),
                    ('author_workspace', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_message',
                    'ordering': ['created_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Attachment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(max_length=300, upload_to=backline.conversations.models.attachment_path)),
                    ('filename', models.CharField(max_length=200)),
                    ('content_type', models.CharField(max_length=100)),
                    ('size', models.PositiveIntegerField()),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('message', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='conversations.message')),
                ],
                options={
                    'db_table': 'messaging_attachment',
                },
            ),
            migrations.CreateModel(
                name='Thread',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('booking', 'Booking'), ('support', 'Headliner and support'), ('direct', 'Direct'), ('email', 'Email')], max_length=12)),
                    ('subject', models.CharField(max_length=200)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('last_message_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ('reply_token', models.CharField(default=backline.conversations.models.new_reply_token, editable=False, max_length=32, unique=True)),
                    ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='threads', to='bookings.booking')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='started_threads', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_thread',
                    'ordering': ['-last_message_at', '-id'],
                },
            ),
            migrations.AddField(
                model_name='message',
                name='thread',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='conversations.thread'),
            ),
            migrations.CreateModel(
                name='ThreadParty',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('joined_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='thread_parties', to='contacts.contact')),
                    ('thread', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='conversations.thread')),
                    ('workspace', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='thread_parties', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_threadparty',
                },
            ),
            migrations.CreateModel(
                name='ThreadRead',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('last_read_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('thread', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reads', to='conversations.thread')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='thread_reads', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'messaging_threadread',
                },
            ),
            migrations.AddConstraint(
                model_name='thread',
                constraint=models.UniqueConstraint(condition=models.Q(('kind', 'booking')), fields=('booking',), name='thread_one_per_booking'),
            ),
            migrations.AddIndex(
                model_name='message',
                index=models.Index(fields=['thread', 'created_at'], name='message_thread_time'),
            ),
            migrations.AddIndex(
                model_name='threadparty',
                index=models.Index(fields=['workspace', 'thread'], name='thread_party_inbox'),
            ),
            migrations.AddConstraint(
                model_name='threadparty',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('contact__isnull', True), ('workspace__isnull', False)), models.Q(('contact__isnull', False), ('workspace__isnull', True)), _connector='OR'), name='thread_party_one_kind'),
            ),
            migrations.AddConstraint(
                model_name='threadparty',
                constraint=models.UniqueConstraint(condition=models.Q(('workspace__isnull', False)), fields=('thread', 'workspace'), name='thread_party_workspace_once'),
            ),
            migrations.AddConstraint(
                model_name='threadparty',
                constraint=models.UniqueConstraint(condition=models.Q(('contact__isnull', False)), fields=('thread', 'contact'), name='thread_party_contact_once'),
            ),
            migrations.AddConstraint(
                model_name='threadread',
                constraint=models.UniqueConstraint(fields=('thread', 'user'), name='thread_read_once'),
            ),
        ]),
    ]
