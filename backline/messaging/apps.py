from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backline.messaging"
    label = "messaging"
    verbose_name = "Messaging and notifications"

    def ready(self):
        from . import receivers, ui  # noqa: F401  (receivers subscribe to the lower apps' domain events)

        ui.register()
