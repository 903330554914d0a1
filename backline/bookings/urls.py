from django.urls import path

from . import riders as booking_riders
from . import views, vouch_views
from .agency import urls as agency

urlpatterns = [
    *agency.urlpatterns,
    path("w/<slug:slug>/bookings/", views.board, name="booking_board"),
    path("w/<slug:slug>/bookings/list/", views.booking_list, name="booking_list"),
    path("w/<slug:slug>/bookings/new/", views.inquiry_new, name="inquiry_new"),
    path("w/<slug:slug>/bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("w/<slug:slug>/bookings/<int:booking_id>/edit/", views.booking_edit, name="booking_edit"),
    path("w/<slug:slug>/bookings/<int:booking_id>/hold/", views.booking_hold, name="booking_hold"),
    path("w/<slug:slug>/bookings/<int:booking_id>/offer/", views.booking_offer, name="booking_offer"),
    path("w/<slug:slug>/bookings/<int:booking_id>/offer/form/", views.booking_offer_form, name="booking_offer_form"),
    path("w/<slug:slug>/bookings/<int:booking_id>/performers/", views.booking_assign, name="booking_assign"),
    path("w/<slug:slug>/bookings/<int:booking_id>/performers/<int:performer_id>/remove/", views.booking_unassign,
         name="booking_unassign"),
    path("w/<slug:slug>/bookings/calendar/", views.booking_calendar, name="booking_calendar"),
    path("w/<slug:slug>/bookings/<int:booking_id>/contract.pdf", views.booking_contract, name="booking_contract"),
    path("w/<slug:slug>/bookings/<int:booking_id>/day-sheet.pdf", views.booking_day_sheet, name="booking_day_sheet"),
    path("w/<slug:slug>/bookings/<int:booking_id>/files/<int:file_id>/", views.booking_offer_file,
         name="booking_offer_file"),
    path("w/<slug:slug>/bookings/<int:booking_id>/riders.pdf", booking_riders.booking_rider_pdf,
         name="booking_rider_pdf"),
    path("w/<slug:slug>/bookings/<int:booking_id>/advance/", views.booking_advance, name="booking_advance"),
    path("w/<slug:slug>/bookings/<int:booking_id>/vouch/", vouch_views.booking_vouch, name="booking_vouch"),
    path("w/<slug:slug>/bookings/<int:booking_id>/vouch/withdraw/", vouch_views.booking_vouch_withdraw,
         name="booking_vouch_withdraw"),
    path("w/<slug:slug>/bookings/<int:booking_id>/<str:transition>/", views.booking_action, name="booking_action"),
]
