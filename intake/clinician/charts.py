"""Server-side SVG line charts for the trends page: no JavaScript, styled by static/clinician/dashboard.css.

Each chart is an image with a text title and description (role="img", aria-labelledby); the page puts a data
table next to it for screen readers and for anyone who prefers numbers.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors.trends import HIGHER, MeasureTrend

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 14, 36
MIN_DAYS = 84  # the x axis always spans at least the 12-week check-in (§6.2)


def _ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    span = hi - lo
    raw = span / (count - 1) if span else 1
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if step >= raw:
            break
    first = int(lo // step) * step
    ticks, value = [], first
    while value <= hi + 1e-9:
        if value >= lo - 1e-9:
            ticks.append(round(value, 6))
        value += step
    return ticks


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def trend_chart(trend: MeasureTrend, chart_id: str) -> SafeString:
    measure, rows = trend.measure, trend.rows
    values = [r.value for r in rows if r.value is not None]
    lo = measure.lo
    hi = measure.hi if measure.hi is not None else max([10.0, *values]) * 1.2
    max_days = max([MIN_DAYS, *[r.days for r in rows]])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(days: float) -> float:
        return LEFT + plot_w * days / max_days

    def y(value: float) -> float:
        value = min(max(value, lo), hi)
        return TOP + plot_h * (1 - (value - lo) / (hi - lo))

    parts = [
        f'<svg id="{chart_id}" class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(measure.label)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(trend))}</desc>',
    ]
    for tick in _ticks(lo, hi):
        ty = y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    for week in range(0, max_days + 1, 14):
        tx = x(week)
        parts.append(
            f'<text class="tick" x="{tx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{week // 7}</text>'
        )
    parts.append(
        f'<text class="axis-label" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">'
        "weeks since baseline</text>"
    )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
        f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}"/>'
    )
    if trend.threshold is not None and lo <= trend.threshold <= hi:
        ty = y(trend.threshold)
        anchor_y = ty - 5 if measure.direction != HIGHER else ty + 13
        parts.append(
            f'<line class="mcid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            'stroke-dasharray="6 4"/>'
            f'<text class="mcid-label" x="{WIDTH - RIGHT - 4}" y="{anchor_y:.1f}" text-anchor="end">'
            f"meaningful improvement ({_fmt(round(trend.threshold, 1))})</text>"
        )
    plotted = [r for r in rows if r.value is not None]
    if len(plotted) > 1:
        path = " ".join(f"{x(r.days):.1f},{y(r.value):.1f}" for r in plotted)
        parts.append(f'<polyline class="series" points="{path}" fill="none"/>')
    for r in plotted:
        css = "point out-of-window" if r.point.out_of_window else "point"
        parts.append(
            f'<circle class="{css}" cx="{x(r.days):.1f}" cy="{y(r.value):.1f}" r="5">'
            f"<title>{escape(r.point.label)}, {r.point.when:%d %b %Y}: {_fmt(r.value)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped or a number


def describe(trend: MeasureTrend) -> str:
    rows = [r for r in trend.rows if r.value is not None]
    if not rows:
        return "No values yet."
    first = rows[0]
    text = f"Baseline {_fmt(first.value)} on {first.point.when:%d %b %Y}."
    if len(rows) == 1:
        text += " No follow-up values yet."
    else:
        last = rows[-1]
        text += (
            f" Latest {_fmt(last.value)} on {last.point.when:%d %b %Y} ({last.status_label.lower()});"
            f" {len(rows) - 1} follow-up value{'s' if len(rows) > 2 else ''}."
        )
    if trend.threshold is not None:
        text += f" Meaningful improvement means reaching {_fmt(round(trend.threshold, 1))}."
    return text
