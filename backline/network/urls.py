"""The venue network's web routes (under the acting workspace)."""

from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("w/<slug:slug>/network/", views.network_list, name="network_list"),
    path("w/<slug:slug>/network/new/", views.network_new, name="network_new"),
    path("w/<slug:slug>/network/<int:network_id>/", views.network_detail, name="network_detail"),
    path("w/<slug:slug>/network/<int:network_id>/invite/", views.network_invite, name="network_invite"),
    path("w/<slug:slug>/network/<int:network_id>/answer/", views.network_answer, name="network_answer"),
    path("w/<slug:slug>/network/<int:network_id>/leave/", views.network_leave, name="network_leave"),
    path("w/<slug:slug>/network/<int:network_id>/sharing/", views.network_sharing, name="network_sharing"),
    path("w/<slug:slug>/network/<int:network_id>/members/<int:network_member_id>/remove/", views.network_member_remove,
         name="network_member_remove"),
    path("w/<slug:slug>/network/<int:network_id>/members/<int:network_member_id>/admin/", views.network_member_admin,
         name="network_member_admin"),
    path("w/<slug:slug>/network/<int:network_id>/co-present/", views.network_co_present, name="network_co_present"),
    path("w/<slug:slug>/network/co-presented/<int:copresent_id>/answer/", views.network_co_present_answer,
         name="network_co_present_answer"),
    path("w/<slug:slug>/network/<int:network_id>/board/new/", views.network_post_new, name="network_post_new"),
    path("w/<slug:slug>/network/board/<int:post_id>/", views.network_post_detail, name="network_post_detail"),
    path("w/<slug:slug>/network/board/<int:post_id>/ask/", views.network_post_ask, name="network_post_ask"),
    path("w/<slug:slug>/network/board/<int:post_id>/close/", views.network_post_close, name="network_post_close"),
    path("w/<slug:slug>/network/requests/<int:request_id>/answer/", views.network_request_answer,
         name="network_request_answer"),
]
