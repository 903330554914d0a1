from django.urls import path

from . import directory_views, views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("directory/acts/", directory_views.directory_acts, name="directory_acts"),
    path("directory/venues/", directory_views.directory_venues, name="directory_venues"),
    path("w/<slug:slug>/find-acts/", directory_views.workspace_directory_acts, name="workspace_directory_acts"),
    path("w/<slug:slug>/find-venues/", directory_views.workspace_directory_venues, name="workspace_directory_venues"),
]
