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
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from sikkb.codes import JenisInstitusi, Metode, Poktan
from sikkb.errors import InvalidRecordError, RegisterRowsError, UnknownItemError
from sikkb.periods import Period
from sikkb.regions import parse_region_code
from sikkb.register import Register
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
    "SourceKind",
    "ValuePairs",
    "VillageReport",
    "derive_totals",
    "detail_keys",
    "normalise_values",
]

#: Item values as stored in records: ``(key, value)`` pairs in catalogue order.
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
    pairs = values.items() if isinstance(values, Mapping) else values
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


def _pairs_index(pairs: ValuePairs) -> dict[str, int]:
    return dict(pairs)


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


@attrs.frozen(kw_only=True)
class VillageReport:
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
        object.__setattr__(self, "_index", _pairs_index(self.values))

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
        return _derive(register, code, errors, exclude_invalid)

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
        return tuple(_derive(register, c, errors, exclude_invalid) for c in codes)

    # -- accessors ---------------------------------------------------------------------------

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


_POKTAN3 = (Poktan.BKB, Poktan.BKR, Poktan.BKL)
_METHODS = tuple(Metode)
_JENIS = tuple(JenisInstitusi)


def _zero_details() -> dict[str, int]:
    return dict.fromkeys(_DETAILS, 0)


def _derive(
    register: Register, code: str, errors: Mapping[str, frozenset[int]], exclude: bool
) -> VillageReport:
    """One pass over each of the kelurahan's tables."""
    bad_kel = errors.get("keluarga", frozenset())
    bad_pus = errors.get("pus", frozenset())
    bad_ins = errors.get("institusi", frozenset())
    bad_keg = errors.get("kegiatan", frozenset())
    left: dict[str, int] = {"keluarga": 0, "pus": 0, "institusi": 0, "kegiatan": 0}
    v = _zero_details()

    # I + pertemuan (III, IV)
    for ins in register.institusi_by_kelurahan.get(code, ()):
        if ins.row is not None and ins.row in bad_ins:
            left["institusi"] += 1
            continue
        j = ins.jenis.code
        v["institusi_ada." + j] += 1
        if ins.lapor:
            v["institusi_lapor." + j] += 1
        if j in ("BKB", "BKR", "BKL", "UPPKA"):
            v["pertemuan." + j] += ins.jumlah_pertemuan

    # III, IV: families
    dropped_families: set[str] = set()
    for k in register.keluarga_by_kelurahan.get(code, ()):
        if k.row is not None and k.row in bad_kel:
            left["keluarga"] += 1
            dropped_families.add(k.kode_keluarga)
            continue
        for p in k.sasaran:
            v["sasaran." + p.code] += 1
        for p in k.anggota:
            v["anggota." + p.code] += 1
        if Poktan.UPPKA in k.anggota and k.tahapan_ks is not None and k.tahapan_ks.kps_ks1:
            v["anggota_kps_ks1.UPPKA"] += 1

    # V (and PUS anggota of III, IV): couples
    families = register.keluarga_by_kode
    uncountable = 0
    for pus in register.pus_by_kelurahan.get(code, ()):
        if (pus.row is not None and pus.row in bad_pus) or pus.kode_keluarga in dropped_families:
            left["pus"] += 1
            continue
        m = pus.metode
        if m is None:
            if pus.tempat_pelayanan is not None or pus.peserta_baru:
                uncountable += 1
                left["pus"] += 1
                continue
            v["bukan_peserta." + pus.status_kb.code] += 1
        else:
            place = pus.tempat_pelayanan
            if place is None and m.needs_place:
                uncountable += 1
                left["pus"] += 1
                continue
            v[f"pa.{m.code}.{place.code if place is not None else TANPA_TEMPAT}"] += 1
            if pus.peserta_baru:
                v["pb." + m.code] += 1
        fam = families[pus.kode_keluarga]
        if fam.anggota:
            kps = fam.tahapan_ks is not None and fam.tahapan_ks.kps_ks1
            for p in fam.anggota:
                v["pus_anggota." + p.code] += 1
                if m is not None:
                    v["pus_anggota_kb." + p.code] += 1
            if kps and Poktan.UPPKA in fam.anggota:
                v["pus_anggota_kps_ks1.UPPKA"] += 1
                if m is not None:
                    v["pus_anggota_kb_kps_ks1.UPPKA"] += 1

    # II: operational activities (not reported when the kelurahan has no usable kegiatan row)
    keg = register.kegiatan_by_kelurahan.get(code)
    if keg is not None and keg.row is not None and keg.row in bad_keg:
        left["kegiatan"] += 1
        keg = None
    for name in ("rakor", "penyuluhan", "kie_kit", "tokoh_aktif"):
        if keg is None:
            del v[name]
        else:
            v[name] = getattr(keg, name)

    if any(left.values()) and not exclude:
        what = (
            "carry ERROR findings; fix them or pass exclude_invalid=True to leave them out"
            if uncountable == 0
            else "cannot be counted (a method without tempat_pelayanan, or a place or peserta_baru "
            "on a non-user) or carry ERROR findings; fix them or pass exclude_invalid=True"
        )
        raise RegisterRowsError(code, {t: n for t, n in left.items() if n}, what)
    return VillageReport(
        region=code,
        period=register.period,
        values=derive_totals(v),
        source=SourceKind.REGISTER,
        rows_excluded=left,
    )
