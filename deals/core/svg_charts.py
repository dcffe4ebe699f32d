"""Bar charts drawn on the server: the geometry of SVG rectangles, axes and labels, for one template to draw.

No JavaScript is needed to see a chart, and every chart's numbers are also in a table below it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from deals.core.money import format_money

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 10, 40
TICKS = 4
MAX_X_LABELS = 16
# A few categories would otherwise make slabs wider than they are tall.
MAX_GROUP_WIDTH = 80


@dataclass
class Series:
    label: str
    colour: str
    values: list[Decimal | None]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[tuple[float, float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    baseline: float = HEIGHT - BOTTOM
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT

    @property
    def tick_x(self) -> float:
        return self.plot_left - 6


def columns(categories: list[str], series: list[Series], *, stacked: bool) -> Chart:
    """Vertical bars per category: the series stacked on each other, or side by side."""
    chart = Chart(WIDTH, HEIGHT, legend=[(s.label, s.colour) for s in series])
    if not categories or not series:
        return chart
    per_category = [
        [value or Decimal(0) for value in values] for values in zip(*(s.values for s in series), strict=True)
    ]
    top = _round_up(max((sum(values) if stacked else max(values, default=0)) for values in per_category))
    plot_height = HEIGHT - TOP - BOTTOM
    band = (WIDTH - LEFT - RIGHT) / len(categories)
    group_width = min(band * 0.8, MAX_GROUP_WIDTH)
    bar_width = group_width / (1 if stacked else len(series))
    for index, (category, values) in enumerate(zip(categories, per_category, strict=True)):
        x = LEFT + index * band + (band - group_width) / 2
        floor = 0.0
        for position, (one, value) in enumerate(zip(series, values, strict=True)):
            height = float(value / top) * plot_height
            if height <= 0:
                continue
            left = x if stacked else x + position * bar_width
            bottom = floor if stacked else 0.0
            chart.bars.append(
                Bar(
                    round(left, 2),
                    round(HEIGHT - BOTTOM - bottom - height, 2),
                    round(bar_width, 2),
                    round(height, 2),
                    one.colour,
                    f"{category} · {one.label}: {format_money(value)}",
                )
            )
            if stacked:
                floor += height
    step = max(1, -(-len(categories) // MAX_X_LABELS))
    chart.x_labels = [
        (round(LEFT + index * band + band / 2, 2), HEIGHT - BOTTOM + 16, category)
        for index, category in enumerate(categories)
        if index % step == 0
    ]
    chart.y_ticks = [
        (round(HEIGHT - BOTTOM - plot_height * i / TICKS, 2), format_money(top * i / TICKS)) for i in range(TICKS + 1)
    ]
    return chart


@dataclass
class Row:
    bar: Bar
    label: str
    value_text: str
    text_y: float

    @property
    def value_x(self) -> float:
        return round(self.bar.x + self.bar.width + 6, 2)


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    rows: list[Row]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def _round_up(value: Decimal) -> Decimal:
    """The smallest axis top of TICKS equal steps of 1, 2, 2.5 or 5 times a power of ten that holds `value`."""
    if value <= 0:
        return Decimal(TICKS)
    raw_step = value / TICKS
    power = Decimal(10) ** (raw_step.adjusted())
    step = next(power * factor for factor in (1, 2, Decimal("2.5"), 5, 10) if power * factor >= raw_step)
    return step * TICKS


def horizontal_bars(labels: list[str], values: list[Decimal], colour: str) -> BarChart:
    """One bar per label, in the order given, with its amount at its end."""
    row_height, label_width, value_room = 24, 190, 80
    span = WIDTH - label_width - value_room
    top = max(values, default=Decimal(0)) or Decimal(1)
    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + index * row_height
        width = round(float(value / top) * span, 2)
        text = format_money(value)
        rows.append(Row(Bar(label_width, y, width, row_height - 6, colour, f"{label}: {text}"), label, text, y + 13))
    return BarChart(WIDTH, TOP + row_height * max(len(labels), 1) + 10, label_width, rows)
