"""`homeward link LEFT.csv RIGHT.csv --out matches.csv`: the matching engine on two lists
that partners bring, outside any database.

The readable rows are linked; names whose stray letters of another script have an
obvious reading are read so, and the rows left out and the names read so are listed in a
report file (`--report`, by default next to the output). The exit status is the number
of rows left out (at most 100; 0 when every row was read). `--strict` links nothing
unless every row can be read, as before."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.matching.linkfiles import (
    LinkFileError,
    LinkReport,
    OutPathError,
    check_out_path,
    link_files,
    write_report,
)
from homeward.matching.scoring import DEFAULT_SETTINGS


def _probability(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError
    return value


MAX_EXIT_STATUS = 100  # exit statuses stop at 255; "100" is 100 rows left out or more


def _report_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.report.csv")


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
        parser.add_argument(
            "--report", type=Path,
            help="where to list rows left out and names read in their own script "
            "(default: next to --out, ending .report.csv)",
        )  # fmt: skip
        parser.add_argument(
            "--strict", action="store_true",
            help="link nothing unless every row can be read (the exit status is then 1)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        for key in ("left", "right"):
            if not options[key].is_file():
                raise CommandError(f"{key.upper()}: there is no file {options[key]}.")
        if options["top"] < 1:
            raise CommandError("--top: give at least 1.")
        report_path = options["report"] or _report_path(options["out"])
        for option, path in (("--out", options["out"]), ("--report", report_path)):
            try:
                check_out_path(path)
            except OutPathError as error:
                raise CommandError(f"{option}: {error}") from None
        started = time.perf_counter()
        try:
            report = link_files(
                options["left"], options["right"], options["out"], top=options["top"],
                threshold=options["threshold"], progress=self._progress, stage=self._stage,
                strict=options["strict"],
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
        self._report(report, report_path)

    def _report(self, report: LinkReport, path: Path) -> None:
        """The report file, a line about it, and the exit status: rows left out."""
        if not report.left_out and not report.repaired:
            path.unlink(missing_ok=True)  # an old report would describe other files
            return
        write_report(path, report)
        said = (
            f"{report.rows_left_out} rows left out and {len(report.repaired)} names read in "
            f"their own script, listed in {path}."
        )
        if not report.left_out:
            self.stdout.write(said)
            return
        raise CommandError(said, returncode=min(report.rows_left_out, MAX_EXIT_STATUS))

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
