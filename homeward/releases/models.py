"""Public releases: a table of figures, checked for disclosure, approved, kept as released."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _


class ReleaseStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting a supervisor's approval")
    APPROVED = "approved", _("Approved for publication")
    REJECTED = "rejected", _("Rejected")


class Release(models.Model):
    """One table as it will be (or was) published, with everything needed to reproduce it:
    the statistics query, the disclosure rules, every cell's outcome and who approved it.
    `content_hash` seals the stored table; approval checks it is unchanged."""

    title = models.CharField(max_length=200)
    description = models.CharField(max_length=500, help_text=gettext_lazy("What is counted"))
    parameters = models.JSONField(help_text=gettext_lazy("The statistics query, as given"))
    rules = models.JSONField(help_text=gettext_lazy("Threshold, zeros, rounding"))
    table = models.JSONField(
        help_text=gettext_lazy("Every cell: true value, outcome, what is shown")
    )
    age_note = models.TextField(help_text=gettext_lazy("How uncertain ages were counted"))
    rules_note = models.TextField(
        help_text=gettext_lazy("The disclosure rules, as the release states them")
    )
    primary_cells = models.PositiveIntegerField()
    secondary_cells = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.AWAITING_APPROVAL
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.status == ReleaseStatus.APPROVED


class PreparationStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being checked")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReleasePreparation(models.Model):
    """An analyst's request for a release, counted at once and protected (secondary
    suppression, an integer programme) inline when small, by `homeward db_worker` when
    large. The row carries the progress the releases page shows, then the release."""

    title = models.CharField(max_length=200)
    parameters = models.JSONField(help_text=gettext_lazy("The statistics query, pinned to its day"))
    rules = models.JSONField(help_text=gettext_lazy("Threshold, zeros, rounding"))
    counts = models.JSONField(
        help_text=gettext_lazy("The table as counted: dimensions, categories, cells")
    )
    description = models.CharField(max_length=500)
    age_note = models.TextField()
    cells = models.PositiveIntegerField(
        help_text=gettext_lazy("Cells of the table, totals included")
    )
    status = models.CharField(
        max_length=10, choices=PreparationStatus.choices, default=PreparationStatus.QUEUED
    )
    stage = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    release = models.OneToOneField(
        Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="preparation"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def busy(self) -> bool:
        return self.status in (PreparationStatus.QUEUED, PreparationStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        """How far, when it can be told: the readers' ranges are counted, the integer
        programme's rounds are not (nobody knows how many it will take)."""
        if self.status == PreparationStatus.DONE:
            return 100
        if self.stage == "ranges" and self.total:
            return int(100 * self.done / self.total)
        return None
