from django.apps import AppConfig


class ArtistsConfig(AppConfig):
    name = "backline.artists"
    label = "artists"
    verbose_name = "Acts and performers"

    def ready(self):
        from . import history_words

        history_words.register()
        from . import receivers, ui  # noqa: F401  (receivers subscribe to accounts' domain events)

        ui.register()
