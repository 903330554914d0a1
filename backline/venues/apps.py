from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "backline.venues"
    label = "venues"
    verbose_name = "Venues"

    def ready(self):
        from . import history_words

        history_words.register()
        from . import ui

        ui.register()
