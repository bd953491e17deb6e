"""The charts the reports carry, as data: what a notebook plots and the PDF reports draw.

Each function returns a :class:`ChartData` — kind, title, categories, series, unit — computed from
a report, recap or months of reports; it draws nothing and needs no plotting library.
:mod:`sikkb.plot` draws them with matplotlib, and the exporters' report charts (SVG in the PDF)
are built from the same functions, so a notebook and a report show the same numbers under the
same titles. Undefined values (a zero denominator, a unit that did not report) are ``None``: a
gap, never 0.

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.report import VillageReport, detail_keys
    >>> v = dict.fromkeys(detail_keys(), 0) | {"pa.SUNTIK.PEMERINTAH": 6, "pa.PIL.SWASTA": 2,
    ...                                         "bukan_peserta.HAMIL": 2}
    >>> mix = method_mix(VillageReport.from_form("36.71.07.1003", Period(2026, 10), v), "PA")
    >>> [(c, n) for c, n in zip(mix.categories, mix.series[0][1]) if n]
    [('Suntik', 6.0), ('Pil', 2.0)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

import attrs

from sikkb.codes import Metode
from sikkb.periods import MONTHS_ID, Period
from sikkb.regions import RegionTable, kota_tangerang
from sikkb.report import indicators as ind
from sikkb.report.cells import Ratio
from sikkb.report.recap import Recap

__all__ = [
    "PALETTE",
    "TREND_INDICATORS",
    "ChartData",
    "cpr_by_region",
    "method_mix",
    "month_label",
    "trend",
]

#: The colours of the charts, in series order (reports and notebooks alike).
PALETTE = (
    "#1f4e79", "#c9a227", "#2e8b57", "#b22222", "#6a5acd",
    "#ff8c00", "#008b8b", "#8b4513", "#708090", "#9acd32",
)  # fmt: skip

#: The indicators a trend can show, by id, with their series name and how each is computed.
TREND_INDICATORS: Mapping[str, tuple[str, Callable[[Any], Ratio]]] = {
    "cpr": ("CPR", ind.cpr),
    "mcpr": ("mCPR", ind.mcpr),
    "mkjp": ("MKJP", ind.mkjp),
    "kb_pria": ("KB pria", ind.kb_pria),
    "unmet_need": ("Unmet need", ind.unmet_need_pct),
}


class _Monthly(Protocol):
    @property
    def period(self) -> Period: ...

    def value(self, element: str, disaggregation: str = "") -> int | None: ...


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in value)


def _series(
    value: Iterable[tuple[str, Iterable[float | None]]],
) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    return tuple((str(name), tuple(vs)) for name, vs in value)


def _targets(
    value: Iterable[tuple[str, float]] | Mapping[str, float],
) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), float(v)) for k, v in items)


@attrs.frozen(kw_only=True)
class ChartData:
    """A chart as data: bar (one bar per category), pie (shares) or line (series over periods).

    Attributes:
        kind: ``bar``, ``pie`` or ``line``.
        title: the caption (Indonesian, as in the reports).
        categories: the bars, slices or periods.
        series: ``(name, values)`` pairs, one value per category; ``None`` is a gap.
        unit: ``"%"`` for percentages, ``""`` for counts.
        targets: reference lines ``(label, value)``, e.g. a CPR target of 70 %.
    """

    kind: Literal["bar", "pie", "line"]
    title: str
    categories: tuple[str, ...] = attrs.field(converter=_strs)
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = attrs.field(converter=_series)
    unit: str = ""
    targets: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_targets)


def _float(v: int | None) -> float | None:
    return None if v is None else float(v)


def month_label(p: Period) -> str:
    """``Okt 26``: a month as the charts label it."""
    return f"{MONTHS_ID[p.month - 1][:3]} {p.year % 100:02d}"


def cpr_by_region(
    recap: Recap,
    *,
    regions: RegionTable | None = None,
    name_of: Callable[[str], str] | None = None,
    child_word: str | None = None,
    targets: Mapping[str, float] | None = None,
) -> ChartData:
    """CPR of each child unit of a recap (each kecamatan of the city, each kelurahan of a
    kecamatan), as bars in the recap's row order; a unit that did not report is a gap.

    Args:
        recap: the recap.
        regions: the region table naming the units (default: Kota Tangerang's).
        name_of: how to name a unit instead (the reports pass their own).
        child_word: the units' word in the title (default: ``kecamatan`` / ``kelurahan``).
        targets: reference lines, e.g. ``{"Target CPR": 70}``.
    """
    if name_of is None:
        table = regions if regions is not None else kota_tangerang()

        def name_of(code: str) -> str:
            return table[code].name if code in table else code

    word = child_word or recap.child_tingkat.name.lower()
    return ChartData(
        kind="bar",
        title=f"CPR per {word}",
        categories=[name_of(r.region) for r in recap.rows],
        series=[("CPR", [ind.cpr(r).percent for r in recap.rows])],
        unit="%",
        targets=targets or (),
    )


def method_mix(
    report: Any, title: str = "Peserta KB aktif menurut metode (mix kontrasepsi)"
) -> ChartData:
    """PA by method (the contraceptive mix) of a village report or a recap, in form order."""
    return ChartData(
        kind="pie",
        title=title,
        categories=[m.label_id for m in Metode],
        series=[("PA", [_float(report.value("pa", m.code)) for m in Metode])],
    )


def trend(
    reports: Sequence[_Monthly],
    *,
    indicators: Sequence[str] = ("cpr", "mcpr"),
    targets: Mapping[str, float] | None = None,
    title: str | None = None,
) -> ChartData:
    """Indicators month by month (oldest first), as lines; with ``targets`` as reference lines.

    Args:
        reports: one report or recap per month, of the same unit, oldest first.
        indicators: ids from :data:`TREND_INDICATORS` (default: CPR and mCPR, as the reports).
        targets: reference lines, e.g. ``{"Target CPR": 70}``.
        title: the caption (default: ``Tren CPR dan mCPR per bulan``).
    """
    unknown = [i for i in indicators if i not in TREND_INDICATORS]
    if unknown:
        raise ValueError(f"unknown indicator(s) {unknown}; known: {', '.join(TREND_INDICATORS)}")
    names = [TREND_INDICATORS[i][0] for i in indicators]
    return ChartData(
        kind="line",
        title=title or f"Tren {' dan '.join(names)} per bulan",
        categories=[month_label(r.period) for r in reports],
        series=[
            (TREND_INDICATORS[i][0], [TREND_INDICATORS[i][1](r).percent for r in reports])
            for i in indicators
        ],
        unit="%",
        targets=targets or (),
    )
