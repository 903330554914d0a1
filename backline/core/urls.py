from django.urls import path

from . import views

urlpatterns = [
    path("dev/mailbox/", views.dev_mailbox, name="dev_mailbox"),
    path("dev/mailbox/<int:message_id>/", views.dev_mailbox_message, name="dev_mailbox_message"),
    path("health/", views.health, name="health"),
]
