"""A long file is read by worker processes: the report and the records are the same as
when one process reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from homeward.cases.models import ChildCase
from homeward.imports import checking
from homeward.imports.tests.conftest import AMINA, CHILD_HEADERS, MAGOMED, ZAREMA

pytestmark = pytest.mark.django_db

Run = Callable[..., Any]


def with_value(row: list[str], column: str, value: str) -> list[str]:
    changed = list(row)
    changed[CHILD_HEADERS.index(column)] = value
    return changed


def many_rows() -> list[list[str]]:
    """Clean rows and each kind of problem, including ones found by comparing rows."""
    rows = [with_value(row, "external_id", f"k-{i}-{n}")
            for n in range(4) for i, row in enumerate((AMINA, ZAREMA, MAGOMED))]  # fmt: skip
    rows[3:7] = [
        with_value(AMINA, "external_id", "dup-of-first"),  # the same child as row 2
        with_value(with_value(ZAREMA, "external_id", "k-y"), "birth", "2012-02-30"),
        with_value(with_value(ZAREMA, "external_id", "k-x"), "home_region", "RU-XX"),
        rows[1],  # its id twice
    ]
    return rows


def test_workers_find_the_same_problems_as_one_process(
    run_import: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, alone = run_import(many_rows())
    monkeypatch.setattr(checking, "PARALLEL_FROM", 1)
    monkeypatch.setattr(checking, "CHUNK_ROWS", 2)
    _, parallel = run_import(many_rows())
    assert parallel.problems == alone.problems
    columns = {p.column for p in alone.problems}
    assert columns == {"name_latin", "birth", "external_id", "home_region"}
    assert [(p.number, p.action, p.variants) for p in parallel.plans] == [
        (p.number, p.action, p.variants) for p in alone.plans
    ]


def test_workers_read_the_rows_a_commit_writes(
    run_import: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checking, "PARALLEL_FROM", 1)
    monkeypatch.setattr(checking, "CHUNK_ROWS", 2)
    rows = [with_value(AMINA, "external_id", "k-1"), ZAREMA, MAGOMED]
    batch, check = run_import(rows, commit=True)
    assert check.problems == [] and batch.created_count == ChildCase.objects.count() == 3
    batch, check = run_import(rows, commit=True)
    assert (batch.created_count, batch.unchanged_count) == (0, 3)
    call_command("audit", "verify")  # raises CommandError on a broken chain
