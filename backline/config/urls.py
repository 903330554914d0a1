from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from .api import api

handler404 = "backline.core.views.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("backline.core.urls")),
    path("", include("backline.accounts.urls")),
    path("", include("backline.artists.urls")),
    path("", include("backline.venues.urls")),
    path("", include("backline.scheduling.urls")),
    path("", include("backline.scheduling.feed_urls")),
    path("", include("backline.bookings.urls")),
    path("", include("backline.bookings.search_urls")),
    path("", include("backline.messaging.urls")),
]

if not settings.PRODUCTION:
    # Uploaded files (avatars) from local disk in development; production serves them from storage.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}, name="media"))
