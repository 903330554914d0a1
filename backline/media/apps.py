from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "backline.media"
    label = "media"
    verbose_name = "Media library"

    def ready(self):
        from . import history_words, ui

        history_words.register()
        ui.register()
