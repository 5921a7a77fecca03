from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from homeward.audit.services import record
from homeward.cases.access import profile_of
from homeward.lib.agebands import PRESETS
from homeward.releases.access import can_prepare_releases
from homeward.statistics.activity import count_tracing
from homeward.statistics.charts import BarChart, LineChart, bar_chart, line_chart
from homeward.statistics.forms import StatsForm
from homeward.statistics.series import children_abroad, default_period, month_starts
from homeward.statistics.services import StatsQuery, StatsResult, count_children, label


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Aggregate counts only: every signed-in role, analysts included, may see them."""
    form = StatsForm(request.GET or {"by": ["age-band"]})
    context: dict[str, Any] = {"form": form, "presets": PRESETS.items()}
    if form.is_valid():
        result = count_children(form.query())
        context |= {
            "result": result,
            "rows": _table_rows(result),
            "charts": _bar_charts(form.query(by=("region", "age-band"))),
            "abroad": _abroad_chart(result.query),
            "tracing": count_tracing(result.query.day) if not result.query.window else None,
            "prepares_releases": _prepares_releases(request),
        }
        record("statistics.viewed", actor=request.user)
    return render(request, "statistics/statistics.html", context)


def _table_rows(result: StatsResult) -> list[dict[str, Any]]:
    biggest = max((row["count"] for row in result.rows), default=0) or 1
    return [
        {
            "cells": [label(d, row[d]) for d in result.query.by],
            "count": row["count"],
            "share": 100 * row["count"] // biggest,
        }
        for row in result.rows
    ]


def _bar_charts(query: StatsQuery) -> list[BarChart]:
    """Children by region and by age band, from one count grouped by both."""
    rows = count_children(query).rows
    regions: Counter[str] = Counter()
    bands: Counter[str] = Counter({b.label: 0 for b in query.bands})
    for row in rows:
        regions[row["region"]] += row["count"]
        bands[row["age-band"]] += row["count"]
    by_region = [(label("region", r), n) for r, n in regions.most_common()]
    by_band = [(label("age-band", b), n) for b, n in bands.items()]
    return [bar_chart("By home region", by_region), bar_chart("By age band", by_band)]


def _abroad_chart(query: StatsQuery) -> LineChart | None:
    first, last = default_period(until=query.day)
    if first >= last:
        return None
    series = children_abroad(month_starts(first, last))
    return line_chart(
        f"Children remaining abroad, {first:%B %Y} to {last}",
        [(p.on, p.count) for p in series],
    )


def _prepares_releases(request: HttpRequest) -> bool:
    return can_prepare_releases(profile_of(request.user))
