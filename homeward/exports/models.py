"""Extracts of records within a user's scope: one row per request, its progress, and the
file (encrypted) that only its requester downloads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.protection.fields import EncryptedFileField, EncryptedTextField, SealedRowModel
from homeward.protection.storage import EncryptedFileSystemStorage

# The case list's filter that holds free text (a child's name, say).
SEARCH = "q"


class ExportKind(models.TextChoices):
    CHILDREN = "children", _("Children's cases")
    RELATIVES = "relatives", _("Relatives")
    REQUESTS = "requests", _("Tracing requests")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    JSON = "json", _("JSON")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def _private_storage() -> FileSystemStorage:
    return EncryptedFileSystemStorage()


def _export_path(instance: Export, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.{instance.format}"


class Export(SealedRowModel):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports"
    )
    kind = models.CharField(max_length=10, choices=ExportKind.choices)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    include_sensitive = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    columns = models.JSONField(default=list, blank=True)
    # The case list's filters as its query string gave them (cases and relatives only),
    # the day ages were counted on for an age-band filter, and the preset chosen, if any.
    filters = models.JSONField(default=dict, blank=True)
    # The search text among them ("q"), kept apart and encrypted as the other restricted
    # fields are: a search for a child's name is personal data. `chosen_filters` joins them.
    search = EncryptedTextField(blank=True)
    counted_on = models.DateField(null=True, blank=True)
    preset = models.CharField(max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = EncryptedFileField(upload_to=_export_path, storage=_private_storage, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} as {self.get_format_display()} ({self.status})"

    @property
    def chosen_filters(self) -> dict[str, str]:
        """The case list's filters as chosen, the search text included."""
        return {**self.filters, SEARCH: self.search} if self.search else dict(self.filters)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def filename(self) -> str:
        return f"homeward-{self.kind}-{self.requested_at:%Y%m%d-%H%M}.{self.format}"
