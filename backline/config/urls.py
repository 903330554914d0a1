import posixpath

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.views.static import serve

from backline.accounts.views import LoginView

from .api import api

handler404 = "backline.core.views.page_not_found"
handler429 = "backline.accounts.views.too_many_requests"  # allauth's rate limits answer through it

urlpatterns = [
    path("admin/", admin.site.urls),
    # allauth's log-in page, answering 429 with Retry-After when the failed-login limit refuses
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("backline.core.urls")),
    path("", include("backline.accounts.urls")),
    path("", include("backline.artists.urls")),
    path("", include("backline.venues.urls")),
    path("", include("backline.media.urls")),
    path("", include("backline.scheduling.urls")),
    path("", include("backline.bookings.urls")),
    path("", include("backline.search.urls")),
    path("", include("backline.profiles.urls")),
    path("", include("backline.network.urls")),
    path("", include("backline.notifications.urls")),
    path("", include("backline.conversations.urls")),
    path("", include("backline.contacts.urls")),
    path("", include("backline.outreach.urls")),
    path("", include("backline.mail.urls")),
]

def _serve_public_media(request, path):
    """Message attachments are never public: only the thread's parties download them, through the
    access-checked view, so the development media route does not serve their folder."""
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA):  # as serve() will resolve it
        raise Http404("Not a public file.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)


PRIVATE_MEDIA = ("messaging/",)  # conversation attachments (the folder kept its name: ADR 0009)

if not settings.PRODUCTION:
    # Uploaded files (avatars) from local disk in development; production serves them from storage.
    urlpatterns.append(path("media/<path:path>", _serve_public_media, name="media"))
