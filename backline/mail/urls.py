"""Mail's web routes: the provider's webhooks, the held-mail page and the opt-out link."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/email/<str:provider>/tracking/", views.tracking_webhook, name="email_webhook_tracking"),
    path("webhooks/email/<str:provider>/inbound/", views.inbound_webhook, name="email_webhook_inbound"),
    path("w/<slug:slug>/inbox/held/", views.quarantine_list, name="quarantine_list"),
    path("w/<slug:slug>/inbox/held/<int:quarantine_id>/release/", views.quarantine_release,
         name="quarantine_release"),
    path("w/<slug:slug>/inbox/held/<int:quarantine_id>/discard/", views.quarantine_discard,
         name="quarantine_discard"),
    # the opt-out link every outreach email carries (public; the signed token is the key)
    path("o/<str:token>/", views.opt_out, name="email_opt_out"),
]
