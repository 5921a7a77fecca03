"""`homeward link` on a partner's list whose names mix scripts by accident: the readable
rows are linked, stray letters with an obvious reading are read in the name's own script
(and said so), and the rows that stay unreadable are reported, by a report file and the
exit status, without refusing the others. `--strict` keeps all or nothing."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,names,sex,birth,mother,father,place\n"
LEFT = (
    "L1,Fёkla ARTЁMOVNA Orlova,f,2013,,,\n"  # an ё transliteration software left behind
    "L2,Аmina Isaeva,f,2012,,,\n"  # a Cyrillic А typed for a Latin A
    "L3,Ali علي,m,2012,,,\n"  # Arabic among Latin letters: no obvious reading
    "L4,Ali 😀,m,2012,,,\n"
    "L5,Omar Umarov,m,2011,,,\n"
)
RIGHT = (
    "R1,Фёкла Артёмовна Орлова,f,2013,,,\n"
    "R2,Амина Исаева,f,2012,,,\n"
    "R3,Омар Умаров,m,2011,,,\n"
    "R4,Xадижат Исаева,f,2010,,,\n"  # a Latin X typed for a Cyrillic Х
)


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(HEADER + LEFT, encoding="utf-8")
    right.write_text(HEADER + RIGHT, encoding="utf-8")
    return left, right


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_readable_rows_are_linked_and_the_others_reported(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    left, right = lists
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as reported:
        call_command("link", str(left), str(right), "--out", str(out))
    assert reported.value.returncode == 2  # two rows left out
    report = tmp_path / "pairs.report.csv"
    assert str(reported.value) == (
        f"2 rows left out and 3 names read in their own script, listed in {report}."
    )
    best = {(r["left_id"], r["right_id"]) for r in read(out) if r["rank"] == "1"}
    assert best == {("L1", "R1"), ("L2", "R2"), ("L5", "R3")}
    rows = [(r["file"], r["line"], r["column"], r["outcome"], r["message"]) for r in read(report)]
    assert rows == [
        (str(left), "4", "names", "left out",
         "“Ali علي”: The name mixes letters of several scripts (Arabic, Latin)."),
        (str(left), "5", "names", "left out",
         "“Ali 😀” has signs that are not letters (😀); write the name in letters only."),
        (str(left), "2", "names", "repaired",
         "“Fёkla ARTЁMOVNA Orlova” read as “Fekla ARTEMOVNA Orlova” (the letters ё, Ё are "
         "Cyrillic in a Latin name)."),
        (str(left), "3", "names", "repaired",
         "“Аmina Isaeva” read as “Amina Isaeva” (the letter А is Cyrillic in a Latin name)."),
        (str(right), "5", "names", "repaired",
         "“Xадижат Исаева” read as “Хадижат Исаева” (the letter X is Latin in a Cyrillic "
         "name)."),
    ]  # fmt: skip


def test_the_exit_status_counts_the_rows_left_out(tmp_path: Path, lists: tuple[Path, Path]) -> None:
    out = tmp_path / "pairs.csv"
    done = subprocess.run(
        [sys.executable, "-m", "homeward", "link", *map(str, lists), "--out", str(out),
         "--report", str(tmp_path / "problems.csv")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "2 rows left out and 3 names read in their own script" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(read(tmp_path / "problems.csv")) == 5
    assert out.exists()


def test_with_strict_nothing_is_linked_and_the_repair_is_offered(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    out = tmp_path / "pairs.csv"
    with pytest.raises(CommandError) as refused:
        call_command("link", *map(str, lists), "--out", str(out), "--strict")
    assert refused.value.returncode == 1
    assert (
        "line 3, column names: “Аmina Isaeva”: The name mixes letters of several scripts "
        "(Cyrillic, Latin). The letter А is Cyrillic in a Latin name: did you mean “Amina "
        "Isaeva”?"
    ) in str(refused.value)
    assert not out.exists()


def test_a_clean_pair_of_files_leaves_no_report(tmp_path: Path) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(HEADER + "L1,Omar Umarov,m,2011,,,\n", encoding="utf-8")
    right.write_text(HEADER + "R1,Омар Умаров,m,2011,,,\n", encoding="utf-8")
    call_command("link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"))
    assert not (tmp_path / "pairs.report.csv").exists()
