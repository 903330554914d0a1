"""The public face: act press kits (/a/<slug>/) and venue pages (/v/<slug>/). The only anonymous
pages besides log-in; everything they show is something the owner chose to publish."""

app_name = "profiles"
urlpatterns: list = []
