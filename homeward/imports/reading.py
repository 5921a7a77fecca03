"""Rows out of a CSV or XLSX file, as text, numbered as a spreadsheet numbers them.

CSV: UTF-8 (with or without a byte-order mark), comma, semicolon (KoBoToolbox's default)
or tab between fields. XLSX: the first sheet, read by openpyxl in read-only mode, which
streams rows instead of loading the whole workbook.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Any

import openpyxl

FORMATS = (".csv", ".xlsx")


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
        raise UnreadableFileError("The file is named .xlsx but is not an Excel workbook.")
    if name.lower().endswith((".csv", ".txt")):
        return "csv"
    raise UnreadableFileError("Upload a CSV or an XLSX file.")


def read_table(content: IO[bytes], name: str) -> Table:
    head = content.read(4)
    content.seek(0)
    if file_format(name, head) == "xlsx":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: IO[bytes]) -> Table:
    try:
        text = io.TextIOWrapper(content, encoding="utf-8-sig", newline="")
        first = text.readline()
    except UnicodeDecodeError:
        raise UnreadableFileError("The CSV file is not UTF-8 text; save it as UTF-8.") from None
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(first), delimiter=delimiter)
    headers = [h.strip() for h in next(reader, [])]
    if not any(headers):
        raise UnreadableFileError("The file is empty: the first row must hold the headers.")

    def rows() -> Iterator[tuple[int, list[str]]]:
        body = csv.reader(text, delimiter=delimiter)
        try:
            for number, values in enumerate(body, start=2):
                if any(v.strip() for v in values):
                    yield number, values
        except UnicodeDecodeError:
            raise UnreadableFileError("The CSV file is not UTF-8 text; save it as UTF-8.") from None

    return Table(headers, rows())


def _read_xlsx(content: IO[bytes]) -> Table:
    try:
        workbook = openpyxl.load_workbook(content, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFileError(f"The workbook cannot be read ({error}).") from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    headers = [cell_text(v).strip() for v in next(cells, ())]
    if not any(headers):
        workbook.close()
        raise UnreadableFileError("The first sheet is empty: its first row must hold headers.")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                texts = [cell_text(v) for v in values]
                if any(t.strip() for t in texts):
                    yield number, texts
        finally:
            workbook.close()

    return Table(headers, rows())


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
