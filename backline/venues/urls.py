from django.urls import path

from . import verification_views, views

urlpatterns = [
    path("workspaces/new-venue/", views.venue_workspace_new, name="venue_workspace_new"),
    path("w/<slug:slug>/venues/", views.venue_list, name="venue_list"),
    path("w/<slug:slug>/venues/new/", views.venue_new, name="venue_new"),
    path("w/<slug:slug>/venues/<int:venue_id>/", views.venue_edit, name="venue_edit"),
    path("w/<slug:slug>/venues/<int:venue_id>/stages/", views.stage_add, name="stage_add"),
    path("w/<slug:slug>/venues/<int:venue_id>/stages/<int:stage_id>/remove/", views.stage_remove, name="stage_remove"),
    path("w/<slug:slug>/venues/<int:venue_id>/stages/<int:stage_id>/", views.stage_detail, name="stage_detail"),
    path("w/<slug:slug>/venues/<int:venue_id>/stages/<int:stage_id>/edit/", views.stage_edit, name="stage_edit"),
    path("w/<slug:slug>/verification/", verification_views.verification_overview, name="venue_verification_overview"),
    path("w/<slug:slug>/venues/<int:venue_id>/verification/", verification_views.venue_verification,
         name="venue_verification"),
    path("w/<slug:slug>/venues/<int:venue_id>/verification/request/", verification_views.venue_verification_request,
         name="venue_verification_request"),
]
