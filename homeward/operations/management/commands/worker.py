"""`homeward worker`: matching, queued tasks and the periodic jobs, in one process to keep
running next to `homeward serve` (several may run). See operations/worker.py."""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.operations.worker import BackgroundWorker


class Command(BaseCommand):
    help = (
        "Do all the background work: matching, large exports and releases, import dry runs, "
        "and the daily and hourly jobs (custody rules, digest, audit anchor)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="records matched at once")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds to wait when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        # What it did, on stderr (the project's console handler): runs and tasks, not polls.
        for name in ("homeward.worker", "django_tasks"):
            logging.getLogger(name).setLevel(logging.INFO)
        worker = BackgroundWorker(batch=options["batch"], interval=options["interval"])
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run()
        self.stdout.write("Stopped.")
