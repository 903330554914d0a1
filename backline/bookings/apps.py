from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "backline.bookings"
    label = "bookings"
    verbose_name = "Bookings: inquiries, holds, offers and shows"

    def ready(self):
        from . import history_words

        history_words.register()
        from backline.scheduling.feeds import register_venue_feed_source

        from . import feed_source, ui

        ui.register()
        register_venue_feed_source(feed_source.venue_shows)
