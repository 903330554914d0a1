from django.urls import path

from . import picker_views, views

urlpatterns = [
    path("w/<slug:slug>/media/", views.media_library, name="media_library"),
    path("w/<slug:slug>/media/upload/", views.media_upload, name="media_upload"),
    path("w/<slug:slug>/media/pick-upload/", picker_views.media_pick_upload, name="media_pick_upload"),
    path("w/<slug:slug>/media/<int:asset_id>/", views.media_edit, name="media_edit"),
    path("w/<slug:slug>/media/<int:asset_id>/delete/", views.media_delete, name="media_delete"),
]
