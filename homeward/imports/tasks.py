"""The background task that checks a large import file (run by `homeward db_worker`)."""

from __future__ import annotations

from django_tasks import task

from homeward.imports.services import run_dry_run


@task()
def check_in_background(batch_id: int, user_id: int) -> bool:
    return run_dry_run(batch_id, user_id)
