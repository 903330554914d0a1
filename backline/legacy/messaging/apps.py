from django.apps import AppConfig


class MessagingHistoryConfig(AppConfig):
    """Keeps the label ``messaging`` so its applied migrations stay known (ADR 0009)."""

    name = "backline.legacy.messaging"
    label = "messaging"
    verbose_name = "Messaging (migration history only)"
