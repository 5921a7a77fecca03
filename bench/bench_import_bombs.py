"""Hostile import files (issue 14, item 2): each read as an upload is, in a fresh process,
with the peak resident memory and the time it took to be refused.

    .venv/bin/python bench/bench_import_bombs.py            # all attacks, a table
    .venv/bin/python bench/bench_import_bombs.py --one zip-bomb   # one, as JSON (the test's way)

The attacks: a 400 MB zip bomb (an XLSX whose shared strings inflate to 400 MB from a few
hundred KB, used as its header), a CSV cell of 1,000,000 characters, a CSV header of
20,000,000 characters, an XLSX header of 1,000,000 characters, and a workbook that says it
has 300,000 rows. Each runs `read_table` and reads every row, as the dry run does, and
must end in UnreadableFileError. A process that only imports the reader is the baseline.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MB = 2**20


def zip_bomb(inflated: int = 400 * MB) -> bytes:
    """A workbook whose one shared string, its first header, is `inflated` bytes of "A"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", SHEET)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<sst xmlns="%s" count="1" uniqueCount="1"><si><t>' % NS)
            chunk = b"A" * MB
            for _ in range(inflated // MB):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    return out.getvalue()


def xlsx_header(length: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["x" * length, "name"])
    book.active.append(["1", "Amina"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tall_workbook(rows: int = 300_000) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["external_id", "name"])
    book.active.cell(row=rows + 1, column=1, value="last")  # the dimension says A1:B300001
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main"><dimension ref="A1:A2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
    '</row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    "</worksheet>"
)

ATTACKS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "zip-bomb": ("bomb.xlsx", zip_bomb),
    "csv-huge-cell": ("cell.csv", lambda: b"external_id,name\n1," + b"A" * 1_000_000 + b"\n"),
    "csv-huge-header": ("header.csv", lambda: b"A" * 20_000_000 + b",name\n1,Amina\n"),
    "xlsx-huge-header": ("header.xlsx", lambda: xlsx_header(1_000_000)),
    "xlsx-300k-rows": ("tall.xlsx", tall_workbook),
    "baseline": ("", lambda: b""),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_one(name: str) -> dict[str, object]:
    """In this process: build the file, then read it as an upload and a dry run do."""
    from homeward.imports.reading import UnreadableFileError, read_table

    filename, make = ATTACKS[name]
    data = make()
    before = peak_mb()
    started = time.perf_counter()
    outcome = "read"
    if filename:
        try:
            table = read_table(io.BytesIO(data), filename)
            for _ in table.rows:
                pass
        except UnreadableFileError as error:
            outcome = f"refused: {error}"
    return {
        "attack": name, "file_kb": round(len(data) / 1024), "seconds": round(
            time.perf_counter() - started, 2), "peak_mb_building": round(before),
        "peak_mb": round(peak_mb()), "outcome": outcome,
    }  # fmt: skip


def measure(name: str) -> dict[str, object]:
    """`run_one` in a fresh process, so that each peak is that attack's own."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", name], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", choices=ATTACKS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    print(f"{'attack':<18} {'file KB':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    for name in ATTACKS:
        r = measure(name)
        print(f"{r['attack']:<18} {r['file_kb']:>8} {r['seconds']:>8} {r['peak_mb']:>8}  "
              f"{str(r['outcome'])[:90]}")  # fmt: skip


if __name__ == "__main__":
    main()
