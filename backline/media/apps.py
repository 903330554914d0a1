from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "backline.media"
    label = "media"
    verbose_name = "Media library"
