from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backline.messaging"
    label = "messaging"
    verbose_name = "Messaging and notifications"

    def ready(self):
        from . import receivers  # noqa: F401  (subscribes to the lower apps' domain events)
