from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "backline.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self):
        from . import history_words

        history_words.register()
        from . import ui

        ui.register()
