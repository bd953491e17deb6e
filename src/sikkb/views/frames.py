"""Data frames for notebooks: registers, reports, findings, schedules and timeliness tables.

:func:`to_pandas` and :func:`to_polars` turn a sikkb object into a pandas or polars data frame;
:func:`to_records` gives the same rows as plain dicts (no library needed). pandas and polars are
optional (``pip install 'sikkb[pandas]'`` / ``'sikkb[polars]'``) and imported only when asked for;
without them the functions raise :class:`~sikkb.errors.OptionalDependencyError`.

What each object becomes:

- **Reports** — a :class:`~sikkb.report.VillageReport`, a :class:`~sikkb.report.Recap` (its total
  row, or with ``children=True`` its child rows), a :class:`~sikkb.report.Series`, a
  :class:`~sikkb.pipeline.MonthlyReports` (every village report and every recap total) or a list
  of them:

  - ``form="long"`` (the default): one row per unit, month and reported item, with the columns
    ``region, region_name, level, period, item, element, disaggregation, label_id, label_en,
    value, kind, section, total``. An item that is not reported has no row (never a zero).
    ``total`` marks the form's totals (``pa``, ``pa.SUNTIK``, ``pus`` ...): sum only the rows with
    ``total == False`` of one element, or pick the total row, never both.
  - ``form="wide"``: one row per unit and month (``region, region_name, level, period``) and one
    column per catalogue item key in form order; a cell not reported is empty (null), never 0.

- **Registers** (:class:`~sikkb.register.Register`): one frame per table (a dict ``table → frame``),
  or the frame of ``table=`` alone. Personal data is protected unless ``personal=True`` is passed
  explicitly: NIKs are masked with :func:`~sikkb.nik.mask_nik`, names are dropped and the wife's
  birth date is reduced to its year (``tahun_lahir_istri``). The ``pus`` frame carries the
  family's ``kode_wilayah`` so that couples can be grouped by kelurahan.
- **Findings** (:class:`~sikkb.rules.Findings` or a list of :class:`~sikkb.rules.Finding`): one row
  per finding: ``rule, severity``, the location parts, ``message_id, message_en, hint_id, hint_en,
  found, expected``.
- **SOP**: a :class:`~sikkb.sop.schedule.Schedule` (one row per step) and lists of
  :class:`~sikkb.sop.timeliness.StepStatus`, :class:`~sikkb.sop.timeliness.ReportingRate` or
  :class:`~sikkb.sop.timeliness.Reminder`.

Periods are ``YYYY-MM`` text, codes are their text codes, dates stay dates.

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.report import VillageReport, detail_keys
    >>> values = dict.fromkeys(detail_keys(), 0) | {"pa.SUNTIK.PEMERINTAH": 5, "pa.PIL.SWASTA": 2}
    >>> r = VillageReport.from_form("36.71.07.1003", Period(2026, 10), values)
    >>> rows = to_records(r)
    >>> [(x["item"], x["value"], x["total"]) for x in rows if x["element"] == "pa" and x["value"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('pa', 7, True), ('pa.SUNTIK', 5, True), ('pa.PIL', 2, True), ('pa.PEMERINTAH', 5, True),
     ('pa.SWASTA', 2, True), ('pa.SUNTIK.PEMERINTAH', 5, False), ('pa.PIL.SWASTA', 2, False)]
    >>> rows[0]["region_name"], rows[0]["level"], rows[0]["period"]
    ('Karawaci Baru', 'kelurahan', '2026-10')
    >>> wide = to_records(r, form="wide")
    >>> wide[0]["pa.SUNTIK"], wide[0]["pus"]
    (5, 7)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from sikkb.errors import OptionalDependencyError
from sikkb.nik import mask_nik
from sikkb.periods import Period
from sikkb.regions import RegionTable, kota_tangerang, tingkat_of
from sikkb.register import TABLES, Register
from sikkb.report.items import CATALOGUE, not_applicable_keys
from sikkb.report.recap import Recap
from sikkb.report.series import Series
from sikkb.report.village import VillageReport
from sikkb.rules.engine import Finding, Findings

__all__ = ["Form", "to_pandas", "to_polars", "to_records"]

#: ``"long"``: one row per unit, month and item; ``"wide"``: one row per unit and month.
Form = Literal["long", "wide"]

_LONG = (
    "region", "region_name", "level", "period", "item", "element", "disaggregation",
    "label_id", "label_en", "value", "kind", "section", "total",
)  # fmt: skip
_UNIT = ("region", "region_name", "level", "period")
_WIDE_KEYS = tuple(it.key for it in CATALOGUE if it.key not in not_applicable_keys())
_FINDING = (
    "rule", "severity", "source", "table", "row", "column", "value", "region", "period", "item",
    "message_id", "message_en", "hint_id", "hint_en", "found", "expected",
)  # fmt: skip
#: Register columns that hold names (dropped unless ``personal=True``) and NIKs (masked).
_NAMES = frozenset({"nama_kepala_keluarga", "nama_istri", "nama_suami"})
_NIKS = frozenset({"nik_istri", "nik_suami"})


@attrs.frozen
class _Table:
    """Rows under named columns; ``ints`` / ``dates`` are the integer / date columns that may be null."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    ints: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


# -- public functions ----------------------------------------------------------------------------


def to_records(
    obj: Any,
    form: Form = "long",
    *,
    table: str | None = None,
    personal: bool = False,
    regions: RegionTable | None = None,
    children: bool = False,
) -> Any:
    """The rows :func:`to_pandas` would make, as a list of dicts (a dict of lists for a register).

    Arguments as for :func:`to_pandas`.
    """
    return _each(_tables(obj, form, table, personal, regions, children), _Table.records)


def to_pandas(
    obj: Any,
    form: Form = "long",
    *,
    table: str | None = None,
    personal: bool = False,
    regions: RegionTable | None = None,
    children: bool = False,
) -> Any:
    """A pandas ``DataFrame`` of a report, recap, register, findings, schedule or timeliness table.

    Args:
        obj: what to convert (see the module documentation for the objects accepted).
        form: for reports: ``"long"`` (one row per item) or ``"wide"`` (one row per unit and month).
        table: for a register: the one table wanted (``"keluarga"``, ``"pus"``, ``"institusi"``,
            ``"kegiatan"``); default: a dict of all four.
        personal: for a register: keep names and full NIKs and birth dates. Personal data under
            UU 27/2022; only pass it when the analysis needs it and the output stays protected.
        regions: the region table giving the ``region_name`` column (default: Kota Tangerang's).
        children: for a recap: one row set per child unit instead of the total.

    Returns:
        A ``pandas.DataFrame`` (a ``dict`` of them for a register without ``table``). Integer
        columns that may be empty use pandas' nullable ``Int64``.

    Raises:
        OptionalDependencyError: pandas is not installed (``pip install 'sikkb[pandas]'``).
        TypeError: ``obj`` is not something this function converts.
        ValueError: an unknown ``form`` or ``table``.
    """
    pd = _import("pandas", "to_pandas()")

    def frame(t: _Table) -> Any:
        df = pd.DataFrame.from_records(t.rows, columns=list(t.columns))
        for c in t.ints:
            df[c] = df[c].astype("Int64")
        return df

    return _each(_tables(obj, form, table, personal, regions, children), frame)


def to_polars(
    obj: Any,
    form: Form = "long",
    *,
    table: str | None = None,
    personal: bool = False,
    regions: RegionTable | None = None,
    children: bool = False,
) -> Any:
    """A polars ``DataFrame``; arguments and columns as for :func:`to_pandas`.

    Raises:
        OptionalDependencyError: polars is not installed (``pip install 'sikkb[polars]'``).
        TypeError: ``obj`` is not something this function converts.
        ValueError: an unknown ``form`` or ``table``.
    """
    pl = _import("polars", "to_polars()")

    def frame(t: _Table) -> Any:
        typed = dict.fromkeys(t.ints, pl.Int64) | dict.fromkeys(t.dates, pl.Date)
        if not t.rows:
            return pl.DataFrame(schema={c: typed.get(c, pl.Null) for c in t.columns})
        df = pl.DataFrame(t.rows, schema=list(t.columns), orient="row", infer_schema_length=None)
        return df.with_columns([pl.col(c).cast(d) for c, d in typed.items()])

    return _each(_tables(obj, form, table, personal, regions, children), frame)


def _each(tables: _Table | dict[str, _Table], convert: Callable[[_Table], Any]) -> Any:
    """``convert`` applied to one table, or to each table of a register's dict."""
    if isinstance(tables, dict):
        return {name: convert(t) for name, t in tables.items()}
    return convert(tables)


def _import(module: str, feature: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise OptionalDependencyError(feature, module, module) from None


# -- dispatch ----------------------------------------------------------------------------------


def _tables(
    obj: Any,
    form: str,
    table: str | None,
    personal: bool,
    regions: RegionTable | None,
    children: bool,
) -> _Table | dict[str, _Table]:
    if form not in ("long", "wide"):
        raise ValueError(f"form must be 'long' or 'wide', not {form!r}")
    if isinstance(obj, Register):
        return _register(obj, table, personal)
    if table is not None:
        raise ValueError("table= is for a register")
    if isinstance(obj, Findings | Finding):
        return _findings([obj] if isinstance(obj, Finding) else list(obj))
    from sikkb.sop.schedule import Schedule

    if isinstance(obj, Schedule):
        return _schedule(obj)
    if isinstance(obj, Iterator):
        obj = list(obj)  # a one-shot iterator is read twice below (units, then other rows)
    units = _units(obj, children)
    if units is not None:
        names = _Names(regions)
        return _long(units, names) if form == "long" else _wide(units, names)
    if isinstance(obj, Iterable) and not isinstance(obj, str | bytes | Mapping):
        items = list(obj)
        if items and all(isinstance(f, Finding) for f in items):
            return _findings(items)
        sop_table = _sop_rows(items, regions)
        if sop_table is not None:
            return sop_table
        if not items:
            return _Table(columns=(), rows=[])
    raise TypeError(
        f"cannot make a data frame of {type(obj).__name__}: expected a register, report, recap, "
        "series, MonthlyReports, findings, schedule, or a list of reports, step statuses, "
        "reporting rates or reminders"
    )


#: One unit-month: region, period and ``key → value``.
_Unit = tuple[str, Period, Mapping[str, int]]


def _units(obj: Any, children: bool) -> list[_Unit] | None:
    """The unit-months of a report-like object (or a list of them), ``None`` if it is not one."""
    from sikkb.pipeline import MonthlyReports

    if isinstance(obj, VillageReport):
        return [(obj.region, obj.period, obj.as_dict())]
    if isinstance(obj, Recap):
        if children:
            return [(r.region, obj.period, r.as_dict()) for r in obj.rows if r.reported]
        return [(obj.region, obj.period, obj.as_dict())]
    if isinstance(obj, Series):
        return [(obj.region, p.period, dict(p.values)) for p in obj.points]
    if isinstance(obj, MonthlyReports):
        out: list[_Unit] = [(v.region, v.period, v.as_dict()) for v in obj.villages]
        out += [(r.region, r.period, r.as_dict()) for r in obj.recaps.values()]
        return sorted(out, key=lambda u: (u[0], u[1]))
    if isinstance(obj, Iterable) and not isinstance(obj, str | bytes | Mapping):
        items = list(obj) if not isinstance(obj, list) else obj
        if not items:
            return None
        kinds = (VillageReport, Recap, Series, MonthlyReports)
        if not all(isinstance(x, kinds) for x in items):
            return None
        units: list[_Unit] = []
        for x in items:
            units += _units(x, children) or []
        return units
    return None


class _Names:
    """Region names from a region table (``None`` for a code the table does not know)."""

    def __init__(self, regions: RegionTable | None) -> None:
        self.table = regions if regions is not None else kota_tangerang()

    def __call__(self, code: str) -> str | None:
        return self.table[code].name if code in self.table else None


def _long(units: Sequence[_Unit], names: _Names) -> _Table:
    rows: list[tuple[Any, ...]] = []
    for region, period, values in units:
        name, level = names(region), tingkat_of(region).name.lower()
        for it in CATALOGUE:
            v = values.get(it.key)
            if v is None:
                continue
            rows.append((
                region, name, level, period.iso, it.key, it.element, it.disaggregation,
                it.label.id, it.label.en, v, it.kind.value, it.section.value, it.is_total,
            ))  # fmt: skip
    return _Table(columns=_LONG, rows=rows)


def _wide(units: Sequence[_Unit], names: _Names) -> _Table:
    rows = [
        (region, names(region), tingkat_of(region).name.lower(), period.iso,
         *(values.get(k) for k in _WIDE_KEYS))
        for region, period, values in units
    ]  # fmt: skip
    return _Table(columns=(*_UNIT, *_WIDE_KEYS), rows=rows, ints=frozenset(_WIDE_KEYS))


def _findings(items: Sequence[Finding]) -> _Table:
    rows = []
    for f in items:
        loc = f.location
        rows.append((
            f.rule_id, f.severity.value, loc.source, loc.table, loc.row, loc.column, loc.value,
            loc.region, loc.period.iso if loc.period is not None else None, loc.item,
            f.message.id, f.message.en, f.hint.id, f.hint.en, f.found, f.expected,
        ))  # fmt: skip
    return _Table(columns=_FINDING, rows=rows, ints=frozenset({"row"}))


# -- registers ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A record field as a frame cell: codes as text, sets as ``A,B`` in form order."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set):
        members: list[Any] = list(value)
        if members and all(isinstance(m, enum.Enum) for m in members):
            kind: type[enum.Enum] = type(members[0])
            order = {m: i for i, m in enumerate(kind)}
            return ",".join(str(m.value) for m in sorted(members, key=order.__getitem__))
        return ",".join(sorted(str(m) for m in members))
    if isinstance(value, Period):
        return value.iso
    return value


def _register(reg: Register, table: str | None, personal: bool) -> _Table | dict[str, _Table]:
    if table is not None and table not in TABLES:
        raise ValueError(f"unknown register table {table!r} (use {', '.join(TABLES)})")
    wanted = [table] if table is not None else list(TABLES)
    out = {name: _register_table(reg, name, personal) for name in wanted}
    return out[table] if table is not None else out


def _register_table(reg: Register, name: str, personal: bool) -> _Table:
    fields = [f.name for f in attrs.fields(TABLES[name])]
    columns: list[str] = []
    for f in fields:
        if f in _NAMES and not personal:
            continue
        if f == "tanggal_lahir_istri" and not personal:
            columns.append("tahun_lahir_istri")
            continue
        columns.append(f)
    families = reg.keluarga_by_kode if name == "pus" else {}
    if name == "pus":
        columns.insert(1, "kode_wilayah")
    rows = []
    for rec in reg.table(name):
        row: list[Any] = []
        for c in columns:
            if c == "kode_wilayah" and name == "pus":
                fam = families.get(rec.kode_keluarga)
                row.append(fam.kode_wilayah if fam is not None else None)
            elif c == "tahun_lahir_istri":
                row.append(rec.tanggal_lahir_istri.year)
            elif c in _NIKS and not personal:
                nik = getattr(rec, c)
                row.append(None if nik is None else mask_nik(nik))
            else:
                row.append(_cell(getattr(rec, c)))
        rows.append(tuple(row))
    ints = frozenset({"row", "jumlah_anak", "rw", "rt"} & set(columns))
    dates = frozenset({"tanggal_lahir_istri"} & set(columns))
    return _Table(columns=tuple(columns), rows=rows, ints=ints, dates=dates)


# -- SOP -----------------------------------------------------------------------------------------


def _schedule(s: Any) -> _Table:
    columns = (
        "sop", "period", "step", "responsible", "start", "due", "on_time_until", "locked_after",
        "completed_by", "depends_on",
    )  # fmt: skip
    rows = [
        (s.sop_number, s.period.iso, st.number, st.responsible, st.start, st.due,
         st.on_time_until, st.locked_after, st.completed_by.value,
         ",".join(str(d) for d in st.depends_on))
        for st in s.steps
    ]  # fmt: skip
    dates = frozenset({"start", "due", "on_time_until", "locked_after"})
    return _Table(columns=columns, rows=rows, dates=dates)


def _sop_rows(items: Sequence[Any], regions: RegionTable | None) -> _Table | None:
    from sikkb.sop.timeliness import Reminder, ReportingRate, StepStatus

    if not items:
        return None
    names = _Names(regions)
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    if all(isinstance(x, StepStatus) for x in items):
        columns = (
            "unit", "unit_name", "period", "step", "lane", "due", "on_time_until", "done_on",
            "status", "status_id", "status_en", "locked", "days_late",
        )  # fmt: skip
        rows = [
            (x.unit, names(x.unit), x.period.iso, x.step, x.lane, x.due, x.on_time_until,
             x.done_on, x.status.value, x.status.label_id, x.status.label_en, x.locked,
             _days_late(x.done_on, x.on_time_until))
            for x in items
        ]  # fmt: skip
        dates = frozenset({"due", "on_time_until", "done_on"})
        return _Table(columns=columns, rows=rows, ints=frozenset({"days_late"}), dates=dates)
    if all(isinstance(x, ReportingRate) for x in items):
        columns = (
            "region", "region_name", "level", "step", "expected", "actual", "actual_on_time",
            "late", "missing", "pending", "reporting_rate", "on_time_rate",
        )  # fmt: skip
        rows = [
            (x.code, names(x.code), x.tingkat.name.lower(), x.step, x.expected, x.actual,
             x.actual_on_time, x.late, x.missing, x.pending, x.reporting_rate, x.on_time_rate)
            for x in items
        ]  # fmt: skip
        return _Table(columns=columns, rows=rows)
    if all(isinstance(x, Reminder) for x in items):
        columns = ("unit", "unit_name", "period", "step", "lane", "due", "days", "waiting_on")
        rows = [
            (x.unit, names(x.unit), x.period.iso, x.step, x.lane, x.due, x.days,
             ",".join(str(d) for d in x.waiting_on))
            for x in items
        ]  # fmt: skip
        return _Table(columns=columns, rows=rows, dates=frozenset({"due"}))
    return None


def _days_late(done_on: dt.date | None, cutoff: dt.date) -> int | None:
    """Days a done step came after its on-time cut-off (0 when on time), ``None`` if not done."""
    return None if done_on is None else max(0, (done_on - cutoff).days)
