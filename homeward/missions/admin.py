from __future__ import annotations

from django.contrib import admin

from homeward.missions.models import ManifestEntry, Mission


class ManifestEntryInline(admin.TabularInline):
    model = ManifestEntry
    extra = 0
    raw_id_fields = ["case"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departure_airport", "arrival_airport", "departs_on", "status"]
    inlines = [ManifestEntryInline]
