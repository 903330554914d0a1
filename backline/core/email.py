"""Transactional email from templates, sent after commit through a task (eager in the embedded default)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send_templated_email_on_commit(*, to: list[str], template: str, context: dict) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and send once the transaction commits."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)

    def _send():
        from .tasks import send_email

        send_email.delay(to=to, subject=subject, body=body)

    transaction.on_commit(_send)
