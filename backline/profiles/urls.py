"""The public face: act press kits (/a/<slug>/) and venue pages (/v/<slug>/). The only anonymous
pages besides log-in; everything they show is something the owner chose to publish."""

from django.urls import path

from . import venue_views

app_name = "profiles"
urlpatterns: list = [
    path("v/<slug:slug>/", venue_views.venue_page, name="venue"),
]
