"""Small SVG charts for the PDF reports: horizontal bars, a pie and a line; no plotting library.

Every text is XML-escaped; coordinates are rounded, so the same chart gives the same markup.

Example:
    >>> from sikkb_exporters.document import Chart
    >>> svg = chart_svg(Chart(kind="bar", title="CPR", categories=["A<b>"], series=[("CPR", [50.0])], unit="%"))
    >>> svg.startswith("<svg") and "A&lt;b&gt;" in svg and "50,0 %" in svg
    True
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from sikkb.views.charts import PALETTE
from sikkb_exporters.document import Chart
from sikkb_exporters.fmt import angka, persen

__all__ = ["PALETTE", "axis_ticks", "chart_svg"]

_FONT = 'font-family="DejaVu Sans, sans-serif"'


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _label(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return persen(value) if unit == "%" else angka(round(value))


def _text(
    x: float, y: float, text: str, *, size: float = 9, anchor: str = "start", bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" {_FONT}{weight}>'
        f"{escape(text)}</text>"
    )


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _bar(chart: Chart, width: float) -> str:
    _name, values = chart.series[0]
    left, bar_h, gap, top = 150.0, 14.0, 6.0, 24.0
    right = 60.0
    plot = width - left - right
    vmax = max([v for v in values if v is not None] + [100.0 if chart.unit == "%" else 1.0])
    body = [_text(0, 14, chart.title, size=11, bold=True)]
    for i, (cat, v) in enumerate(zip(chart.categories, values, strict=True)):
        y = top + i * (bar_h + gap)
        body.append(_text(left - 6, y + bar_h - 3, cat, anchor="end"))
        w = 0.0 if v is None else plot * max(v, 0.0) / vmax
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y)}" width="{_n(w)}" height="{_n(bar_h)}" fill="{PALETTE[0]}"/>'
        )
        body.append(_text(left + w + 4, y + bar_h - 3, _label(v, chart.unit)))
    height = top + len(values) * (bar_h + gap) + 4
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(top - 2)}" x2="{_n(left)}" y2="{_n(height - 4)}" stroke="#000"/>'
    )
    return _svg(width, height, chart.title, body)


def _pie(chart: Chart, width: float) -> str:
    _, values = chart.series[0]
    vals = [max(v or 0.0, 0.0) for v in values]
    total = sum(vals)
    r, cx, cy = 80.0, 100.0, 110.0
    body = [_text(0, 14, chart.title, size=11, bold=True)]
    angle = -math.pi / 2
    for i, v in enumerate(vals):
        if total <= 0 or v <= 0:
            continue
        colour = PALETTE[i % len(PALETTE)]
        if v >= total:
            body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{colour}"/>')
            continue
        sweep = 2 * math.pi * v / total
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        angle += sweep
        x2, y2 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        large = 1 if sweep > math.pi else 0
        body.append(
            f'<path d="M{_n(cx)},{_n(cy)} L{_n(x1)},{_n(y1)} A{_n(r)},{_n(r)} 0 {large} 1 '
            f'{_n(x2)},{_n(y2)} Z" fill="{colour}" stroke="#fff" stroke-width="1"/>'
        )
    if total <= 0:
        body.append(_text(cx, cy, "Tidak ada data", anchor="middle"))
    for i, (cat, v) in enumerate(zip(chart.categories, vals, strict=True)):
        y = 36 + i * 16
        share = persen(100 * v / total) if total > 0 else "–"
        body.append(
            f'<rect x="210" y="{_n(y - 9)}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        body.append(_text(226, y, f"{cat}: {angka(round(v))} ({share})"))
    height = max(cy + r + 10, 36 + len(vals) * 16)
    return _svg(width, height, chart.title, body)


def axis_ticks(values: list[float], unit: str = "", *, most: int = 6) -> tuple[float, ...]:
    """Round y-axis ticks covering ``values``: a step of 1, 2 or 5 times a power of ten (at least
    1), from a multiple of the step below the data to one above, at most ``most`` ticks;
    percentages stay within 0-100 and counts start at 0 or above.

    Example:
        >>> axis_ticks([52.0, 79.5], "%")
        (50.0, 60.0, 70.0, 80.0)
        >>> axis_ticks([], "%")
        (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
    """
    if not values:
        values = [0.0, 100.0] if unit == "%" else [0.0, 1.0]
    lo_v, hi_v = min(values), max(values)
    if unit == "%":
        lo_v, hi_v = max(lo_v, 0.0), min(hi_v, 100.0)
    lo_v = max(lo_v, 0.0)
    hi_v = max(hi_v, lo_v)
    span = hi_v - lo_v
    step = 1.0
    magnitude = 1.0
    while True:
        for m in (1.0, 2.0, 5.0):
            step = m * magnitude
            lo = math.floor(lo_v / step) * step
            hi = math.ceil(hi_v / step) * step
            if hi == lo:
                hi = lo + step
            if (hi - lo) / step + 1 <= most and step * (most - 1) >= span:
                if hi - lo < 2 * step:  # at least three ticks: one more step up, else down
                    top_cap = 100.0 if unit == "%" else math.inf
                    hi, lo = (hi + step, lo) if hi + step <= top_cap else (hi, max(lo - step, 0.0))
                return tuple(lo + k * step for k in range(round((hi - lo) / step) + 1))
        magnitude *= 10


def _line(chart: Chart, width: float) -> str:
    left, top, bottom, right = 40.0, 26.0, 40.0, 110.0
    height = 200.0
    plot_w, plot_h = width - left - right, height - top - bottom
    present = [v for _, vs in chart.series for v in vs if v is not None]
    ticks = axis_ticks(present, chart.unit)
    lo, hi = ticks[0], ticks[-1]
    n = len(chart.categories)
    step = plot_w / max(n - 1, 1)
    body = [_text(0, 14, chart.title, size=11, bold=True)]
    body.append(
        f'<path d="M{_n(left)},{_n(top)} L{_n(left)},{_n(top + plot_h)} L{_n(left + plot_w)},'
        f'{_n(top + plot_h)}" fill="none" stroke="#000"/>'
    )
    for v in ticks:
        y = top + plot_h - plot_h * (v - lo) / (hi - lo)
        body.append(_text(left - 4, y + 3, angka(round(v)), size=7, anchor="end"))
        if lo < v:
            body.append(
                f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" '
                'stroke="#d9d9d9" stroke-width="0.5"/>'
            )
    for i, cat in enumerate(chart.categories):
        body.append(_text(left + i * step, top + plot_h + 14, cat, size=7, anchor="middle"))
    for s, (name, values) in enumerate(chart.series):
        colour = PALETTE[s % len(PALETTE)]
        points = [
            (left + i * step, top + plot_h - plot_h * (v - lo) / (hi - lo))
            for i, v in enumerate(values)
            if v is not None
        ]
        if points:
            d = " ".join(
                f"{'M' if k == 0 else 'L'}{_n(x)},{_n(y)}" for k, (x, y) in enumerate(points)
            )
            body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
            body += [
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.5" fill="{colour}"/>' for x, y in points
            ]
            last = [v for v in values if v is not None][-1]
            body.append(
                _text(points[-1][0] + 5, points[-1][1] + 3, _label(last, chart.unit), size=7)
            )
        body.append(
            f'<rect x="{_n(width - right + 30)}" y="{_n(top + s * 14)}" width="8" height="8" fill="{colour}"/>'
        )
        body.append(_text(width - right + 42, top + s * 14 + 8, name, size=8))
    return _svg(width, height, chart.title, body)


def chart_svg(chart: Chart, width: float = 520.0) -> str:
    """The chart as standalone SVG markup (safe to inline in HTML)."""
    if not chart.series or not chart.categories:
        return _svg(
            width, 30, chart.title, [_text(0, 14, f"{chart.title}: tidak ada data", size=10)]
        )
    if chart.kind == "bar":
        return _bar(chart, width)
    if chart.kind == "pie":
        return _pie(chart, width)
    return _line(chart, width)
