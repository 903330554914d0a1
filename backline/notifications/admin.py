from django.contrib import admin

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "type", "created_at", "read_at", "digested_at")
    list_filter = ("type",)
    search_fields = ("title", "user__email")
    raw_id_fields = ("user", "workspace")
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "type", "channel")
    list_filter = ("type", "channel")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
