from django.urls import path

from . import epk_views, views
from . import representation_views as reps
from . import rider_views as riders

urlpatterns = [
    path("workspaces/new-act/", views.act_new, name="act_new"),
    path("w/<slug:slug>/line-up/", views.line_up, name="line_up"),
    path("w/<slug:slug>/line-up/details/", views.act_details, name="act_details"),
    path("w/<slug:slug>/line-up/add/", views.act_member_add, name="act_member_add"),
    path("w/<slug:slug>/line-up/<int:member_id>/", views.act_member_edit, name="act_member_edit"),
    path("w/<slug:slug>/line-up/<int:member_id>/remove/", views.act_member_remove, name="act_member_remove"),
    path("w/<slug:slug>/agencies/", reps.act_agencies, name="act_agencies"),
    path("w/<slug:slug>/agencies/invite/", reps.act_agency_invite, name="act_agency_invite"),
    path("w/<slug:slug>/represented-acts/", reps.represented_acts, name="represented_acts"),
    path("w/<slug:slug>/represented-acts/ask/", reps.represented_act_request, name="represented_act_request"),
    path("w/<slug:slug>/representations/<int:representation_id>/accept/", reps.representation_accept,
         name="representation_accept"),
    path("w/<slug:slug>/representations/<int:representation_id>/decline/", reps.representation_decline,
         name="representation_decline"),
    path("w/<slug:slug>/representations/<int:representation_id>/end/", reps.representation_end,
         name="representation_end"),
    path("w/<slug:slug>/press-kit/", epk_views.press_kit, name="press_kit"),
    path("w/<slug:slug>/press-kit/save/", epk_views.press_kit_save, name="press_kit_save"),
    path("w/<slug:slug>/performers/", views.performer_list, name="performer_list"),
    path("w/<slug:slug>/performers/new/", views.performer_new, name="performer_new"),
    path("w/<slug:slug>/performers/<int:performer_id>/", views.performer_edit, name="performer_edit"),
    path("w/<slug:slug>/riders/", riders.rider_list, name="rider_list"),
    path("w/<slug:slug>/riders/new/", riders.rider_new, name="rider_new"),
    path("w/<slug:slug>/riders/<int:rider_id>/", riders.rider_detail, name="rider_detail"),
    path("w/<slug:slug>/riders/<int:rider_id>/edit/", riders.rider_edit, name="rider_edit"),
    path("w/<slug:slug>/riders/<int:rider_id>/publish/", riders.rider_publish, name="rider_publish"),
    path("w/<slug:slug>/riders/<int:rider_id>/discard/", riders.rider_discard, name="rider_discard"),
    path("w/<slug:slug>/riders/<int:rider_id>/pdf/", riders.rider_pdf, name="rider_pdf"),
]
