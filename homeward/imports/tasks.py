"""The background tasks that check and write a large import file (run by `homeward
worker`)."""

from __future__ import annotations

from django_tasks import task

from homeward.imports.services import run_commit, run_dry_run


@task()
def check_in_background(batch_id: int, user_id: int) -> bool:
    return run_dry_run(batch_id, user_id)


@task()
def commit_in_background(batch_id: int, user_id: int) -> bool:
    return run_commit(batch_id, user_id)
