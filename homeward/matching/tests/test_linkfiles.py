"""Linking two CSV files: a good pair of files, and bad rows reported by line and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from homeward.matching.linkfiles import LinkFileError, link_files, read_records

HEADER = "id,names,sex,birth,mother,father,place\n"
LEFT = HEADER + (
    "r1,Алиева Амина|Amina Alieva,f,2012-05-03,Патимат Алиева,,Махачкала\n"
    "r2,Khamza Omarov,m,2014,,Ali Omarov,\n"
)
RIGHT = HEADER + (
    'c1,"أمينة علييفا",f,~6@2019-03-01,فاطمة علييفا,,\n'
    "c2,حمزة عمروف,m,~4@2019-03-01,,علي عمروف,\n"
    "c3,Rasul Kurbanov,m,2010,,,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_it_links_two_good_files(tmp_path: Path) -> None:
    progress: list[tuple[int, int]] = []
    report = link_files(
        write(tmp_path / "left.csv", LEFT), write(tmp_path / "right.csv", RIGHT),
        tmp_path / "out.csv", top=1, threshold=0.5,
        progress=lambda done, total: progress.append((done, total)),
    )  # fmt: skip
    with (tmp_path / "out.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["left_id"], r["right_id"], r["rank"]) for r in rows] == [
        ("r1", "c1", "1"), ("r2", "c2", "1"),
    ]  # fmt: skip
    assert float(rows[0]["score"]) >= 0.5 and rows[0]["explanation"].startswith("names: ")
    assert (report.left_rows, report.right_rows, report.candidates_written) == (2, 3, 2)
    assert progress == [(1, 2), (2, 2)]


def test_it_reports_each_bad_row_by_line_and_column(tmp_path: Path) -> None:
    bad = HEADER + (
        "r1,Amina,x,2012,,,\n"  # line 2: sex
        ",Amina,f,,,,\n"  # line 3: id
        "r3,Amina,f,2012-13-01,,,\n"  # line 4: birth
        "r4,,f,2012,,,\n"  # line 5: no names at all
        "r5,Amina,f\n"  # line 6: too few columns
        "r6,Amинa,f,2012,,,\n"  # line 7: mixed scripts
        "r1,Fatima,f,2012,,,\n"  # line 8: id already used
    )
    with pytest.raises(LinkFileError) as raised:
        read_records(write(tmp_path / "bad.csv", bad))
    where = [(error.line, error.column) for error in raised.value.errors]
    assert where == [
        (2, "sex"), (3, "id"), (4, "birth"), (5, "names"), (6, "*"), (7, "names"), (8, "id"),
    ]  # fmt: skip
    assert "bad.csv, line 4, column birth: " in str(raised.value)


def test_an_unknown_column_is_reported_on_the_header_line(tmp_path: Path) -> None:
    with pytest.raises(LinkFileError) as raised:
        read_records(write(tmp_path / "bad.csv", "id,nmes\nr1,Amina\n"))
    assert [(e.line, e.column) for e in raised.value.errors] == [(1, "nmes")]


def test_with_strict_nothing_is_written_when_a_file_is_bad(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", HEADER + "r1,Amina,q,,,,\n")
    with pytest.raises(LinkFileError):
        link_files(
            left, write(tmp_path / "right.csv", RIGHT), tmp_path / "out.csv", top=5,
            threshold=0.5, strict=True,
        )  # fmt: skip
    assert not (tmp_path / "out.csv").exists()
