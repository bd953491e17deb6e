"""Register records: the four tables of register interchange format v1, and the register.

Records enforce what is needed to *represent* a row: types, codes, non-negative counts and required
keys. Whether the row makes sense (NIK shape, age, duplicates, ...) is for the register rule pack
(:mod:`sikkb.rules.register`), which reports findings instead of raising. Each record keeps the
spreadsheet ``row`` it was read from (``None`` when built in code), so findings can point at it.

Example:
    >>> import datetime
    >>> k = Keluarga(kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2,
    ...              anggota=frozenset({Poktan.BKB}), sasaran=frozenset({"bkb"}))
    >>> k.kode_wilayah, k.is_anggota(Poktan.BKB)
    ('36.71.07.1003', True)
    >>> p = Pus(kode_keluarga="KK-1", nik_istri="3671074508950001",
    ...         tanggal_lahir_istri=datetime.date(1995, 8, 5), status_kb="suntik",
    ...         tempat_pelayanan="PEMERINTAH")
    >>> p.status_kb, p.is_peserta_aktif, p.metode
    (<Metode.SUNTIK: 'SUNTIK'>, True, <Metode.SUNTIK: 'SUNTIK'>)
    >>> Pus(kode_keluarga="KK-1", nik_istri="x", tanggal_lahir_istri=datetime.date(1995, 8, 5),
    ...     status_kb="SUNTK")
    Traceback (most recent call last):
    ...
    sikkb.errors.InvalidRecordError: Pus.status_kb = 'SUNTK': unknown status_kb code; did you mean SUNTIK, SUNTIKAN, SUSUK?
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from sikkb.codes import (
    AlasanBukanPeserta,
    CodeEnum,
    JenisInstitusi,
    Metode,
    Poktan,
    StatusKB,
    TahapanKS,
    TempatPelayanan,
    parse_status_kb,
)
from sikkb.errors import InvalidCodeError, InvalidRecordError
from sikkb.periods import Period
from sikkb.regions import parse_region_code

__all__ = ["TABLES", "Institusi", "Kegiatan", "Keluarga", "Pus", "Register"]

E = TypeVar("E", bound=CodeEnum)


def _merge_period(registers: Sequence[Any]) -> Period:
    """The one period of registers to merge (record or columnar); refuse none or mixed periods."""
    if not registers:
        raise ValueError("merge needs at least one register")
    periods = {r.period for r in registers}
    if len(periods) != 1:
        raise ValueError(
            f"cannot merge registers of different periods: {sorted(map(str, periods))}"
        )
    return registers[0].period  # type: ignore[no-any-return]


def _code(enum_cls: type[E], record: str, field: str) -> Callable[[Any], E]:
    def convert(value: Any) -> E:
        try:
            return enum_cls.parse(value, kind=field)
        except InvalidCodeError as e:
            raise InvalidRecordError(
                record, field, value, f"unknown {field} code", e.suggestions
            ) from e

    return convert


def _optional_code(enum_cls: type[E], record: str, field: str) -> Callable[[Any], E | None]:
    convert = _code(enum_cls, record, field)

    def optional(value: Any) -> E | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return convert(value)

    return optional


def _status(value: Any) -> StatusKB:
    try:
        return parse_status_kb(value)
    except InvalidCodeError as e:
        raise InvalidRecordError(
            "Pus", "status_kb", value, "unknown status_kb code", e.suggestions
        ) from e


def _region(record: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        try:
            return parse_region_code(value)
        except InvalidCodeError as e:
            raise InvalidRecordError(
                record,
                "kode_wilayah",
                value,
                "a region code has the shape 36.71.07.1003 or 3671071003",
            ) from e

    return convert


def _poktan_set(record: str, field: str) -> Callable[[Any], frozenset[Poktan]]:
    convert = _code(Poktan, record, field)

    def convert_set(value: Any) -> frozenset[Poktan]:
        if isinstance(value, str | CodeEnum):
            value = [value]
        return frozenset(convert(v) for v in value)

    return convert_set


def _key(record: str, field: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise InvalidRecordError(record, field, value, "required text is missing")
        return value.strip()

    return convert


def _opt_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    return value or None


def _int(record: str, field: str, *, minimum: int | None = None) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidRecordError(record, field, value, "must be a whole number")
        if minimum is not None and value < minimum:
            raise InvalidRecordError(record, field, value, f"must be at least {minimum}")

    return check


def _opt_int(
    record: str, field: str, *, minimum: int | None = None
) -> Callable[[Any, Any, Any], None]:
    check = _int(record, field, minimum=minimum)

    def optional(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def _bool(record: str, field: str) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, bool):
            raise InvalidRecordError(record, field, value, "must be true or false")

    return check


def _date(record: str, field: str) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise InvalidRecordError(record, field, value, "must be a date")

    return check


def _row(record: str) -> Any:
    """The ``row`` field: the spreadsheet row a record was read from (header = row 1)."""
    return attrs.field(default=None, validator=_opt_int(record, "row", minimum=2))


# Named converters (attrs' mypy plugin understands only named functions as converters).

_KELUARGA_KODE_KELUARGA = _key("Keluarga", "kode_keluarga")


def _keluarga_kode_keluarga(value: Any) -> str:
    return _KELUARGA_KODE_KELUARGA(value)


_KELUARGA_KODE_WILAYAH = _region("Keluarga")


def _keluarga_kode_wilayah(value: Any) -> str:
    return _KELUARGA_KODE_WILAYAH(value)


_KELUARGA_TAHAPAN_KS = _optional_code(TahapanKS, "Keluarga", "tahapan_ks")


def _keluarga_tahapan_ks(value: Any) -> TahapanKS | None:
    return _KELUARGA_TAHAPAN_KS(value)


_KELUARGA_SASARAN = _poktan_set("Keluarga", "sasaran")


def _keluarga_sasaran(value: Any) -> frozenset[Poktan]:
    return _KELUARGA_SASARAN(value)


_KELUARGA_ANGGOTA = _poktan_set("Keluarga", "anggota")


def _keluarga_anggota(value: Any) -> frozenset[Poktan]:
    return _KELUARGA_ANGGOTA(value)


_PUS_KODE_KELUARGA = _key("Pus", "kode_keluarga")


def _pus_kode_keluarga(value: Any) -> str:
    return _PUS_KODE_KELUARGA(value)


_PUS_NIK_ISTRI = _key("Pus", "nik_istri")


def _pus_nik_istri(value: Any) -> str:
    return _PUS_NIK_ISTRI(value)


_PUS_TEMPAT_PELAYANAN = _optional_code(TempatPelayanan, "Pus", "tempat_pelayanan")


def _pus_tempat_pelayanan(value: Any) -> TempatPelayanan | None:
    return _PUS_TEMPAT_PELAYANAN(value)


_INSTITUSI_KODE_INSTITUSI = _key("Institusi", "kode_institusi")


def _institusi_kode_institusi(value: Any) -> str:
    return _INSTITUSI_KODE_INSTITUSI(value)


_INSTITUSI_JENIS = _code(JenisInstitusi, "Institusi", "jenis")


def _institusi_jenis(value: Any) -> JenisInstitusi:
    return _INSTITUSI_JENIS(value)


_INSTITUSI_KODE_WILAYAH = _region("Institusi")


def _institusi_kode_wilayah(value: Any) -> str:
    return _INSTITUSI_KODE_WILAYAH(value)


_KEGIATAN_KODE_WILAYAH = _region("Kegiatan")


def _kegiatan_kode_wilayah(value: Any) -> str:
    return _KEGIATAN_KODE_WILAYAH(value)


@attrs.frozen(kw_only=True)
class Keluarga:
    """A family (table ``keluarga``)."""

    kode_keluarga: str = attrs.field(converter=_keluarga_kode_keluarga)
    kode_wilayah: str = attrs.field(converter=_keluarga_kode_wilayah)
    rw: int = attrs.field(validator=_int("Keluarga", "rw"))
    rt: int = attrs.field(validator=_int("Keluarga", "rt"))
    nama_kepala_keluarga: str | None = attrs.field(default=None, converter=_opt_text, repr=False)
    tahapan_ks: TahapanKS | None = attrs.field(default=None, converter=_keluarga_tahapan_ks)
    sasaran: frozenset[Poktan] = attrs.field(default=frozenset(), converter=_keluarga_sasaran)
    anggota: frozenset[Poktan] = attrs.field(default=frozenset(), converter=_keluarga_anggota)
    row: int | None = _row("Keluarga")

    @sasaran.validator
    def _check_sasaran(self, attribute: Any, value: frozenset[Poktan]) -> None:
        if Poktan.UPPKA in value:
            raise InvalidRecordError("Keluarga", "sasaran", "UPPKA", "UPPKA has no target families")

    def is_anggota(self, poktan: Poktan) -> bool:
        return poktan in self.anggota

    def is_sasaran(self, poktan: Poktan) -> bool:
        return poktan in self.sasaran


@attrs.frozen(kw_only=True)
class Pus:
    """A couple of reproductive age (table ``pus``)."""

    kode_keluarga: str = attrs.field(converter=_pus_kode_keluarga)
    nik_istri: str = attrs.field(converter=_pus_nik_istri, repr=False)
    tanggal_lahir_istri: datetime.date = attrs.field(validator=_date("Pus", "tanggal_lahir_istri"))
    status_kb: StatusKB = attrs.field(converter=_status)
    tempat_pelayanan: TempatPelayanan | None = attrs.field(
        default=None, converter=_pus_tempat_pelayanan
    )
    peserta_baru: bool = attrs.field(default=False, validator=_bool("Pus", "peserta_baru"))
    nama_istri: str | None = attrs.field(default=None, converter=_opt_text, repr=False)
    nik_suami: str | None = attrs.field(default=None, converter=_opt_text, repr=False)
    nama_suami: str | None = attrs.field(default=None, converter=_opt_text, repr=False)
    jumlah_anak: int | None = attrs.field(
        default=None, validator=_opt_int("Pus", "jumlah_anak", minimum=0)
    )
    row: int | None = _row("Pus")

    @property
    def is_peserta_aktif(self) -> bool:
        """Whether the couple uses a method (is a PA, peserta KB aktif)."""
        return isinstance(self.status_kb, Metode)

    @property
    def metode(self) -> Metode | None:
        return self.status_kb if isinstance(self.status_kb, Metode) else None

    @property
    def alasan(self) -> AlasanBukanPeserta | None:
        return self.status_kb if isinstance(self.status_kb, AlasanBukanPeserta) else None


@attrs.frozen(kw_only=True)
class Institusi:
    """An institution or activity group (table ``institusi``)."""

    kode_institusi: str = attrs.field(converter=_institusi_kode_institusi)
    jenis: JenisInstitusi = attrs.field(converter=_institusi_jenis)
    kode_wilayah: str = attrs.field(converter=_institusi_kode_wilayah)
    nama: str | None = attrs.field(default=None, converter=_opt_text)
    rw: int | None = attrs.field(default=None, validator=_opt_int("Institusi", "rw"))
    rt: int | None = attrs.field(default=None, validator=_opt_int("Institusi", "rt"))
    lapor: bool = attrs.field(default=False, validator=_bool("Institusi", "lapor"))
    jumlah_pertemuan: int = attrs.field(
        default=0, validator=_int("Institusi", "jumlah_pertemuan", minimum=0)
    )
    row: int | None = _row("Institusi")


@attrs.frozen(kw_only=True)
class Kegiatan:
    """Operational activity counts of one kelurahan this month (table ``kegiatan``)."""

    kode_wilayah: str = attrs.field(converter=_kegiatan_kode_wilayah)
    rakor: int = attrs.field(default=0, validator=_int("Kegiatan", "rakor", minimum=0))
    penyuluhan: int = attrs.field(default=0, validator=_int("Kegiatan", "penyuluhan", minimum=0))
    kie_kit: int = attrs.field(default=0, validator=_int("Kegiatan", "kie_kit", minimum=0))
    tokoh_aktif: int = attrs.field(default=0, validator=_int("Kegiatan", "tokoh_aktif", minimum=0))
    row: int | None = _row("Kegiatan")


#: Table name → record type, in the order of register format v1.
TABLES: Mapping[str, type[Any]] = {
    "keluarga": Keluarga,
    "pus": Pus,
    "institusi": Institusi,
    "kegiatan": Kegiatan,
}


def _group(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, tuple[Any, ...]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in out.items()}


def _keluargas(rows: Iterable[Keluarga]) -> tuple[Keluarga, ...]:
    return tuple(rows)


def _puses(rows: Iterable[Pus]) -> tuple[Pus, ...]:
    return tuple(rows)


def _institusis(rows: Iterable[Institusi]) -> tuple[Institusi, ...]:
    return tuple(rows)


def _kegiatans(rows: Iterable[Kegiatan]) -> tuple[Kegiatan, ...]:
    return tuple(rows)


@attrs.frozen(kw_only=True)
class Register:
    """One month's register tables, for one or many kelurahan.

    The lookups reports need are computed once, on first use. A PUS whose family is missing from
    ``keluarga`` belongs to no kelurahan (the rule ``pus-keluarga-ada`` reports it).
    """

    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    keluarga: tuple[Keluarga, ...] = attrs.field(default=(), converter=_keluargas)
    pus: tuple[Pus, ...] = attrs.field(default=(), converter=_puses)
    institusi: tuple[Institusi, ...] = attrs.field(default=(), converter=_institusis)
    kegiatan: tuple[Kegiatan, ...] = attrs.field(default=(), converter=_kegiatans)
    source: str | None = None

    def table(self, name: str) -> tuple[Any, ...]:
        """A table by its register-format name (``"pus"``)."""
        if name not in TABLES:
            raise KeyError(name)
        rows: tuple[Any, ...] = getattr(self, name)
        return rows

    @functools.cached_property
    def keluarga_by_kode(self) -> Mapping[str, Keluarga]:
        """Families by ``kode_keluarga`` (the first row wins when a code is duplicated)."""
        out: dict[str, Keluarga] = {}
        for k in self.keluarga:
            out.setdefault(k.kode_keluarga, k)
        return out

    @functools.cached_property
    def keluarga_by_kelurahan(self) -> Mapping[str, tuple[Keluarga, ...]]:
        return _group(self.keluarga, lambda k: k.kode_wilayah)

    @functools.cached_property
    def pus_by_keluarga(self) -> Mapping[str, tuple[Pus, ...]]:
        return _group(self.pus, lambda p: p.kode_keluarga)

    @functools.cached_property
    def pus_by_kelurahan(self) -> Mapping[str, tuple[Pus, ...]]:
        fam = self.keluarga_by_kode
        return _group(
            (p for p in self.pus if p.kode_keluarga in fam),
            lambda p: fam[p.kode_keluarga].kode_wilayah,
        )

    @functools.cached_property
    def institusi_by_kelurahan(self) -> Mapping[str, tuple[Institusi, ...]]:
        return _group(self.institusi, lambda i: i.kode_wilayah)

    @functools.cached_property
    def kegiatan_by_kelurahan(self) -> Mapping[str, Kegiatan]:
        out: dict[str, Kegiatan] = {}
        for k in self.kegiatan:
            out.setdefault(k.kode_wilayah, k)
        return out

    @functools.cached_property
    def kelurahan_codes(self) -> tuple[str, ...]:
        """Every kelurahan code that appears in any table, sorted."""
        codes = {k.kode_wilayah for k in self.keluarga}
        codes.update(i.kode_wilayah for i in self.institusi)
        codes.update(k.kode_wilayah for k in self.kegiatan)
        return tuple(sorted(codes))

    def for_kelurahan(self, code: str) -> Register:
        """The part of this register that belongs to one kelurahan."""
        c = parse_region_code(code)
        families = self.keluarga_by_kelurahan.get(c, ())
        return Register(
            period=self.period,
            keluarga=families,
            pus=self.pus_by_kelurahan.get(c, ()),
            institusi=self.institusi_by_kelurahan.get(c, ()),
            kegiatan=tuple(k for k in self.kegiatan if k.kode_wilayah == c),
            source=self.source,
        )

    def without_rows(self, rows: Mapping[str, Iterable[int]]) -> Register:
        """A copy without the given rows: table name → ``row`` numbers to leave out."""
        drop = {name: frozenset(r) for name, r in rows.items()}
        kept: dict[str, Any] = {
            name: tuple(rec for rec in getattr(self, name) if rec.row not in drop.get(name, ()))
            for name in TABLES
        }
        return attrs.evolve(self, **kept)

    @classmethod
    def merge(cls, registers: Iterable[Register]) -> Register:
        """One register holding every table of several (all of the same period)."""
        regs = list(registers)
        _merge_period(regs)
        tables: dict[str, Any] = {
            name: tuple(rec for r in regs for rec in getattr(r, name)) for name in TABLES
        }
        return cls(period=regs[0].period, source=None, **tables)

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(self, table: str | None = None, *, personal: bool = False) -> Any:
        """The tables as pandas data frames (see :func:`sikkb.views.frames.to_pandas`).

        NIKs are masked, names dropped and birth dates reduced to the year unless ``personal=True``.
        """
        from sikkb.views.frames import to_pandas

        return to_pandas(self, table=table, personal=personal)

    def to_polars(self, table: str | None = None, *, personal: bool = False) -> Any:
        """The tables as polars data frames (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, table=table, personal=personal)

    def __repr__(self) -> str:
        """A short summary: period, kelurahan and rows per table — never a row (no personal data)."""
        tables = ", ".join(f"{name}={len(self.table(name))}" for name in TABLES)
        return (
            f"Register(period={self.period.iso}, kelurahan={len(self.kelurahan_codes)}, {tables}, "
            f"source={self.source!r})"
        )

    def _repr_html_(self) -> str:
        """Notebook view: a summary (see :func:`sikkb.views.display.register_html`)."""
        from sikkb.views.display import register_html

        return register_html(self)
