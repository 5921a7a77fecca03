"""Charts that read: value axes at round values with gridlines, bars labelled with their
counts, the figures in a table beside each chart, all drawn on the server."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.cases.models import ChildCase
from homeward.conftest import signed_in
from homeward.statistics.charts import bar_chart, line_chart, round_ticks


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (30, [0, 5, 10, 15, 20, 25, 30]),
        (123, [0, 25, 50, 75, 100, 125]),
        (2000, [0, 500, 1000, 1500, 2000]),
        (2001, [0, 500, 1000, 1500, 2000, 2500]),
    ],
)
def test_axes_are_ticked_at_round_values_up_to_the_largest(top: int, ticks: list[int]) -> None:
    assert round_ticks(top) == ticks


def test_a_bar_is_drawn_to_the_axis_scale_and_every_tick_has_its_place() -> None:
    chart = bar_chart("By home region", [("Dagestan", 24), ("Chechnya", 3)], plot_width=300)
    assert [t.value for t in chart.ticks] == [0, 5, 10, 15, 20, 25]
    assert [t.at for t in chart.ticks] == [0, 60, 120, 180, 240, 300]
    assert chart.bars[0].length == 24 * 300 / 25  # against the round top, not the largest


def test_the_line_chart_has_round_levels_with_zero_at_the_bottom() -> None:
    chart = line_chart("Abroad", [(date(2019, 1, 1), 123), (date(2019, 2, 1), 96)], height=100)
    assert [(t.value, t.at) for t in chart.levels] == [
        (0, 100), (25, 80), (50, 60), (75, 40), (100, 20), (125, 0),
    ]  # fmt: skip
    assert chart.top == 125 and chart.points[0].y == pytest.approx(100 - 100 * 123 / 125)


def national(analyst: User) -> User:
    """An analyst whose scope is every case, who sees exact figures: a count of 3 or 1
    would be suppressed for anyone else (statistics.disclosed)."""
    analyst.staff_profile.scope = "all"
    analyst.staff_profile.save()
    return analyst


@pytest.mark.django_db
def test_the_statistics_page_draws_labelled_bars_on_a_grid_beside_their_table(
    make_case: Callable[..., ChildCase], analyst: User
) -> None:
    for region, n in (("RU-DA", 7), ("RU-CE", 3)):
        for _ in range(n):
            make_case(home_region=region)
    html = signed_in(national(analyst)).get(reverse("statistics:page")).content.decode()
    chart = html[html.index("By home region") : html.index("By age band")]
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    ticks = re.findall(r'<text class="tick"[^>]*>(\d+)</text>', svg)
    assert ticks == ["0", "2", "4", "6", "8"]
    assert len(re.findall(r'<line class="grid"', svg)) == len(ticks)
    assert re.findall(r'<text class="count"[^>]*>(\d+)</text>', svg) == ["7", "3"]
    table = chart[chart.index("</svg>") :]
    assert re.search(r"RU-DA Dagestan, Respublika</td><td class=\"num\">7</td>", table)
    assert "chart-with-table" in chart
    # The charts are drawn on the server: the page's only script is the layout's (the menu).
    scripts = re.findall(r"<script[^>]*>", html)
    assert [s for s in scripts if "homeward/layout." not in s] == []


@pytest.mark.django_db
def test_coordinates_are_not_localised_in_a_language_with_a_decimal_comma(
    make_case: Callable[..., ChildCase], analyst: User
) -> None:
    make_case(home_region="RU-DA")
    client = signed_in(national(analyst))
    html = client.get(reverse("statistics:page"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    start = html.index('<svg class="bar-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert re.search(r'="15.0"', svg) and not re.search(r'="-?\d+,\d', svg)
