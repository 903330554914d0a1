"""The Celery app.

In the embedded default (no ``CELERY_BROKER_URL``) tasks run eagerly, in-process, and periodic
jobs run from ``manage.py scheduler`` which ``make run`` starts beside the web server. In production,
set ``CELERY_BROKER_URL`` (Redis) and run ``celery -A backline.config worker`` and ``... beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backline.config.settings")

app = Celery("backline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
