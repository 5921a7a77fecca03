"""The published figures the demo must reproduce, each computed from the records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from homeward.statistics.services import StatsQuery, count_children


@dataclass(frozen=True)
class Figure:
    claim: str
    expected: object
    actual: object

    @property
    def holds(self) -> bool:
        return self.expected == self.actual


def report_figures() -> list[Figure]:
    mission_1 = count_children(StatsQuery(repatriated_on=date(2018, 12, 30), by=("region",)))
    regions_1 = {row["region"]: row["count"] for row in mission_1.rows}
    still_in_iraq = count_children(StatsQuery(as_of=date(2019, 1, 5), host="IQ", by=("age-band",)))
    bands = {row["age-band"]: row["count"] for row in still_in_iraq.rows}
    mission_2 = count_children(StatsQuery(repatriated_on=date(2019, 2, 10), by=("region",)))
    return [
        Figure("2018-12-30: children repatriated", 30, mission_1.total),
        Figure("2018-12-30: their ages", (3, 10), (mission_1.youngest, mission_1.oldest)),
        Figure("2018-12-30: from Dagestan (RU-DA)", 24, regions_1.get("RU-DA", 0)),
        Figure("2018-12-30: from Chechnya (RU-CE)", 3, regions_1.get("RU-CE", 0)),
        Figure(
            "2018-12-30: from other regions",
            3,
            mission_1.total - regions_1.get("RU-DA", 0) - regions_1.get("RU-CE", 0),
        ),
        Figure("2019-01-05: in Iraq, aged below 10", 115, bands.get("below 10", 0)),
        Figure("2019-01-05: in Iraq, aged 11 to 17", 8, bands.get("11-17", 0)),
        Figure("2019-02-10: children repatriated", 27, mission_2.total),
        Figure("2019-02-10: their ages", (4, 13), (mission_2.youngest, mission_2.oldest)),
        Figure("2019-02-10: regions they come from", 10, len(mission_2.rows)),
    ]
