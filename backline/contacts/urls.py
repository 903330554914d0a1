"""The contacts book's web routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("w/<slug:slug>/contacts/", views.contact_list, name="contact_list"),
    path("w/<slug:slug>/contacts/new/", views.contact_new, name="contact_new"),
    path("w/<slug:slug>/contacts/selected/", views.contact_selected, name="contact_selected"),
    path("w/<slug:slug>/contacts/import/", views.contact_import, name="contact_import"),
    path("w/<slug:slug>/contacts/import/sample.csv", views.contact_import_sample, name="contact_import_sample"),
    path("w/<slug:slug>/contacts/export.csv", views.contact_export, name="contact_export"),
    path("w/<slug:slug>/contacts/duplicates/", views.contact_duplicates, name="contact_duplicates"),
    path("w/<slug:slug>/contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("w/<slug:slug>/contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("w/<slug:slug>/contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("w/<slug:slug>/contacts/<int:contact_id>/merge/", views.contact_merge, name="contact_merge"),
]
