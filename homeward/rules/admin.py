from __future__ import annotations

from django.contrib import admin

from homeward.audit.admin import AuditedModelAdmin
from homeward.rules.models import CustodyRule


@admin.register(CustodyRule)
class CustodyRuleAdmin(AuditedModelAdmin):
    """Administrators change the rules here, without a code change. Alerts name children,
    so they are shown on the case pages, not in the admin."""

    list_display = [
        "host_country", "facility_kind", "age_limit_years", "warning_days", "valid_from",
        "valid_until", "is_active",
    ]  # fmt: skip
    list_filter = ["host_country", "is_active"]
