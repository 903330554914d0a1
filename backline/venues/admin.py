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
