from __future__ import annotations

from django.contrib import admin

from homeward.missions.models import Mission


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    # The manifest names children, so it is shown on the audited mission pages, not here.
    list_display = ["code", "name", "departure_airport", "arrival_airport", "departs_on", "status"]
