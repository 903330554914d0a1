from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "backline.network"
    label = "network"
    verbose_name = "Venue network"
