from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "backline.outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self):
        from . import history_words

        history_words.register()
        from . import ui

        ui.register()
