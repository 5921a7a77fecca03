"""`homeward run-rules`: the daily evaluation of the custody rules against every open case."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.lib.cli import iso_date
from homeward.rules.services import run_rules


class Command(BaseCommand):
    help = (
        "Evaluate every open case against the host countries' custody rules and raise, "
        "update or resolve alerts. Run it daily (cron, or the background task)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=iso_date, help="evaluate as of this day (default: today)"
        )
        parser.add_argument(
            "--warning-days",
            type=int,
            help="warn this many days before the limit (default: each rule's own setting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        warning = options["warning_days"]
        if warning is not None and not 0 <= warning <= 3650:
            raise CommandError("--warning-days must be between 0 and 3650.")
        summary = run_rules(options["today"], warning_days=warning)
        self.stdout.write(str(summary))
