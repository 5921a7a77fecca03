"""The record of each key rotation: how far it got, so that a rerun goes on from there."""

from __future__ import annotations

from django.db import models


class KeyRotation(models.Model):
    """One rotation to key `version`. Unfinished (no `finished_at`) while it runs, and
    after a crash until `homeward rotate-keys` is run again, which goes on with it."""

    version = models.PositiveIntegerField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {"<table>.<column>": last primary key done}: where each walk goes on from.
    positions = models.JSONField(default=dict, blank=True)
    values_rewritten = models.PositiveIntegerField(default=0)
    files_rewritten = models.PositiveIntegerField(default=0)
    # Values and files that did not decrypt, each "where: why"; skipped, never a stop.
    damaged = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        state = "finished" if self.finished_at else "unfinished"
        return f"Rotation to key {self.version} ({state})"
