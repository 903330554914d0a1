from django.contrib import admin

from .models import AuditEntry, MailboxMessage


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is evidence: staff can read and search it, never change it."""

    list_display = ("at", "actor", "action", "object_repr", "workspace_id")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_repr", "actor__email")
    list_select_related = ("actor", "object_type")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailboxMessage)
class MailboxMessageAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "subject", "to")
    search_fields = ("subject", "to")
