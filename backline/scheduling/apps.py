from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "backline.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling and availability"

    def ready(self):
        from . import history_words

        history_words.register()
        from . import receivers, ui  # noqa: F401  (receivers subscribe to accounts' domain events)

        ui.register()
