"""Imports from field teams' spreadsheets: where the rows come from, each uploaded file,
and which record each external id became."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.people.models import NameSource
from homeward.protection.fields import EncryptedFileField
from homeward.protection.storage import EncryptedFileSystemStorage


class ImportKind(models.TextChoices):
    CHILDREN = "children", _("Children")
    RELATIVES = "relatives", _("Relatives")
    REQUESTS = "requests", _("Tracing requests")


class ImportSource(models.Model):
    """A field team's way of writing its spreadsheets (a KoBoToolbox form, say): which
    column holds what, per kind of record, and values for columns it never has."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="import_sources")
    name = models.CharField(max_length=100)
    name_source = models.CharField(
        max_length=20,
        choices=NameSource.choices,
        default=NameSource.NGO,
        help_text=gettext_lazy("Who wrote the names in this source's files"),
    )
    # {kind: {target field: column header}} and {kind: {target field: value}}
    mapping = models.JSONField(default=dict, blank=True)
    defaults = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="import_source_name_once")
        ]

    def __str__(self) -> str:
        return self.name


def _private_storage() -> FileSystemStorage:
    # Uploaded spreadsheets describe children: encrypted on disk, never served by URL.
    return EncryptedFileSystemStorage()


def _upload_path(instance: ImportBatch, filename: str) -> str:
    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, not checked")
    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked (dry run)")
    TO_COMMIT = "to_commit", _("Waiting to be imported")
    COMMITTING = "committing", _("Being imported")
    COMMITTED = "committed", _("Committed")


class ImportBatch(models.Model):
    """One uploaded file: its dry-run report, and once committed, what it changed."""

    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="batches")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    file = EncryptedFileField(upload_to=_upload_path, storage=_private_storage)
    original_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The last dry run: {"rows", "create", "update", "unchanged", "problems": [...]}.
    report = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # A large file's dry run and commit run in the background (imports.tasks): rows read
    # so far, and why it stopped if it did.
    rows_read = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who is committing it ("host:pid") and when they last wrote a chunk: a commit whose
    # process is gone is taken up by the next one (imports.services.commit).
    committing_by = models.CharField(max_length=300, blank=True)
    committing_seen = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name_plural = gettext_lazy("import batches")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()}, {self.source})"

    @property
    def problems(self) -> list[dict[str, object]]:
        return list(self.report.get("problems", []))


class ImportedRecord(models.Model):
    """The record a source's external id became, and a hash of the row as last imported:
    the same row again changes nothing; a changed row updates the record."""

    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    external_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField(
        help_text=gettext_lazy("The case, family member or tracing request")
    )
    row_hash = models.CharField(max_length=64)
    first_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="external_id_once_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"
