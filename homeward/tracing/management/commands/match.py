"""`homeward match`: work out the candidates of every record queued since the last run.
Run it from cron or a process supervisor; several may run at once (rows are claimed, and
a killed worker's claims are taken up by the next one a lease later)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.tracing.matching import Worker, enqueue, run_matching
from homeward.tracing.models import MatchingWork, SoughtPerson


class Command(BaseCommand):
    help = "Find candidate children for the tracing requests and changed cases queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="records claimed at once")
        parser.add_argument("--all", action="store_true", help="queue every open request first")
        parser.add_argument("--watch", type=float, metavar="SECONDS", help="keep running")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            enqueue(MatchingWork.Kind.SOUGHT, SoughtPerson.objects.values_list("pk", flat=True))
        with Worker() as worker:
            self._work(worker, options)

    def _work(self, worker: Worker, options: dict[str, Any]) -> None:
        while True:
            done = stored = 0
            started = time.perf_counter()
            while True:
                records, candidates = run_matching(options["batch"], parallel=True, worker=worker)
                if not records:
                    break
                done, stored = done + records, stored + candidates
            if done:
                seconds = time.perf_counter() - started
                self.stdout.write(
                    f"Matched {done} records: {stored} candidates in {seconds:.1f} s."
                )
            if not options["watch"]:
                return
            time.sleep(options["watch"])
