from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from homeward.audit.models import AuditEntry
from homeward.audit.services import record


class AuditedModelAdmin(admin.ModelAdmin):
    """A model admin whose every addition, change and deletion also goes on the audit
    chain, with the names of the fields changed: a role, scope or agency changed in the
    admin is as traceable as a change on the pages. Django's own admin log is kept in
    the database beside it, unchained, and is no proof."""

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # Called before log_addition and log_change, with the form that was saved.
        request.audited_fields = list(form.changed_data)  # type: ignore[attr-defined]
        for formset in formsets or ():
            for inline in formset.forms:
                request.audited_fields += [  # type: ignore[attr-defined]
                    f"{formset.prefix}.{name}" for name in inline.changed_data
                ]
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record("admin.added", actor=request.user, target=obj, fields=_fields(request))
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record("admin.changed", actor=request.user, target=obj, fields=_fields(request))
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            record("admin.deleted", actor=request.user, target=obj)
        return super().log_deletions(request, queryset)


def _fields(request: HttpRequest) -> list[str]:
    return list(getattr(request, "audited_fields", []))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "agency_name",
        "action_label",
        "object_type",
        "object_id",
        "ip",
    ]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_id"]

    # The trail is append-only: nobody edits or deletes it, not even through the admin.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
