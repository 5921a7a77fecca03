"""An approved release as a file that stands on its own: CSV, XLSX or JSON.

CSV and XLSX are laid out as a statistical office lays out a table: the title and what it
counts above, the table (names, not codes), the notes below. Every text cell is
neutralised as in exports (an analyst's title could start with "="). JSON carries the
same, with each category's code beside its name for machines.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from homeward.exports.writing import neutralised
from homeward.releases.document import ReleaseDocument
from homeward.releases.services import BLANK

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def write(document: ReleaseDocument, fmt: str) -> bytes:
    return {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}[fmt](document)


def _rows(document: ReleaseDocument) -> Iterator[tuple[str, list[Any]]]:
    """The sheet, row by row, each with its role: title, heading, header, cell, note, gap."""
    yield "title", [document.title]
    for heading, text in document.heading():
        yield "heading", [heading, text]
    yield "gap", []
    yield "header", list(document.headers)
    for line in document.lines:
        yield "cell", [*line.names, line.shown]
    yield "gap", []
    yield "title", [_("Notes")]
    for heading, text in document.notes():
        yield "note", [heading, text]


def as_csv(document: ReleaseDocument) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for _role, row in _rows(document):
        writer.writerow([neutralised(value) for value in row])
    # A byte-order mark, so that Excel opens Cyrillic and Arabic names as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(document: ReleaseDocument) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Release")
    workbook.properties.title = document.title
    workbook.properties.creator = document.source
    for role, row in _rows(document):
        sheet.append([neutralised(value) for value in row])
        _style(sheet[sheet.max_row], role)
    sheet.column_dimensions["A"].width = 28
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 22
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _style(cells: Sequence[Any], role: str) -> None:
    for cell in cells:
        if role == "title":
            cell.font = Font(bold=True, size=13)
        elif role in ("header", "heading", "note") and (role == "header" or cell.column == 1):
            cell.font = Font(bold=True)
        if role in ("heading", "note") and cell.column == 2:
            cell.alignment = Alignment(wrap_text=False, vertical="top")


def as_json(document: ReleaseDocument) -> bytes:
    body = {
        "title": document.title,
        "description": document.counted,
        "period": document.period,
        "as_of": document.as_of,
        "source": document.source,
        "approved_by": document.approved_by,
        "approved_at": document.approved_at,
        "disclosure_control": document.rule,
        "legend": document.legend,
        "blank": BLANK,
        "ages": document.ages,
        "seal": document.seal,
        "dimensions": [
            {"code": code, "name": name}
            for code, name in zip(document.dimensions, document.headers, strict=False)
        ],
        "rows": [_json_row(document.dimensions, line) for line in document.lines],
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def _json_row(dimensions: Sequence[str], line: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for dimension, code, name in zip(dimensions, line.codes, line.names, strict=True):
        row[dimension] = code
        row[f"{dimension}_name"] = name
    return row | {"count": line.shown}
