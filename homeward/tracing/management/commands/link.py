"""`homeward link LEFT.csv RIGHT.csv --out matches.csv`: the matching engine on two lists
that partners bring, outside any database."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.matching.linkfiles import LinkFileError, OutPathError, link_files
from homeward.matching.scoring import DEFAULT_SETTINGS


def _probability(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError
    return value


class Command(BaseCommand):
    help = "Find, for each person in LEFT.csv, the people in RIGHT.csv who may be the same."
    requires_system_checks: list[str] = []  # works without a database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, help="CSV: id,names,sex,birth,mother,father,place")
        parser.add_argument("right", type=Path, help="CSV with the same columns")
        parser.add_argument("--out", type=Path, required=True, help="where to write the pairs")
        parser.add_argument("--top", type=int, default=5, help="candidates per left record")
        parser.add_argument(
            "--threshold", type=_probability, default=DEFAULT_SETTINGS.threshold,
            help=f"lowest score kept, 0 to 1 (default {DEFAULT_SETTINGS.threshold})",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        for key in ("left", "right"):
            if not options[key].is_file():
                raise CommandError(f"{key.upper()}: there is no file {options[key]}.")
        if options["top"] < 1:
            raise CommandError("--top: give at least 1.")
        started = time.perf_counter()
        try:
            report = link_files(
                options["left"], options["right"], options["out"], top=options["top"],
                threshold=options["threshold"], progress=self._progress, stage=self._stage,
            )  # fmt: skip
        except OutPathError as error:
            raise CommandError(f"--out: {error}") from None
        except LinkFileError as error:
            raise CommandError(f"Some rows cannot be read:\n{error}") from None
        sys.stderr.write("\n")
        self.stdout.write(
            f"{report.candidates_written} candidate pairs for {report.left_with_candidates} of "
            f"{report.left_rows} left records ({report.right_rows} right records) written to "
            f"{options['out']} in {time.perf_counter() - started:.1f} s."
        )

    def _stage(self, what: str) -> None:
        """Each phase on its own line of standard error, so a big file is seen working."""
        sys.stderr.write(f"{what}\n")
        sys.stderr.flush()

    def _progress(self, done: int, total: int) -> None:
        """A progress bar on standard error, redrawn in place."""
        width = 40
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
