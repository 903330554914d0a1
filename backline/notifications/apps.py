from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "backline.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import history_words

        history_words.register()
        # the receivers subscribe to the lower apps' domain events
        from . import receivers, representation_receivers, verification_receivers  # noqa: F401
