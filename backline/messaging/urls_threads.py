"""Web routes for messaging's threads (included by messaging/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
