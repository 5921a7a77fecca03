from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from homeward.missions.models import Mission


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    """Read only. Every move of a mission (planned, confirmed, approved, departed, arrived,
    closed, cancelled) goes through missions.services, which checks the rules, records who
    and when, and moves the children's cases with it; a status set from a dropdown here
    would do none of that. The manifest names children, so it is shown on the audited
    mission pages, not here."""

    list_display = ["code", "name", "departure_airport", "arrival_airport", "departs_on", "status"]
    list_filter = ["status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
