"""`homeward link`: two lists in, ranked pairs out, bad rows named by line and column."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,names,sex,birth,mother,father,place\n"


def write(path: Path, rows: str) -> Path:
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_it_links_a_cyrillic_list_to_a_latin_one(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", "L1,Амина Исаева|أمينة عيسى,f,2013,Хадижат Исаева,,\n"
                 "L2,Магомед Алиев,m,~9@2019-03-01,Патимат Алиева,,\n")  # fmt: skip
    right = write(tmp_path / "right.csv", "R1,Magomed Aliev,m,2010,Patimat Alieva,,\n"
                  "R2,Amina Isaeva,f,2013-04,Khadizhat Isaeva,,\n")  # fmt: skip
    out = StringIO()
    call_command("link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"), stdout=out)
    with (tmp_path / "pairs.csv").open(encoding="utf-8") as pairs:
        rows = list(csv.DictReader(pairs))
    best = {(r["left_id"], r["right_id"]) for r in rows if r["rank"] == "1"}
    assert best == {("L1", "R2"), ("L2", "R1")}
    assert all(0 <= float(r["score"]) <= 1 and r["explanation"] for r in rows)
    assert "written to" in out.getvalue()


def test_with_strict_malformed_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", "L1,Amina,x,2013,,,\nL2,Ali,m,3 May,,,\n,Omar,m,,,,\n")
    right = write(tmp_path / "right.csv", "R1,Amina,f,2013,,,\n")
    with pytest.raises(CommandError) as refused:
        call_command(
            "link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"), "--strict"
        )
    message = str(refused.value)
    assert "line 2, column sex" in message
    assert "line 3, column birth" in message
    assert "line 4, column id" in message
    assert not (tmp_path / "pairs.csv").exists()


def test_a_missing_file_and_a_bad_threshold_are_named(tmp_path: Path) -> None:
    right = write(tmp_path / "right.csv", "R1,Amina,f,2013,,,\n")
    with pytest.raises(CommandError, match="LEFT: there is no file"):
        call_command("link", str(tmp_path / "none.csv"), str(right), "--out", "x.csv")
    with pytest.raises(CommandError, match="--threshold"):
        call_command("link", str(right), str(right), "--out", "x.csv", "--threshold", "2")
