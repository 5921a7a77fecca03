"""`homeward digest`: the daily e-mail of overdue follow-up visits and open custody alerts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from homeward.care.digest import digests, send_digests
from homeward.lib.cli import iso_date


class Command(BaseCommand):
    help = "Send each member of case staff what is overdue in their cases (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=iso_date, help="as of this day (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["today"] or timezone.localdate()
        if options["dry_run"]:
            for digest in digests(day):
                if not digest.is_empty:
                    self.stdout.write(digest.summary())
                    self.stdout.write(digest.body(day))
            return
        sent = send_digests(day)
        for digest in sent:
            self.stdout.write(digest.summary())
        self.stdout.write(f"{len(sent)} digests for {day}.")
