"""Charts as geometry for SVG templates: the server computes every coordinate, the template
draws rectangles, lines and text, and CSS colours them — no JavaScript, and they print.

Each chart also keeps its rows so the template can render the same numbers as a table."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from directory import l10n

WIDTH = 640
LABEL_WIDTH = 180
RIGHT = 70
ROW = 20
TOP = 28
BOTTOM = 8


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `high` (1, 2 or 5 times a power of ten apart)."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [round(i * step, 10) for i in range(math.ceil(high / step - 1e-9) + 1)]


def _fmt(value: float) -> str:
    """A tick's label in the page's language: 2.5 → "2,5" (et, ru), 10.0 → "10"."""
    return l10n.number(value, None)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class RangeRow:
    label: str
    low: Decimal | None
    mid: Decimal | None
    high: Decimal | None
    y: float = 0
    x_low: float = 0
    x_mid: float = 0
    x_high: float = 0
    count: int = 0

    @property
    def bar_width(self) -> float:
        return max(self.x_high - self.x_low, 2)

    @property
    def text_y(self) -> float:
        return self.y + ROW * 0.65

    @property
    def bar_y(self) -> float:
        return self.y + ROW * 0.25

    @property
    def bar_height(self) -> float:
        return ROW * 0.5

    @property
    def value_x(self) -> float:
        return self.x_high + 4

    @property
    def mid_y1(self) -> float:
        return self.y + 2

    @property
    def mid_y2(self) -> float:
        return self.y + ROW - 2


@dataclass
class RangeChart:
    """Horizontal bars from min to max with a median mark, one row per area; with low == high
    (one value per row) it is a plain bar chart drawn from zero."""

    rows: list[RangeRow]
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    plot_left: int = LABEL_WIDTH
    plot_right: int = WIDTH - RIGHT
    axis_y: int = TOP - 6

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @classmethod
    def build(cls, rows: list[RangeRow], *, from_zero: bool = False) -> RangeChart:
        values = [float(v) for r in rows for v in (r.low, r.high) if v is not None]
        ticks = nice_ticks(max(values, default=1.0))
        top = ticks[-1] or 1.0
        chart = cls(rows)
        span = chart.plot_right - chart.plot_left

        def x(value):
            return round(chart.plot_left + span * float(value) / top, 1)

        for index, row in enumerate(rows):
            row.y = TOP + index * ROW
            row.x_low = x(0 if from_zero else (row.low or 0))
            row.x_mid = x(row.mid or 0)
            row.x_high = x(row.high or 0)
        chart.ticks = [Tick(x(t), _fmt(t)) for t in ticks]
        chart.height = TOP + len(rows) * ROW + BOTTOM
        return chart

    @property
    def grid_bottom(self) -> float:
        return self.height - BOTTOM

    @property
    def label_x(self) -> int:
        return self.plot_left - 6

    @property
    def tick_y(self) -> int:
        return self.axis_y - 4


@dataclass
class LinePoint:
    date: dt.date
    low: Decimal | None
    mid: Decimal | None
    high: Decimal | None
    count: int
    x: float = 0
    y_low: float = 0
    y_mid: float = 0
    y_high: float = 0


@dataclass
class LineChart:
    """Median over time as a line, with the min–max band behind it."""

    points: list[LinePoint]
    width: int = WIDTH
    height: int = 260
    left: int = 56
    right: int = 24
    top: int = 16
    bottom: int = 40
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plotted(self) -> list[LinePoint]:
        return [p for p in self.points if p.mid is not None]

    @property
    def median_points(self) -> str:
        return " ".join(f"{p.x},{p.y_mid}" for p in self.plotted)

    @property
    def band_points(self) -> str:
        upper = [f"{p.x},{p.y_high}" for p in self.plotted]
        lower = [f"{p.x},{p.y_low}" for p in reversed(self.plotted)]
        return " ".join(upper + lower)

    @property
    def axis_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def axis_right(self) -> int:
        return self.width - self.right

    @property
    def x_label_y(self) -> int:
        return self.height - self.bottom + 18

    @property
    def y_label_x(self) -> int:
        return self.left - 6

    @classmethod
    def build(cls, points: list[LinePoint]) -> LineChart:
        chart = cls(points)
        highs = [float(p.high) for p in points if p.high is not None]
        ticks = nice_ticks(max(highs, default=1.0), 4)
        top = ticks[-1] or 1.0
        plot_h = chart.height - chart.top - chart.bottom
        plot_w = chart.width - chart.left - chart.right

        def y(value):
            return round(chart.top + plot_h * (1 - float(value or 0) / top), 1)

        start = points[0].date if points else dt.date.today()
        end = points[-1].date if points else start
        days = max((end - start).days, 1)
        for p in points:
            p.x = (
                round(chart.left + plot_w * (p.date - start).days / days, 1)
                if len(points) > 1
                else chart.left
            )
            p.y_low, p.y_mid, p.y_high = y(p.low), y(p.mid), y(p.high)
        chart.y_ticks = [(y(t), _fmt(t)) for t in ticks]
        years = sorted({p.date.year for p in points if p.date.month == 1 and p.date.day == 1})
        chart.x_ticks = [
            Tick(round(chart.left + plot_w * (dt.date(yr, 1, 1) - start).days / days, 1), str(yr))
            for yr in years
        ]
        return chart
