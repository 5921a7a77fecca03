"""Rows out of a CSV or XLSX file, as text, numbered as a spreadsheet numbers them.

CSV: UTF-8 (with or without a byte-order mark), comma, semicolon (KoBoToolbox's default)
or tab between fields. XLSX: the first sheet, read by openpyxl in read-only mode, which
streams rows instead of loading the whole workbook.

Every file is bounded before it is parsed (`Limits`): a 22 KB workbook whose shared
strings inflate to 400 MB took a page 4 GB, and a CSV cell over 131,072 characters gave
a 500. An XLSX is first read as the zip it is: the size each part inflates to, how many
times it is compressed, and the sheet's own dimensions, all from the zip directory and
the sheet's first bytes, before openpyxl loads anything. Then, in either format, every
header and cell is held to a length and the rows to a count, as they stream.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

import openpyxl

from homeward.lib.i18n import gettext as _

FORMATS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Limits:
    """How large a field team's file may be; each bound with why it is there.

    - `rows` (200,000): ten times the largest register a field team keeps; the import is
      measured to 100,000 rows (bench/bench_import.py). More: split the file.
    - `columns` (200), `header_chars` (200), `cell_chars` (10,000): a header is a label,
      a cell a name, a date or a short story.
    - `inflated_bytes` (400 MB): what all parts of a workbook may inflate to; 200,000 rows
      of 200 columns need less.
    - `shared_strings_bytes` (64 MB): openpyxl loads the shared-strings part whole, even
      in read-only mode, so it alone bounds the memory a workbook takes before any row.
    - `ratio` (200): how many times a part over 1 MB may be compressed. Sheets of names
      and dates compress 5 to 30 times; a zip bomb, thousands of times.
    """

    rows: int = 200_000
    columns: int = 200
    header_chars: int = 200
    cell_chars: int = 10_000
    inflated_bytes: int = 400 * 2**20
    shared_strings_bytes: int = 64 * 2**20
    ratio: int = 200


LIMITS = Limits()


class UnreadableFileError(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number in the sheet, one text per column)


def file_format(name: str, head: bytes) -> str:
    """ "xlsx" or "csv": by the file's first bytes (an XLSX file is a zip), then its name."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.lower().endswith(".xlsx"):
        raise UnreadableFileError(_("The file is named .xlsx but is not an Excel workbook."))
    if name.lower().endswith((".csv", ".txt")):
        return "csv"
    raise UnreadableFileError(_("Upload a CSV or an XLSX file."))


def read_table(content: IO[bytes], name: str, limits: Limits = LIMITS) -> Table:
    head = content.read(4)
    content.seek(0)
    if file_format(name, head) == "xlsx":
        check_workbook(content, limits)
        return _bounded(_read_xlsx(content), limits)
    return _bounded(_read_csv(content, limits), limits)


def _read_csv(content: IO[bytes], limits: Limits) -> Table:
    try:
        text = io.TextIOWrapper(content, encoding="utf-8-sig", newline="")
        # Read no more than a header row can hold: a file of one 100 MB line is refused
        # without holding it.
        longest = (limits.header_chars + 3) * limits.columns
        first = text.readline(longest + 1)
    except UnicodeDecodeError:
        raise UnreadableFileError(_("The CSV file is not UTF-8 text; save it as UTF-8.")) from None
    if len(first) > longest:
        raise UnreadableFileError(
            _("The first row (the headers) is longer than %(longest)s characters.")
            % {"longest": format(longest, ",")}
        )
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(first), delimiter=delimiter)
    headers = [h.strip() for h in next(reader, [])]
    if not any(headers):
        raise UnreadableFileError(_("The file is empty: the first row must hold the headers."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        body = csv.reader(text, delimiter=delimiter)
        number = 1
        try:
            for number, values in enumerate(body, start=2):
                if any(v.strip() for v in values):
                    yield number, values
        except UnicodeDecodeError:
            raise UnreadableFileError(
                _("The CSV file is not UTF-8 text; save it as UTF-8.")
            ) from None
        except csv.Error as error:
            raise UnreadableFileError(_csv_problem(number + 1, error, limits)) from None

    return Table(headers, rows())


def _csv_problem(number: int, error: csv.Error, limits: Limits) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"Row {number}: a cell is longer than {limits.cell_chars:,} characters (or a "
            "quote is never closed, which makes the rest of the file one cell)."
        )
    return f"Row {number} cannot be read as CSV ({error})."


# The csv module refuses a longer field with csv.Error, which _csv_problem words; one more
# than the cell limit, so that a cell of exactly the limit is read and checked as any other.
csv.field_size_limit(LIMITS.cell_chars + 1)


def check_workbook(content: IO[bytes], limits: Limits = LIMITS) -> None:
    """Refuse a workbook whose parts inflate too far or too many times, or whose first
    sheet says it is larger than the limits, from the zip directory alone."""
    try:
        archive = zipfile.ZipFile(content)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFileError(
            _("The workbook cannot be read (%(error)s).") % {"error": error}
        ) from None
    for part in parts:
        _check_part(part, limits)
    total = sum(part.file_size for part in parts)
    if total > limits.inflated_bytes:
        raise UnreadableFileError(
            _(
                "The workbook inflates to %(mb)s MB; at most %(mb2)s MB is read. "
                "Save it as CSV, or split it."
            )
            % {"mb": _mb(total), "mb2": _mb(limits.inflated_bytes)}
        )
    _check_dimensions(archive, limits)
    content.seek(0)


def _check_part(part: zipfile.ZipInfo, limits: Limits) -> None:
    if part.filename.endswith("sharedStrings.xml") and part.file_size > limits.shared_strings_bytes:
        raise UnreadableFileError(
            _("The workbook's text inflates to %(mb)s MB; at most %(mb2)s MB is read.")
            % {"mb": _mb(part.file_size), "mb2": _mb(limits.shared_strings_bytes)}
        )
    if part.file_size > 2**20 and part.file_size > limits.ratio * max(part.compress_size, 1):
        raise UnreadableFileError(
            _(
                "A part of the workbook (%(filename)s) is compressed %(file_size)s "
                "times, as a zip bomb is; a spreadsheet is compressed a few dozen "
                "times at most."
            )
            % {
                "filename": part.filename,
                "file_size": format(part.file_size // max(part.compress_size, 1), ","),
            }
        )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


def _check_dimensions(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The first sheet's own statement of its size (the rows are counted again as they
    are read: a sheet may say less than it holds)."""
    sheets = sorted(
        n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
    )
    if not sheets:
        return
    with archive.open(sheets[0]) as sheet:
        found = _DIMENSION.search(sheet.read(4096))
    if found is None:
        return
    columns, rows = _column_number(found.group(1).decode()), int(found.group(2))
    if rows > limits.rows + 1 or columns > limits.columns:
        raise UnreadableFileError(
            _(
                "The first sheet has %(rows)s rows and %(columns)s columns; at "
                "most %(rows2)s rows of %(columns2)s columns are read. Split the "
                "file."
            )
            % {
                "rows": format(rows - 1, ","),
                "columns": format(columns, ","),
                "rows2": format(limits.rows, ","),
                "columns2": format(limits.columns, ","),
            }
        )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f}"


def _read_xlsx(content: IO[bytes]) -> Table:
    try:
        workbook = openpyxl.load_workbook(content, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFileError(
            _("The workbook cannot be read (%(error)s).") % {"error": error}
        ) from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    headers = [cell_text(v).strip() for v in next(cells, ())]
    if not any(headers):
        workbook.close()
        raise UnreadableFileError(_("The first sheet is empty: its first row must hold headers."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                texts = [cell_text(v) for v in values]
                if any(t.strip() for t in texts):
                    yield number, texts
        finally:
            workbook.close()

    return Table(headers, rows())


def _bounded(table: Table, limits: Limits) -> Table:
    """The table, its headers and each row as read held to the limits."""
    if len(table.headers) > limits.columns:
        raise UnreadableFileError(
            _("The file has %(len)s columns; at most %(columns)s are read.")
            % {"len": format(len(table.headers), ","), "columns": format(limits.columns, ",")}
        )
    for position, header in enumerate(table.headers, start=1):
        if len(header) > limits.header_chars:
            raise UnreadableFileError(
                _(
                    "Column %(position)s's header is %(len)s characters long; a header "
                    "has at most %(header_chars)s."
                )
                % {
                    "position": position,
                    "len": format(len(header), ","),
                    "header_chars": format(limits.header_chars, ","),
                }
            )

    def rows() -> Iterator[tuple[int, list[str]]]:
        for count, (number, cells) in enumerate(table.rows, start=1):
            if count > limits.rows:
                raise UnreadableFileError(
                    _("The file has more than %(rows)s rows; split it.")
                    % {"rows": format(limits.rows, ",")}
                )
            for position, cell in enumerate(cells, start=1):
                if len(cell) > limits.cell_chars:
                    raise UnreadableFileError(
                        _(
                            "Row %(number)s, column %(position)s: the cell is %(len)s "
                            "characters long; a cell has at most %(cell_chars)s."
                        )
                        % {
                            "number": number,
                            "position": position,
                            "len": format(len(cell), ","),
                            "cell_chars": format(limits.cell_chars, ","),
                        }
                    )
            yield number, cells

    return Table(table.headers, rows())


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: dates as ISO dates, 6.0 as "6"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_estimate(data: bytes, name: str) -> int:
    """About how many rows a file has, without parsing it: the lines of a CSV, the rows a
    workbook's first sheet says it has (or one per 20 compressed bytes of it)."""
    if file_format(name, data[:4]) == "csv":
        return data.count(b"\n")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = sorted(
            n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)
        )
        with archive.open(sheets[0]) as sheet:
            found = _DIMENSION.search(sheet.read(4096))
        if found is not None:
            return int(found.group(2)) - 1
        return archive.getinfo(sheets[0]).compress_size // 20
    except (zipfile.BadZipFile, OSError, IndexError, KeyError):
        return 0
