"""The village monthly report F/I/Dal: one kelurahan, one month, every item of the catalogue.

A :class:`VillageReport` is built two ways that yield the same type and compare equal when the
numbers are the same:

- :meth:`VillageReport.from_register` derives it from a register, exactly as register format v1
  says, in one pass over the kelurahan's rows;
- :meth:`VillageReport.from_form` takes numbers typed into the form (totals derived from the
  details when omitted, typed totals kept as typed, so the report rule pack can find disagreement).

Equality compares the *content* (region, period, values). Provenance — where the numbers came from
(:attr:`VillageReport.source`) and how many register rows were left out
(:attr:`VillageReport.rows_excluded`) — is carried along but not compared.

Example:
    >>> from sikkb.periods import Period
    >>> r = VillageReport.from_form("3671071003", Period(2026, 10), {
    ...     "pa.SUNTIK.PEMERINTAH": 5, "pa.MAL.TANPA_TEMPAT": 1, "bukan_peserta.HAMIL": 2})
    >>> r.value("pa"), r.value("pa", "SUNTIK"), r.value("pus"), r.value("pb")
    (None, None, None, None)
    >>> full = {k: 0 for k in detail_keys()}
    >>> full.update({"pa.SUNTIK.PEMERINTAH": 5, "pa.MAL.TANPA_TEMPAT": 1, "bukan_peserta.HAMIL": 2})
    >>> r = VillageReport.from_form("3671071003", Period(2026, 10), full)
    >>> r.value("pa"), r.value("pa", "TANPA_TEMPAT"), r.value("pus"), r.cell("pa", "IUD.TANPA_TEMPAT").status.name
    (6, 1, 8, 'NOT_APPLICABLE')
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from sikkb.codes import Metode, Poktan, TahapanKS
from sikkb.errors import InvalidRecordError, RegisterRowsError, UnknownItemError
from sikkb.periods import Period
from sikkb.regions import parse_region_code
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.report.cells import Cell
from sikkb.report.items import (
    CATALOGUE,
    TANPA_TEMPAT,
    Item,
    Section,
    item,
    item_key,
    not_applicable_keys,
)
from sikkb.rules.engine import Findings

__all__ = [
    "ItemValues",
    "SourceKind",
    "ValuePairs",
    "VillageReport",
    "derive_totals",
    "detail_keys",
    "normalise_values",
]

#: Item values as records store them, ``(key, value)`` pairs in catalogue order.
ValuePairs = tuple[tuple[str, int], ...]

_ORDER = {it.key: it.order for it in CATALOGUE}
_NA = not_applicable_keys()
_TOTALS = tuple(it for it in CATALOGUE if it.sums)
_DETAILS = tuple(it.key for it in CATALOGUE if not it.sums)


def detail_keys() -> tuple[str, ...]:
    """Keys of the detailed cells (every item that is not a total), in form order."""
    return _DETAILS


class SourceKind(enum.Enum):
    """Where a report's numbers came from."""

    REGISTER = "REGISTER"
    FORM = "FORM"


def _key_of(k: Any) -> str:
    if isinstance(k, tuple) and len(k) == 2:
        k = item_key(str(k[0]), str(k[1]))
    if not isinstance(k, str):
        raise UnknownItemError(repr(k))
    return item(k).key


def normalise_values(
    values: Mapping[Any, int | None] | Iterable[tuple[Any, int | None]],
) -> ValuePairs:
    """Check and sort item values into catalogue order.

    Keys are item keys (``"pa.SUNTIK"``) or ``(element, disaggregation)`` pairs; a ``None`` value
    means *not reported* and is dropped. Idempotent.

    Raises:
        UnknownItemError: a key is not in the catalogue (or names a greyed-out cell).
        InvalidRecordError: a value is not a whole number ≥ 0, or a key is given twice.
    """
    pairs = list(values.items() if isinstance(values, Mapping) else values)
    order = _ORDER
    if all(type(k) is str and k in order and type(v) is int and v >= 0 for k, v in pairs) and len(
        {k for k, _ in pairs}
    ) == len(pairs):
        return tuple(sorted(pairs, key=lambda kv: order[kv[0]]))  # the common, valid case
    out: dict[str, int] = {}
    for k, v in pairs:
        key = _key_of(k)
        if v is None:
            continue
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise InvalidRecordError("VillageReport", key, v, "must be a whole number ≥ 0")
        if key in out:
            raise InvalidRecordError("VillageReport", key, v, "item given twice")
        out[key] = v
    return tuple(sorted(out.items(), key=lambda kv: _ORDER[kv[0]]))


def derive_totals(values: Mapping[str, int]) -> dict[str, int]:
    """``values`` with every missing total filled in from its details, where they are all known.

    A total present in ``values`` is kept as given (even when it disagrees). For a total with several
    decompositions (PA = Σ methods = Σ places) the first whose parts are all known is used.
    """
    out = dict(values)

    def resolve(key: str) -> int | None:
        if key in out:
            return out[key]
        it = item(key)
        for parts in it.sums:
            got = [resolve(p) for p in parts]
            if all(g is not None for g in got):
                out[key] = sum(g for g in got if g is not None)
                return out[key]
        return None

    for it in _TOTALS:
        resolve(it.key)
    return out


def _check_kelurahan(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value.count(".") != 3:
        raise InvalidRecordError(
            "VillageReport",
            "region",
            value,
            "a village report belongs to a kelurahan/desa (10 digits)",
        )


def _rows_excluded(value: Any) -> tuple[tuple[str, int], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(t), int(n)) for t, n in pairs if n))


def cell_of(index: Mapping[str, int], element: str, disaggregation: str = "") -> Cell:
    """The cell for an item in a ``key → value`` index (not applicable for greyed-out cells)."""
    key = item_key(element, disaggregation)
    if key in _NA:
        return Cell.NOT_APPLICABLE
    if key not in index:
        item(key)  # raises UnknownItemError for an unknown key
        return Cell.NOT_REPORTED
    return Cell.of(index[key])


class ItemValues:
    """Accessors shared by every record that holds item values (a report, a recap row, a view).

    The record keeps a ``key → value`` index in ``_index`` (set with ``_set_index``).
    """

    __slots__ = ()
    _index: dict[str, int]

    def _set_index(self, pairs: ValuePairs) -> None:
        object.__setattr__(self, "_index", dict(pairs))

    def value(self, element: str, disaggregation: str = "") -> int | None:
        """The number in an item, ``None`` when not reported or not applicable.

        Raises:
            UnknownItemError: the item is not in the catalogue.
        """
        return self.cell(element, disaggregation).value

    def cell(self, element: str, disaggregation: str = "") -> Cell:
        """The three-valued cell of an item."""
        return cell_of(self._index, element, disaggregation)

    def as_dict(self) -> dict[str, int]:
        """``item key → value`` for every reported item (a fresh dict)."""
        return dict(self._index)


@attrs.frozen(kw_only=True)
class VillageReport(ItemValues):
    """F/I/Dal: the monthly report of one kelurahan.

    Attributes:
        region: the kelurahan's region code (dotted).
        period: the reporting month.
        values: ``(item key, value)`` pairs in catalogue order; an item that is absent is *not
            reported*.
        source: where the numbers came from (not compared).
        rows_excluded: ``(table, rows left out)`` pairs when invalid register rows were excluded at
            the caller's request (not compared).
    """

    region: str = attrs.field(converter=parse_region_code, validator=_check_kelurahan)
    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    values: ValuePairs = attrs.field(default=(), converter=normalise_values)
    source: SourceKind = attrs.field(default=SourceKind.FORM, eq=False)
    rows_excluded: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_rows_excluded, eq=False
    )
    _index: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        self._set_index(self.values)

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def from_form(
        cls,
        kode_wilayah: str,
        period: Period,
        values: Mapping[Any, int | None] | Iterable[tuple[Any, int | None]],
        *,
        derive: bool = True,
    ) -> VillageReport:
        """A report from numbers typed into the form.

        Args:
            kode_wilayah: the kelurahan.
            period: the month.
            values: item key (``"pa.SUNTIK.PEMERINTAH"``) or ``(element, disaggregation)`` → number;
                ``None`` or absent = not reported.
            derive: fill in omitted totals from their details (typed totals are always kept as typed).
        """
        pairs = normalise_values(values)
        index = derive_totals(dict(pairs)) if derive else dict(pairs)
        return cls(region=kode_wilayah, period=period, values=index, source=SourceKind.FORM)

    @classmethod
    def from_register(
        cls,
        register: Register,
        kode_wilayah: str,
        *,
        findings: Findings | None = None,
        exclude_invalid: bool = False,
    ) -> VillageReport:
        """Derive a kelurahan's report from a register (register format v1's derivation).

        A row with an ERROR finding is never counted silently. Pass the register rule pack's
        ``findings``: if rows of this kelurahan carry errors, the report is refused unless
        ``exclude_invalid=True``, which leaves them out and records how many per table in
        :attr:`rows_excluded`. PUS rows whose family row is left out are left out too. Independently
        of findings, rows the derivation cannot count unambiguously (a method that needs a place
        without one; a place or ``peserta_baru`` on a non-user) are treated as rows with errors.

        Raises:
            RegisterRowsError: rows of this kelurahan carry errors and ``exclude_invalid`` is false.
        """
        code = parse_region_code(kode_wilayah)
        errors = findings.error_rows() if findings is not None else {}
        tally = _tallies(register, [code], errors, whole=False)[code]
        return _report(code, register.period, tally, exclude_invalid)

    @classmethod
    def all_from_register(
        cls,
        register: Register,
        *,
        findings: Findings | None = None,
        exclude_invalid: bool = False,
        kelurahan: Iterable[str] | None = None,
    ) -> tuple[VillageReport, ...]:
        """Reports for every kelurahan of a register (or those given), in code order."""
        errors = findings.error_rows() if findings is not None else {}
        codes = (
            sorted({parse_region_code(c) for c in kelurahan})
            if kelurahan is not None
            else register.kelurahan_codes
        )
        # one pass over each table for all kelurahan (not one lookup per kelurahan)
        tallies = _tallies(register, codes, errors, whole=True)
        return tuple(_report(c, register.period, tallies[c], exclude_invalid) for c in codes)

    # -- accessors ---------------------------------------------------------------------------

    def sections(self) -> tuple[tuple[Section, tuple[tuple[Item, Cell], ...]], ...]:
        """Every section with its items and cells, in form order."""
        return tuple(
            (s, tuple((it, self.cell(it.key)) for it in CATALOGUE if it.section is s))
            for s in Section
        )

    def canonical(self) -> dict[str, Any]:
        """The content as a canonical JSON-ready dict (the input of a content hash).

        Holds exactly what equality compares: region, period (``YYYY-MM``) and the values in
        catalogue order.
        """
        return {
            "region": self.region,
            "period": self.period.iso,
            "values": dict(self.values),
        }

    @property
    def total_rows_excluded(self) -> int:
        return sum(n for _, n in self.rows_excluded)

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(
        self, form: Literal["long", "wide", "indicators"] = "long", **options: Any
    ) -> Any:
        """This object as a pandas data frame (see :func:`sikkb.views.frames.to_pandas`)."""
        from sikkb.views.frames import to_pandas

        return to_pandas(self, form, **options)

    def to_polars(
        self, form: Literal["long", "wide", "indicators"] = "long", **options: Any
    ) -> Any:
        """This object as a polars data frame (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, form, **options)

    def _repr_html_(self) -> str:
        from sikkb.views.display import village_report_html

        return village_report_html(self)


_SECTION_II = ("rakor", "penyuluhan", "kie_kit", "tokoh_aktif")
_MEETING_JENIS = frozenset(p.code for p in Poktan)

# A family's attributes, a couple's attributes: the keys of the tally's counters.
# Codes are read through ``_value_`` (a plain attribute): an enum member's ``__hash__`` and ``.value``
# are Python-level calls, too slow for a per-row key over hundreds of thousands of rows.
_FamilyKey = tuple[frozenset[Poktan], frozenset[Poktan], str | None]
_CoupleKey = tuple[str, str | None, bool, frozenset[Poktan], str | None]
_METHOD_CODES = frozenset(m.code for m in Metode)
_NEEDS_PLACE = frozenset(m.code for m in Metode if m.needs_place)
_KPS_KS1 = frozenset(t.code for t in TahapanKS if t.kps_ks1)


@attrs.define
class _Tally:
    """Counts of one kelurahan's rows by their attributes (a few hundred distinct keys at most).

    Counting attribute combinations first and turning them into items afterwards keeps the pass
    over the rows to one dictionary increment per row. The keys are temporary tuples (freed at
    once): the pass keeps no new container per row alive, so it does not wake the cyclic garbage
    collector, whose full collections would walk the whole register.
    """

    families: Counter[_FamilyKey] = attrs.field(factory=Counter)
    couples: Counter[_CoupleKey] = attrs.field(factory=Counter)
    institutions: Counter[tuple[str, bool]] = attrs.field(factory=Counter)
    meetings: Counter[str] = attrs.field(factory=Counter)
    kegiatan: Kegiatan | None = None
    kegiatan_seen: bool = False
    left: Counter[str] = attrs.field(factory=Counter)
    dropped: set[str] = attrs.field(factory=set)


def _tally_institusi(
    tallies: Mapping[str, _Tally], rows: Iterable[Institusi], bad: frozenset[int]
) -> None:
    for ins in rows:
        t = tallies.get(ins.kode_wilayah)
        if t is None:
            continue
        if bad and ins.row in bad:
            t.left["institusi"] += 1
            continue
        jenis: str = ins.jenis._value_
        t.institutions[jenis, ins.lapor] += 1
        if ins.jumlah_pertemuan:
            t.meetings[jenis] += ins.jumlah_pertemuan


def _tally_keluarga(
    tallies: Mapping[str, _Tally], rows: Iterable[Keluarga], bad: frozenset[int]
) -> dict[str, Keluarga]:
    """Tally the families; return the index PUS rows are attributed through (first row wins).

    The index maps to the rows themselves: building it allocates no new objects per row.
    """
    index: dict[str, Keluarga] = {}
    setdefault = index.setdefault
    for k in rows:
        setdefault(k.kode_keluarga, k)
        t = tallies.get(k.kode_wilayah)
        if t is None:
            continue
        if bad and k.row in bad:
            t.left["keluarga"] += 1
            t.dropped.add(k.kode_keluarga)
            continue
        tahapan = k.tahapan_ks
        t.families[k.sasaran, k.anggota, tahapan._value_ if tahapan is not None else None] += 1
    return index


def _tally_pus(
    tallies: Mapping[str, _Tally],
    rows: Iterable[Pus],
    index: Mapping[str, Keluarga],
    bad: frozenset[int],
) -> None:
    get = index.get
    for p in rows:
        fam = get(p.kode_keluarga)
        if fam is None:
            continue  # no family: the rule pus-keluarga-ada reports it
        t = tallies.get(fam.kode_wilayah)
        if t is None:
            continue  # another kelurahan's
        if (bad and p.row in bad) or (t.dropped and p.kode_keluarga in t.dropped):
            t.left["pus"] += 1
            continue
        place, tahapan = p.tempat_pelayanan, fam.tahapan_ks
        t.couples[
            p.status_kb._value_,
            place._value_ if place is not None else None,
            p.peserta_baru,
            fam.anggota,
            tahapan._value_ if tahapan is not None else None,
        ] += 1


def _tally_kegiatan(
    tallies: Mapping[str, _Tally], rows: Iterable[Kegiatan], bad: frozenset[int]
) -> None:
    for k in rows:
        t = tallies.get(k.kode_wilayah)
        if t is None or t.kegiatan_seen:
            continue  # the first row of a kelurahan counts (a duplicate is a register finding)
        t.kegiatan_seen = True
        if bad and k.row in bad:
            t.left["kegiatan"] += 1
        else:
            t.kegiatan = k


def _tallies(
    register: Register,
    codes: Iterable[str],
    errors: Mapping[str, frozenset[int]],
    *,
    whole: bool,
) -> dict[str, _Tally]:
    """Tally the kelurahan ``codes``: one pass over each table (``whole``), or over their groups."""
    tallies = {c: _Tally() for c in codes}
    none: frozenset[int] = frozenset()
    if whole:
        ins: Iterable[Institusi] = register.institusi
        kel: Iterable[Keluarga] = register.keluarga
        pus: Iterable[Pus] = register.pus
        keg: Iterable[Kegiatan] = register.kegiatan
    else:
        ins = [r for c in tallies for r in register.institusi_by_kelurahan.get(c, ())]
        kel = [r for c in tallies for r in register.keluarga_by_kelurahan.get(c, ())]
        pus = [r for c in tallies for r in register.pus_by_kelurahan.get(c, ())]
        keg = [r for r in register.kegiatan if r.kode_wilayah in tallies]
    _tally_institusi(tallies, ins, errors.get("institusi", none))
    index = _tally_keluarga(tallies, kel, errors.get("keluarga", none))
    _tally_pus(tallies, pus, index, errors.get("pus", none))
    _tally_kegiatan(tallies, keg, errors.get("kegiatan", none))
    return tallies


def _countable(status: str, place: str | None, pb: bool) -> bool:
    """Whether the derivation can place a PUS row (see :meth:`VillageReport.from_register`)."""
    if status in _METHOD_CODES:
        return place is not None or status not in _NEEDS_PLACE
    return place is None and not pb


def _report(code: str, period: Period, t: _Tally, exclude: bool) -> VillageReport:
    v = dict.fromkeys(_DETAILS, 0)
    for (jenis, lapor), n in t.institutions.items():
        v["institusi_ada." + jenis] += n
        if lapor:
            v["institusi_lapor." + jenis] += n
    for jenis, n in t.meetings.items():
        if jenis in _MEETING_JENIS:
            v["pertemuan." + jenis] += n
    for (sasaran, anggota, tahapan), n in t.families.items():
        for p in sasaran:
            v["sasaran." + p._value_] += n
        for p in anggota:
            v["anggota." + p._value_] += n
        if tahapan in _KPS_KS1 and Poktan.UPPKA in anggota:
            v["anggota_kps_ks1.UPPKA"] += n
    uncountable = 0
    for (status, place, pb, anggota, tahapan), n in t.couples.items():
        if not _countable(status, place, pb):
            uncountable += n
            continue
        is_pa = status in _METHOD_CODES
        if is_pa:
            v[f"pa.{status}.{place or TANPA_TEMPAT}"] += n
            if pb:
                v["pb." + status] += n
        else:
            v["bukan_peserta." + status] += n
        for p in anggota:
            v["pus_anggota." + p._value_] += n
            if is_pa:
                v["pus_anggota_kb." + p._value_] += n
        if tahapan in _KPS_KS1 and Poktan.UPPKA in anggota:
            v["pus_anggota_kps_ks1.UPPKA"] += n
            if is_pa:
                v["pus_anggota_kb_kps_ks1.UPPKA"] += n
    left = Counter(t.left)
    left["pus"] += uncountable
    keg = t.kegiatan
    for name in _SECTION_II:
        if keg is None:
            del v[name]  # no usable kegiatan row: section II is not reported
        else:
            v[name] = getattr(keg, name)
    return register_report(code, period, derive_totals(v), +left, uncountable, exclude)


def register_report(
    code: str,
    period: Period,
    values: Mapping[str, int],
    left: Mapping[str, int],
    uncountable: int,
    exclude: bool,
) -> VillageReport:
    """A kelurahan's report derived from a register, or its refusal (shared by both engines).

    ``left``: rows left out per table (ERROR findings, and ``uncountable`` PUS rows among them).

    Raises:
        RegisterRowsError: rows are left out and ``exclude`` is false.
    """
    left = {t: n for t, n in left.items() if n}
    if left and not exclude:
        what = (
            "carry ERROR findings; fix them or pass exclude_invalid=True to leave them out"
            if uncountable == 0
            else "cannot be counted (a method without tempat_pelayanan, or a place or peserta_baru "
            "on a non-user) or carry ERROR findings; fix them or pass exclude_invalid=True"
        )
        raise RegisterRowsError(code, left, what)
    return VillageReport(
        region=code,
        period=period,
        values=values,
        source=SourceKind.REGISTER,
        rows_excluded=left,
    )
