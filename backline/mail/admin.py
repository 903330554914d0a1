"""Mail in the admin: read-only for the site's staff (the services make every change)."""

from django.contrib import admin

from .models import EmailEvent, OutboundEmail, QuarantinedEmail, Suppression


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff may look, never change: outreach, its tracking and held mail change only through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnassignedFilter(admin.SimpleListFilter):
    title = "whose review"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return (("staff", "Staff (no conversation found)"), ("workspace", "A workspace's"))

    def queryset(self, request, queryset):
        if self.value() == "staff":
            return queryset.filter(workspace__isnull=True)
        if self.value() == "workspace":
            return queryset.filter(workspace__isnull=False)
        return queryset


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(ReadOnlyAdmin):
    """Held incoming mail. Mail naming no conversation (no or unknown reply token) is the staff's to read:
    filter "whose review" → Staff."""

    list_display = ("received_at", "reason", "status", "from_email", "subject", "workspace", "thread")
    list_filter = (UnassignedFilter, "status", "reason")
    search_fields = ("from_email", "from_name", "subject", "to", "token")
    date_hierarchy = "received_at"
    list_select_related = ("workspace", "thread")
    raw_id_fields = ("thread", "workspace", "decided_by")


@admin.register(EmailEvent)
class EmailEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "event_type", "recipient", "provider", "email", "description")
    list_filter = ("event_type", "provider")
    search_fields = ("recipient", "event_id", "email__subject", "email__to_email")
    date_hierarchy = "occurred_at"
    list_select_related = ("email",)
    raw_id_fields = ("email",)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    list_display = ("email", "reason", "workspace", "created_at")
    list_filter = ("reason",)
    search_fields = ("email",)
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace", "source_email")


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "to_email", "status", "workspace", "attempts", "sent_at", "replied_at")
    list_filter = ("status",)
    search_fields = ("subject", "to_email", "header_message_id", "provider_message_id")
    date_hierarchy = "created_at"
    list_select_related = ("workspace",)
    raw_id_fields = ("workspace", "thread", "message", "booking", "contact", "template", "follow_up_of", "created_by")
    exclude = ("body_html",)  # the HTML part is never rendered here; body_text says the same
