from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "backline.bookings"
    label = "bookings"
    verbose_name = "Bookings: inquiries, holds, offers and shows"

    def ready(self):
        from . import ui

        ui.register()
