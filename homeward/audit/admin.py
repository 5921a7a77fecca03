from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from homeward.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "agency_name", "action", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_id"]

    # The trail is append-only: nobody edits or deletes it, not even through the admin.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
