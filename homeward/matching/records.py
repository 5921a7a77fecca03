"""The engine's inputs and outputs: plain dataclasses, with no Django in sight.

The Django side converts its models to `PersonRecord` and stores what comes back as
`Candidate`; the command-line linker reads and writes them as CSV rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeward.lib.ages import BirthDate, BirthPrecision

UNKNOWN_BIRTH = BirthDate(BirthPrecision.UNKNOWN)


@dataclass(frozen=True)
class PersonRecord:
    """One person as a register or a tracing request describes them.

    Every name field is a tuple of variants in any script ("Амина", "Amina", "أمينة"); a
    variant may hold several words in any order.
    """

    id: str
    names: tuple[str, ...] = ()
    sex: str | None = None  # "f", "m" or None when not recorded
    birth: BirthDate = UNKNOWN_BIRTH
    mother: tuple[str, ...] = ()
    father: tuple[str, ...] = ()
    place: str = ""


@dataclass(frozen=True)
class FieldContribution:
    """How one field compared, and what that added to the match weight."""

    field: str
    level: str
    weight: float

    @property
    def outcome(self) -> str:
        """ "agreed", "disagreed" or "missing", for people who do not read weights."""
        if self.level == "missing":
            return "missing"
        return "agreed" if self.weight > 0 else "disagreed"

    def describe(self) -> str:
        weight = "0" if self.level == "missing" else f"{self.weight:+.1f}"
        return f"{self.field}: {self.level} ({weight})"


@dataclass(frozen=True)
class Explanation:
    fields: tuple[FieldContribution, ...]

    @property
    def text(self) -> str:
        """One line: "names: phonetic agree (+6.1); age: ranges overlap (+3.2); ..."."""
        return "; ".join(field.describe() for field in self.fields)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Candidate:
    """A possible match: `score` is the probability (0..1) that both records are one person."""

    left_id: str
    right_id: str
    score: float
    match_weight: float
    explanation: Explanation
