from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.audit.services import record
from homeward.cases.access import profile_of
from homeward.disclosure import DEFAULT_RULES, TOTAL
from homeward.lib.agebands import PRESETS
from homeward.lib.i18n import format_day, format_month
from homeward.releases.access import can_prepare_releases
from homeward.statistics.activity import count_tracing
from homeward.statistics.charts import BarChart, LineChart, bar_chart, line_chart
from homeward.statistics.disclosed import (
    MAX_DIMENSIONS,
    ProtectedCounts,
    needs_protection,
    protected,
    shown_small,
)
from homeward.statistics.forms import StatsForm
from homeward.statistics.series import children_abroad, default_period, month_starts
from homeward.statistics.services import (
    DIMENSION_NAMES,
    StatsQuery,
    StatsResult,
    count_children_by,
    label,
)


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Aggregate counts only: every signed-in role, analysts included, may see them."""
    form = StatsForm(request.GET or {"by": ["age-band"]})
    guarded = needs_protection(request.user)
    context: dict[str, Any] = {
        "form": form, "presets": PRESETS.items(), "protected": guarded, "rules": DEFAULT_RULES,
    }  # fmt: skip
    if form.is_valid() and guarded and len(form.cleaned_data["by"]) > MAX_DIMENSIONS:
        form.add_error("by", _too_fine())
    if form.is_valid():
        # The table and the charts from one count of the spells.
        result, by_region_and_band = count_children_by(form.query(), form.query().by, CHARTED)
        shown = protected(result) if guarded else None
        context |= {
            "result": result,
            "rows": _table_rows(result, shown),
            "headings": [DIMENSION_NAMES[d] for d in result.query.by],
            "total": shown.total if shown else result.total,
            "charts": _bar_charts(by_region_and_band, guarded),
            "abroad": _abroad_chart(result.query, guarded),
            "tracing": _tracing(result.query, guarded),
            "prepares_releases": _prepares_releases(request),
        }
        record("statistics.viewed", actor=request.user)
    return render(request, "statistics/statistics.html", context)


def _too_fine() -> str:
    return _(
        "Your figures take in cases outside your scope and are protected as a public "
        "release is: group by at most %(count)s dimensions."
    ) % {"count": MAX_DIMENSIONS}


def _table_rows(result: StatsResult, shown: ProtectedCounts | None) -> list[dict[str, Any]]:
    by = result.query.by
    counts = [
        row["count"] if shown is None else shown.shown.get(tuple(row[d] for d in by))
        for row in result.rows
    ]
    biggest = max((n for n in counts if n is not None), default=0) or 1
    return [
        {
            "cells": [label(d, row[d]) for d in by],
            "count": count,
            "share": 100 * count // biggest if count is not None else 0,
        }
        for row, count in zip(result.rows, counts, strict=True)
    ]


# The charts' dimensions: their bars are the margins of one table grouped by both.
CHARTED = ("region", "age-band")


def _bar_charts(result: StatsResult, guarded: bool) -> list[BarChart]:
    """Children by region and by age band, from one count grouped by both (protected as
    one table, whose margins these are, when the figures need it)."""
    query = result.query
    regions: Counter[str] = Counter()
    bands: Counter[str] = Counter({b.label: 0 for b in query.bands})
    for row in result.rows:
        regions[row["region"]] += row["count"]
        bands[row["age-band"]] += row["count"]
    by_region = [(r, n) for r, n in regions.most_common()]
    by_band = list(bands.items())
    if guarded:
        shown = protected(result).shown
        # A blank bar is left out: its length would give the count away.
        by_region = [(r, n) for r, n in by_region if shown.get((r, TOTAL)) is not None]
        by_band = [(b, n) for b, n in by_band if shown.get((TOTAL, b)) is not None]
    return [
        bar_chart(_("By home region"), [(label("region", r), n) for r, n in by_region]),
        bar_chart(_("By age band"), [(label("age-band", b), n) for b, n in by_band]),
    ]


def _abroad_chart(query: StatsQuery, guarded: bool) -> LineChart | None:
    first, last = default_period(until=query.day)
    if first >= last:
        return None
    series = children_abroad(month_starts(first, last))
    if guarded and any(shown_small(p.count) is None for p in series):
        return None  # a month with a handful of children abroad would single them out
    return line_chart(
        _("Children remaining abroad, %(first)s to %(last)s")
        % {"first": format_month(first), "last": format_day(last)},
        [(p.on, p.count) for p in series],
    )


def _tracing(query: StatsQuery, guarded: bool) -> list[dict[str, Any]] | None:
    if query.window:
        return None
    rows = count_tracing(query.day)
    if guarded:
        rows = [row | {"count": shown_small(row["count"])} for row in rows]
    return rows


def _prepares_releases(request: HttpRequest) -> bool:
    return can_prepare_releases(profile_of(request.user))
