"""Rows out as CSV, XLSX or JSON. Spreadsheet cells never start a formula: a text that
begins with = + - @, a tab or a carriage return gets a leading apostrophe (OWASP's advice
on CSV injection), so a name like "=HYPERLINK(...)" stays text in Excel or LibreOffice."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import openpyxl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] = lambda done: None,
) -> bytes:
    """The whole file; `progress` hears how many rows are written, now and then."""
    writer = {"csv": _csv, "xlsx": _xlsx, "json": _json}[fmt]
    return writer(headers, _counted(rows, progress))


def _counted(
    rows: Iterable[Sequence[Any]], progress: Callable[[int], None], every: int = 500
) -> Iterable[Sequence[Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            progress(done)
    progress(done)


def _csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([neutralised(v) for v in row])
    # A byte-order mark, so that Excel opens Cyrillic and Arabic names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Homeward")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralised(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _json(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    # JSON is not opened by spreadsheets: values go out as they are.
    lines = [json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False) for row in rows]
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8")
