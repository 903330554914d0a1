from django.urls import path

from . import sharing_web, views

urlpatterns = [
    path("me/availability/", views.availability, name="availability"),
    path("me/availability/default/", views.availability_default, name="availability_default"),
    path("me/availability/patterns/new/", views.availability_rule_new, name="availability_rule_new"),
    path("me/availability/patterns/<int:rule_id>/", views.availability_rule_edit, name="availability_rule_edit"),
    path("me/availability/patterns/<int:rule_id>/delete/", views.availability_rule_delete, name="availability_rule_delete"),
    path("w/<slug:slug>/schedule/", views.act_schedule, name="act_schedule"),
    path("w/<slug:slug>/schedule/events/new/", views.act_event_new, name="act_event_new"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/", views.act_event_detail, name="act_event_detail"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/edit/", views.act_event_edit, name="act_event_edit"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/cancel/", views.act_event_cancel, name="act_event_cancel"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/delete/", views.act_event_delete, name="act_event_delete"),
    path("w/<slug:slug>/schedule/polls/new/", views.poll_new, name="poll_new"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/", views.poll_detail, name="poll_detail"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/answer/", views.poll_answer, name="poll_answer"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/<str:action>/", views.poll_action, name="poll_action"),
    *sharing_web.urlpatterns,
]
