"""`homeward index_names`: store every person's name keys anew (people.NameKey), after an
upgrade that changes how the matching engine reads names. Registration, name changes,
imports and merges keep them right as they go; this is for the keys already stored."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from homeward.people.name_keys import rebuild_all


class Command(BaseCommand):
    help = "Store every person's name keys anew (after an upgrade of the matching engine)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        people = rebuild_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Stored the name keys of {people} people in {seconds:.1f} s.")
