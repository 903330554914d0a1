"""Email templates, taken over from the former ``messaging`` app (ADR 0009).

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
                name='EmailTemplate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100)),
                    ('kind', models.CharField(choices=[('first_pitch', 'First pitch'), ('follow_up', 'Follow-up'), ('hold_confirmation', 'Hold confirmation'), ('offer', 'Offer'), ('thank_you', 'Thank-you'), ('custom', 'Other')], default='custom', max_length=20)),
                    ('subject', models.CharField(max_length=200)),
                    ('body', models.TextField(max_length=10000)),
                    ('follow_up_days', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('is_archived', models.BooleanField(default=False)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('follow_up_template', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='outreach.emailtemplate')),
                    ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_templates', to='accounts.workspace')),
                ],
                options={
                    'db_table': 'messaging_emailtemplate',
                    'ordering': ['name'],
                    'constraints': [models.UniqueConstraint(fields=('workspace', 'name'), name='email_template_name_unique')],
                },
            ),
        ]),
    ]
