"""Bar charts drawn on the server as inline SVG: no script, no CDN, printable, and readable by
a screen reader (each chart has a title and each bar its value)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

ROW = 28
BAR = 18


def _ceiling(top: int) -> int:
    """A round axis maximum at or above the largest value, in four even steps."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 4:
            return step * 4
    return top


def horizontal_bars(title: str, data: Sequence[tuple[str, int]], *, width: int = 480) -> Markup:
    """One bar per (label, value), largest first as given; labels on the left."""
    label_w, value_w = 150, 36
    plot_w = width - label_w - value_w
    top = max((v for _, v in data), default=0)  # no axis: the largest bar fills the width
    height = ROW * max(len(data), 1) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (name, value) in enumerate(data):
        y = 4 + i * ROW
        w = round(plot_w * value / top) if top else 0
        short = name if len(name) <= 22 else name[:21] + "…"
        parts.append(
            f"<g><title>{escape(name)}: {value}</title>"
            f'<text class="chart-label" x="{label_w - 8}" y="{y + BAR - 4}" '
            f'text-anchor="end">{escape(short)}</text>'
            f'<rect class="chart-track" x="{label_w}" y="{y}" width="{plot_w}" height="{BAR}" '
            f'rx="4"/>'
            f'<rect class="chart-bar" x="{label_w}" y="{y}" width="{max(w, 2)}" '
            f'height="{BAR}" rx="4"/>'
            f'<text class="chart-value" x="{label_w + plot_w + 8}" y="{y + BAR - 4}">'
            f"{value}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def vertical_bars(
    title: str, data: Sequence[tuple[str, int]], *, width: int = 480, height: int = 220
) -> Markup:
    """One column per (label, value) in the order given (years, oldest first)."""
    left, bottom, top_pad = 40, 28, 20
    plot_h = height - bottom - top_pad
    plot_w = width - left - 8
    top = _ceiling(max((v for _, v in data), default=0))
    slot = plot_w / max(len(data), 1)
    col = min(slot * 0.6, 56)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    ]
    for value in range(0, top + 1, top // 4):
        y = top_pad + plot_h - plot_h * value / top
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{value}</text>"
        )
    for i, (name, value) in enumerate(data):
        h = plot_h * value / top if top else 0
        x = left + slot * i + (slot - col) / 2
        y = top_pad + plot_h - h
        parts.append(
            f"<g><title>{escape(name)}: {value}</title>"
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{col:.1f}" '
            f'height="{max(h, 1):.1f}" rx="4"/>'
            f'<text class="chart-value" x="{x + col / 2:.1f}" y="{y - 5:.1f}" '
            f'text-anchor="middle">{value}</text>'
            f'<text class="chart-axis" x="{x + col / 2:.1f}" y="{height - 8}" '
            f'text-anchor="middle">{escape(name)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
