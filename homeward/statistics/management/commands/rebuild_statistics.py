"""`homeward rebuild_statistics`: every case's spells, reaches and day totals afresh."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from homeward.statistics.spells import rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild the spells the statistics count (each case's history cut into stretches of "
        "days) from the status transitions and placements. The services keep them up to "
        "date; this is for a database changed by other means."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            count = rebuild_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{count} spells rebuilt in {seconds:.1f} s.")
