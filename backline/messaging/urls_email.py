"""Web routes for messaging's email (included by messaging/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
