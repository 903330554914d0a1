"""Web routes for messaging's contacts (included by messaging/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
