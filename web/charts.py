"""Small server-side SVG charts: horizontal bars and a line chart (统计分析).

Each chart is a ``viewBox`` SVG drawn at ``width: 100%`` (it scales down to a phone without
scrolling), with a ``<title>`` naming it; the page puts the data table beside it, so the chart is
decoration for sighted readers and the table is the figures for everyone. Text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 640
COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _nice_max(top: float) -> float:
    """A round upper bound for an axis (1, 2, 5 × 10^n)."""
    if top <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= top:
        step *= 10
    for k in (1, 2, 5, 10):
        if k * step >= top:
            return k * step
    return 10 * step


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "") -> Markup:
    """Horizontal bars, one group per label, one bar per series; the value written at each bar's end."""
    rows = len(labels)
    per = len(series)
    bar_h, gap, left, top = 14, 10, 180, 28
    group_h = per * bar_h + gap
    height = top + rows * group_h + 10
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    span = WIDTH - left - 60
    parts = [_open(title, height)]
    parts.append(_legend(series, 8))
    for i, label in enumerate(labels):
        y0 = top + i * group_h
        parts.append(f'<text x="{left - 8}" y="{y0 + per * bar_h / 2 + 4:.1f}" text-anchor="end" '
                     f'font-size="12">{escape(_short(label, 14))}</text>')
        for j, s in enumerate(series):
            v = float(s.values[i]) if i < len(s.values) else 0.0
            w = span * v / top_value
            y = y0 + j * bar_h
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                         f'fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(label)} {escape(s.label)}：'
                         f'{_num(v)}{escape(unit)}</title></rect>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 4}" font-size="11">{_num(v)}</text>')
    parts.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 8}" stroke="#666"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    """One line per series over the labels (months), with dots, a zero-based y axis and its top value."""
    height, left, right, top, bottom = 260, 44, 16, 30, 40
    span_x = WIDTH - left - right
    span_y = height - top - bottom
    top_value = _nice_max(max((v for s in series for v in s.values), default=0))
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (span_x * i / (n - 1) if n > 1 else span_x / 2)

    def y(v: float) -> float:
        return top + span_y - span_y * v / top_value

    parts = [_open(title, height), _legend(series, 8)]
    for frac in (0, 0.5, 1):
        yy = y(top_value * frac)
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{WIDTH - right}" y2="{yy:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{_num(top_value * frac)}</text>')
    every = max(1, (n + 7) // 8)  # at most about eight labels under the axis
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'font-size="11">{escape(label)}</text>')
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(float(v)):.1f}" for i, v in enumerate(s.values))
        if points:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(s.values):
            label = labels[i] if i < len(labels) else ""
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(label)} {escape(s.label)}：{_num(float(v))}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(title: str, height: float) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">'
            f"<title>{escape(title)}</title>")


def _legend(series: Sequence[Series], y: int) -> str:
    if len(series) < 2:
        return ""
    out = []
    for j, s in enumerate(series):
        x0 = 8 + j * 120
        out.append(f'<rect x="{x0}" y="{y}" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
                   f'<text x="{x0 + 14}" y="{y + 9}" font-size="11">{escape(s.label)}</text>')
    return "".join(out)


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
