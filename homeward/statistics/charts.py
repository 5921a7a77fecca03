"""Charts drawn on the server as SVG geometry: no script, nothing from elsewhere (the CSP
allows neither). A template places the numbers computed here into an inline <svg>, beside
a table of the same figures.

Value axes carry ticks and gridlines at round values (`round_ticks`: steps of 1, 2, 2.5
or 5 times a power of ten, from 0 to the first round value at or above the largest), so
a reader can read a bar or a point against the grid; bars are labelled with their counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# Steps between ticks, per power of ten: 2.5 only from 25 on (counts are whole).
STEPS = (1, 2, 5)
STEPS_FROM_TENS = (1, 2, 2.5, 5)


def round_ticks(top: int, most: int = 6) -> list[int]:
    """Round values from 0 to the first tick at or above `top`, in at most `most` steps."""
    if top <= 0:
        return [0, 1]
    power = 1
    while True:
        for step_of_power in STEPS if power == 1 else STEPS_FROM_TENS:
            step = int(step_of_power * power)
            intervals = -(-top // step)  # ceiling
            if intervals <= most:
                return [step * i for i in range(intervals + 1)]
        power *= 10


@dataclass(frozen=True)
class Tick:
    value: int
    at: float  # along the value axis, in the SVG's units


def _ticks(top: int, length: float) -> tuple[list[Tick], int]:
    values = round_ticks(top)
    scale_top = values[-1]
    return [Tick(v, length * v / scale_top) for v in values], scale_top


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: float  # the bar's top edge
    length: float  # in the SVG's units along the value axis

    @property
    def middle(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def count_x(self) -> float:
        """Where the bar's count is written: just past its end."""
        return self.length + 4


BAR_HEIGHT = 18
BAR_GAP = 6


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars: labels in a column on the left, the value axis along the bottom."""

    title: str
    bars: list[Bar]
    ticks: list[Tick]
    label_width: float
    plot_width: float
    plot_height: float
    bar_height: float = BAR_HEIGHT

    @property
    def width(self) -> float:
        return self.label_width + self.plot_width + 40  # room for the last bar's count

    @property
    def height(self) -> float:
        return self.plot_height + 24  # the tick labels under the axis

    @property
    def axis_y(self) -> float:
        return self.plot_height

    @property
    def tick_label_y(self) -> float:
        return self.plot_height + 16


def bar_chart(
    title: str,
    items: Sequence[tuple[str, int]],
    plot_width: float = 360,
    label_width: float = 190,
) -> BarChart:
    """One bar per item, against an axis of round values from 0."""
    ticks, scale_top = _ticks(max((value for _, value in items), default=0), plot_width)
    bars = [
        Bar(label, value, BAR_GAP + i * (BAR_HEIGHT + BAR_GAP), plot_width * value / scale_top)
        for i, (label, value) in enumerate(items)
    ]
    plot_height = BAR_GAP + len(bars) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(title, bars, ticks, label_width, plot_width, plot_height)


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
    top: int  # the count at the top of the plot (a round value)
    levels: list[Tick]  # round counts up the vertical axis, each with a gridline

    @property
    def ticks(self) -> list[LinePoint]:
        """About six labelled dates along the axis, the first and last among them."""
        if len(self.points) <= 6:
            return self.points
        step = (len(self.points) - 1) / 5
        return [self.points[round(i * step)] for i in range(6)]

    @property
    def last(self) -> LinePoint | None:
        return self.points[-1] if self.points else None


def line_chart(
    title: str, series: Sequence[tuple[date, int]], width: float = 600, height: float = 160
) -> LineChart:
    ticks, top = _ticks(max((count for _, count in series), default=0), height)
    levels = [Tick(t.value, height - t.at) for t in ticks]  # SVG's y grows downwards
    span = max(len(series) - 1, 1)
    points = [
        LinePoint(on, count, width * i / span, height - height * count / top)
        for i, (on, count) in enumerate(series)
    ]
    polyline = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)
    return LineChart(title, points, polyline, width, height, top, levels)
