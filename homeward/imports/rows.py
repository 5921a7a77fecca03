"""One row of an uploaded file, on its way to a record: its values by target field, the
problems found in it (row, column, reason), and what committing it would do."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from homeward.cases.services import CaseError
from homeward.imports.values import FieldProblem

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    row: int  # as the spreadsheet numbers it: the headers are row 1
    column: str  # the column's header ("" when the problem is not in one column)
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass
class RowPlan:
    """What committing one valid row does: create a record, update `object_id`, or nothing."""

    number: int
    external_id: str
    row_hash: str
    action: str
    data: Any = None
    object_id: int | None = None
    # For children's and relatives' rows: the names' search variants, worked out once.
    variants: dict[str, list[str]] = field(default_factory=dict)


class Columns:
    """Where each target field's value comes from: a column (by its index) or a default."""

    def __init__(
        self, headers: Sequence[str], mapping: Mapping[str, str], defaults: Mapping[str, str]
    ) -> None:
        index = {header: i for i, header in enumerate(headers)}
        self.index = {target: index[h] for target, h in mapping.items() if h in index}
        self.headers = {target: h for target, h in mapping.items() if h in index}
        self.defaults = {t: " ".join(str(v).split()) for t, v in defaults.items() if str(v)}

    def values(self, cells: Sequence[str]) -> dict[str, str]:
        """The row's text per target field: whitespace collapsed, a default where empty."""
        values = dict(self.defaults)
        for target, i in self.index.items():
            text = " ".join(cells[i].split()) if i < len(cells) else ""
            if text:
                values[target] = text
        return values

    def label(self, target: str) -> str:
        """How a problem names the column: its header, or the default that stood in."""
        if target in self.headers:
            return self.headers[target]
        if target in self.defaults:
            return f"{target} (default)"
        return target


def row_hash(kind: str, values: Mapping[str, str]) -> str:
    canonical = json.dumps([kind, sorted(values.items())], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class RowCheck:
    """Collects every problem of one row instead of stopping at the first."""

    def __init__(
        self,
        number: int,
        values: dict[str, str],
        columns: Columns,
        alias_of: Callable[[CaseError], str | None],
    ) -> None:
        self.number = number
        self.values = values
        self.columns = columns
        self.alias_of = alias_of  # the target a service's refusal names, if any
        self.problems: list[Problem] = []

    def get(self, target: str) -> str:
        return self.values.get(target, "")

    def problem(self, target: str, reason: str) -> None:
        self.problems.append(Problem(self.number, self.columns.label(target), reason))

    def required(self, target: str, label: str) -> str:
        text = self.get(target)
        if not text:
            self.problem(target, _("Missing required field: %(label)s.") % {"label": label})
        return text

    def attempt(self, default_target: str, read: Callable[[], T]) -> T | None:
        """The value `read` gives, or None with the problem noted against its column."""
        try:
            return read()
        except FieldProblem as error:
            self.problem(error.target, error.reason)
        except CaseError as error:
            target = self.alias_of(error) or default_target
            self.problem(target, error.message)
        return None

    @property
    def ok(self) -> bool:
        return not self.problems
