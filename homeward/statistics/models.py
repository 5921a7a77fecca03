"""What the statistics count, kept ready: each case's history as stretches of days.

A spell is a stretch of days over which everything the statistics count about a case
stays the same: its status and its placement (country and kind), with the child's home
region, sex, birth range and the mission they flew on copied in. Counting the children
of any past day is then one grouped query over the spells that cover that day, instead of
rebuilding every case's status and place from its history on each request.

Spells are derived data: `statistics.spells` rebuilds a case's spells from its status
transitions and placements whenever one of them (or the case, the child or a manifest
entry) is saved, in the same transaction, and `homeward rebuild_statistics` rebuilds them
all. `statistics/tests/test_spells.py` checks every figure against the history.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from homeward.cases.models import ChildCase
from homeward.cases.status import FINAL, CaseStatus

# What a count reads of a spell, after the columns that find it: the indexes below hold
# them all, so that a count reads an index and never the table.
COUNTED = (
    "status", "country", "facility_kind", "home_region", "sex", "birth_midpoint",
    "birth_latest", "birth_earliest", "mission",
)  # fmt: skip

# A flow: the children whose case reached one of these statuses within a period.
FLOWS: dict[str, tuple[str, ...]] = {
    "repatriated": (CaseStatus.REPATRIATED,),
    "placed": (CaseStatus.PLACED,),
    "closed": tuple(FINAL),
}


class CaseSpell(models.Model):
    """A spell that ended is cut at each 1 January it spans (`year` is its year), so that
    the spells covering a past day are among the ended spells of that day's year and the
    spells still running: a count reads those two short stretches of its indexes,
    whatever the day."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    # The first day it no longer holds; None: it holds still.
    ends_on = models.DateField(null=True)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=30)
    country = models.CharField(max_length=2, blank=True)
    facility_kind = models.CharField(max_length=30, blank=True)
    home_region = models.CharField(max_length=6, blank=True)
    sex = models.CharField(max_length=1)
    birth_earliest = models.DateField(null=True)
    birth_latest = models.DateField(null=True)
    birth_midpoint = models.DateField(null=True)
    # The code of the mission the child flew on (as of now, like the other copies).
    mission = models.CharField(max_length=20, blank=True)
    # On the case's first spell only: the child's stay abroad as `statistics.series`
    # counts it, from the first status to the first return home or end (None: not yet).
    abroad_from = models.DateField(null=True)
    abroad_until = models.DateField(null=True)

    class Meta:
        indexes = [
            # A case's spells in order, with the facts a flow reads of the one at the
            # period's end (`services._spell_at_end`): read without the table.
            models.Index(
                fields=["case", "starts_on", "status", "country", "facility_kind"],
                name="statistics_spell_case_facts",
            ),
            models.Index(
                fields=["year", "ends_on", "starts_on", *COUNTED], name="statistics_spell_ended"
            ),
            # Running spells of open cases only: a count leaves ended cases out.
            models.Index(
                fields=["starts_on", *COUNTED],
                name="statistics_spell_running",
                condition=Q(ends_on=None) & ~Q(status__in=FINAL),
            ),
            # Open cases' spells by the child's middle birth: the youngest and oldest
            # child of a day counted from the cells are the first spells covering it.
            models.Index(
                fields=["birth_midpoint", "starts_on", "ends_on", "status", "country"],
                name="statistics_spell_births",
                condition=~Q(status__in=FINAL),
            ),
            models.Index(
                fields=["abroad_from"],
                name="statistics_spell_abroad_from",
                condition=Q(abroad_from__isnull=False),
            ),
            models.Index(
                fields=["abroad_until"],
                name="statistics_spell_abroad_until",
                condition=Q(abroad_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status} from {self.starts_on} to {self.ends_on or 'now'}"


# What a flow reads of a reach, after the columns that find it.
REACH_COUNTED = (
    "home_region", "sex", "birth_midpoint", "birth_latest", "birth_earliest", "mission", "case",
)  # fmt: skip


class CaseReach(models.Model):
    """A day a case reached a flow's status (`FLOWS`), with the day it last reached it
    before (None: never), and what the spells copy of the case and the child. The cases
    that reached a status in a period, each on its first day in it, are the reaches of
    the period whose previous day is before it: one stretch of one index, with the
    child's region, sex, birth and mission beside each, so that a flow grouped by those
    reads no spell at all (issue 21: three index probes a child, 3.7 to 8.9 s for 89,484
    children at 1M). Derived data, kept by `statistics.spells` with the spells."""

    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="+")
    flow = models.CharField(max_length=12)
    reached_on = models.DateField()
    previous_on = models.DateField(null=True)
    home_region = models.CharField(max_length=6, blank=True)
    sex = models.CharField(max_length=1)
    birth_earliest = models.DateField(null=True)
    birth_latest = models.DateField(null=True)
    birth_midpoint = models.DateField(null=True)
    mission = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["flow", "reached_on", "previous_on", *REACH_COUNTED],
                name="statistics_reach_counted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.flow} on {self.reached_on}"


class DayTotal(models.Model):
    """How many cases' first spells begin on a day (`opened`: the case's first status),
    and how many children's stays abroad begin and end on it (`abroad_from`,
    `abroad_until`, as the first spells carry them). The children abroad on any day are
    then sums over these few thousand rows, not two grouped scans of every case's stay
    (issue 21: 240 ms of the statistics page's database time at 1M, and the first day of
    the period 62 ms more). Derived data, kept by `statistics.spells` with the spells:
    each rebuild adds what it changed; `test_spells.py` checks it equals the sums of the
    spells after every kind of writer."""

    day = models.DateField(unique=True)
    opened = models.IntegerField(default=0)
    abroad_from = models.IntegerField(default=0)
    abroad_until = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.opened} opened, {self.abroad_from} - {self.abroad_until}"


class CellChange(models.Model):
    """How many open cases a cell (status, host, placement, home region, sex and the
    report's bands of the child's middle, latest and earliest birth) gains, less those it
    loses, over a year, a month or a day (`level`, from `period`). Derived data, kept by
    `statistics.spells` with the spells; see `statistics.cells`."""

    level = models.PositiveSmallIntegerField()
    period = models.DateField()
    status = models.CharField(max_length=30)
    country = models.CharField(max_length=2, blank=True)
    facility_kind = models.CharField(max_length=30, blank=True)
    home_region = models.CharField(max_length=6, blank=True)
    sex = models.CharField(max_length=1)
    bands = models.CharField(max_length=40)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level", "period", "status", "country", "facility_kind", "home_region",
                    "sex", "bands",
                ],
                name="statistics_cell_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.level} {self.period} {self.status} {self.country} {self.bands}: {self.n}"
