from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from homeward.audit.services import record
from homeward.lib.agebands import parse_bands
from homeward.statistics.forms import StatsForm
from homeward.statistics.services import StatsQuery, count_children, label


@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Aggregate counts only: every signed-in role, analysts included, may see them."""
    form = StatsForm(request.GET or {"by": ["age-band"]})
    result = None
    if form.is_valid():
        d = form.cleaned_data
        query = StatsQuery(
            as_of=d["as_of"],
            repatriated_on=d["repatriated_on"],
            host=d["host"] or None,
            by=tuple(d["by"]),
            bands=tuple(parse_bands(d["bands"])),
        )
        result = count_children(query)
        record("statistics.viewed", actor=request.user)
    rows = []
    if result:
        biggest = max((row["count"] for row in result.rows), default=0) or 1
        for row in result.rows:
            cells = [label(d, row[d]) for d in result.query.by]
            rows.append(
                {"cells": cells, "count": row["count"], "share": 100 * row["count"] // biggest}
            )
    return render(
        request, "statistics/statistics.html", {"form": form, "result": result, "rows": rows}
    )
