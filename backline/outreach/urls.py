"""Outreach's web routes: templates, compose and send, the sent list, the sender identity."""

from django.urls import path

from . import views as v

urlpatterns = [
    path("w/<slug:slug>/outreach/", v.email_list, name="outreach_email_list"),
    path("w/<slug:slug>/outreach/emails/<int:email_id>/", v.email_detail, name="outreach_email_detail"),
    path("w/<slug:slug>/outreach/emails/<int:email_id>/discard/", v.draft_discard, name="outreach_draft_discard"),
    path("w/<slug:slug>/outreach/compose/", v.compose, name="outreach_compose"),
    path("w/<slug:slug>/outreach/compose/preview/", v.preview, name="outreach_preview"),
    path("w/<slug:slug>/outreach/templates/", v.template_list, name="outreach_template_list"),
    path("w/<slug:slug>/outreach/templates/new/", v.template_new, name="outreach_template_new"),
    path("w/<slug:slug>/outreach/templates/preview/", v.template_preview, name="outreach_template_preview"),
    path("w/<slug:slug>/outreach/templates/<int:template_id>/", v.template_edit, name="outreach_template_edit"),
    path("w/<slug:slug>/outreach/templates/<int:template_id>/archive/", v.template_archive,
         name="outreach_template_archive"),
    path("w/<slug:slug>/outreach/templates/<int:template_id>/duplicate/", v.template_duplicate,
         name="outreach_template_duplicate"),
    path("w/<slug:slug>/outreach/sender/", v.sender, name="outreach_sender"),
]
