"""Counting children on past dates, from the status and placement history."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from homeward.cases.models import ChildCase
from homeward.cases.services import transition
from homeward.lib.agebands import parse_bands
from homeward.statistics.services import StatsError, StatsQuery, count_children

pytestmark = pytest.mark.django_db

SNAPSHOT = date(2019, 1, 5)


def rows(result: object, dimension: str) -> dict[str, int]:
    return {row[dimension]: row["count"] for row in result.rows}  # type: ignore[attr-defined]


def test_children_in_a_country_on_a_past_date_come_from_history_not_current_values(
    children: dict[str, ChildCase],
) -> None:
    before_flight = count_children(StatsQuery(as_of=date(2018, 12, 1), host="IQ"))
    after_flight = count_children(StatsQuery(as_of=SNAPSHOT, host="IQ"))
    assert before_flight.total == 2  # home and straddling; late not yet found
    assert after_flight.total == 1  # only the straddling child is still in Iraq


def test_age_bands_count_uncertain_ages_at_their_midpoint_and_say_how_many(
    children: dict[str, ChildCase],
) -> None:
    result = count_children(StatsQuery(as_of=SNAPSHOT, host="IQ", by=("age-band",)))
    # Born in 2008: 10 or 11 on 2019-01-05; counted at the midpoint (1 July 2008): 10.
    assert rows(result, "age-band") == {"below 10": 0, "10": 1, "11-17": 0, "18+": 0}
    assert result.uncertain_ages == 1
    assert "midpoint" in result.age_note and "1 of 1" in result.age_note


def test_bands_are_listed_in_order_with_empty_ones_shown(children: dict[str, ChildCase]) -> None:
    bands = tuple(parse_bands("0-2,3-9,10,11-17,18+"))
    result = count_children(StatsQuery(as_of=SNAPSHOT, by=("age-band",), bands=bands))
    assert [row["age-band"] for row in result.rows] == ["0-2", "3-9", "10", "11-17", "18+"]
    assert rows(result, "age-band")["3-9"] == 2  # the child at home (6) and in Syria (5 or 6)
    assert result.total == 3


def test_children_repatriated_on_a_day_by_region_with_their_ages(
    children: dict[str, ChildCase],
) -> None:
    result = count_children(StatsQuery(repatriated_on=date(2018, 12, 30), by=("region",)))
    assert rows(result, "region") == {"RU-DA": 1}
    assert (result.youngest, result.oldest) == (6, 6)
    assert count_children(StatsQuery(repatriated_on=date(2018, 12, 29))).total == 0


def test_grouping_by_two_dimensions(children: dict[str, ChildCase]) -> None:
    result = count_children(StatsQuery(as_of=SNAPSHOT, by=("status", "host")))
    assert {(r["status"], r["host"]): r["count"] for r in result.rows} == {
        ("repatriated", "RU"): 1,
        ("identified", "IQ"): 1,
        ("identified", "SY"): 1,
    }


def test_ended_cases_are_not_counted_as_open(
    children: dict[str, ChildCase], caseworker: User
) -> None:
    transition(
        children["syria"], "died", by=caseworker, reason="Test", effective_on=date(2018, 10, 1)
    )
    assert count_children(StatsQuery(as_of=SNAPSHOT, host="SY")).total == 0
    assert count_children(StatsQuery(as_of=date(2018, 9, 30), host="SY")).total == 1


def test_a_query_with_a_bad_dimension_or_status_is_refused() -> None:
    with pytest.raises(StatsError, match="Cannot group by colour"):
        StatsQuery(by=("colour",))
    with pytest.raises(StatsError, match="Unknown status"):
        StatsQuery(statuses=("lost",))


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_the_stats_command_prints_a_table_json_and_csv(children: dict[str, ChildCase]) -> None:
    table = stats("--as-of", "2019-01-05", "--host", "iq", "--by", "age-band")
    assert "Children with an open case as of 2019-01-05, in Iraq, by age band" in table
    assert [line.split() for line in table.splitlines()[2:7]] == [
        ["below", "10", "0"],
        ["10", "1"],
        ["11-17", "0"],
        ["18+", "0"],
        ["total", "1"],
    ]
    data = json.loads(stats("--repatriated-on", "2018-12-30", "--by", "region", "--json"))
    assert data["rows"] == [{"region": "RU-DA", "count": 1}]
    assert data["total"] == 1 and data["repatriated_on"] == "2018-12-30"
    csv_text = stats("--as-of", "2019-01-05", "--by", "host", "--csv")
    assert csv_text.splitlines() == ["host,count", "IQ,1", "RU,1", "SY,1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "colour"], "Cannot group by colour"),
        (["--host", "XX"], "--host: 'XX' is not an ISO 3166-1 country code"),
        (["--bands", "9-3"], "--bands: Age band '9-3' ends before it starts."),
        (["--status", "lost"], "Unknown status lost"),
    ],
)
def test_the_stats_command_names_the_bad_option(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        stats(*args)
