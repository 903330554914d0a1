from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "backline.network"
    label = "network"
    verbose_name = "Venue network"

    def ready(self):
        from . import history_words, ui

        history_words.register()
        ui.register()
