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

from backline.core.admin_actions import with_reason  # noqa: E402
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
                       "reviewed_by", "reviewed_at", "reason", "revoked_by", "revoked_at", "created_at")
    actions = ["approve", "reject", "revoke"]

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
        return with_reason(
            self, request, queryset, action="reject", title="Reject verification requests", submit="Reject",
            intro="Tell the venue why its request is not approved; it sees the reason on its Verification page "
                  "and may send a new request.", name=lambda r: str(r.venue), done="not approved.",
            apply=lambda r, reason: verification.verification_request_reject(actor=request.user, request_id=r.pk,
                                                                               reason=reason))

    @admin.action(description="Withdraw the verification, with a reason the venue sees")
    def revoke(self, request, queryset):
        return with_reason(
            self, request, queryset, action="revoke", title="Withdraw verifications", submit="Withdraw",
            intro="The badge drops at once. The venue's owners and admins are told why and may ask again later.",
            name=lambda r: str(r.venue), done="verification withdrawn.",
            apply=lambda r, reason: verification.venue_verification_revoke(actor=request.user, venue_id=r.venue_id,
                                                                            reason=reason))


@admin.register(VenueVouch)
class VenueVouchAdmin(admin.ModelAdmin):
    list_display = ("venue", "act_workspace", "booking_reference", "at")
    search_fields = ("venue__name", "act_workspace__name", "booking_reference")
    list_select_related = ("venue", "act_workspace")
    readonly_fields = ("venue", "act_workspace", "booking_id", "booking_reference", "by", "at")
