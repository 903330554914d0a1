from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world. It spans every app, so it sits above all of them."""

    name = "backline.demo"
    label = "demo"
    verbose_name = "Demo world"
