"""Recaps: Rek.Kec (kecamatan), Rek.Kab/Kota and the province recap.

A :class:`Recap` has one :class:`RecapRow` per child unit expected by the region table (a kelurahan's
village report, or a lower recap's total), in code order. A child that did not report is a row with
``reported=False`` and no values: its cells are *not reported*, never zero. The total holds the sum
over the children that have a value, and its cells say how many children they cover
(:meth:`Recap.cell`). :attr:`Recap.coverage` gives the reporting coverage per child level (units
expected, units that reported, %), as in New SIGA's "Tabel 1 — cakupan laporan".

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.regions import kota_tangerang
    >>> from sikkb.report.village import VillageReport
    >>> p = Period(2026, 10)
    >>> a = VillageReport.from_form("36.71.07.1001", p, {"bukan_peserta.HAMIL": 2})
    >>> b = VillageReport.from_form("36.71.07.1002", p, {"bukan_peserta.HAMIL": 3})
    >>> rek = Recap.build("36.71.07", p, [a, b], kota_tangerang())
    >>> rek.value("bukan_peserta", "HAMIL"), rek.cell("bukan_peserta.HAMIL").covers
    (5, 2)
    >>> c = rek.coverage[0]; (c.tingkat.name, c.expected, c.reported, round(c.percent.percent or 0, 1))
    ('KELURAHAN', 16, 2, 12.5)
    >>> rek.row("36.71.07.1003").reported, rek.row("36.71.07.1003").cell("pus").status.name
    (False, 'NOT_REPORTED')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from sikkb.errors import RecapInputError
from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat, parse_region_code
from sikkb.report.cells import Cell, Ratio
from sikkb.report.items import CATALOGUE, Item, Section, item_key
from sikkb.report.village import ItemValues, ValuePairs, VillageReport, cell_of, normalise_values

__all__ = ["Coverage", "Recap", "RecapRow", "sum_values"]

_ORDER = {it.key: it.order for it in CATALOGUE}


def _tingkat(code: str) -> Tingkat:
    return Tingkat(code.count(".") + 1)


@attrs.frozen(kw_only=True)
class RecapRow(ItemValues):
    """One child unit's row in a recap.

    Attributes:
        region: the child's region code.
        reported: whether the child reported (a lower recap reports when any unit below it did).
        values: the child's item values (its report, or its recap's total); empty when not reported.
    """

    region: str = attrs.field(converter=parse_region_code)
    reported: bool
    values: ValuePairs = attrs.field(default=(), converter=normalise_values)
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        self._set_index(self.values)


@attrs.frozen(kw_only=True)
class Coverage:
    """Reporting coverage at one child level: units expected, units that reported, and the ratio."""

    tingkat: Tingkat
    expected: int
    reported: int

    @property
    def percent(self) -> Ratio:
        """``reported / expected`` (undefined when nothing is expected)."""
        return Ratio.of(self.reported, self.expected)

    @property
    def complete(self) -> bool:
        return self.reported == self.expected


def sum_values(rows: Iterable[Mapping[str, int]]) -> tuple[dict[str, int], dict[str, int]]:
    """Item-wise sums over ``rows`` and, per item, how many rows had a value."""
    total: dict[str, int] = {}
    covers: dict[str, int] = {}
    for row in rows:
        for k, v in row.items():
            total[k] = total.get(k, 0) + v
            covers[k] = covers.get(k, 0) + 1
    return total, covers


def _rows(value: Iterable[RecapRow]) -> tuple[RecapRow, ...]:
    return tuple(value)


def _coverage(value: Iterable[Coverage]) -> tuple[Coverage, ...]:
    return tuple(value)


def _check_not_kelurahan(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value.count(".") == 3:
        raise RecapInputError(value, None, "a recap belongs to a kecamatan, kab/kota or province")


@attrs.frozen(kw_only=True)
class Recap:
    """A recap of one region and month over its child units.

    Attributes:
        region: the recap's region code (kecamatan, kab/kota or province).
        period: the month.
        rows: one row per expected child unit, in code order.
        total: ``(item key, value)`` pairs of the total row. Built recaps hold Σ children; a recap
            typed in by hand may disagree, which the report rule pack (``rekap-sama-jumlah-anak``)
            finds.
        coverage: reporting coverage per child level, from the direct children down to kelurahan.
    """

    region: str = attrs.field(converter=parse_region_code, validator=_check_not_kelurahan)
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    rows: tuple[RecapRow, ...] = attrs.field(converter=_rows)
    total: ValuePairs = attrs.field(default=(), converter=normalise_values)
    coverage: tuple[Coverage, ...] = attrs.field(default=(), converter=_coverage)
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _covers: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", dict(self.total))
        object.__setattr__(self, "_covers", sum_values(r.as_dict() for r in self.rows)[1])

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        region: str,
        period: Period,
        children: Iterable[VillageReport | Recap],
        regions: RegionTable,
    ) -> Recap:
        """Recap a region's children: village reports for a kecamatan, recaps above that.

        Every child the region table expects gets a row; a child not given is *not reported*.

        Raises:
            RecapInputError: a child belongs elsewhere, is of the wrong level or month, or is given
                twice.
            UnknownRegionError: ``region`` or a child is not in ``regions``.
        """
        code = regions.get(region).code
        tier = _tingkat(code)
        if tier is Tingkat.KELURAHAN:
            raise RecapInputError(
                code, None, "a recap belongs to a kecamatan, kab/kota or province"
            )
        expected = regions.children(code)
        by_code: dict[str, VillageReport | Recap] = {}
        for given in children:
            c = given.region
            if given.period != period:
                raise RecapInputError(
                    code, c, f"child is for {given.period}, the recap for {period}"
                )
            if c.rsplit(".", 1)[0] != code:
                raise RecapInputError(code, c, "child does not belong to this region")
            regions.get(c)
            if c in by_code:
                raise RecapInputError(code, c, "child given twice")
            by_code[c] = given
        rows: list[RecapRow] = []
        # coverage per level below: tingkat -> [expected, reported]
        cov: dict[Tingkat, list[int]] = {}
        for r in expected:
            child = by_code.get(r.code)
            if isinstance(child, VillageReport):
                rows.append(RecapRow(region=r.code, reported=True, values=child.values))
                _add(cov, Tingkat.KELURAHAN, 1, 1)
            elif isinstance(child, Recap):
                rep = child.reported
                rows.append(
                    RecapRow(region=r.code, reported=rep, values=child.total if rep else ())
                )
                _add(cov, r.tingkat, 1, int(rep))
                for lower in child.coverage:
                    _add(cov, lower.tingkat, lower.expected, lower.reported)
            else:
                rows.append(RecapRow(region=r.code, reported=False))
                _add(cov, r.tingkat, 1, 0)
                for t in Tingkat:
                    if t.value > r.tingkat.value:
                        _add(cov, t, len(regions.descendants(r.code, t)), 0)
        total, _ = sum_values(row.as_dict() for row in rows)
        coverage = tuple(
            Coverage(tingkat=t, expected=e, reported=n)
            for t, (e, n) in sorted(cov.items(), key=lambda kv: kv[0].value)
        )
        return cls(region=code, period=period, rows=rows, total=total, coverage=coverage)

    @classmethod
    def build_city(
        cls,
        region: str,
        period: Period,
        village_reports: Iterable[VillageReport],
        regions: RegionTable,
    ) -> Recap:
        """A kab/kota (or province) recap straight from village reports, via the kecamatan recaps."""
        return cls.build_tree(region, period, village_reports, regions)[parse_region_code(region)]

    @classmethod
    def build_tree(
        cls,
        region: str,
        period: Period,
        village_reports: Iterable[VillageReport],
        regions: RegionTable,
    ) -> dict[str, Recap]:
        """Every recap from kecamatan up to ``region``, keyed by region code (bottom-up order).

        Raises:
            RecapInputError: a village report lies outside ``region`` (or is of another month).
        """
        top = regions.get(region).code
        reports = list(village_reports)
        by_parent: dict[str, list[VillageReport | Recap]] = {}
        for rep in reports:
            if not rep.region.startswith(top + "."):
                raise RecapInputError(
                    top, rep.region, "village report does not belong to this region"
                )
            by_parent.setdefault(rep.region.rsplit(".", 1)[0], []).append(rep)
        out: dict[str, Recap] = {}
        for tier in (Tingkat.KECAMATAN, Tingkat.KABKOTA, Tingkat.PROVINSI):
            if tier.value < _tingkat(top).value:
                continue
            units = (
                [regions.get(top)]
                if tier is _tingkat(top)
                else list(regions.descendants(top, tier))
            )
            for u in units:
                rec = cls.build(u.code, period, by_parent.get(u.code, ()), regions)
                out[u.code] = rec
                if u.parent_code is not None:
                    by_parent.setdefault(u.parent_code, []).append(rec)
        return out

    # -- accessors ---------------------------------------------------------------------------

    @property
    def tingkat(self) -> Tingkat:
        return _tingkat(self.region)

    @property
    def child_tingkat(self) -> Tingkat:
        return Tingkat(self.tingkat.value + 1)

    @property
    def reported(self) -> bool:
        """At least one child reported."""
        return any(r.reported for r in self.rows)

    @property
    def not_reported(self) -> tuple[str, ...]:
        """Codes of the children that did not report."""
        return tuple(r.region for r in self.rows if not r.reported)

    def row(self, region: str) -> RecapRow:
        c = parse_region_code(region)
        for r in self.rows:
            if r.region == c:
                return r
        raise KeyError(c)

    def value(self, element: str, disaggregation: str = "") -> int | None:
        """The total row's number for an item (``None`` when no child reported it)."""
        return self.cell(element, disaggregation).value

    def cell(self, element: str, disaggregation: str = "") -> Cell:
        """The total row's cell, saying how many children it covers of how many expected."""
        c = cell_of(self._index, element, disaggregation)
        if not c.is_value:
            return c
        key = item_key(element, disaggregation)
        return Cell.of(c.value, covers=self._covers.get(key, 0), expected=len(self.rows))

    def as_dict(self) -> dict[str, int]:
        return dict(self._index)

    def coverage_at(self, tingkat: Tingkat) -> Coverage | None:
        for c in self.coverage:
            if c.tingkat is tingkat:
                return c
        return None

    def sections(self) -> tuple[tuple[Section, tuple[tuple[Item, Cell], ...]], ...]:
        """Every section with its items and total cells, in form order."""
        return tuple(
            (s, tuple((it, self.cell(it.key)) for it in CATALOGUE if it.section is s))
            for s in Section
        )

    def canonical(self) -> dict[str, Any]:
        """The content as a canonical JSON-ready dict (the input of a content hash)."""
        return {
            "region": self.region,
            "period": self.period.iso,
            "rows": [
                {"region": r.region, "reported": r.reported, "values": dict(r.values)}
                for r in self.rows
            ],
            "total": dict(self.total),
            "coverage": [
                {"tingkat": c.tingkat.name, "expected": c.expected, "reported": c.reported}
                for c in self.coverage
            ],
        }

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a pandas data frame (see :func:`sikkb.views.frames.to_pandas`)."""
        from sikkb.views.frames import to_pandas

        return to_pandas(self, form, **options)

    def to_polars(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a polars data frame (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, form, **options)

    def _repr_html_(self) -> str:
        from sikkb.views.display import recap_html

        return recap_html(self)


def _add(cov: dict[Tingkat, list[int]], t: Tingkat, expected: int, reported: int) -> None:
    e = cov.setdefault(t, [0, 0])
    e[0] += expected
    e[1] += reported
