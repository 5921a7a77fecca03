"""The custody-rule evaluation as a background task (django-tasks), for deployments that
run a task worker instead of a daily `homeward run-rules` from cron."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from homeward.rules.services import run_rules


@task()
def evaluate_custody_rules(day: str | None = None) -> str:
    """`day` as YYYY-MM-DD (task arguments must be JSON); today when omitted."""
    return str(run_rules(date.fromisoformat(day) if day else None))
