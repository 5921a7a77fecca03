"""`homeward link`: unmatchable names, impossible births and an unwritable --out are
refused with a message, before any matching; the phases show on standard error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,names,sex,birth,mother,father,place\n"


def write(path: Path, rows: str) -> Path:
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write(tmp_path / "left.csv", "L1,Amina Isaeva,f,2013,,,\n"),
        write(tmp_path / "right.csv", "R1,Амина Исаева,f,2013,,,\n"),
    )


def test_a_name_in_a_script_homeward_cannot_match_is_refused(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", "L1,Amina,f,2013,,,\nL2,李明,m,2013,Αμίνα,,\n")
    right = write(tmp_path / "right.csv", "R1,Amina,f,2013,,,\n")
    with pytest.raises(CommandError) as refused:
        call_command(
            "link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"), "--strict"
        )
    assert str(refused.value) == (
        "Some rows cannot be read:\n"
        f"{left}, line 3, column names: “李明” is written in a script Homeward cannot match "
        "yet; write it in Latin, Cyrillic or Arabic letters.\n"
        f"{left}, line 3, column mother: “Αμίνα” is written in a script Homeward cannot match "
        "yet; write it in Latin, Cyrillic or Arabic letters."
    )
    assert not (tmp_path / "pairs.csv").exists()


def test_a_birth_more_than_120_years_ago_is_refused(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", "L1,Amina,f,1800,,,\n")
    right = write(tmp_path / "right.csv", "R1,Amina,f,~6@1850-01-01,,,\n")
    with pytest.raises(CommandError) as refused:
        call_command(
            "link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"), "--strict"
        )
    assert str(refused.value) == (
        "Some rows cannot be read:\n"
        f"{left}, line 2, column birth: The date of birth 1800 is more than 120 years before "
        "today."
    )
    with pytest.raises(CommandError) as refused:
        call_command(
            "link", str(right), str(left), "--out", str(tmp_path / "pairs.csv"), "--strict"
        )
    assert str(refused.value) == (
        "Some rows cannot be read:\n"
        f"{right}, line 2, column birth: An age of about 6 years on 1850-01-01 puts the birth "
        "more than 120 years before today."
    )


def test_an_out_path_in_a_missing_directory_is_refused_before_any_work(
    tmp_path: Path, lists: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "pairs.csv"
    with pytest.raises(CommandError) as refused:
        call_command("link", *map(str, lists), "--out", str(out))
    assert str(refused.value) == f"--out: there is no directory {out.parent} to write pairs.csv in."
    assert capsys.readouterr().err == ""  # not even reading began


def test_a_directory_given_as_out_is_refused_without_a_traceback(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "homeward", "link", *map(str, lists), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stderr == (
        f"CommandError: --out: {tmp_path} is a directory; give the name of a file to write.\n"
    )


def test_each_phase_shows_on_standard_error(
    tmp_path: Path, lists: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    left, right = lists
    call_command("link", str(left), str(right), "--out", str(tmp_path / "pairs.csv"))
    err = capsys.readouterr().err
    assert err.startswith(
        f"Reading {left}...\nReading {right}...\n"
        "Training and matching 1 left record against 1 right record...\n"
    )
    assert "1/1" in err
