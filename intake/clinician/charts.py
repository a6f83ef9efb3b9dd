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
    if trend.threshold is not None and trend.baseline is not None:
        # §6.3 / §6.4 R4: the band between a meaningful improvement and a meaningful worsening (symmetric), around
        # the baseline; a follow-up inside it is "no meaningful change".
        edges = sorted((trend.threshold, trend.worse_threshold))
        top, bottom = y(edges[1]), y(edges[0])
        if bottom - top > 0.5:
            parts.append(
                f'<rect class="mcid-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}"/>'
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
    # One line per run of points; a missed check-in breaks the line (a gap: never imputed, §6.2).
    segment: list = []
    for r in [*rows, None]:
        if r is not None and r.value is not None:
            segment.append(r)
            continue
        if r is not None and r.status != "missed":
            continue
        if len(segment) > 1:
            path = " ".join(f"{x(p.days):.1f},{y(p.value):.1f}" for p in segment)
            parts.append(f'<polyline class="series" points="{path}" fill="none"/>')
        segment = []
    for r in rows:
        if r.status == "missed":
            mx, my = x(r.days), TOP + plot_h
            parts.append(
                f'<g class="missed"><line x1="{mx:.1f}" x2="{mx:.1f}" y1="{TOP}" y2="{my:.1f}" '
                f'stroke-dasharray="2 4"/><text class="point-label" x="{mx:.1f}" y="{TOP + 10}" '
                f'text-anchor="middle">missed</text><title>{escape(r.point.label)}: no data, not imputed</title></g>'
            )
    plotted = [r for r in rows if r.value is not None]
    for r in plotted:
        css = "point out-of-window" if r.point.out_of_window else "point"
        css += f" status-{r.status.replace('_', '-')}"
        cx, cy = x(r.days), y(r.value)
        parts.append(
            f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="5">'
            f"<title>{escape(r.point.label)}, {r.point.when:%d %b %Y}: {_fmt(r.value)} "
            f"({escape(r.status_label)})</title></circle>"
        )
        if r.status_short:
            ly = cy - 9 if cy - 9 > TOP + 4 else cy + 17
            # Kept inside the plot: a label at the right edge ends at its point, one at the left starts there.
            anchor = "end" if cx > WIDTH - RIGHT - 40 else "start" if cx < LEFT + 40 else "middle"
            lx = cx + 6 if anchor == "end" else cx - 6 if anchor == "start" else cx
            parts.append(
                f'<text class="point-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
                f"{escape(r.status_short)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped or a number


def describe(trend: MeasureTrend) -> str:
    rows = [r for r in trend.rows if r.value is not None]
    missed = sum(1 for r in trend.rows if r.status == "missed")
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
    if missed:
        text += f" {missed} missed check-in{'s' if missed > 1 else ''} (no data, not imputed)."
    if trend.threshold is not None:
        text += f" Meaningful improvement means reaching {_fmt(round(trend.threshold, 1))}."
    return text
