from django.urls import path

from .views import acts, personal, polls, sharing

urlpatterns = [
    path("me/availability/", personal.availability, name="availability"),
    path("me/availability/default/", personal.availability_default, name="availability_default"),
    path("me/availability/patterns/new/", personal.availability_rule_new, name="availability_rule_new"),
    path("me/availability/patterns/summary/", personal.availability_rule_summary, name="availability_rule_summary"),
    path("me/availability/patterns/<int:rule_id>/", personal.availability_rule_edit, name="availability_rule_edit"),
    path("me/availability/patterns/<int:rule_id>/delete/", personal.availability_rule_delete, name="availability_rule_delete"),
    path("w/<slug:slug>/schedule/", acts.act_schedule, name="act_schedule"),
    path("w/<slug:slug>/schedule/dates/<str:day>/", acts.green_date, name="green_date"),
    path("w/<slug:slug>/schedule/events/new/", acts.act_event_new, name="act_event_new"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/", acts.act_event_detail, name="act_event_detail"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/edit/", acts.act_event_edit, name="act_event_edit"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/cancel/", acts.act_event_cancel, name="act_event_cancel"),
    path("w/<slug:slug>/schedule/events/<int:event_id>/delete/", acts.act_event_delete, name="act_event_delete"),
    path("w/<slug:slug>/schedule/polls/new/", polls.poll_new, name="poll_new"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/", polls.poll_detail, name="poll_detail"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/answer/", polls.poll_answer, name="poll_answer"),
    path("w/<slug:slug>/schedule/polls/<int:poll_id>/<str:action>/", polls.poll_action, name="poll_action"),
    # what leaves Backline (feeds, share links) and what comes in (imported calendars)
    path("me/feed/", sharing.my_feed, name="my_feed"),
    path("me/calendars/add/", sharing.calendar_import_add, name="calendar_import_add"),
    path("me/calendars/<int:calendar_id>/refresh/", sharing.calendar_import_refresh, name="calendar_import_refresh"),
    path("me/calendars/<int:calendar_id>/remove/", sharing.calendar_import_remove, name="calendar_import_remove"),
    path("w/<slug:slug>/schedule/feed/", sharing.act_feed, name="act_feed"),
    path("w/<slug:slug>/schedule/share/new/", sharing.share_link_new, name="share_link_new"),
    path("w/<slug:slug>/schedule/share/<int:link_id>/revoke/", sharing.share_link_revoke, name="share_link_revoke"),
    path("availability/<str:token>/", sharing.public_availability, name="public_availability"),
    path("availability/<str:token>.pdf", sharing.public_availability_pdf, name="public_availability_pdf"),
    path("feeds/<str:token>.ics", sharing.calendar_feed, name="calendar_feed"),
]
