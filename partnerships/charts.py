"""Geometry for the server-rendered SVG pictures on the programme page.

The templates draw what these functions compute, so the figures in a chart
always come from the same phase and partnership records as the table beside it.
"""

from decimal import Decimal

from django.db.models import Count

from partnerships.models import Partnership
from partnerships.money import money, money_full

CHART_WIDTH = 480
BAR_START = 0
BAR_MAX_WIDTH = 300
ROW_HEIGHT = 64
BAR_HEIGHT = 24


def funding_chart(phases):
    """Lay out one bar per phase, its length in proportion to the committed total.

    Takes phases annotated `with_figures()`; returns a dict of the chart's
    width, height, bar_height, desc (its text alternative) and bars, each a
    dict of the numbers and words the template draws, already written out.
    A phase with no known award gets no bar; its label says "Not known".
    """
    largest = max((phase.committed or 0 for phase in phases), default=0)
    bars = []
    for index, phase in enumerate(phases):
        width = Decimal(0)
        if largest and phase.committed:
            width = (phase.committed / largest * BAR_MAX_WIDTH).quantize(Decimal("0.1"))
        y = index * ROW_HEIGHT + 30
        funded = phase.partnerships_funded
        bars.append(
            {
                "number": phase.number,
                "title": f"{phase} ({funded} partnership{'' if funded == 1 else 's'})",
                "desc": f"{phase}, {funded} partnerships: {committed(phase)}.",
                "y": y,
                "label_y": y - 8,
                # As {% localize off %} writes decimals: "300.0", never "300,0".
                "width": f"{width:f}",
                "value_x": f"{BAR_START + width + 8:f}",
                "value_y": y + 17,
                "amount": "" if phase.committed is None else f"{phase.committed:f}",
                "committed": committed(phase),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": len(bars) * ROW_HEIGHT + 8,
        "bar_height": BAR_HEIGHT,
        "desc": " ".join(bar["desc"] for bar in bars),
        "bars": bars,
    }


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
    """Place the nations that have a box on the schematic map.

    Each tile is a dict: nation, label, count, its box (x, y, width, height)
    and where its name and count go (text_x, text_y, count_y).
    """
    tiles = []
    for value, label, count in counts:
        if value not in TILE_LAYOUT:
            continue
        x, y, width, height = TILE_LAYOUT[value]
        tiles.append(
            {
                "nation": value,
                "label": label,
                "count": count,
                "x": x,
                "y": y,
                "width": width,
                "height": height,
                "text_x": x + width // 2,
                "text_y": y + height // 2,
                "count_y": y + height // 2 + 18,
            }
        )
    return tiles


def committed(phase, *, full=False):
    """A phase's committed total: "Up to £9.6 million (2 of 4 awards known)".

    Takes a phase annotated `with_figures()`. The full form, for the table,
    is the amount alone: "Up to £9,600,000".
    """
    if phase.committed is None:
        return "Not known"
    text = money_full(phase.committed) if full else money(phase.committed)
    if phase.committed_is_maximum:
        text = f"Up to {text}"
    if not full and not phase.committed_is_complete:
        text += f" ({phase.awards_known} of {phase.partnerships_funded} awards known)"
    return text
