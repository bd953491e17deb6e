"""Charts in a notebook: the report charts drawn with matplotlib (``pip install 'sikkb[plot]'``).

The same charts the PDF reports carry — CPR by region, the method mix, trends — built from the same
chart data (:mod:`sikkb.views.charts`), so a notebook and a report show the same numbers under the
same titles and colours. Every function draws on ``ax`` (a new figure when not given) and returns
the matplotlib ``Axes``; numbers are labelled the Indonesian way (``66,7 %``). matplotlib is
imported only when a function is called: ``import sikkb`` stays light.

Example (in a notebook)::

    from sikkb import plot
    plot.cpr_by_region(month.top, targets={"Target CPR": 70})
    plot.method_mix(month.top)
    plot.trend([m.top for m in months], indicators=["cpr", "mcpr", "mkjp"])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sikkb.errors import OptionalDependencyError
from sikkb.i18n import angka, persen
from sikkb.regions import RegionTable
from sikkb.report.recap import Recap
from sikkb.views import charts
from sikkb.views.charts import PALETTE, ChartData

__all__ = ["cpr_by_region", "draw", "method_mix", "trend"]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise OptionalDependencyError("sikkb.plot", "matplotlib", "plot") from None
    return plt


def _label(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return persen(value) if unit == "%" else angka(round(value))


def draw(chart: ChartData, ax: Any = None) -> Any:
    """Draw any :class:`~sikkb.views.charts.ChartData` on ``ax``; returns the ``Axes``.

    Bars are horizontal, one per category, labelled with their value (a gap shows ``–``); a pie
    shows each slice's share; lines have a marker per month and a gap where a value is undefined.
    Targets are dashed reference lines.

    Raises:
        OptionalDependencyError: matplotlib is not installed (``pip install 'sikkb[plot]'``).
    """
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    if ax is None:
        height = 0.35 * len(chart.categories) + 1.2 if chart.kind == "bar" else 4.0
        _, ax = plt.subplots(figsize=(7.5, max(height, 3.0)))
    fmt = FuncFormatter(lambda v, _pos: _label(v, chart.unit))
    if chart.kind == "bar":
        _name, values = chart.series[0]
        ys = list(range(len(chart.categories)))
        ax.barh(ys, [v or 0.0 for v in values], color=PALETTE[0])
        ax.set_yticks(ys, chart.categories)
        ax.invert_yaxis()
        for y, v in zip(ys, values, strict=True):
            ax.annotate(_label(v, chart.unit), (v or 0.0, y), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8)  # fmt: skip
        ax.xaxis.set_major_formatter(fmt)
        for i, (label, target) in enumerate(chart.targets):
            ax.axvline(target, color=PALETTE[(i + 3) % len(PALETTE)], linestyle="--", label=label)
    elif chart.kind == "pie":
        _name, values = chart.series[0]
        shown = [(c, v) for c, v in zip(chart.categories, values, strict=True) if v]
        total = sum(v for _, v in shown)
        colours = [PALETTE[chart.categories.index(c) % len(PALETTE)] for c, _ in shown]
        ax.pie([v for _, v in shown], colors=colours, startangle=90, counterclock=False,
               wedgeprops={"edgecolor": "white"})  # fmt: skip
        ax.legend([f"{c}: {angka(round(v))} ({persen(100 * v / total)})" for c, v in shown],
                  loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)  # fmt: skip
        ax.set_aspect("equal")
    else:
        xs = list(range(len(chart.categories)))
        for s, (name, values) in enumerate(chart.series):
            ys_ = [float("nan") if v is None else v for v in values]
            ax.plot(xs, ys_, marker="o", color=PALETTE[s % len(PALETTE)], label=name)
        for i, (label, target) in enumerate(chart.targets):
            ax.axhline(target, color=PALETTE[(i + len(chart.series)) % len(PALETTE)],
                       linestyle="--", label=label)  # fmt: skip
        ax.set_xticks(xs, chart.categories)
        ax.yaxis.set_major_formatter(fmt)
        ax.grid(axis="y", alpha=0.3)
    if chart.targets or (chart.kind == "line" and chart.series):
        ax.legend(frameon=False, fontsize=8)
    ax.set_title(chart.title, loc="left", fontweight="bold")
    return ax


def cpr_by_region(
    recap: Recap,
    *,
    regions: RegionTable | None = None,
    targets: Mapping[str, float] | None = None,
    ax: Any = None,
) -> Any:
    """CPR of each kecamatan of the city (or kelurahan of a kecamatan): the reports' bar chart.

    Args:
        recap: the city's or a kecamatan's recap (``month.top``, ``month.recaps["36.71.07"]``).
        regions: the region table naming the units (default: Kota Tangerang's).
        targets: reference lines, e.g. ``{"Target CPR": 70}``.
        ax: the matplotlib ``Axes`` to draw on (default: a new figure).
    """
    return draw(charts.cpr_by_region(recap, regions=regions, targets=targets), ax)


def method_mix(report: Any, *, ax: Any = None) -> Any:
    """PA by method (the contraceptive mix) of a village report or a recap: the reports' pie."""
    return draw(charts.method_mix(report), ax)


def trend(
    reports: Sequence[Any],
    *,
    indicators: Sequence[str] = ("cpr", "mcpr"),
    targets: Mapping[str, float] | None = None,
    ax: Any = None,
) -> Any:
    """Indicators month by month, with targets as reference lines: the reports' trend chart.

    Args:
        reports: one report or recap per month of one unit, oldest first
            (``[m.top for m in months]``).
        indicators: ``cpr``, ``mcpr``, ``mkjp``, ``kb_pria``, ``unmet_need`` (default: CPR, mCPR).
        targets: reference lines, e.g. ``{"Target CPR": 70}``.
        ax: the matplotlib ``Axes`` to draw on (default: a new figure).
    """
    return draw(charts.trend(reports, indicators=indicators, targets=targets), ax)
