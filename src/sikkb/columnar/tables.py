"""A month's register as four Polars tables: :class:`ColumnarRegister`.

Each table has the columns of register format v1, typed (codes as their code text, dates as
dates, flags as booleans), plus ``row``: the spreadsheet row the data came from (``None`` for rows
built in code). Rows keep the order they were read in, which is what "the first row wins" means for
the record engine too.

A :class:`ColumnarRegister` converts both ways with :class:`~sikkb.register.Register`
(:meth:`ColumnarRegister.from_register`, :meth:`ColumnarRegister.to_register`), so every record API
stays available, and writes and reads Parquet (one ``<table>.parquet`` per table) for registers too
large for CSV.

Example:
    >>> import datetime
    >>> from sikkb.periods import Period
    >>> from sikkb.register import Keluarga, Pus, Register
    >>> reg = Register(period=Period(2026, 10), keluarga=[
    ...     Keluarga(kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2, row=2)])
    >>> cols = ColumnarRegister.from_register(reg)
    >>> cols.tables["keluarga"].select("kode_keluarga", "kode_wilayah", "row").rows()
    [('KK-1', '36.71.07.1003', 2)]
    >>> cols.to_register() == reg
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import polars as pl

from sikkb.codes import Poktan
from sikkb.periods import Period
from sikkb.register import TABLES, Institusi, Kegiatan, Keluarga, Pus, Register, _merge_period

__all__ = ["FLAGS", "SCHEMAS", "ColumnarRegister", "empty_table"]

#: The Poktan flag columns of ``keluarga``: column → (sasaran?, Poktan).
FLAGS: Mapping[str, tuple[bool, Poktan]] = {
    "sasaran_bkb": (True, Poktan.BKB),
    "sasaran_bkr": (True, Poktan.BKR),
    "sasaran_bkl": (True, Poktan.BKL),
    "anggota_bkb": (False, Poktan.BKB),
    "anggota_bkr": (False, Poktan.BKR),
    "anggota_bkl": (False, Poktan.BKL),
    "anggota_uppka": (False, Poktan.UPPKA),
}

S, I64, B, D = pl.String, pl.Int64, pl.Boolean, pl.Date

#: The typed columns of each table, in register-format order, then ``row``.
SCHEMAS: Mapping[str, Mapping[str, Any]] = {
    "keluarga": {
        "kode_keluarga": S, "kode_wilayah": S, "rw": I64, "rt": I64, "nama_kepala_keluarga": S,
        "tahapan_ks": S, **dict.fromkeys(FLAGS, B), "row": I64,
    },
    "pus": {
        "kode_keluarga": S, "nik_istri": S, "nama_istri": S, "tanggal_lahir_istri": D,
        "nik_suami": S, "nama_suami": S, "jumlah_anak": I64, "status_kb": S,
        "tempat_pelayanan": S, "peserta_baru": B, "row": I64,
    },
    "institusi": {
        "kode_institusi": S, "jenis": S, "kode_wilayah": S, "nama": S, "rw": I64, "rt": I64,
        "lapor": B, "jumlah_pertemuan": I64, "row": I64,
    },
    "kegiatan": {
        "kode_wilayah": S, "rakor": I64, "penyuluhan": I64, "kie_kit": I64, "tokoh_aktif": I64,
        "row": I64,
    },
}  # fmt: skip


def empty_table(table: str) -> pl.DataFrame:
    """A table with no rows and the typed columns of ``table``."""
    return pl.DataFrame(schema=dict(SCHEMAS[table]))


def _code(value: Any) -> str | None:
    return None if value is None else str(value._value_)


def _record_row(table: str, r: Any) -> tuple[Any, ...]:
    if table == "keluarga":
        return (
            r.kode_keluarga, r.kode_wilayah, r.rw, r.rt, r.nama_kepala_keluarga,
            _code(r.tahapan_ks), *((p in (r.sasaran if s else r.anggota)) for s, p in FLAGS.values()),
            r.row,
        )  # fmt: skip
    if table == "pus":
        return (
            r.kode_keluarga, r.nik_istri, r.nama_istri, r.tanggal_lahir_istri, r.nik_suami,
            r.nama_suami, r.jumlah_anak, _code(r.status_kb), _code(r.tempat_pelayanan),
            r.peserta_baru, r.row,
        )  # fmt: skip
    if table == "institusi":
        return (
            r.kode_institusi, _code(r.jenis), r.kode_wilayah, r.nama, r.rw, r.rt, r.lapor,
            r.jumlah_pertemuan, r.row,
        )  # fmt: skip
    return (r.kode_wilayah, r.rakor, r.penyuluhan, r.kie_kit, r.tokoh_aktif, r.row)


def frame_of_records(table: str, records: Iterable[Any]) -> pl.DataFrame:
    """The typed table of ``records`` (records of ``table``)."""
    rows = [_record_row(table, r) for r in records]
    return pl.DataFrame(rows, schema=dict(SCHEMAS[table]), orient="row")


def _keluarga(d: dict[str, Any]) -> Keluarga:
    sasaran = frozenset(p for c, (s, p) in FLAGS.items() if s and d[c])
    anggota = frozenset(p for c, (s, p) in FLAGS.items() if not s and d[c])
    return Keluarga(
        kode_keluarga=d["kode_keluarga"], kode_wilayah=d["kode_wilayah"], rw=d["rw"], rt=d["rt"],
        nama_kepala_keluarga=d["nama_kepala_keluarga"], tahapan_ks=d["tahapan_ks"],
        sasaran=sasaran, anggota=anggota, row=d["row"],
    )  # fmt: skip


_BUILD: Mapping[str, Any] = {
    "keluarga": _keluarga,
    "pus": lambda d: Pus(**d),
    "institusi": lambda d: Institusi(**d),
    "kegiatan": lambda d: Kegiatan(**d),
}


def has_duplicates(values: pl.Series) -> bool:
    """Whether a value occurs more than once in ``values`` (two nulls count as the same value).

    Distinct hashes mean distinct values, so only when the hashes collide are the values
    compared (``is_duplicated``); hashing is several times cheaper on text keys.
    """
    if values.null_count() > 1:
        return True
    if values.is_sorted():  # a sorted column has its duplicates side by side
        return bool((values == values.shift(1)).any())
    if values.hash().n_unique() == values.len():
        return False
    return bool(values.is_duplicated().any())


def join_first(
    left: pl.DataFrame,
    right: pl.DataFrame,
    key: str,
    *,
    how: Literal["inner", "left"],
    maintain_order: Literal["none", "left"] = "none",
    first_by: Sequence[pl.Expr | str] = (),
) -> pl.DataFrame:
    """``left`` joined on ``key`` to the first row of ``right`` with that key.

    "First" is in ``right``'s order, or in the order of ``first_by`` when given. The join is on
    the key's 64-bit hash, several times cheaper than on text; the result is the text join's:
    where ``right`` has a key twice (or two keys share a hash), or a joined pair differs in its
    text (a collision), the join is done on the text itself.
    """
    h = "_key_hash"
    r = right.with_columns(pl.col(key).hash().alias(h))
    # a left join shows a hash that ``right`` has twice by a row more than ``left`` has (checked
    # after the join); an inner join may drop rows, so its hashes are counted first
    if not r.get_column(key).null_count() and (
        how == "left" or r.get_column(h).n_unique() == r.height
    ):
        joined = left.with_columns(pl.col(key).hash().alias(h)).join(
            r.rename({key: "_key_right"}), on=h, how=how, maintain_order=maintain_order
        )
        other = pl.col("_key_right")
        same = other.is_null() | (other == pl.col(key)).fill_null(False)
        if (how == "inner" or joined.height == left.height) and joined.select(same.all()).item():
            return joined.drop(h, "_key_right")
    if first_by:
        right = right.sort(list(first_by), maintain_order=True)
    right = right.unique(key, keep="first", maintain_order=True)
    return left.join(right, on=key, how=how, maintain_order=maintain_order)


def _check_tables(instance: Any, attribute: Any, value: Mapping[str, pl.DataFrame]) -> None:
    for name in TABLES:
        if name not in value:
            raise ValueError(f"ColumnarRegister needs table {name!r}")
        want = list(SCHEMAS[name])
        if value[name].columns != want:
            raise ValueError(f"table {name!r} has columns {value[name].columns}, expected {want}")


@attrs.frozen(kw_only=True)
class ColumnarRegister:
    """One month's register tables as typed Polars data frames.

    Attributes:
        period: the reporting month.
        tables: table name → data frame with the columns of :data:`SCHEMAS` (in that order).
        source: the file or folder name, when read from one.
    """

    period: Period = attrs.field(validator=attrs.validators.instance_of(Period))
    tables: Mapping[str, pl.DataFrame] = attrs.field(validator=_check_tables, eq=False)
    source: str | None = None
    _derived: dict[Any, Any] = attrs.field(
        factory=dict, init=False, eq=False, repr=False, hash=False
    )

    def has_duplicates(self, table: str, column: str) -> bool:
        """Whether a value of ``table.column`` occurs twice (:func:`has_duplicates`; kept)."""
        key = ("duplicates", table, column)
        if key not in self._derived:
            self._derived[key] = has_duplicates(self.tables[table].get_column(column))
        return bool(self._derived[key])

    def family_of_pus(self, *, first_by_row: bool = False) -> pl.Series:
        """For each ``pus`` row, the position in ``keluarga`` of its family (null: no family).

        A code on several family rows names its first: in table order, or with ``first_by_row``
        the lowest row number (rows without one last). Computed once per register (one join of
        the two tables, shared by the rules and the village reports).
        """
        twice = self.has_duplicates("keluarga", "kode_keluarga")
        key = ("family_of_pus", first_by_row and twice)
        if key not in self._derived:
            kel = self.tables["keluarga"].select(
                "kode_keluarga", "row", pl.int_range(pl.len(), dtype=pl.UInt32).alias("_family")
            )
            order: list[pl.Expr | str] = (
                [pl.col("row").is_null(), "row", "_family"] if first_by_row else ["_family"]
            )
            joined = join_first(
                self.tables["pus"].select("kode_keluarga"),
                kel,
                "kode_keluarga",
                how="left",
                maintain_order="left",
                first_by=order if twice else (),
            )
            self._derived[key] = joined.get_column("_family")
        family: pl.Series = self._derived[key]
        return family

    @classmethod
    def from_register(cls, register: Register) -> ColumnarRegister:
        """The tables of a record register (row order and ``row`` numbers kept)."""
        return cls(
            period=register.period,
            tables={t: frame_of_records(t, register.table(t)) for t in TABLES},
            source=register.source,
        )

    def to_register(self) -> Register:
        """The same register as records (one object per row: for small registers and notebooks)."""
        tables = {
            name: tuple(_BUILD[name](d) for d in self.tables[name].iter_rows(named=True))
            for name in TABLES
        }
        return Register(period=self.period, source=self.source, **tables)

    def __len__(self) -> int:
        return sum(self.tables[t].height for t in TABLES)

    @property
    def kelurahan_codes(self) -> tuple[str, ...]:
        """Every region code in ``keluarga``, ``institusi`` or ``kegiatan``, sorted."""
        if "codes" not in self._derived:
            codes: set[str] = set()
            for name in ("keluarga", "institusi", "kegiatan"):
                codes.update(self.tables[name].get_column("kode_wilayah").unique().to_list())
            self._derived["codes"] = tuple(sorted(codes))
        kept: tuple[str, ...] = self._derived["codes"]
        return kept

    def without_rows(self, rows: Mapping[str, Iterable[int]]) -> ColumnarRegister:
        """A copy without the given rows: table name → ``row`` numbers to leave out."""
        tables = dict(self.tables)
        for name, drop in rows.items():
            drop_list = list(drop)
            if drop_list:
                tables[name] = tables[name].filter(~pl.col("row").is_in(drop_list).fill_null(False))
        return attrs.evolve(self, tables=tables)

    @classmethod
    def merge(cls, registers: Iterable[ColumnarRegister]) -> ColumnarRegister:
        """One register holding every table of several (all of the same period)."""
        regs = list(registers)
        _merge_period(regs)
        if len(regs) == 1:
            return attrs.evolve(regs[0], source=None)
        tables = {t: pl.concat([r.tables[t] for r in regs], rechunk=False) for t in TABLES}
        return cls(period=regs[0].period, tables=tables, source=None)

    def write_parquet(self, folder: str | Path) -> Path:
        """Write one ``<table>.parquet`` per table into ``folder`` (created); return the folder.

        The files hold the columns of register format v1; reading them back numbers the rows as a
        sheet would (the first data row is row 2).
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            self.tables[name].drop("row").write_parquet(out / f"{name}.parquet")
        return out
