"""What an exporter's ``write()`` receives: the report and everything printed around it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

import attrs

from sikkb.outcome import Exclusion
from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb.report.series import PPMTargets
from sikkb.sop.asof import ReportingStatus
from sikkb_exporters.config import ReportConfig, ReportStyle

__all__ = ["RateLike", "Report", "ReportBundle"]

#: A report an exporter renders: a village report F/I/Dal or a recap (kecamatan, kota, province).
Report = VillageReport | Recap


class RateLike(Protocol):
    """A reporting-rate row (:class:`sikkb.sop.timeliness.ReportingRate` has this shape)."""

    @property
    def code(self) -> str: ...
    @property
    def expected(self) -> int: ...
    @property
    def actual(self) -> int: ...
    @property
    def actual_on_time(self) -> int: ...
    @property
    def reporting_rate(self) -> float | None: ...
    @property
    def on_time_rate(self) -> float | None: ...


def _history(value: Iterable[Report]) -> tuple[Report, ...]:
    return tuple(sorted(value, key=lambda r: r.period))


def _check_report(instance: object, attribute: object, value: Any) -> None:
    if not isinstance(value, VillageReport | Recap):
        raise TypeError(f"report must be a VillageReport or a Recap, not {type(value).__name__}")


def _recaps(items: Iterable[Recap]) -> tuple[Recap, ...]:
    return tuple(items)


def _rates(items: Iterable[RateLike]) -> tuple[RateLike, ...]:
    return tuple(items)


def _exclusions(items: Iterable[Exclusion]) -> tuple[Exclusion, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class ReportBundle:
    """A report with what the printed versions show around it.

    Only ``report`` is required; exporters show what is present and leave out the rest.

    Attributes:
        report: the village report or recap to render.
        regions: the region table the names come from (default: Kota Tangerang).
        config: letterhead, logo, signers and copy list.
        history: earlier months' reports or recaps of the same region, for trends.
        children: the lower recaps (kecamatan recaps under a city), for per-unit coverage.
        timeliness: reporting rates per unit (for example ``ReportingCycle.rates()``), shown in the
            kota report's timeliness table; when rates of several SOP steps are given, each unit's
            earliest step is shown.
        ppm: the yearly targets of new participants (PPM); when given, the kota, kecamatan and
            kelurahan reports show PB year-to-date (from ``history``) against the unit's target.
        signed_on: the date printed by the signature (default: a blank to fill in by hand).
        style: set by the registry from the :func:`~sikkb_exporters.hookspecs.sikkb_report_style` hook; overrides ``config``.
        status: the report set's coverage and timeliness as of one date
            (:class:`~sikkb.sop.asof.ReportingStatus`), computed once per run and shared by every
            document of the set; each prints its date, and its figures replace ``timeliness`` and
            the coverage counted from the reports.
        excluded: rows of the register left out because they carry errors (``--exclude-invalid``);
            every document states them.
    """

    report: Report = attrs.field(validator=_check_report)
    regions: RegionTable = attrs.field(factory=kota_tangerang)
    config: ReportConfig = attrs.field(factory=ReportConfig)
    history: tuple[Report, ...] = attrs.field(default=(), converter=_history)
    children: tuple[Recap, ...] = attrs.field(default=(), converter=_recaps)
    timeliness: tuple[RateLike, ...] = attrs.field(default=(), converter=_rates)
    ppm: PPMTargets | None = None
    signed_on: dt.date | None = None
    style: ReportStyle | None = None
    status: ReportingStatus | None = None
    excluded: tuple[Exclusion, ...] = attrs.field(default=(), converter=_exclusions)

    @property
    def level(self) -> Tingkat:
        """The report's level (a village report is KELURAHAN)."""
        r = self.report
        return Tingkat.KELURAHAN if isinstance(r, VillageReport) else r.tingkat

    @property
    def region_code(self) -> str:
        return self.report.region

    @property
    def period(self) -> Period:
        return self.report.period

    def name_of(self, code: str) -> str:
        """A region's name from the table; the code itself when the table does not know it."""
        return self.regions[code].name if code in self.regions else code
