"""Domain events: a service announces what happened; other apps subscribe.

Events are Django signals sent only after the surrounding transaction commits, so a subscriber never
sees (or emails about) work that was rolled back. This is how a lower app reaches a higher one without
importing it: the higher app connects a receiver in its ``AppConfig.ready``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)


class DomainEvent(Signal):
    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __repr__(self) -> str:
        return f"<DomainEvent {self.name}>"


def emit(event: DomainEvent, **payload) -> None:
    """Send ``event`` with ``payload`` once the current transaction commits."""

    def _send():
        for receiver, result in event.send_robust(sender=event.name, **payload):
            if isinstance(result, Exception):
                log.error("receiver %r of %s failed", receiver, event.name, exc_info=result)

    transaction.on_commit(_send)
