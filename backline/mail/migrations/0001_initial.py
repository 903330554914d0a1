"""The sender identity, the outbox, tracking events, suppressions and held mail, taken over from the former ``messaging`` app (ADR 0009).

The tables already exist (``messaging`` 0001 and 0002 made them, on a new database as on an old one)
and keep their names (``db_table``), so this migration only tells Django's state that the models
live here now; ``messaging`` 0003 lets go of them. No row is touched."""

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
        ('conversations', '0001_initial'),
        ('messaging', '0002_threads_outreach_contacts'),
        ('outreach', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='EmailEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('provider', models.CharField(max_length=40)),
                    ('event_id', models.CharField(max_length=200)),
                    ('event_type', models.CharField(max_length=20)),
                    ('occurred_at', models.DateTimeField()),
                    ('recipient', models.EmailField(blank=True, max_length=254)),
                    ('description', models.CharField(blank=True, max_length=500)),
                    ('payload', models.JSONField(blank=True, default=dict)),
                    ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                ],
                options={
                    'db_table': 'messaging_emailevent',
                    'ordering': ['occurred_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='QuarantinedEmail',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('reason', models.CharField(choices=[('no_token', "Not addressed to a thread's reply address"), ('unknown_token', 'The reply address names no thread (forged or mistyped)'), ('stranger', 'The sender is not part of the thread')], max_length=16)),
                    ('status', models.CharField(choices=[('pending', 'Waiting for review'), ('released', 'Posted to the thread'), ('discarded', 'Discarded')], default='pending', max_length=12)),
                    ('token', models.CharField(blank=True, max_length=100)),
                    ('from_email', models.CharField(blank=True, max_length=254)),
                    ('from_name', models.CharField(blank=True, max_length=200)),
                    ('to', models.TextField(blank=True)),
                    ('subject', models.CharField(blank=True, max_length=300)),
                    ('text', models.TextField(blank=True)),
                    ('headers', models.JSONField(blank=True, default=dict)),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                ],
                options={
                    'db_table': 'messaging_quarantinedemail',
                    'ordering': ['-received_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='SenderIdentity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('from_name', models.CharField(max_length=100)),
                    ('from_email', models.EmailField(max_length=254)),
                    ('signature', models.TextField(blank=True, max_length=2000)),
                    ('hourly_limit', models.PositiveIntegerField(blank=True, null=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                ],
                options={
                    'db_table': 'messaging_senderidentity',
                },
            ),
            migrations.CreateModel(
                name='Suppression',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254)),
                    ('reason', models.CharField(choices=[('bounced', 'The address bounced'), ('complained', 'The recipient marked our email as spam'), ('opted_out', 'The recipient opted out')], max_length=12)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ],
                options={
                    'db_table': 'messaging_suppression',
                },
            ),
            migrations.CreateModel(
                name='OutboundEmail',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('to_email', models.EmailField(max_length=254)),
                    ('to_name', models.CharField(blank=True, max_length=200)),
                    ('from_email', models.EmailField(max_length=254)),
                    ('from_name', models.CharField(blank=True, max_length=100)),
                    ('reply_to', models.EmailField(blank=True, max_length=254)),
                    ('subject', models.CharField(max_length=200)),
                    ('body_text', models.TextField()),
                    ('body_html', models.TextField(blank=True)),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('queued', 'Queued'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('opened', 'Opened'), ('replied', 'Replied'), ('bounced', 'Bounced'), ('complained', 'Marked as spam'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=12)),
                    ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                    ('last_error', models.CharField(blank=True, max_length=500)),
                    ('header_message_id', models.CharField(max_length=200, unique=True)),
                    ('provider_message_id', models.CharField(blank=True, db_index=True, max_length=200)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ('delivered_at', models.DateTimeField(blank=True, null=True)),
                    ('opened_at', models.DateTimeField(blank=True, null=True)),
                    ('replied_at', models.DateTimeField(blank=True, null=True)),
                    ('bounced_at', models.DateTimeField(blank=True, null=True)),
                    ('complained_at', models.DateTimeField(blank=True, null=True)),
                    ('follow_up_due_at', models.DateTimeField(blank=True, null=True)),
                    ('follow_up_reminded_at', models.DateTimeField(blank=True, null=True)),
                    ('booking', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to='bookings.booking')),
                    ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to='contacts.contact')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('follow_up_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='mail.outboundemail')),
                    ('message', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='email', to='conversations.message')),
                ],
                options={
                    'db_table': 'messaging_outboundemail',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.AddField(
                model_name='outboundemail',
                name='template',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to='outreach.emailtemplate'),
            ),
            migrations.AddField(
                model_name='outboundemail',
                name='thread',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to='conversations.thread'),
            ),
            migrations.AddField(
                model_name='outboundemail',
                name='workspace',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outbound_emails', to='accounts.workspace'),
            ),
            migrations.AddField(
                model_name='emailevent',
                name='email',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='mail.outboundemail'),
            ),
            migrations.AddField(
                model_name='quarantinedemail',
                name='decided_by',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
            ),
            migrations.AddField(
                model_name='quarantinedemail',
                name='thread',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='quarantined', to='conversations.thread'),
            ),
            migrations.AddField(
                model_name='quarantinedemail',
                name='workspace',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='quarantined_emails', to='accounts.workspace'),
            ),
            migrations.AddField(
                model_name='senderidentity',
                name='workspace',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sender_identity', to='accounts.workspace'),
            ),
            migrations.AddField(
                model_name='suppression',
                name='source_email',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='mail.outboundemail'),
            ),
            migrations.AddField(
                model_name='suppression',
                name='workspace',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='suppressions', to='accounts.workspace'),
            ),
            migrations.AddIndex(
                model_name='outboundemail',
                index=models.Index(fields=['status', 'next_attempt_at'], name='outbox_due'),
            ),
            migrations.AddIndex(
                model_name='outboundemail',
                index=models.Index(fields=['workspace', 'created_at'], name='outbox_workspace_time'),
            ),
            migrations.AddIndex(
                model_name='outboundemail',
                index=models.Index(condition=models.Q(('follow_up_reminded_at__isnull', True), ('replied_at__isnull', True)), fields=['follow_up_due_at'], name='outbox_follow_up_due'),
            ),
            migrations.AddConstraint(
                model_name='emailevent',
                constraint=models.UniqueConstraint(fields=('provider', 'event_id'), name='email_event_once'),
            ),
            migrations.AddIndex(
                model_name='quarantinedemail',
                index=models.Index(fields=['workspace', 'status'], name='quarantine_queue'),
            ),
            migrations.AddConstraint(
                model_name='suppression',
                constraint=models.UniqueConstraint(condition=models.Q(('workspace__isnull', True)), fields=('email',), name='suppression_global_once'),
            ),
            migrations.AddConstraint(
                model_name='suppression',
                constraint=models.UniqueConstraint(condition=models.Q(('workspace__isnull', False)), fields=('workspace', 'email'), name='suppression_workspace_once'),
            ),
        ]),
    ]
