"""Conversations' web routes: the workspace inbox under
/w/<slug>/inbox/ and a booking's conversations (under the inbox, so they never clash with the
booking page's own /bookings/<id>/<action>/ routes)."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("w/<slug:slug>/inbox/", v.thread_inbox, name="thread_inbox"),
    path("w/<slug:slug>/inbox/badge/", v.thread_inbox_badge, name="thread_inbox_badge"),
    path("w/<slug:slug>/inbox/new/", v.thread_new, name="thread_new"),
    path("w/<slug:slug>/inbox/internal/", v.internal_channel, name="internal_channel"),
    path("w/<slug:slug>/inbox/internal/new/", v.internal_thread_new, name="internal_thread_new"),
    path("w/<slug:slug>/inbox/recipients/", v.thread_recipients, name="thread_recipients"),
    path("w/<slug:slug>/inbox/booking/<int:booking_id>/", v.booking_thread_open, name="booking_thread_open"),
    path("w/<slug:slug>/inbox/booking/<int:booking_id>/support/", v.support_thread_new, name="support_thread_new"),
    path("w/<slug:slug>/inbox/<int:thread_id>/", v.thread_detail, name="thread_detail"),
    path("w/<slug:slug>/inbox/<int:thread_id>/post/", v.thread_post, name="thread_post"),
    path("w/<slug:slug>/inbox/<int:thread_id>/messages/", v.thread_messages, name="thread_messages"),
    path("w/<slug:slug>/inbox/<int:thread_id>/unread/", v.thread_unread, name="thread_unread"),
    path("w/<slug:slug>/inbox/<int:thread_id>/parties/", v.thread_party_add, name="thread_party_add"),
    path("w/<slug:slug>/inbox/<int:thread_id>/inquiry/", v.thread_inquiry, name="thread_inquiry"),
    path("w/<slug:slug>/inbox/<int:thread_id>/attachments/<int:attachment_id>/", v.thread_attachment,
         name="thread_attachment"),
]
