from django.contrib import admin

from .models import Act, ActMember, Genre, Performer


class ActMemberInline(admin.TabularInline):
    model = ActMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Act)
class ActAdmin(admin.ModelAdmin):
    list_display = ("__str__", "act_type", "formed_year")
    list_filter = ("act_type", "genres")
    search_fields = ("workspace__name",)
    list_select_related = ("workspace",)
    filter_horizontal = ("genres",)
    inlines = [ActMemberInline]
    actions = ["verify", "revoke_verification"]

    @admin.action(description="Verify for Backline (staff checked the act is real)")
    def verify(self, request, queryset):
        from django.contrib import messages

        from backline.core.errors import DomainError

        from .verification import act_verify

        for act in queryset:
            try:
                act_verify(actor=request.user, act_id=act.pk, note="Verified in the admin")
            except DomainError as exc:
                self.message_user(request, f"{act}: {exc.detail}", messages.ERROR)
            else:
                self.message_user(request, f"{act} is verified by Backline.", messages.SUCCESS)


    @admin.action(description="Withdraw Backline's verification, with a reason the act sees")
    def revoke_verification(self, request, queryset):
        from backline.core.admin_actions import with_reason

        from .verification import act_verification_revoke

        return with_reason(
            self, request, queryset, action="revoke_verification", title="Withdraw verifications", submit="Withdraw",
            intro="The badge drops at once. The act's owners and admins are told why.", done="verification withdrawn.",
            apply=lambda act, reason: act_verification_revoke(actor=request.user, act_id=act.pk, reason=reason))


@admin.register(Performer)
class PerformerAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "skills", "is_active", "user")
    list_filter = ("is_active",)
    search_fields = ("name", "email", "skills")
    raw_id_fields = ("workspace", "user")


admin.site.register(Genre)
