from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "backline.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self):
        from . import history_words

        history_words.register()
        # inbound and tracking subscribe to anymail's signals (the provider webhooks)
        from . import inbox
        from .services import inbound, tracking  # noqa: F401

        inbox.register()
