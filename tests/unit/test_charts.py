"""The server-side SVG charts: every bar carries its value, names are escaped, the axis is even."""

from __future__ import annotations

import re

from sapar.web.charts import horizontal_bars, vertical_bars


def test_each_bar_names_its_value_and_a_name_cannot_inject_markup() -> None:
    svg = horizontal_bars("By country", [("Türkiye", 5), ("<script>", 1)])
    assert "<title>Türkiye: 5</title>" in svg and "&lt;script&gt;: 1" in svg
    assert "<script>" not in svg


def test_the_year_axis_rises_in_four_even_steps_above_the_largest_year() -> None:
    svg = vertical_bars("By year", [("2025-2026", 15), ("2026-2027", 9)])
    ticks = [int(t) for t in re.findall(r'class="chart-axis"[^>]*text-anchor="end">(\d+)<', svg)]
    assert ticks == [0, 5, 10, 15, 20]


def test_an_empty_chart_is_still_a_valid_svg() -> None:
    assert vertical_bars("By year", []).startswith("<svg") and horizontal_bars("x", []).endswith(
        "</svg>"
    )
