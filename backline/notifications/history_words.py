"""How the History page words notifications' audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import Channel, NotificationType


def register() -> None:
    history.register_actions({
        "notification_preference.changed": "{actor} changed how they hear about {object}",
    })
    history.register_fields({"channel": "How"})
    history.register_values("channel", dict(Channel.choices))
    history.register_values("type", dict(NotificationType.choices))
