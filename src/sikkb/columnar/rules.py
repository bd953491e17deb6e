"""The register rule pack as column expressions over a :class:`ColumnarRegister`.

Each rule of :func:`sikkb.rules.register.register_rules` has a vectorised twin here that selects the
rows it fires on and the values of its message placeholders as columns; messages and hints are
filled in as columns too (the rule's own bilingual templates), so the result is a
:class:`~sikkb.columnar.findings.FindingsTable` with no Python object per finding. A rule set's
overrides apply as in the record engine (severity, parameters, rules switched off); a rule the pack
does not know (the caller's own, ``RuleSet.plus``) runs on the register's records, so every rule of
the set runs. Values that need the record engine's own reasoning (why a NIK is malformed, what a
region code is) are computed once per distinct value with the record engine's functions.

A rule whose vectorised check crashes becomes the same ``rule-crashed`` ERROR finding as in
:func:`~sikkb.rules.run_rules`.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import polars as pl

from sikkb.codes import AlasanBukanPeserta, Metode
from sikkb.columnar.findings import FINDINGS_SCHEMA, FindingsTable
from sikkb.columnar.tables import ColumnarRegister, has_duplicates
from sikkb.i18n import Text
from sikkb.nik import _DAYS_IN_MONTH, PROVINCE_CODES
from sikkb.regions import RegionTable, kota_tangerang
from sikkb.rules.engine import Findings, Rule, RuleContext, RuleSet, run_rules
from sikkb.rules.register import (
    _DATE_PARTS,
    _region_verdict,
    _years_before,
    nik_reason,
    register_rules,
)

__all__ = ["validate_columnar"]

_METHODS = Metode.codes()
_NEEDS_PLACE = [m.code for m in Metode if m.needs_place]
_REASONS = AlasanBukanPeserta.codes()


# --------------------------------------------------------------------------------------- helpers


def _mask(col: str) -> pl.Expr:
    """:func:`sikkb.nik.mask_nik` of a column of stripped text."""
    c = pl.col(col)
    n = c.str.len_chars()
    return (
        pl.when(n == 16)
        .then(pl.concat_str(c.str.slice(0, 6), pl.lit("******"), c.str.slice(12)))
        .otherwise(pl.lit("*").repeat_by(n).list.join(""))
    )


def _valid_day_months() -> list[int]:
    """``DDMM`` of every birth day a NIK may hold, as numbers (women: day + 40)."""
    out = []
    for month, longest in enumerate(_DAYS_IN_MONTH, start=1):
        for day in range(1, longest + 1):
            out += [day * 100 + month, (day + 40) * 100 + month]
    return out


_DDMM = _valid_day_months()
_PROVINCE_NUMBERS = sorted(PROVINCE_CODES)


def _nik_number(col: str) -> pl.Expr:
    """A NIK of 16 ASCII digits as a number (null for anything else)."""
    c = pl.col(col)
    n = c.str.to_integer(strict=False, dtype=pl.UInt64)
    return pl.when((c.str.len_bytes() == 16) & ~c.str.starts_with("+")).then(n)


def _surely_valid_nik(col: str) -> pl.Expr:
    """A NIK that :func:`sikkb.nik.nik_problem` accepts (the others are asked one by one, for
    the reason): 16 ASCII digits, a province code, kab/kota and kecamatan not ``00``, a birth day
    (women: + 40) that exists in the birth month (29 February always), a serial not ``0000``.

    Reads the column ``_n_{col}`` (:func:`_nik_number`)."""
    n = pl.col(f"_n_{col}")
    return (
        n.is_not_null()
        & (n // 10**14).is_in(_PROVINCE_NUMBERS)
        & ((n // 10**12) % 100 != 0)
        & ((n // 10**10) % 100 != 0)
        & ((n // 10**6) % 10**4).is_in(_DDMM)
        & (n % 10**4 != 0)
    ).fill_null(False)


def _nik_reasons(frame: pl.DataFrame, col: str) -> pl.DataFrame:
    """``frame`` with ``{col}_reason@id`` / ``@en``: why the NIK is not one (null: well formed).

    ``frame`` has ``{col}_ok`` (:func:`_surely_valid_nik`); only the others are asked.
    """
    odd = frame.filter(pl.col(col).is_not_null() & ~pl.col(f"{col}_ok")).get_column(col).unique()
    values, ids, ens = [], [], []
    for v in odd.to_list():
        reason = nik_reason(v)
        if reason is not None:
            values.append(v)
            ids.append(reason.id)
            ens.append(reason.en)
    c = pl.col(col)
    return frame.with_columns(
        (
            c.replace_strict(values, reasons, default=None, return_dtype=pl.String)
            if values
            else pl.lit(None, pl.String)
        ).alias(f"{col}_reason@{lang}")
        for lang, reasons in (("id", ids), ("en", ens))
    )


def _later_duplicates(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Rows whose ``key`` an earlier row (by row number, rows without one last) already has.

    Adds ``_first``: the first row's number as text (``?`` when it has none).
    """
    if not has_duplicates(frame.get_column(key)):
        return frame.clear().with_columns(pl.lit(None, pl.String).alias("_first"))
    frame = frame.filter(pl.col(key).is_duplicated())
    if not frame.height:
        return frame.with_columns(pl.lit(None, pl.String).alias("_first"))
    ordered = frame.sort([pl.col("row").is_null(), "row", "_pos"])
    marked = ordered.with_columns(
        pl.len().over(key).alias("_n"),
        pl.int_range(pl.len()).over(key).alias("_k"),
        pl.col("row").first().over(key).cast(pl.String).fill_null("?").alias("_first"),
    )
    return marked.filter((pl.col("_n") > 1) & (pl.col("_k") > 0))


@attrs.frozen
class _Hits:
    """The rows a rule fires on: location columns, ``found``/``expected`` and the parameters.

    ``params`` maps a placeholder to an expression of its value, or to a pair of expressions (the
    Indonesian and the English text of a :class:`~sikkb.i18n.Text` value).
    """

    table: str
    frame: pl.DataFrame
    column: pl.Expr
    value: pl.Expr
    region: pl.Expr
    params: Mapping[str, pl.Expr | tuple[pl.Expr, pl.Expr]]
    found: pl.Expr = attrs.field(factory=lambda: pl.lit(None, pl.String))
    expected: pl.Expr = attrs.field(factory=lambda: pl.lit(None, pl.String))


def _lit(value: Any) -> pl.Expr:
    return pl.lit(value, pl.String) if value is None or isinstance(value, str) else pl.lit(value)


def _fill(template: str, params: Mapping[str, pl.Expr]) -> pl.Expr:
    """:meth:`Text.format` of ``template`` as an expression (``None`` when it cannot be)."""
    parts: list[pl.Expr] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return pl.lit(template)
    for literal, name, spec, conversion in parsed:
        if literal:
            parts.append(pl.lit(literal))
        if name is None:
            continue
        if spec or conversion or name not in params:
            raise LookupError(name)
        parts.append(params[name].cast(pl.String))
    return pl.concat_str(parts) if parts else pl.lit("")


def _text(text: Text, params: Mapping[str, Any]) -> tuple[pl.Expr, pl.Expr]:
    out = []
    for lang in ("id", "en"):
        exprs = {
            k: (v[0 if lang == "id" else 1] if isinstance(v, tuple) else v)
            for k, v in params.items()
        }
        try:
            out.append(_fill(text.get(lang), exprs))
        except LookupError:
            out.append(pl.lit(text.get(lang)))  # as Text.format: a mismatch keeps the template
    return out[0], out[1]


def _table(rule: Rule, hits: _Hits) -> pl.DataFrame:
    """The findings of ``hits`` with the columns of :data:`~sikkb.columnar.findings.FINDINGS_SCHEMA`."""
    mid, men = _text(rule.message, hits.params)
    hid, hen = _text(rule.hint, hits.params)
    return hits.frame.select(
        pl.lit(rule.id).alias("rule"),
        pl.lit(rule.severity.value).alias("severity"),
        pl.lit(None, pl.String).alias("source"),
        pl.lit(hits.table).alias("table"),
        pl.col("row"),
        hits.column.cast(pl.String).alias("column"),
        hits.value.cast(pl.String).alias("value"),
        hits.region.cast(pl.String).alias("region"),
        pl.lit(None, pl.String).alias("period"),
        pl.lit(None, pl.String).alias("item"),
        mid.alias("message_id"),
        men.alias("message_en"),
        hid.alias("hint_id"),
        hen.alias("hint_en"),
        hits.found.cast(pl.String).alias("found"),
        hits.expected.cast(pl.String).alias("expected"),
    )


# --------------------------------------------------------------------------------------- context


@attrs.frozen
class _Prepared:
    """The register's tables with what several rules share (positions, families, NIK reasons)."""

    period_end: datetime.date
    keluarga: pl.DataFrame
    pus: pl.DataFrame
    institusi: pl.DataFrame
    kegiatan: pl.DataFrame
    regions: RegionTable | None
    codes: tuple[str, ...]  # every region code of the tables, sorted

    @classmethod
    def of(cls, reg: ColumnarRegister, regions: RegionTable | None) -> _Prepared:
        t = reg.tables
        kel = t["keluarga"].with_row_index("_pos")
        # each couple's family: the family row of its code with the lowest row number
        family = reg.family_of_pus(first_by_row=True)
        pus = (
            t["pus"]
            .with_row_index("_pos")
            .with_columns(kel.get_column("kode_wilayah").gather(family).alias("_region"))
            .lazy()
            .with_columns(
                _nik_number("nik_istri").alias("_n_nik_istri"),
                _nik_number("nik_suami").alias("_n_nik_suami"),
            )
            .with_columns(
                _surely_valid_nik("nik_istri").alias("nik_istri_ok"),
                _surely_valid_nik("nik_suami").alias("nik_suami_ok"),
            )
            .collect()
        )
        pus = _nik_reasons(pus, "nik_istri")
        pus = _nik_reasons(pus, "nik_suami")
        return cls(
            period_end=reg.period.last_day,
            keluarga=kel,
            pus=pus,
            institusi=t["institusi"].with_row_index("_pos"),
            kegiatan=t["kegiatan"].with_row_index("_pos"),
            regions=regions,
            codes=reg.kelurahan_codes,
        )

    def table(self, name: str) -> pl.DataFrame:
        frame: pl.DataFrame = getattr(self, name)
        return frame


_WIFE_OK = pl.col("nik_istri_reason@id").is_null()


def _pus_hits(frame: pl.DataFrame, column: str, value: pl.Expr, **kw: Any) -> _Hits:
    return _Hits("pus", frame, pl.lit(column), value, pl.col("_region"), **kw)


def _at_hits(
    table: str, frame: pl.DataFrame, column: str | pl.Expr, value: pl.Expr, **kw: Any
) -> _Hits:
    col = pl.lit(column) if isinstance(column, str) else column
    return _Hits(table, frame, col, value, pl.col("kode_wilayah"), **kw)


# --------------------------------------------------------------------------------------- checks

Check = Callable[[_Prepared, Mapping[str, Any]], Iterable[_Hits]]


def _nik_format_hits(bad: pl.DataFrame, column: str) -> _Hits:
    """The malformed NIKs of ``column`` (rows of ``bad``), with the reason each is not one."""
    masked = _mask(column)
    reason = (pl.col(f"{column}_reason@id"), pl.col(f"{column}_reason@en"))
    return _pus_hits(
        bad, column, masked, params={"reason": reason}, found=masked, expected=pl.lit("16 digit")
    )


def _nik_istri_format(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    yield _nik_format_hits(p.pus.filter(~_WIFE_OK), "nik_istri")


def _nik_istri_perempuan(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.pus.filter(_WIFE_OK & ((pl.col("_n_nik_istri") // 10**8) % 100 < 40))
    yield _pus_hits(
        bad, "nik_istri", _mask("nik_istri"), params={},
        found=pl.lit("01-31"), expected=pl.lit("41-71"),
    )  # fmt: skip


def _suami(p: _Prepared) -> pl.DataFrame:
    return p.pus.filter(pl.col("nik_suami").is_not_null())


def _nik_suami_format(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    yield _nik_format_hits(
        _suami(p).filter(pl.col("nik_suami_reason@id").is_not_null()), "nik_suami"
    )


def _nik_suami_laki_laki(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    ok = _suami(p).filter(pl.col("nik_suami_reason@id").is_null())
    bad = ok.filter((pl.col("_n_nik_suami") // 10**8) % 100 > 40)
    yield _pus_hits(
        bad, "nik_suami", _mask("nik_suami"), params={},
        found=pl.lit("41-71"), expected=pl.lit("01-31"),
    )  # fmt: skip


def _nik_tanggal_lahir(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    n, born = pl.col("_n_nik_istri").cast(pl.Int64), pl.col("tanggal_lahir_istri")
    day = (n // 10**8) % 100
    differs = [
        pl.when(day > 40).then(day - 40).otherwise(day) != born.dt.day(),
        (n // 10**6) % 100 != born.dt.month(),
        (n // 10**4) % 100 != born.dt.year().cast(pl.Int64) % 100,
    ]
    bad = p.pus.filter(_WIFE_OK & pl.any_horizontal(differs).fill_null(False))
    bad = bad.with_columns(*(d.alias(f"_d{i}") for i, d in enumerate(differs)))

    def parts(lang: int) -> pl.Expr:
        names = [pl.when(pl.col(f"_d{i}")).then(pl.lit(_DATE_PARTS[i][lang])) for i in range(3)]
        return pl.concat_list(names).list.drop_nulls().list.join(", ")

    yield _pus_hits(bad, "nik_istri", _mask("nik_istri"), params={"parts": (parts(0), parts(1))})


def _umur_istri(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    lo, hi = int(params.get("min_age", 15)), int(params.get("max_age", 49))
    end = p.period_end
    youngest, too_old = _years_before(end, lo), _years_before(end, hi + 1)
    born = pl.col("tanggal_lahir_istri")
    later_in_year = (pl.lit(end.month) < born.dt.month()) | (
        (pl.lit(end.month) == born.dt.month()) & (pl.lit(end.day) < born.dt.day())
    )
    age = pl.lit(end.year) - born.dt.year().cast(pl.Int64) - later_in_year.cast(pl.Int64)
    skip = (pl.lit(too_old) < born) & (born <= pl.lit(youngest))
    bad = (
        p.pus.filter(~skip)
        .with_columns(age.alias("_age"))
        .filter((pl.col("_age") < lo) | (pl.col("_age") > hi))
    )
    yield _pus_hits(
        bad, "tanggal_lahir_istri", pl.lit(None, pl.String),
        params={"age": pl.col("_age"), "min_age": pl.lit(lo), "max_age": pl.lit(hi),
                "end": pl.lit(end.isoformat())},
        found=pl.col("_age").cast(pl.String), expected=pl.lit(f"{lo}-{hi}"),
    )  # fmt: skip


def _unique(table: str, column: str, *, mask: bool = False) -> Check:
    def check(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
        later = _later_duplicates(p.table(table), column)
        value = _mask(column) if mask else pl.col(column)
        kw = {"params": {"value": value, "first": pl.col("_first")}, "found": value}
        if table == "pus":
            yield _pus_hits(later, column, value, **kw)
        else:
            yield _at_hits(table, later, column, value, **kw)

    return check


def _pus_keluarga_ada(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.pus.filter(pl.col("_region").is_null())  # no family row has the code
    kode = pl.col("kode_keluarga")
    yield _pus_hits(bad, "kode_keluarga", kode, params={"kode": kode}, found=kode)


def _region_checker(want_unknown: bool) -> Check:
    def check(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
        if p.regions is None:
            return
        flagged, suggestions = [], []
        for code in p.codes:
            verdict = _region_verdict(p.regions, code)
            if verdict is not None and verdict[0] == want_unknown:
                flagged.append(code)
                suggestions.append(verdict[1])
        if not flagged:
            return
        lookup = pl.DataFrame({"kode_wilayah": flagged, "_suggest": suggestions})
        value = pl.col("kode_wilayah")
        for name in ("keluarga", "institusi", "kegiatan"):
            bad = p.table(name).join(lookup, on="kode_wilayah", how="inner")
            yield _at_hits(
                name, bad, "kode_wilayah", value,
                params={"code": value, "suggestions": pl.col("_suggest")},
                found=value, expected=pl.col("_suggest"),
            )  # fmt: skip

    return check


def _tempat_wajib(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.pus.filter(
        pl.col("tempat_pelayanan").is_null() & pl.col("status_kb").is_in(_NEEDS_PLACE)
    )
    status = pl.col("status_kb")
    yield _pus_hits(
        bad, "tempat_pelayanan", pl.lit(None, pl.String), params={"metode": status},
        found=status, expected=pl.lit("PEMERINTAH / SWASTA"),
    )  # fmt: skip


def _tempat_kosong(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.pus.filter(
        pl.col("tempat_pelayanan").is_not_null() & pl.col("status_kb").is_in(_REASONS)
    )
    place = pl.col("tempat_pelayanan")
    yield _pus_hits(
        bad, "tempat_pelayanan", place, params={"status": pl.col("status_kb")}, found=place
    )


def _peserta_baru(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.pus.filter(pl.col("peserta_baru") & pl.col("status_kb").is_in(_REASONS))
    status = pl.col("status_kb")
    yield _pus_hits(
        bad, "peserta_baru", pl.lit("Y"), params={"status": status},
        found=status, expected=pl.lit(", ".join(_METHODS)),
    )  # fmt: skip


def _rw_rt(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    lo, hi = 1, int(params.get("max", 999))
    for name in ("keluarga", "institusi"):
        for column in ("rw", "rt"):
            v = pl.col(column)
            bad = p.table(name).filter(v.is_not_null() & ((v < lo) | (v > hi)))
            yield _at_hits(
                name, bad, column, v,
                params={"column": pl.lit(column), "value": v, "max": pl.lit(hi)},
                found=v.cast(pl.String), expected=pl.lit(f"{lo}-{hi}"),
            )  # fmt: skip


def _anggota_tanpa_sasaran(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    for code in ("BKB", "BKL", "BKR"):
        x = code.lower()
        bad = p.keluarga.filter(pl.col(f"anggota_{x}") & ~pl.col(f"sasaran_{x}"))
        yield _at_hits(
            "keluarga", bad, f"anggota_{x}", pl.lit("Y"), params={"poktan": pl.lit(code)},
            found=pl.lit(f"anggota_{x}=Y, sasaran_{x}=T"), expected=pl.lit(f"sasaran_{x}=Y"),
        )  # fmt: skip


def _nik_wilayah(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    s, region = pl.col("nik_istri"), pl.col("_region")
    kecamatan = region.str.slice(0, 8)
    # the kecamatan's six digits as a number, once per region code, against the NIK's first six
    regions = [c for c in p.codes if len(c) >= 8 and c[:8].replace(".", "").isdigit()]
    digits = [int(c[:8].replace(".", "")) for c in regions]
    kec_number = region.replace_strict(regions, digits, default=None, return_dtype=pl.Int64)
    nik_number = pl.col("_n_nik_istri").cast(pl.Int64) // 10**10
    differs = (
        pl.when(kec_number.is_not_null())
        .then(kec_number != nik_number)
        .otherwise(s.str.slice(0, 6) != kecamatan.str.replace_all(".", "", literal=True))
    )
    bad = p.pus.filter(_WIFE_OK & region.is_not_null() & differs.fill_null(False))
    prefix = pl.concat_str(s.str.slice(0, 2), s.str.slice(2, 2), s.str.slice(4, 2), separator=".")
    yield _pus_hits(
        bad, "nik_istri", _mask("nik_istri"),
        params={"prefix": prefix, "kecamatan": kecamatan}, found=prefix, expected=kecamatan,
    )  # fmt: skip


def _jumlah_anak(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    limit = int(params.get("max", 20))
    n = pl.col("jumlah_anak")
    bad = p.pus.filter(n.is_not_null() & (n > limit))
    yield _pus_hits(
        bad, "jumlah_anak", n.cast(pl.String), params={"n": n, "max": pl.lit(limit)},
        found=n.cast(pl.String), expected=pl.lit(f"0-{limit}"),
    )  # fmt: skip


def _pertemuan_tanpa_lapor(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    bad = p.institusi.filter((pl.col("jumlah_pertemuan") > 0) & ~pl.col("lapor"))
    yield _at_hits(
        "institusi", bad, "lapor", pl.lit("T"), params={"n": pl.col("jumlah_pertemuan")},
        found=pl.lit("lapor=T"), expected=pl.lit("lapor=Y"),
    )  # fmt: skip


def _satu_ppkbd(p: _Prepared, params: Mapping[str, Any]) -> Iterable[_Hits]:
    later = _later_duplicates(p.institusi.filter(pl.col("jenis") == "PPKBD"), "kode_wilayah")
    yield _at_hits(
        "institusi", later, "jenis", pl.col("jenis"),
        params={"code": pl.col("kode_wilayah"), "first": pl.col("_first")}, found=pl.lit("PPKBD"),
    )  # fmt: skip


#: Rule id → its vectorised twin.
CHECKS: Mapping[str, Check] = {
    "nik-istri-format": _nik_istri_format,
    "nik-istri-perempuan": _nik_istri_perempuan,
    "nik-suami-format": _nik_suami_format,
    "nik-suami-laki-laki": _nik_suami_laki_laki,
    "nik-tanggal-lahir": _nik_tanggal_lahir,
    "umur-istri": _umur_istri,
    "nik-istri-unik": _unique("pus", "nik_istri", mask=True),
    "kode-keluarga-unik": _unique("keluarga", "kode_keluarga"),
    "kode-institusi-unik": _unique("institusi", "kode_institusi"),
    "kegiatan-wilayah-unik": _unique("kegiatan", "kode_wilayah"),
    "pus-keluarga-ada": _pus_keluarga_ada,
    "kode-wilayah-dikenal": _region_checker(True),
    "kode-wilayah-kelurahan": _region_checker(False),
    "tempat-pelayanan-wajib": _tempat_wajib,
    "tempat-pelayanan-kosong": _tempat_kosong,
    "peserta-baru-metode": _peserta_baru,
    "rw-rt-rentang": _rw_rt,
    "anggota-tanpa-sasaran": _anggota_tanpa_sasaran,
    "nik-istri-wilayah": _nik_wilayah,
    "jumlah-anak-wajar": _jumlah_anak,
    "pertemuan-tanpa-lapor": _pertemuan_tanpa_lapor,
    "ppkbd-satu-per-kelurahan": _satu_ppkbd,
}


def _same_check(a: Any, b: Any) -> bool:
    """Whether two check functions are the same code over the same closed-over values."""
    if a is b:
        return True
    code_a, code_b = getattr(a, "__code__", None), getattr(b, "__code__", None)
    if code_a is None or code_a is not code_b:
        return False
    cells_a = [c.cell_contents for c in (a.__closure__ or ())]
    cells_b = [c.cell_contents for c in (b.__closure__ or ())]
    return cells_a == cells_b


def _crash(rule: Rule, error: Exception) -> Findings:
    """The finding :func:`run_rules` gives for a rule whose check raises."""

    def boom(subject: Any, ctx: RuleContext) -> Iterable[Any]:
        raise error

    return run_rules([attrs.evolve(rule, check=boom)], None)


def validate_columnar(
    register: ColumnarRegister,
    *,
    regions: RegionTable | None = None,
    rules: RuleSet | None = None,
) -> FindingsTable:
    """Run the register rules on a :class:`ColumnarRegister`; the findings as a table.

    The same findings as :func:`sikkb.rules.register.validate_register` on the same register
    (same rules, locations, values, messages, hints, order).
    """
    table = regions if regions is not None else kota_tangerang()
    ruleset = rules if rules is not None else register_rules()
    pack = {r.id: r for r in register_rules().all_rules}
    prepared = _Prepared.of(register, table)
    frames: list[pl.DataFrame] = []
    others: list[Rule] = []
    extra = Findings(())
    for rule in ruleset:
        builtin = pack.get(rule.id)
        if builtin is None or not _same_check(rule.check, builtin.check):
            others.append(rule)
            continue
        try:
            for hits in CHECKS[rule.id](prepared, rule.params):
                if hits.frame.height:
                    frames.append(_table(rule, hits))
        except Exception as e:  # a broken rule must not hide the others
            extra = extra + _crash(rule, e)
    if others:
        extra = extra + run_rules(others, register.to_register(), RuleContext(regions=table))
    out = FindingsTable(
        pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=dict(FINDINGS_SCHEMA))
    )
    return out + extra if extra else out
