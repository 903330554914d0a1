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
    actions = ["verify"]

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


@admin.register(Performer)
class PerformerAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "skills", "is_active", "user")
    list_filter = ("is_active",)
    search_fields = ("name", "email", "skills")
    raw_id_fields = ("workspace", "user")


admin.site.register(Genre)
