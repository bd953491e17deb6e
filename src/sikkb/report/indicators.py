"""The indicators of the domain primer, for a village report, a recap (total and per row) or a view.

Every indicator is a :class:`~sikkb.report.cells.Ratio`; one with a zero or missing denominator (or a
missing numerator) is undefined — never 0, never an exception. The routine unmet need is a count.

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.report.village import VillageReport, detail_keys
    >>> v = dict.fromkeys(detail_keys(), 0)
    >>> v.update({"pa.IUD.SWASTA": 1, "pa.SUNTIK.PEMERINTAH": 2, "pa.TRADISIONAL.TANPA_TEMPAT": 1,
    ...           "bukan_peserta.IAT": 1, "bukan_peserta.HAMIL": 1})
    >>> ind = Indicators.of(VillageReport.from_form("3671071001", Period(2026, 10), v))
    >>> ind.cpr.percent, ind.mcpr.percent, ind.mkjp.percent, ind.unmet_need, ind.unmet_need_pct.percent
    (66.66666666666666, 50.0, 25.0, 1, 16.666666666666664)
    >>> ind.poktan_kb_of("BKB").defined, ind.kb_pria.percent
    (False, 0.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from sikkb.codes import JenisInstitusi, Metode, Poktan
from sikkb.report.cells import Ratio
from sikkb.report.recap import Recap

__all__ = [
    "HasValues",
    "Indicators",
    "cakupan_laporan",
    "cpr",
    "kb_pria",
    "mcpr",
    "mkjp",
    "pb_vs_ppm",
    "poktan_kb",
    "recap_indicators",
    "unmet_need",
    "unmet_need_pct",
]


class HasValues(Protocol):
    """Anything with item values: a village report, a recap (its total), a recap row, a view."""

    def value(self, element: str, disaggregation: str = "") -> int | None: ...


def _sum(values: Iterable[int | None]) -> int | None:
    total = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _methods(r: HasValues, which: Iterable[Metode]) -> int | None:
    return _sum(r.value("pa", m.code) for m in which)


def cpr(r: HasValues) -> Ratio:
    """CPR (cakupan PA): PA / PUS."""
    return Ratio.of(r.value("pa"), r.value("pus"))


def mcpr(r: HasValues) -> Ratio:
    """mCPR: PA of modern methods (all but TRADISIONAL) / PUS."""
    return Ratio.of(_methods(r, (m for m in Metode if m.modern)), r.value("pus"))


def mkjp(r: HasValues) -> Ratio:
    """% PA MKJP: (IUD + MOW + MOP + IMPLAN) / PA."""
    return Ratio.of(_methods(r, (m for m in Metode if m.mkjp)), r.value("pa"))


def unmet_need(r: HasValues) -> int | None:
    """Routine unmet need: IAT + TIAL (``None`` when either is not reported)."""
    return _sum((r.value("bukan_peserta", "IAT"), r.value("bukan_peserta", "TIAL")))


def unmet_need_pct(r: HasValues) -> Ratio:
    """% unmet need: (IAT + TIAL) / PUS."""
    return Ratio.of(unmet_need(r), r.value("pus"))


def kb_pria(r: HasValues) -> Ratio:
    """% KB pria: (MOP + KONDOM) / PA."""
    return Ratio.of(_methods(r, (m for m in Metode if m.pria)), r.value("pa"))


def cakupan_laporan(r: HasValues, jenis: JenisInstitusi | str) -> Ratio:
    """Cakupan laporan of one institution type: lapor / ada."""
    code = JenisInstitusi.parse(jenis).code
    return Ratio.of(r.value("institusi_lapor", code), r.value("institusi_ada", code))


def poktan_kb(r: HasValues, poktan: Poktan | str) -> Ratio:
    """PUS anggota Poktan ber-KB: ber-KB / PUS among members, for one Poktan."""
    code = Poktan.parse(poktan).code
    return Ratio.of(r.value("pus_anggota_kb", code), r.value("pus_anggota", code))


def pb_vs_ppm(pb_ytd: int | None, ppm: int | None) -> Ratio:
    """PB year-to-date / PPM (see :meth:`sikkb.report.Series.pb_vs_ppm`)."""
    return Ratio.of(pb_ytd, ppm)


@attrs.frozen(kw_only=True)
class Indicators:
    """Every indicator of one unit (a village report, a recap total or row, a period view)."""

    cpr: Ratio
    mcpr: Ratio
    mkjp: Ratio
    unmet_need: int | None
    unmet_need_pct: Ratio
    kb_pria: Ratio
    cakupan_laporan: tuple[tuple[str, Ratio], ...]
    poktan_kb: tuple[tuple[str, Ratio], ...]

    @classmethod
    def of(cls, r: HasValues) -> Indicators:
        return cls(
            cpr=cpr(r),
            mcpr=mcpr(r),
            mkjp=mkjp(r),
            unmet_need=unmet_need(r),
            unmet_need_pct=unmet_need_pct(r),
            kb_pria=kb_pria(r),
            cakupan_laporan=tuple((j.code, cakupan_laporan(r, j)) for j in JenisInstitusi),
            poktan_kb=tuple((p.code, poktan_kb(r, p)) for p in Poktan),
        )

    def cakupan_laporan_of(self, jenis: JenisInstitusi | str) -> Ratio:
        return dict(self.cakupan_laporan)[JenisInstitusi.parse(jenis).code]

    def poktan_kb_of(self, poktan: Poktan | str) -> Ratio:
        return dict(self.poktan_kb)[Poktan.parse(poktan).code]

    def _repr_html_(self) -> str:
        """Notebook view: see :func:`sikkb.views.display.indicators_html`."""
        from sikkb.views.display import indicators_html

        return indicators_html(self)


def recap_indicators(recap: Recap) -> tuple[Indicators, tuple[tuple[str, Indicators], ...]]:
    """A recap's indicators: for its total, and per child row (region code, indicators).

    A child that did not report has every indicator undefined.
    """
    return Indicators.of(recap), tuple((row.region, Indicators.of(row)) for row in recap.rows)
