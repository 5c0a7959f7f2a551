"""Server-drawn bar charts: the geometry of a horizontal bar chart, for templates/admin/_chart.html.

No script and no external service: the template draws the bars as SVG from these numbers and
puts the same numbers in a table beside the chart.
"""
from dataclasses import dataclass

# Sized for a phone: the SVG scales to its container, so on a 360px screen the text is drawn
# at about the size given in the stylesheet.
WIDTH = 400  # the viewBox's width
ROW = 26  # height of one bar's row
BAR = 16  # height of a bar
LABEL_WIDTH = 150  # room on the left for the labels
VALUE_ROOM = 40  # room on the right of the longest bar for its number
MAX_LABEL = 18  # characters of a label drawn in the chart (the table has them in full)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its number, and where it is drawn."""

    label: str
    count: int
    y: int
    width: int

    @property
    def short_label(self):
        """The label as drawn in the chart (the table beside it has it in full)."""
        return self.label if len(self.label) <= MAX_LABEL else self.label[:MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart of (label, value) rows, in their order."""

    bars: tuple
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR

    @property
    def total(self):
        """The sum of the numbers."""
        return sum(bar.count for bar in self.bars)

    @property
    def is_empty(self):
        """No rows, or every value is zero."""
        return self.total == 0


def bar_chart(rows):
    """The chart of `rows`, (label, value) pairs: bars scaled to the largest value."""
    rows = [(str(label), max(int(value), 0)) for label, value in rows]
    largest = max((value for _label, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = tuple(
        Bar(label, value, index * ROW + (ROW - BAR) // 2,
            round(room * value / largest) if largest else 0)
        for index, (label, value) in enumerate(rows))
    return BarChart(bars, WIDTH, max(len(rows), 1) * ROW)
