"""Public calendar-feed URLs (included at the site root)."""

from django.urls import path

from . import feed_views

urlpatterns = [
    path("feeds/<str:token>.ics", feed_views.calendar_feed, name="calendar_feed"),
]
