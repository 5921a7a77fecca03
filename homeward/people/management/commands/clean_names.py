"""`homeward clean_names`: clean the names kept before every way in cleaned them
(people.cleaning). The migration people.0004 runs it once; it can be run again at any
time (a clean name is left as it is)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from homeward.people.cleaning import clean_stored_names


class Command(BaseCommand):
    help = (
        "Clean stored names as the forms clean new ones (invisible characters, NFC), "
        "with an audit entry for each."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        done = clean_stored_names()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Cleaned {done.names} spellings and the parents' names of {done.parents} sought "
            f"persons; removed {done.duplicates} spellings the person already had clean "
            f"({seconds:.1f} s)."
        )
        if done.left:
            ids = ", ".join(str(pk) for pk in done.left)
            self.stdout.write(f"Left as they are, nothing readable in them: spellings {ids}.")
