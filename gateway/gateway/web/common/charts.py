"""Small bar charts drawn on the server as SVG: counts over time on the operators' pages.

UI.md wants pictures "readable without script": the chart is inline SVG (``role="img"``, a
``<title>`` and a ``<desc>`` that says every number), each bar carries its own ``<title>``, and
``chart.rows`` gives the same numbers for a table beside it, so nothing is only in the picture.
Colours come from the page's stylesheet (``.chart-series-<n>``), not from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from typing import Sequence

from markupsafe import Markup, escape

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One kind of count (e.g. "opened"), one value per category."""
    label: str
    values: Sequence[int]


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: Sequence[str]  # e.g. the weeks, oldest first
    series: Sequence[Series]
    width: int = 640
    height: int = 200

    def __post_init__(self):
        for one in self.series:
            if len(one.values) != len(self.categories):
                raise ValueError(f"series {one.label!r} has {len(one.values)} values "
                                 f"for {len(self.categories)} categories")

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """(category, [value of each series]) — the chart's numbers as a table's rows."""
        return [(category, [one.values[index] for one in self.series])
                for index, category in enumerate(self.categories)]

    @property
    def description(self) -> str:
        return "; ".join(f"{category}: " + ", ".join(f"{one.label} {value}"
                                                      for one, value in zip(self.series, values))
                         for category, values in self.rows)

    def svg(self) -> Markup:
        """The chart as inline SVG, grouped bars on a shared scale from zero."""
        left, right, top, bottom = 36, 8, 12, 28
        plot_width = self.width - left - right
        plot_height = self.height - top - bottom
        peak = max([value for one in self.series for value in one.values] or [0]) or 1
        slot = plot_width / max(len(self.categories), 1)
        bar = max(slot * 0.8 / max(len(self.series), 1), 1.0)
        label_every = max(1, round(len(self.categories) / 12))  # at most ~12 labels under the axis
        chart_id = f"chart-{next(_ids)}"
        parts = [
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{chart_id}-title">{escape(self.title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(self.description)}</desc>',
            f'<line class="chart-axis" x1="{left}" y1="{top + plot_height}" '
            f'x2="{left + plot_width}" y2="{top + plot_height}"/>',
            f'<text class="chart-scale" x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
            f'<text class="chart-scale" x="{left - 4}" y="{top + plot_height}" text-anchor="end">0</text>',
        ]
        for index, category in enumerate(self.categories):
            x0 = left + index * slot + slot * 0.1
            for number, one in enumerate(self.series):
                value = one.values[index]
                height = plot_height * value / peak
                parts.append(
                    f'<rect class="chart-series-{number + 1}" x="{x0 + number * bar:.1f}" '
                    f'y="{top + plot_height - height:.1f}" width="{bar:.1f}" height="{height:.1f}">'
                    f'<title>{escape(category)} — {escape(one.label)}: {value}</title></rect>')
            if index % label_every == 0:
                parts.append(f'<text class="chart-label" x="{left + (index + 0.5) * slot:.1f}" '
                             f'y="{self.height - 10}" text-anchor="middle">{escape(category)}</text>')
        parts.append("</svg>")
        return Markup("".join(parts))
