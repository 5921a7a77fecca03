"""The background task that writes a large export (run by `homeward db_worker`)."""

from __future__ import annotations

from django_tasks import task

from homeward.exports.running import run_export


@task()
def write_export(export_id: int) -> bool:
    return run_export(export_id)
