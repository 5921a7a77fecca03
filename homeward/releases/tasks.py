"""The background task that protects a large release's table (run by `homeward db_worker`)."""

from __future__ import annotations

from django_tasks import task

from homeward.releases.services import run_preparation


@task()
def protect_release_table(preparation_id: int) -> bool:
    return run_preparation(preparation_id)
