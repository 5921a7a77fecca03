"""Linking two CSV files: names Homeward cannot match, impossible births and an output
path that cannot be written are refused before any matching; each phase is announced."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeward.matching.linkfiles import (
    LinkFileError,
    OutPathError,
    check_out_path,
    link_files,
    read_records,
)

HEADER = "id,names,sex,birth,mother,father,place\n"
UNMATCHABLE = "is written in a script Homeward cannot match yet; write it in Latin, Cyrillic or Arabic letters."  # noqa: E501


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_names_in_a_script_homeward_cannot_match_are_refused_as_the_forms_refuse_them(
    tmp_path: Path,
) -> None:
    bad = write(tmp_path / "left.csv", HEADER + (
        "r1,李明,m,2012,,,\n"
        "r2,Amina|Αμίνα,f,2012,,,\n"
        "r3,Omar,m,2012,Амина,王芳,\n"
        "r4,Ali,m,2012,Fatima,Amинa,\n"
        "r5,Ali 😀,m,2012,,,Махачкала\n"
    ))  # fmt: skip
    with pytest.raises(LinkFileError) as raised:
        read_records(bad)
    assert str(raised.value).splitlines() == [
        f"{bad}, line 2, column names: “李明” {UNMATCHABLE}",
        f"{bad}, line 3, column names: “Αμίνα” {UNMATCHABLE}",
        f"{bad}, line 4, column father: “王芳” {UNMATCHABLE}",
        f"{bad}, line 5, column father: “Amинa”: The name mixes letters of several scripts "
        "(Cyrillic, Latin). The letters и, н are Cyrillic in a Latin name: did you mean “Amina”?",
        f"{bad}, line 6, column names: “Ali 😀” has signs that are not letters (😀); "
        "write the name in letters only.",
    ]


def test_a_birth_more_than_120_years_before_today_is_refused(tmp_path: Path) -> None:
    bad = write(tmp_path / "left.csv", HEADER + "r1,Amina,f,1800,,,\nr2,Ali,m,~6@1850-01-01,,,\n")
    with pytest.raises(LinkFileError) as raised:
        read_records(bad)
    assert str(raised.value).splitlines() == [
        f"{bad}, line 2, column birth: The date of birth 1800 is more than 120 years before today.",
        f"{bad}, line 3, column birth: An age of about 6 years on 1850-01-01 puts the birth "
        "more than 120 years before today.",
    ]


def test_an_output_path_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutPathError) as raised:
        check_out_path(tmp_path)
    assert str(raised.value) == f"{tmp_path} is a directory; give the name of a file to write."
    with pytest.raises(OutPathError) as raised:
        check_out_path(tmp_path / "missing" / "pairs.csv")
    assert (
        str(raised.value) == f"there is no directory {tmp_path / 'missing'} to write pairs.csv in."
    )
    plain = write(tmp_path / "plain.csv", "")
    with pytest.raises(OutPathError) as raised:
        check_out_path(plain / "pairs.csv")
    assert str(raised.value) == f"{plain} is not a directory, so pairs.csv cannot be written in it."
    check_out_path(tmp_path / "pairs.csv")
    check_out_path(plain)  # an existing file is overwritten


def test_the_output_path_is_checked_before_the_files_are_read(tmp_path: Path) -> None:
    unread = tmp_path / "not-there.csv"  # reading it would raise FileNotFoundError
    with pytest.raises(OutPathError):
        link_files(unread, unread, tmp_path, top=1)


def test_each_phase_is_announced_before_it_runs(tmp_path: Path) -> None:
    left = write(tmp_path / "left.csv", HEADER + "r1,Amina Isaeva,f,2012,,,\n")
    right = write(tmp_path / "right.csv", HEADER + "c1,Амина Исаева,f,2012,,,\nc2,Ali,m,,,,\n")
    heard: list[str] = []
    link_files(left, right, tmp_path / "out.csv", top=1, stage=heard.append)
    assert heard == [
        f"Reading {left}...",
        f"Reading {right}...",
        "Training and matching 1 left record against 2 right records...",
    ]
