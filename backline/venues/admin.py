from django.contrib import admin

from .models import Stage, Venue


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ("name", "capacity")  # tech specs are edited by the venue on its stage pages
    show_change_link = False


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "city_name", "country_code", "capacity", "slug", "visibility", "workspace")
    list_filter = ("country_code", "visibility")
    search_fields = ("name", "city_name", "address")
    raw_id_fields = ("workspace",)
    inlines = [StageInline]


# --- Verification: staff review requests here; the actions call the services (audited, through the workflow).

from django.contrib import messages  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402

from backline.core.errors import DomainError  # noqa: E402

from . import verification  # noqa: E402
from .models import VenueVouch, VerificationRequest  # noqa: E402


@admin.register(VerificationRequest)
class VerificationRequestAdmin(admin.ModelAdmin):
    list_display = ("venue", "status", "created_at", "business_registration", "website", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
    search_fields = ("venue__name", "business_registration", "website")
    list_select_related = ("venue", "reviewed_by")
    readonly_fields = ("venue", "status", "business_registration", "website", "evidence", "documents", "submitted_by",
                       "reviewed_by", "reviewed_at", "reason", "created_at")
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # venues ask from their Verification page

    @admin.action(description="Approve: the venue becomes verified by Backline")
    def approve(self, request, queryset):
        for req in queryset:
            try:
                verification.verification_request_approve(actor=request.user, request_id=req.pk)
            except DomainError as exc:
                self.message_user(request, f"{req.venue}: {exc.detail}", messages.ERROR)
            else:
                self.message_user(request, f"{req.venue} is verified by Backline.", messages.SUCCESS)

    @admin.action(description="Reject with a reason the venue sees")
    def reject(self, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if "apply" not in request.POST or not reason:
            return TemplateResponse(request, "admin/venues/reject_verification.html", {
                **self.admin_site.each_context(request), "title": "Reject verification requests", "requests": queryset,
                "ids": queryset.values_list("pk", flat=True), "opts": self.model._meta,
                "missing": "apply" in request.POST})
        for req in queryset:
            try:
                verification.verification_request_reject(actor=request.user, request_id=req.pk, reason=reason)
            except DomainError as exc:
                self.message_user(request, f"{req.venue}: {exc.detail}", messages.ERROR)
            else:
                self.message_user(request, f"{req.venue}: not approved.", messages.WARNING)
        return None


@admin.register(VenueVouch)
class VenueVouchAdmin(admin.ModelAdmin):
    list_display = ("venue", "act_workspace", "booking_reference", "at")
    search_fields = ("venue__name", "act_workspace__name", "booking_reference")
    list_select_related = ("venue", "act_workspace")
    readonly_fields = ("venue", "act_workspace", "booking_id", "booking_reference", "by", "at")
