"""Flows between two dates, the uncertain-band row, children abroad over time, tracing work,
the charts on the statistics page and the same options on `homeward stats`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.cases.services import NameInput, transition
from homeward.conftest import signed_in
from homeward.lib.agebands import parse_bands
from homeward.lib.ages import BirthDate, BirthPrecision
from homeward.statistics.activity import count_missions, count_tracing
from homeward.statistics.series import children_abroad, month_starts
from homeward.statistics.services import StatsError, StatsQuery, count_children
from homeward.statistics.tests.history import count_from_history
from homeward.tracing import services as tracing_services
from homeward.tracing.services import RequestInput, SoughtInput

pytestmark = pytest.mark.django_db


def counts(result: object, dimension: str) -> dict[str, int]:
    return {row[dimension]: row["count"] for row in result.rows}  # type: ignore[attr-defined]


@pytest.fixture
def placed(children: dict[str, ChildCase], caseworker: User) -> dict[str, ChildCase]:
    home = children["home"]
    transition(home, "examined", by=caseworker, effective_on=date(2018, 12, 31))
    transition(home, "placed", by=caseworker, effective_on=date(2019, 1, 20))
    transition(
        children["syria"], "died", by=caseworker, reason="Test", effective_on=date(2018, 10, 1)
    )
    return children


def flow(kind: str, start: date, end: date, *by: str) -> StatsQuery:
    return StatsQuery(flow=kind, flow_from=start, flow_to=end, by=by)


def test_flows_count_each_child_once_in_the_period_as_on_its_own_day(
    placed: dict[str, ChildCase],
) -> None:
    december = flow("repatriated", date(2018, 12, 1), date(2018, 12, 31), "region")
    result = count_children(december)
    assert counts(result, "region") == {"RU-DA": 1}
    assert (result.youngest, result.oldest) == (6, 6)
    assert "Children repatriated from 2018-12-01 to 2018-12-31" in result.description
    assert count_children(flow("placed", date(2019, 1, 1), date(2019, 1, 31))).total == 1
    assert count_children(flow("placed", date(2018, 12, 1), date(2018, 12, 31))).total == 0
    closed = count_children(flow("closed", date(2018, 1, 1), date(2019, 12, 31), "status"))
    assert counts(closed, "status") == {"died": 1}


def test_a_flow_ages_each_child_on_its_own_day_as_python_does(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    """The database reckons ages as `completed_years` does: born on 29 February, 8 on 28
    February 2021 and 9 the next day; born on 1 March, still 8 on 29 February; 9 on the
    birthday itself."""
    for born, died in [
        (date(2012, 2, 29), date(2021, 2, 28)),  # 8
        (date(2012, 2, 29), date(2021, 3, 1)),  # 9
        (date(2011, 3, 1), date(2020, 2, 29)),  # 8
        (date(2012, 6, 1), date(2021, 6, 1)),  # 9
    ]:
        case = make_case(
            names=[NameInput("Leap Child", "consular")],
            birth=BirthDate(BirthPrecision.DAY, born),
            identified_on=date(2020, 1, 1),
        )
        transition(case, "died", by=caseworker, reason="Test", effective_on=died)
    query = StatsQuery(
        flow="closed", flow_from=date(2020, 1, 1), flow_to=date(2021, 12, 31),
        by=("age-band",), bands=tuple(parse_bands("0-8,9-17")),
    )  # fmt: skip
    result = count_children(query)
    assert counts(result, "age-band") == {"0-8": 2, "9-17": 2}
    assert (result.youngest, result.oldest) == (8, 9)
    assert result.rows == count_from_history(query).rows


def test_a_flow_is_one_grouped_query_reading_the_reached_cases_spells_by_index(
    placed: dict[str, ChildCase],
) -> None:
    """Counted in the database, not a row a child (issue 21: 13.8 s at 1M on PostgreSQL);
    the plan is SQLite's, which has no statistics to plan by and so plans alike at any
    size (PostgreSQL's plan of a test database depends on earlier tests' rows)."""
    with CaptureQueriesContext(connection) as queries:
        count_children(flow("repatriated", date(2018, 1, 1), date(2018, 12, 31), "host"))
    counting = [q["sql"] for q in queries.captured_queries if "statistics_casereach" in q["sql"]]
    assert len(counting) == 1 and "GROUP BY" in counting[0]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {counting[0]}")  # nosec B608: the ORM's SQL
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        # Each reached case's last spell by the (case, starts_on, ...) index, then that spell.
        assert "INDEX statistics_spell_case_facts (case_id=? AND starts_on<?)" in plan
        assert "SEARCH statistics_casespell USING INTEGER PRIMARY KEY" in plan
        assert "SCAN statistics_casespell" not in plan and "SCAN U0" not in plan


def test_a_flow_needs_a_known_kind_and_a_period_in_order() -> None:
    with pytest.raises(StatsError, match="needs both dates"):
        StatsQuery(flow="placed", flow_from=date(2019, 1, 1))
    with pytest.raises(StatsError, match="ends before it starts"):
        StatsQuery(flow="placed", flow_from=date(2019, 2, 1), flow_to=date(2019, 1, 1))
    with pytest.raises(StatsError, match="Unknown flow 'lost'"):
        StatsQuery(flow="lost", flow_from=date(2019, 1, 1), flow_to=date(2019, 1, 2))


def test_uncertain_ages_can_be_counted_in_their_own_row(children: dict[str, ChildCase]) -> None:
    query = StatsQuery(as_of=date(2019, 1, 5), host="IQ", by=("age-band",), age_counting="separate")
    result = count_children(query)
    # Born in 2008: 10 or 11 that day, so neither band: the "uncertain" row, said so.
    assert counts(result, "age-band") == {
        "below 10": 0, "10": 0, "11-17": 0, "18+": 0, "uncertain": 1,
    }  # fmt: skip
    assert [row["age-band"] for row in result.rows][-1] == "uncertain"
    assert "separate row" in result.age_note and "(1 of 1)" in result.age_note


def test_children_abroad_over_time_agree_with_the_counts_on_each_day(
    placed: dict[str, ChildCase],
) -> None:
    days = [date(2018, 9, 1), date(2018, 12, 1), date(2019, 1, 5), date(2019, 2, 5)]
    series = children_abroad(days)
    # Sept: home, straddling, syria; Dec: syria died in Oct; Jan: home flew back; Feb: late.
    assert [p.count for p in series] == [3, 2, 1, 2]
    for point in series:
        hosts = counts(count_children(StatsQuery(as_of=point.on, by=("host",))), "host")
        assert point.count == sum(n for host, n in hosts.items() if host != "RU")


def test_children_abroad_read_the_day_totals_once(placed: dict[str, ChildCase]) -> None:
    """One read of the day totals beside the check for an import committing (issue 21:
    two reads of every day's totals, a fifth of the statistics page's CPU at 100k)."""
    days = [date(2018, 9, 1), date(2019, 2, 5)]
    with CaptureQueriesContext(connection) as queries:
        series = children_abroad(days)
    assert [p.count for p in series] == [3, 2]
    assert len([q for q in queries.captured_queries if "statistics_daytotal" in q["sql"]]) == 1


def test_month_starts_run_from_the_first_month_to_the_last_day() -> None:
    assert month_starts(date(2018, 11, 15), date(2019, 1, 10)) == [
        date(2018, 11, 1), date(2018, 12, 1), date(2019, 1, 1), date(2019, 1, 10),
    ]  # fmt: skip


def test_tracing_requests_and_matches_are_counted_up_to_a_day(
    children: dict[str, ChildCase], caseworker: User, agency: object
) -> None:
    data = RequestInput(
        enquirer_names=[NameInput("Бабушка Тест", "family")],
        enquirer_relationship="grandmother",
        filed_on=date(2019, 1, 1),
        sought=[SoughtInput("child", names=[NameInput("Home Child", "family")])],
    )
    tracing_services.file_request(data, agency=agency, by=caseworker)  # type: ignore[arg-type]
    before = {r["measure"]: r["count"] for r in count_tracing(date(2018, 12, 31))}
    after = {r["measure"]: r["count"] for r in count_tracing(date(2019, 1, 5))}
    assert before["tracing requests filed"] == 0
    assert after["tracing requests filed"] == 1 and after["people sought"] == 1
    assert count_missions(date(2018, 1, 1), date(2019, 12, 31)) == []


def test_the_statistics_page_draws_bar_charts_and_the_time_series(
    placed: dict[str, ChildCase], analyst: User
) -> None:
    analyst.staff_profile.scope = "all"  # a national analyst: exact figures
    analyst.staff_profile.save()
    page = signed_in(analyst).get(reverse("statistics:page"), {"as_of": "2019-01-05"})
    html = page.content.decode()
    assert "By home region" in html and "By age band" in html
    assert "<polyline" in html and "Children remaining abroad" in html
    assert "Family tracing as of 2019-01-05" in html
    assert "Prepare a public release" in html  # analysts prepare releases
    # The charts are drawn on the server: the page's only script is the layout's (the menu).
    scripts = re.findall(r"<script[^>]*>", html)
    assert [s for s in scripts if "homeward/layout." not in s] == []


def test_the_statistics_page_counts_the_spells_of_its_day_once(
    placed: dict[str, ChildCase], supervisor: User
) -> None:
    """The table and the bar charts come from one grouped count (issue 21: each count
    read the ~520k running spells at 1M): one sum over the cells kept per day, and the
    youngest and oldest child of the day, a spell each; no count of the day's spells."""
    client = signed_in(supervisor)
    url = reverse("statistics:page")
    for params in ({"as_of": "2019-01-05", "by": ["host", "status"]}, {}):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, params)
        assert page.status_code == 200
        sent = [q["sql"] for q in captured.captured_queries]
        assert len([sql for sql in sent if "statistics_cellchange" in sql]) == 1, sent
        spells = [sql for sql in sent if "statistics_casespell" in sql]
        assert len(spells) == 2 and all("LIMIT 1" in sql for sql in spells), spells


def test_the_statistics_page_names_the_missing_flow_date(analyst: User) -> None:
    page = signed_in(analyst).get(
        reverse("statistics:page"), {"flow": "placed", "flow_from": "2019-01-01"}
    )
    assert page.context["form"].errors == {"flow_to": ["The flow needs this date."]}


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_the_stats_command_counts_flows_uncertain_rows_and_children_abroad(
    placed: dict[str, ChildCase],
) -> None:
    period = ["--from", "2019-01-01", "--to", "2019-01-31"]
    data = json.loads(stats("--flow", "placed", *period, "--by", "region", "--json"))
    assert data["rows"] == [{"region": "RU-DA", "count": 1}]
    assert data["flow"] == {"kind": "placed", "from": "2019-01-01", "to": "2019-01-31"}
    table = stats("--as-of", "2019-01-05", "--host", "IQ", "--by", "age-band", "--uncertain-band")
    assert re.search(r"uncertain \(age range straddles a band\) +1", table)
    abroad = stats("--count", "abroad", "--from", "2018-12-01", "--to", "2019-02-05", "--csv")
    assert abroad.splitlines() == [
        "on,count", "2018-12-01,2", "2019-01-01,1", "2019-02-01,2", "2019-02-05,2",
    ]  # fmt: skip
    tracing = json.loads(stats("--count", "tracing", "--as-of", "2019-01-05", "--json"))
    assert tracing["rows"][0] == {"measure": "tracing requests filed", "count": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--flow", "placed", "--from", "2019-01-01"], "needs both dates"),
        (["--count", "missions"], "--count missions needs --from and --to"),
        (["--from", "2019-01-01"], "needs a flow"),
    ],
)
def test_the_stats_command_names_what_is_missing(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        stats(*args)
