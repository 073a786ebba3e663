"""Geometry for the server-rendered SVG pictures on the programme page.

The templates draw what these functions compute, so the figures in a chart
always come from the same phase and partnership records as the table beside it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from partnerships.models import Partnership

CHART_WIDTH = 480
BAR_START = 0
BAR_MAX_WIDTH = 300
ROW_HEIGHT = 64


@dataclass(frozen=True)
class Bar:
    phase: object
    y: int
    width: Decimal

    @property
    def label_y(self):
        return self.y - 8

    @property
    def value_x(self):
        return BAR_START + self.width + 8

    @property
    def value_y(self):
        return self.y + 17


@dataclass(frozen=True)
class FundingChart:
    bars: list
    width: int = CHART_WIDTH
    bar_height: int = 24

    @property
    def height(self):
        return len(self.bars) * ROW_HEIGHT + 8


def funding_chart(phases):
    """Lay out one bar per phase, its length in proportion to the committed total.

    A phase with no known award gets no bar; the template says "not known".
    """
    largest = max((phase.committed or 0 for phase in phases), default=0)
    bars = []
    for index, phase in enumerate(phases):
        width = Decimal(0)
        if largest and phase.committed:
            width = (phase.committed / largest * BAR_MAX_WIDTH).quantize(Decimal("0.1"))
        bars.append(Bar(phase=phase, y=index * ROW_HEIGHT + 30, width=width))
    return FundingChart(bars=bars)


@dataclass(frozen=True)
class Tile:
    """One nation on the schematic map: a box placed roughly where it lies."""

    nation: str
    label: str
    x: int
    y: int
    width: int
    height: int
    count: int

    @property
    def text_x(self):
        return self.x + self.width // 2

    @property
    def text_y(self):
        return self.y + self.height // 2


# A schematic, not a survey: four boxes in the nations' rough places.
TILE_LAYOUT = {
    Partnership.Nation.SCOTLAND: (150, 10, 130, 130),
    # Wide enough for its name at the chart's type size.
    Partnership.Nation.NORTHERN_IRELAND: (5, 110, 140, 80),
    Partnership.Nation.WALES: (60, 230, 100, 90),
    Partnership.Nation.ENGLAND: (170, 150, 120, 210),
}


def nation_counts(partnerships):
    """Return (nation, label, count) for every nation, in choice order.

    One grouped query: the page stays the same size however many there are.
    """
    counts = dict(
        partnerships.order_by()
        .values_list("nation")
        .annotate(count=Count("pk"))
        .values_list("nation", "count")
    )
    return [
        (value, label, counts.get(value, 0))
        for value, label in Partnership.Nation.choices
    ]


def nation_tiles(counts):
    """Place the nations that have a box on the schematic map."""
    return [
        Tile(value, label, *TILE_LAYOUT[value], count)
        for value, label, count in counts
        if value in TILE_LAYOUT
    ]
