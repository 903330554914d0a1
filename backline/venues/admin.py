from django.contrib import admin

from .models import Stage, Venue


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "city_name", "country_code", "capacity", "workspace")
    list_filter = ("country_code",)
    search_fields = ("name", "city_name", "address")
    raw_id_fields = ("workspace",)
    inlines = [StageInline]
