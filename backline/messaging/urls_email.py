"""Web routes for messaging's email (included by messaging/urls.py): the provider's webhooks and the
held-mail page."""

from django.urls import path

from . import views_quarantine, webhooks

urlpatterns: list = [
    path("webhooks/email/<str:provider>/tracking/", webhooks.tracking_webhook, name="email_webhook_tracking"),
    path("webhooks/email/<str:provider>/inbound/", webhooks.inbound_webhook, name="email_webhook_inbound"),
    path("w/<slug:slug>/inbox/held/", views_quarantine.quarantine_list, name="quarantine_list"),
    path("w/<slug:slug>/inbox/held/<int:quarantine_id>/release/", views_quarantine.quarantine_release,
         name="quarantine_release"),
    path("w/<slug:slug>/inbox/held/<int:quarantine_id>/discard/", views_quarantine.quarantine_discard,
         name="quarantine_discard"),
]

# outbox: the opt-out link every outreach email carries (public; the signed token is the key)
from . import views_optout  # noqa: E402

urlpatterns += [path("o/<str:token>/", views_optout.opt_out, name="email_opt_out")]
