from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "backline.profiles"
    label = "profiles"
    verbose_name = "Public pages"
