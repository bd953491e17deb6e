"""Series: several months of one unit, quarter and year views, PB year-to-date against PPM.

A :class:`Series` holds the monthly values of one unit (a kelurahan's village reports, or a recap's
totals). Views over several months (:meth:`Series.quarter`, :meth:`Series.year`,
:meth:`Series.view`) aggregate each item by its kind: a STOCK takes the latest month of the range
that has a value; a FLOW sums the months that have one. A view says which months it saw, so a
partial quarter is visible (:attr:`PeriodView.complete`).

PPM targets (perkiraan permintaan masyarakat: the year's target of new participants) are data per
kelurahan or kecamatan and year: :class:`PPMTargets`.

Example:
    >>> from sikkb.periods import Period, Quarter
    >>> from sikkb.report.village import VillageReport
    >>> reps = [VillageReport.from_form("3671071001", Period(2026, m), {"pus": 10 + m, "pb.PIL": m})
    ...         for m in (1, 2, 3)]
    >>> s = Series.of(reps)
    >>> q = s.quarter(Quarter(2026, 1))
    >>> q.value("pus"), q.value("pb", "PIL"), q.complete
    (13, 6, True)
    >>> s.change("pus", Period(2026, 3)).delta, s.ytd("pb.PIL", Period(2026, 2))
    (1, 3)
    >>> t = PPMTargets.from_mapping({"3671071001": {2026: 12}})
    >>> s.pb_vs_ppm(t, Period(2026, 3), element="pb", disaggregation="PIL").percent
    50.0
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from sikkb.errors import InvalidRecordError
from sikkb.periods import Period, Quarter
from sikkb.regions import parse_region_code
from sikkb.report.cells import Ratio
from sikkb.report.items import CATALOGUE, Kind, item, item_key
from sikkb.report.village import ItemValues, ValuePairs, normalise_values

__all__ = ["Change", "PPMTarget", "PPMTargets", "PeriodView", "Series", "SeriesPoint"]


class _Monthly(Protocol):
    @property
    def region(self) -> str: ...

    @property
    def period(self) -> Period: ...

    def as_dict(self) -> dict[str, int]: ...


@attrs.frozen(kw_only=True)
class SeriesPoint:
    """One month of a series."""

    period: Period
    values: ValuePairs = attrs.field(default=(), converter=normalise_values)


def _points(value: Iterable[SeriesPoint]) -> tuple[SeriesPoint, ...]:
    pts = tuple(sorted(value, key=lambda p: p.period))
    for a, b in itertools.pairwise(pts):
        if a.period == b.period:
            raise InvalidRecordError("Series", "points", str(a.period), "month given twice")
    return pts


@attrs.frozen(kw_only=True)
class PeriodView(ItemValues):
    """Values of one unit over several months (a quarter, a year, or any range).

    Attributes:
        region: the unit.
        label: ``"2026Q4"``, ``"2026"`` or ``"2026-01..2026-05"``.
        months: the months of the range.
        reported: the months of the range the series has.
        values: aggregated values (stocks: latest month with a value; flows: sum).
    """

    region: str
    label: str
    months: tuple[Period, ...]
    reported: tuple[Period, ...]
    values: ValuePairs = attrs.field(default=(), converter=normalise_values)
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        self._set_index(self.values)

    @property
    def complete(self) -> bool:
        return len(self.reported) == len(self.months)


@attrs.frozen(kw_only=True)
class Change:
    """Month-over-month change of one item."""

    key: str
    period: Period
    previous: int | None
    current: int | None

    @property
    def delta(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def ratio(self) -> Ratio:
        """``delta / previous`` (undefined when the previous month is 0 or missing)."""
        return Ratio.of(self.delta, self.previous)


@attrs.frozen(kw_only=True)
class PPMTarget:
    """The PPM (target of new participants) of one kelurahan or kecamatan for one year."""

    region: str = attrs.field(converter=parse_region_code)
    year: int
    pb: int = attrs.field(validator=lambda _i, _a, v: _check_pb(v))


def _check_pb(value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidRecordError("PPMTarget", "pb", value, "must be a whole number ≥ 0")


def _targets(value: Iterable[PPMTarget]) -> tuple[PPMTarget, ...]:
    out = tuple(sorted(value, key=lambda t: (t.region, t.year)))
    for a, b in itertools.pairwise(out):
        if (a.region, a.year) == (b.region, b.year):
            raise InvalidRecordError("PPMTargets", "targets", f"{a.region} {a.year}", "given twice")
    return out


@attrs.frozen(kw_only=True)
class PPMTargets:
    """PPM targets per region and year."""

    targets: tuple[PPMTarget, ...] = attrs.field(default=(), converter=_targets)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Mapping[Any, Any]] | Sequence[Mapping[str, Any]]
    ) -> PPMTargets:
        """Load targets from ``{region: {year: pb}}`` or rows ``{"kode_wilayah", "tahun", "ppm"}``.

        Years and counts may be text (``"2026"``), as read from CSV or TOML.
        """
        out: list[PPMTarget] = []
        if isinstance(data, Mapping):
            for region, years in data.items():
                for year, pb in years.items():
                    out.append(PPMTarget(region=region, year=int(year), pb=_int(pb)))
        else:
            for row in data:
                out.append(
                    PPMTarget(
                        region=row["kode_wilayah"], year=int(row["tahun"]), pb=_int(row["ppm"])
                    )
                )
        return cls(targets=out)

    def get(self, region: str, year: int) -> int | None:
        code = parse_region_code(region)
        for t in self.targets:
            if t.region == code and t.year == year:
                return t.pb
        return None


def _int(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidRecordError("PPMTarget", "pb", value, "must be a whole number ≥ 0")


_KIND = {it.key: it.kind for it in CATALOGUE}


@attrs.frozen(kw_only=True)
class Series:
    """Monthly values of one unit, in period order (each month at most once)."""

    region: str = attrs.field(converter=parse_region_code)
    points: tuple[SeriesPoint, ...] = attrs.field(default=(), converter=_points)

    @classmethod
    def of(cls, reports: Iterable[_Monthly], *, region: str | None = None) -> Series:
        """A series from village reports or recaps of one unit.

        Raises:
            InvalidRecordError: reports of different units, or a month given twice.
        """
        reps = list(reports)
        regions = {r.region for r in reps} | ({parse_region_code(region)} if region else set())
        if len(regions) != 1:
            raise InvalidRecordError(
                "Series", "region", sorted(regions), "a series holds exactly one unit"
            )
        return cls(
            region=regions.pop(),
            points=[SeriesPoint(period=r.period, values=r.as_dict()) for r in reps],
        )

    @property
    def periods(self) -> tuple[Period, ...]:
        return tuple(p.period for p in self.points)

    def at(self, period: Period) -> SeriesPoint | None:
        for p in self.points:
            if p.period == period:
                return p
        return None

    def value(self, key: str, period: Period) -> int | None:
        """One item's value in one month (``None`` when that month or item is not reported)."""
        item(key)
        p = self.at(period)
        return None if p is None else dict(p.values).get(key)

    def history(self, key: str, before: Period | None = None) -> tuple[tuple[Period, int], ...]:
        """``(period, value)`` of the months that have a value, optionally only before a month."""
        item(key)
        out = []
        for p in self.points:
            if before is not None and p.period >= before:
                break
            v = dict(p.values).get(key)
            if v is not None:
                out.append((p.period, v))
        return tuple(out)

    def view(self, months: Iterable[Period], label: str | None = None) -> PeriodView:
        """Aggregate the given months: stocks take the latest month with a value, flows sum."""
        ms = tuple(sorted(set(months)))
        present = [p for p in self.points if p.period in set(ms)]
        values: dict[str, int] = {}
        for p in present:  # oldest first, so a later stock overwrites
            for k, v in p.values:
                if _KIND[k] is Kind.FLOW:
                    values[k] = values.get(k, 0) + v
                else:
                    values[k] = v
        if label is None:
            label = f"{ms[0]}..{ms[-1]}" if ms else ""
        return PeriodView(
            region=self.region,
            label=label,
            months=ms,
            reported=tuple(p.period for p in present),
            values=values,
        )

    def quarter(self, quarter: Quarter) -> PeriodView:
        return self.view(quarter.months, str(quarter))

    def year(self, year: int) -> PeriodView:
        return self.view((Period(year, m) for m in range(1, 13)), str(year))

    def ytd(self, key: str, upto: Period) -> int | None:
        """A flow item summed from January to ``upto`` (``None`` when no month has it)."""
        v = self.view(Period(upto.year, 1).range_to(upto))
        return v.as_dict().get(item(key).key)

    def change(self, key: str, period: Period) -> Change:
        """Change of an item from the previous month to ``period``."""
        k = item(key).key
        return Change(
            key=k,
            period=period,
            previous=self.value(k, period.previous()),
            current=self.value(k, period),
        )

    def pb_vs_ppm(
        self,
        targets: PPMTargets,
        upto: Period,
        *,
        element: str = "pb",
        disaggregation: str = "",
    ) -> Ratio:
        """PB year-to-date up to ``upto`` against the unit's PPM for that year (undefined without one)."""
        return Ratio.of(
            self.ytd(item_key(element, disaggregation), upto), targets.get(self.region, upto.year)
        )

    def __repr__(self) -> str:
        """A short summary: the unit and its months."""
        months = f"{self.points[0].period.iso}..{self.points[-1].period.iso}" if self.points else ""
        return f"Series(region={self.region!r}, months={len(self.points)}, {months})"

    def _repr_html_(self) -> str:
        """Notebook view: see :func:`sikkb.views.display.series_html`."""
        from sikkb.views.display import series_html

        return series_html(self)
