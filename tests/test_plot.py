"""sikkb.views.charts (the report charts as data) and sikkb.plot (the same charts in matplotlib)."""

from __future__ import annotations

import builtins
import functools
from typing import Any

import pytest

from sikkb.codes import Metode
from sikkb.errors import OptionalDependencyError, SikkbError
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.views import charts

OCT = Period(2026, 10)


@functools.cache
def months() -> list[MonthlyReports]:
    from sikkb.demo import demo_months

    return [build_month(r) for r in demo_months(OCT, 3, scale=0.005, kelurahan=["36.71.07"])]


def test_cpr_by_region_is_pa_over_pus_of_each_child() -> None:
    recap = months()[-1].top
    chart = charts.cpr_by_region(recap, targets={"Target CPR": 70})
    assert chart.kind == "bar" and chart.unit == "%" and chart.title == "CPR per kecamatan"
    assert len(chart.categories) == 13 and chart.categories[6] == "Karawaci"
    ((_name, values),) = chart.series
    karawaci = recap.row("36.71.07")
    assert values[6] == pytest.approx(100 * karawaci.value("pa") / karawaci.value("pus"))
    assert values[0] is None  # Tangerang (36.71.01) is not in this register: a gap, never 0
    assert chart.targets == (("Target CPR", 70.0),)


def test_method_mix_counts_pa_per_method_in_form_order() -> None:
    top = months()[-1].top
    chart = charts.method_mix(top)
    assert chart.categories == tuple(m.label_id for m in Metode)
    assert sum(chart.series[0][1]) == top.value("pa")
    assert chart.series[0][1][[m.code for m in Metode].index("SUNTIK")] == top.value("pa", "SUNTIK")


def test_trend_has_one_point_per_month_and_its_targets() -> None:
    tops = [m.top for m in months()]
    chart = charts.trend(tops, indicators=["cpr", "mkjp"], targets={"Target CPR": 70})
    assert chart.categories == ("Agu 26", "Sep 26", "Okt 26")
    assert [n for n, _ in chart.series] == ["CPR", "MKJP"]
    cpr = chart.series[0][1]
    assert cpr == pytest.approx([100 * t.value("pa") / t.value("pus") for t in tops])
    assert chart.title == "Tren CPR dan MKJP per bulan"
    with pytest.raises(ValueError, match="unknown indicator"):
        charts.trend(tops, indicators=["cpr", "tfr"])


def test_the_reports_draw_the_same_chart_data() -> None:
    """The PDF's charts come from the same functions as the notebook's."""
    pytest.importorskip("jinja2")
    from sikkb_exporters import ReportBundle
    from sikkb_exporters.layouts.sections import area_blocks, trend_chart

    ms = months()
    bundle = ReportBundle(report=ms[-1].top, children=ms[-1].kecamatan,
                          history=[m.top for m in ms[:-1]])  # fmt: skip
    blocks = area_blocks(bundle, ms[-1].top)
    bar = next(b for b in blocks if getattr(b, "kind", None) == "bar")
    data = charts.cpr_by_region(ms[-1].top)
    assert (bar.title, bar.categories, bar.series) == (data.title, data.categories, data.series)
    line = trend_chart(bundle)
    assert line.series == charts.trend([m.top for m in ms]).series


mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")


def test_plot_draws_the_chart_data() -> None:
    import matplotlib.pyplot as plt

    from sikkb import plot

    tops = [m.top for m in months()]
    ax = plot.trend(tops, targets={"Target CPR": 70})
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["CPR", "mCPR", "Target CPR"]
    assert list(lines[0].get_ydata()) == pytest.approx(list(charts.trend(tops).series[0][1]))
    assert ax.get_title(loc="left") == "Tren CPR dan mCPR per bulan"
    ax = plot.cpr_by_region(tops[-1])
    labels = [t.get_text() for t in ax.texts]
    assert "–" in labels  # a kecamatan without data
    assert any(t.endswith(" %") and "," in t for t in labels)  # Indonesian format
    bars = [p.get_width() for p in ax.patches]
    highest = max(v or 0 for v in charts.cpr_by_region(tops[-1]).series[0][1])
    assert len(bars) == 13 and max(bars) == pytest.approx(highest)
    _fig, axes = plt.subplots(1, 2)
    assert plot.method_mix(tops[-1], ax=axes[0]) is axes[0]
    assert len(axes[0].patches) == sum(1 for v in charts.method_mix(tops[-1]).series[0][1] if v)
    plt.close("all")


def test_plot_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from sikkb import plot

    real = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(OptionalDependencyError) as e:
        plot.method_mix(months()[-1].top)
    assert isinstance(e.value, SikkbError) and e.value.extra == "plot"
    assert "sikkb[plot]" in str(e.value)
