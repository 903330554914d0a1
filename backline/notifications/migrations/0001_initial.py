"""Notifications and their preferences, taken over from the former ``messaging`` app (ADR 0009).

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
        ('messaging', '0002_threads_outreach_contacts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('type', models.CharField(choices=[('invitation', 'Invitations to a workspace'), ('hold_placed', 'Holds placed'), ('hold_promoted', 'A hold moved up to 1st'), ('hold_challenged', 'Your 1st hold is challenged'), ('offer', 'Offers, counter-offers and quotes'), ('confirmed', 'Shows confirmed'), ('closed', 'Cancelled, declined, released, expired or lost'), ('performer_conflict', 'Performers booked twice'), ('poll_opened', 'Date polls to answer'), ('act_event', 'Act events scheduled or cancelled'), ('inquiry', 'New inquiries'), ('hold_expiring', 'Holds about to expire'), ('message', 'New messages in your conversations'), ('email_reply', 'Replies to, and bounces of, your outreach email'), ('follow_up', 'Follow-up reminders for unanswered email'), ('quarantine', 'Incoming email held for review')], max_length=24)),
                    ('title', models.CharField(max_length=200)),
                    ('body', models.TextField(blank=True, max_length=2000)),
                    ('url', models.CharField(blank=True, max_length=300)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('digested_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ('workspace', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_notification',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['user', 'read_at', '-created_at'], name='notification_inbox')],
                },
            ),
            migrations.CreateModel(
                name='NotificationPreference',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('type', models.CharField(choices=[('invitation', 'Invitations to a workspace'), ('hold_placed', 'Holds placed'), ('hold_promoted', 'A hold moved up to 1st'), ('hold_challenged', 'Your 1st hold is challenged'), ('offer', 'Offers, counter-offers and quotes'), ('confirmed', 'Shows confirmed'), ('closed', 'Cancelled, declined, released, expired or lost'), ('performer_conflict', 'Performers booked twice'), ('poll_opened', 'Date polls to answer'), ('act_event', 'Act events scheduled or cancelled'), ('inquiry', 'New inquiries'), ('hold_expiring', 'Holds about to expire'), ('message', 'New messages in your conversations'), ('email_reply', 'Replies to, and bounces of, your outreach email'), ('follow_up', 'Follow-up reminders for unanswered email'), ('quarantine', 'Incoming email held for review')], max_length=24)),
                    ('channel', models.CharField(choices=[('in_app', 'In the app only'), ('email', 'In the app and by email at once'), ('digest', 'In the app and in a daily email digest'), ('off', 'Off')], default='in_app', max_length=8)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'messaging_notificationpreference',
                    'constraints': [models.UniqueConstraint(fields=('user', 'type'), name='notification_preference_unique')],
                },
            ),
        ]),
    ]
