"""The server-drawn bar charts: bars on one scale from zero, every number readable without the
picture (the SVG's description, each bar's title, the table rows), text escaped."""
from __future__ import annotations

import re

import pytest

from gateway.web.common.charts import BarChart, Series


def chart(**kw):
    return BarChart(title="Requests per week", categories=["W01", "W02", "W03"],
                    series=[Series("opened", [4, 0, 2]), Series("resolved", [1, 3, 2])], **kw)


def test_the_highest_bar_fills_the_plot_and_zero_draws_nothing():
    svg = str(chart().svg())
    heights = [float(h) for h in re.findall(r'<rect class="chart-series-\d" [^>]*height="([\d.]+)"', svg)]
    assert heights[0] == max(heights) == 200 - 12 - 28  # 4 is the peak
    assert heights[2] == 0.0  # W02 opened 0
    assert heights[1] == pytest.approx(heights[0] / 4)  # W01 resolved 1 of 4


def test_every_number_is_in_the_text_as_well():
    one = chart()
    svg = str(one.svg())
    assert 'role="img"' in svg and "<title" in svg
    assert "W02: opened 0, resolved 3" in svg
    assert "<title>W03 — resolved: 2</title>" in svg
    assert one.rows == [("W01", [4, 1]), ("W02", [0, 3]), ("W03", [2, 2])]


def test_labels_are_escaped():
    svg = str(BarChart(title="<b>x</b>", categories=["<i>"], series=[Series("a&b", [1])]).svg())
    assert "<b>" not in svg and "<i>" not in svg and "a&amp;b" in svg


def test_an_empty_chart_draws_without_dividing_by_zero():
    svg = str(BarChart(title="Nothing", categories=["W01"], series=[Series("opened", [0])]).svg())
    assert 'height="0.0"' in svg


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        BarChart(title="x", categories=["a", "b"], series=[Series("s", [1])])
