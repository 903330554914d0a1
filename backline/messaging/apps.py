from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backline.messaging"
    label = "messaging"
    verbose_name = "Messaging and notifications"

    def ready(self):
        # receivers subscribe to the lower apps' domain events; tracking and inbound to anymail's signals
        from . import inbound, receivers, tracking, ui  # noqa: F401

        ui.register()
