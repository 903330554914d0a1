"""The public face: act press kits (/a/<slug>/) and venue pages (/v/<slug>/). The only anonymous
pages besides log-in; everything they show is something the owner chose to publish."""

from django.urls import path

from . import act_views, venue_views

app_name = "profiles"
urlpatterns: list = [
    path("a/<slug:slug>/", act_views.act, name="act"),
    path("a/<slug:slug>/request/", act_views.act_request, name="act_request"),
    path("a/<slug:slug>/one-sheet.pdf", act_views.act_one_sheet, name="act_one_sheet"),
    path("a/<slug:slug>/press-pack.zip", act_views.act_press_pack, name="act_press_pack"),
    path("v/<slug:slug>/", venue_views.venue_page, name="venue"),
]
