"""The audit trail: one append-only row for every read and change of a child's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from homeward.audit.actions import label


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Copied at the time, so the entry keeps saying who it was if the profile changes.
    actor_name = models.CharField(max_length=150, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=60, db_index=True)  # dotted code, e.g. case.viewed
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True, db_index=True)
    changed_fields = models.JSONField(default=list, blank=True)  # names only, never values
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (audit.chain): see `homeward audit verify`.
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = gettext_lazy("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_id}"

    @property
    def action_label(self) -> str:
        """The action in words, for the people reading the trail."""
        return label(self.action)

    @property
    def role_label(self) -> str:
        """The role in words (the code when it is no role of today's)."""
        from homeward.accounts.models import Role  # accounts records into the audit

        return str(Role(self.role).label) if self.role in Role.values else self.role
