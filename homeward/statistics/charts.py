"""Charts drawn on the server as SVG geometry: no script, nothing from elsewhere (the CSP
allows neither). A template places the numbers computed here into an inline <svg>."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float
    width: float  # in per cent of the plotting width


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    bar_height: float
    height: float


def bar_chart(title: str, items: Sequence[tuple[str, int]], bar_height: float = 18) -> BarChart:
    """Horizontal bars, one per item, scaled to the largest."""
    biggest = max((value for _, value in items), default=0) or 1
    bars = [
        Bar(label, value, i * (bar_height + 4), 100 * value / biggest)
        for i, (label, value) in enumerate(items)
    ]
    return BarChart(title, bars, bar_height, len(bars) * (bar_height + 4))


@dataclass(frozen=True)
class LinePoint:
    on: date
    count: int
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    title: str
    points: list[LinePoint]
    polyline: str
    width: float
    height: float
    top: int  # the count at the top of the plot

    @property
    def ticks(self) -> list[LinePoint]:
        """About six labelled dates along the axis, the first and last among them."""
        if len(self.points) <= 6:
            return self.points
        step = (len(self.points) - 1) / 5
        return [self.points[round(i * step)] for i in range(6)]


def line_chart(
    title: str, series: Sequence[tuple[date, int]], width: float = 600, height: float = 160
) -> LineChart:
    top = max((count for _, count in series), default=0) or 1
    span = max(len(series) - 1, 1)
    points = [
        LinePoint(on, count, width * i / span, height - height * count / top)
        for i, (on, count) in enumerate(series)
    ]
    polyline = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)
    return LineChart(title, points, polyline, width, height, top)
