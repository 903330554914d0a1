from django.urls import path

from . import search_views

urlpatterns = [
    path("search/", search_views.search_page, name="search"),
]
