from django.urls import path

from . import views

urlpatterns = [
    path("workspaces/new-act/", views.act_new, name="act_new"),
    path("w/<slug:slug>/line-up/", views.line_up, name="line_up"),
    path("w/<slug:slug>/line-up/details/", views.act_details, name="act_details"),
    path("w/<slug:slug>/line-up/add/", views.act_member_add, name="act_member_add"),
    path("w/<slug:slug>/line-up/<int:member_id>/", views.act_member_edit, name="act_member_edit"),
    path("w/<slug:slug>/line-up/<int:member_id>/remove/", views.act_member_remove, name="act_member_remove"),
    path("w/<slug:slug>/performers/", views.performer_list, name="performer_list"),
    path("w/<slug:slug>/performers/new/", views.performer_new, name="performer_new"),
    path("w/<slug:slug>/performers/<int:performer_id>/", views.performer_edit, name="performer_edit"),
]
