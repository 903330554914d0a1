from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "backline.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self):
        from . import receivers, ui  # noqa: F401  (receivers subscribe to accounts' domain events)

        ui.register()
