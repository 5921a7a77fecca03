"""Linking two CSV lists outside any database: the pure part of `homeward link`.

Input columns: id, names (variants separated by "|"), sex (m, f or empty), birth
(2012-05-03, 2012-05, 2012, ~6@2019-03-01 or empty), mother, father, place. Only id is
required in every row. Output: left_id, right_id, rank, score, explanation.

The output path is checked first (`OutPathError`), before any work. Files are read row
by row and checked completely before anything is written. Names follow the forms' rule
(`check_readable`): Latin, Cyrillic or Arabic letters, one script per name.

Real lists mix scripts by accident (a Cyrillic "А" typed for a Latin "A", an "ё" that
transliteration software left in "Fёkla"). By default the readable rows are linked: a
name whose stray letters have an obvious reading in the name's own script is read so
(`repair_mixed_script`), and said so; a row that stays unreadable is left out; both are
listed in `LinkReport` (and by `homeward link` in a report file). With `strict`, a file
with any bad row raises `LinkFileError` listing each one by file, line and column, and no
output is written.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

from homeward.lib.ages import BirthDate, BirthDateError, parse_birth
from homeward.lib.scripts import (
    UnreadableNameError,
    check_readable,
    clean_name,
    repair_mixed_script,
)
from homeward.matching.engine import candidates_by_left
from homeward.matching.records import Candidate, PersonRecord
from homeward.matching.scoring import DEFAULT_SETTINGS, Settings

INPUT_COLUMNS = ("id", "names", "sex", "birth", "mother", "father", "place")
OUTPUT_COLUMNS = ("left_id", "right_id", "rank", "score", "explanation")
NAME_COLUMNS = ("names", "mother", "father")
VARIANT_SEPARATOR = "|"

Progress = Callable[[int, int], None]  # (left records done, left records in all)
Stage = Callable[[str], None]  # what runs now, as a sentence: "Reading left.csv..."


@dataclass(frozen=True)
class RowError:
    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}, column {self.column}: {self.message}"


class Rows(NamedTuple):
    """What was read of one file: its readable rows as records, the names read in their
    own script (one note per name), and the rows left out (one error per problem)."""

    records: list[PersonRecord]
    repaired: list[RowError]
    left_out: list[RowError]


class LinkFileError(ValueError):
    """One or more rows cannot be read; `errors` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


class OutPathError(ValueError):
    """The output file cannot be written; the message says why."""


def check_out_path(path: Path) -> None:
    """Raise OutPathError unless `path` can be created or overwritten as a file."""
    folder = path.parent
    if path.is_dir():
        raise OutPathError(f"{path} is a directory; give the name of a file to write.")
    if not folder.exists():
        raise OutPathError(f"there is no directory {folder} to write {path.name} in.")
    if not folder.is_dir():
        raise OutPathError(f"{folder} is not a directory, so {path.name} cannot be written in it.")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutPathError(f"{path} cannot be written: permission denied.")
    if not path.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise OutPathError(f"no file can be created in {folder}: permission denied.")


@dataclass(frozen=True)
class LinkReport:
    left_rows: int
    right_rows: int
    candidates_written: int
    left_with_candidates: int
    repaired: tuple[RowError, ...] = ()  # names read in their own script
    left_out: tuple[RowError, ...] = ()  # problems of the rows left out

    @property
    def rows_left_out(self) -> int:
        return len({(error.path, error.line) for error in self.left_out})


def link_files(
    left_path: Path | str,
    right_path: Path | str,
    out_path: Path | str,
    *,
    top: int = 5,
    threshold: float = DEFAULT_SETTINGS.threshold,
    progress: Progress | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    stage: Stage | None = None,
    strict: bool = False,
) -> LinkReport:
    """Match every left record against the right list and write ranked candidates.

    0. Check the output can be written; raise OutPathError if not.
    1. Read and check both files: with `strict`, raise LinkFileError with every bad row;
       else keep the readable rows, names that mix scripts read in their own script
       where that is obvious, and report the rest.
    2. Find each left record's best `top` candidates scoring at least `threshold`.
    3. Write them, rank 1 first, reporting progress per left record.

    `stage` hears each phase as it starts; training and matching run while rows are
    written, so `progress` moves with them.
    """
    check_out_path(Path(out_path))
    say = stage or (lambda _: None)
    say(f"Reading {left_path}...")
    left = read_rows(Path(left_path), strict=strict)
    say(f"Reading {right_path}...")
    right = read_rows(Path(right_path), strict=strict)
    say(
        f"Training and matching {_count(left.records, 'left')} against "
        f"{_count(right.records, 'right')}..."
    )
    settings = replace(settings, top_k=top, threshold=threshold)
    ranked = candidates_by_left(left.records, right.records, settings)
    written, matched = write_candidates(Path(out_path), ranked, len(left.records), progress)
    return LinkReport(
        len(left.records), len(right.records), written, matched,
        tuple(left.repaired + right.repaired), tuple(left.left_out + right.left_out),
    )  # fmt: skip


REPORT_COLUMNS = ("file", "line", "column", "outcome", "message")


def write_report(path: Path, report: LinkReport) -> None:
    """The rows `link_files` left out and the names it read in their own script, one line
    per problem or repair, for the partner who sent the file."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(REPORT_COLUMNS)
        for outcome, rows in (("left out", report.left_out), ("repaired", report.repaired)):
            writer.writerows((r.path, r.line, r.column, outcome, r.message) for r in rows)


def _count(records: list[PersonRecord], side: str) -> str:
    return f"{len(records)} {side} record{'' if len(records) == 1 else 's'}"


def read_records(path: Path, today: date | None = None) -> list[PersonRecord]:
    """Every row of one file as a record; raises LinkFileError listing all bad rows."""
    return read_rows(path, today, strict=True).records


def read_rows(path: Path, today: date | None = None, *, strict: bool = False) -> Rows:
    """The rows of one file: with `strict`, all of them or LinkFileError listing every
    bad row; else the readable ones, a name that mixes scripts read in its own script
    when that is obvious (`repair_mixed_script`), and the others reported. A file whose
    header cannot be read raises LinkFileError either way."""
    records: list[PersonRecord] = []
    errors: list[RowError] = []
    repaired: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, row in _rows(path, errors):
        record_id = row["id"].strip()
        used = record_id in first_line
        if used:
            message = f"the id {record_id!r} is already used on line {first_line[record_id]}."
            errors.append(RowError(str(path), line, "id", message))
        first_line.setdefault(record_id, line)
        notes: list[RowError] = []
        record = _record(path, line, row, today or date.today(), errors, notes, strict)
        if record is not None and not used:
            records.append(record)
            repaired += notes
    if errors and (strict or any(error.line == 1 for error in errors)):
        raise LinkFileError(errors)
    return Rows(records, repaired, errors)


def _rows(path: Path, errors: list[RowError]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with the line each starts on; header and column-count errors go to `errors`."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = [column.strip().lower() for column in next(reader, [])]
        if not _header_is_valid(path, header, errors):
            return
        line = reader.line_num + 1
        for cells in reader:
            if len(cells) != len(header):
                found = f"{len(cells)} column{'s' if len(cells) != 1 else ''}"
                errors.append(
                    RowError(str(path), line, "*", f"expected {len(header)}, found {found}.")
                )
            elif any(cell.strip() for cell in cells):
                yield line, dict(zip(header, cells, strict=True))
            line = reader.line_num + 1


def _header_is_valid(path: Path, header: list[str], errors: list[RowError]) -> bool:
    unknown = [column for column in header if column not in INPUT_COLUMNS]
    for column in unknown:
        errors.append(
            RowError(str(path), 1, column, f"unknown column; expected {', '.join(INPUT_COLUMNS)}.")
        )
    if "id" not in header:
        errors.append(RowError(str(path), 1, "id", "the header has no id column."))
    return not unknown and "id" in header


def _record(
    path: Path, line: int, row: dict[str, str], today: date, errors: list[RowError],
    notes: list[RowError], strict: bool,
) -> PersonRecord | None:  # fmt: skip
    found: list[RowError] = []

    def error(column: str, message: str) -> None:
        found.append(RowError(str(path), line, column, message))

    def repair(column: str, message: str) -> None:
        notes.append(RowError(str(path), line, column, message))

    record_id = row["id"].strip()
    if not record_id:
        error("id", "every row needs an id.")
    names = {
        column: _variants(row.get(column, ""), column, error, None if strict else repair)
        for column in NAME_COLUMNS
    }
    if not any(names.values()):
        error("names", "the row has no name and no parents' names.")
    sex = _sex(row.get("sex", ""), error)
    birth = _birth(row.get("birth", ""), today, error)
    errors += found
    if found:
        return None
    return PersonRecord(
        record_id, names["names"], sex, birth, names["mother"], names["father"],
        row.get("place", "").strip(),
    )  # fmt: skip


Note = Callable[[str, str], None]  # (column, message)


def _variants(text: str, column: str, error: Note, repair: Note | None) -> tuple[str, ...]:
    """The spellings of one name cell (`clean_name`d); each unreadable one goes to `error`,
    unless `repair` is given and its stray letters have an obvious reading (then that is
    read, and `repair` hears of it). An invisible or control character is never repaired."""
    variants = [part.strip() for part in text.split(VARIANT_SEPARATOR) if part.strip()]
    for index, variant in enumerate(variants):
        try:
            variants[index] = variant = clean_name(variant)
        except UnreadableNameError as unreadable:
            error(column, str(unreadable))
            continue
        try:
            check_readable(variant)
        except UnreadableNameError as unreadable:
            fixed = repair_mixed_script(variant) if repair else None
            if fixed is None or repair is None:
                error(column, str(unreadable))
                continue
            variants[index] = fixed.text
            repair(column, f"“{variant}” read as “{fixed.text}” ({fixed.describe()}).")
    return tuple(variants)


def _sex(text: str, error: Callable[[str, str], None]) -> str | None:
    sex = text.strip().lower()
    if sex not in ("", "m", "f"):
        error("sex", f"{text!r} is not a sex; write m, f or leave it empty.")
    return sex if sex in ("m", "f") else None


def _birth(text: str, today: date, error: Callable[[str, str], None]) -> BirthDate:
    try:
        birth = parse_birth(text)
        birth.validate(today)
    except BirthDateError as wrong:
        error("birth", wrong.message)
        return parse_birth("")
    return birth


def write_candidates(
    out_path: Path, ranked: Iterable[list[Candidate]], left_count: int, progress: Progress | None
) -> tuple[int, int]:
    """Write ranked rows; returns (rows written, left records with a candidate)."""
    written = matched = 0
    with out_path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(OUTPUT_COLUMNS)
        for done, candidates in enumerate(ranked, start=1):
            writer.writerows(_output_row(c, rank) for rank, c in enumerate(candidates, start=1))
            written += len(candidates)
            matched += bool(candidates)
            if progress is not None:
                progress(done, left_count)
    return written, matched


def _output_row(candidate: Candidate, rank: int) -> tuple[str, str, int, str, str]:
    return (
        candidate.left_id, candidate.right_id, rank,
        f"{candidate.score:.4f}", candidate.explanation.text,
    )  # fmt: skip
