"""Web routes for messaging's outreach (included by messaging/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
