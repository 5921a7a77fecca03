from __future__ import annotations

from django.contrib import admin

from homeward.cases.models import (
    Attachment,
    CaseNote,
    ChildCase,
    FamilyMember,
    Placement,
    StatusTransition,
)


class TransitionInline(admin.TabularInline):
    model = StatusTransition
    extra = 0
    can_delete = False
    readonly_fields = [
        "from_status",
        "to_status",
        "effective_on",
        "recorded_at",
        "recorded_by",
        "reason",
    ]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False  # statuses change only through the case page, which checks the flow


@admin.register(ChildCase)
class ChildCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "child", "status", "home_region", "agency"]
    list_filter = ["status", "agency"]
    search_fields = ["reference", "child__names__full_name"]
    readonly_fields = ["reference", "status", "status_since", "child"]
    inlines = [TransitionInline]


admin.site.register([FamilyMember, Placement, CaseNote, Attachment])
