"""Run the periodic jobs (CELERY_BEAT_SCHEDULE) in this process: the embedded default's beat.

`make run` starts it beside the web server. In production run `celery -A backline.config beat`
and workers instead, and do not run this.
"""

import logging
import signal
import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand

log = logging.getLogger("backline.scheduler")


class Command(BaseCommand):
    help = "Run periodic jobs in-process (the embedded default's replacement for celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once=False, **options):
        current_app.loader.import_default_modules()  # register every app's tasks (autodiscovery is lazy)
        schedule = settings.CELERY_BEAT_SCHEDULE
        next_run = dict.fromkeys(schedule, 0.0)
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            now = time.monotonic()
            for name, entry in schedule.items():
                if now >= next_run[name]:
                    try:
                        result = current_app.tasks[entry["task"]].apply().get()
                        log.info("scheduler: %s -> %s", name, result)
                    except Exception:  # a failing job must not stop the others
                        log.exception("scheduler: %s failed", name)
                    next_run[name] = now + float(entry["schedule"])
            if once:
                return
            time.sleep(1)
