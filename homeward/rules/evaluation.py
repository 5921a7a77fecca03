"""When does a child reach a custody rule's age limit, and what does that mean today?

Plain functions of dates, no database: the child's possible dates of birth run from
`born_earliest` to `born_latest` (one day for an exact date, a month, a year, or the span
of an estimate), so the limit birthday is a range too, and the answer says when it is
uncertain instead of pretending to know.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from homeward.lib.ages import years_after


class Outcome(enum.StrEnum):
    DUE = "due"  # the limit falls within the warning period
    PAST = "past"  # the child is past the limit, whatever the true date of birth
    UNCERTAIN = "uncertain"  # the child may or may not be past it: the range straddles it


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    limit_earliest: date | None
    limit_latest: date | None
    message: str


def limit_days(born_earliest: date, born_latest: date, years: int) -> tuple[date, date]:
    """The first and last day on which the child may turn `years`."""
    return years_after(born_earliest, years), years_after(born_latest, years)


def assess(
    born_earliest: date | None,
    born_latest: date | None,
    *,
    years: int,
    today: date,
    warning_days: int,
) -> Finding | None:
    """The alert, if any, that a rule limiting a placement to `years` raises on `today`."""
    if born_earliest is None or born_latest is None:
        return Finding(
            Outcome.UNCERTAIN,
            None,
            None,
            f"Nothing is known of the date of birth: the child may be past the age of {years}. "
            "Record an age estimate.",
        )
    first, last = limit_days(born_earliest, born_latest, years)
    exact = first == last
    horizon = today + timedelta(days=warning_days)
    if last <= today:
        return Finding(
            Outcome.PAST,
            first,
            last,
            f"Past the age limit of {years} since {last}"
            + ("." if exact else f" at the latest (between {first} and {last})."),
        )
    if first <= today:
        return Finding(
            Outcome.UNCERTAIN,
            first,
            last,
            f"Uncertain: the child turns {years} between {first} and {last}, so may already "
            f"be past the limit. The age range straddles it.",
        )
    if first <= horizon:
        in_days = (first - today).days
        when = f"on {first}" if exact else f"between {first} and {last} (uncertain date of birth)"
        return Finding(
            Outcome.DUE if exact or last <= horizon else Outcome.UNCERTAIN,
            first,
            last,
            f"Turns {years} {when}: {in_days} day{'' if in_days == 1 else 's'} from {today}.",
        )
    return None
