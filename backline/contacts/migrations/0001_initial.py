"""The contacts book, taken over from the former ``messaging`` app (ADR 0009).

The tables already exist (``messaging`` 0001 and 0002 made them, on a new database as on an old one)
and keep their names (``db_table``), so this migration only tells Django's state that the models
live here now; ``messaging`` 0003 lets go of them. No row is touched."""

import django.db.models.deletion
import django.db.models.functions.text
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
                name='Contact',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200)),
                    ('role', models.CharField(choices=[('talent_buyer', 'Talent buyer'), ('promoter', 'Promoter'), ('venue_staff', 'Venue staff'), ('agent', 'Agent'), ('manager', 'Manager'), ('client', 'Client'), ('artist', 'Artist'), ('press', 'Press'), ('other', 'Other')], default='other', max_length=16)),
                    ('organisation', models.CharField(blank=True, max_length=200)),
                    ('email', models.EmailField(blank=True, max_length=254)),
                    ('phone', models.CharField(blank=True, max_length=50)),
                    ('city', models.CharField(blank=True, max_length=100)),
                    ('tags', models.CharField(blank=True, max_length=500)),
                    ('notes', models.TextField(blank=True, max_length=5000)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_contact',
                    'ordering': ['name', 'id'],
                    'indexes': [models.Index(fields=['workspace', 'name'], name='contact_workspace_name')],
                    'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('workspace'), condition=models.Q(('email', ''), _negated=True), name='contact_email_unique')],
                },
            ),
        ]),
    ]
