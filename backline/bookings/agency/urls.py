from django.urls import path

from . import asking, views

urlpatterns = [
    path("w/<slug:slug>/clients/", views.client_list, name="client_list"),
    path("w/<slug:slug>/clients/new/", views.client_new, name="client_new"),
    path("w/<slug:slug>/clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("w/<slug:slug>/clients/<int:client_id>/archive/", views.client_archive, name="client_archive"),
    path("w/<slug:slug>/packages/", views.package_list, name="package_list"),
    path("w/<slug:slug>/packages/new/", views.package_edit, name="package_new"),
    path("w/<slug:slug>/packages/<int:package_id>/", views.package_edit, name="package_edit"),
    path("w/<slug:slug>/bookings/ask/", asking.agency_ask, name="agency_ask"),
    path("w/<slug:slug>/whos-free/", views.whos_free, name="whos_free"),
    path("w/<slug:slug>/gigs/<int:booking_id>/", views.gig_detail, name="gig_detail"),
]
