"""The default register rule pack: what a Dinas officer checks in a register before reporting.

Every rule reads a :class:`~sikkb.register.Register` and yields findings that point at a table, a
spreadsheet row and a column; messages and hints are Indonesian first, English too. A NIK in a
finding is always masked (:func:`~sikkb.nik.mask_nik`); no name and no birth date (the part of a
NIK that masking hides) ever appears in one.

Rules that need the region table (``kode-wilayah-dikenal``, ``kode-wilayah-kelurahan``) read it
from :attr:`RuleContext.regions <sikkb.rules.RuleContext.regions>` and are skipped when it is
``None``; :func:`validate_register` always gives one (Kota Tangerang's by default).

Every rule is one pass over the tables it reads (O(n)); the wife's NIK is checked once per register
and shared by the NIK rules.

Example:
    >>> import datetime
    >>> from sikkb.periods import Period
    >>> from sikkb.register import Keluarga, Pus, Register
    >>> reg = Register(
    ...     period=Period(2026, 10),
    ...     keluarga=[Keluarga(kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2, row=2)],
    ...     pus=[Pus(kode_keluarga="KK-1", nik_istri="3671070508950001",
    ...              tanggal_lahir_istri=datetime.date(1995, 8, 5), status_kb="IAS", row=2)],
    ... )
    >>> for f in validate_register(reg):
    ...     print(f.rule_id, f.location.row, f.location.value, f.message.en)
    nik-istri-perempuan 2 367107******0001 The wife's NIK is a man's: its day field is 01-31 (women: 41-71)
"""

from __future__ import annotations

import datetime
import operator
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from sikkb.codes import JenisInstitusi, Metode
from sikkb.errors import InvalidCodeError, UnknownRegionError
from sikkb.i18n import Text
from sikkb.nik import mask_nik, nik_problem
from sikkb.regions import RegionTable, Tingkat, kota_tangerang
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.rules.engine import Findings, Hit, Location, Rule, RuleContext, RuleSet, run_rules

__all__ = ["nik_reason", "register_rules", "validate_register"]

R = TypeVar("R")
Check = Callable[[Register, RuleContext], Iterable[Hit]]

# ---------------------------------------------------------------------------------------------
# NIK reasons in Indonesian


_REASONS: tuple[tuple[re.Pattern[str], Text], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^a NIK is text of 16 digits$", Text("NIK berupa teks 16 angka", "a NIK is text of 16 digits")),
        (r"^a NIK has 16 digits, this one has (?P<n>\d+)$",
         Text("NIK terdiri atas 16 angka, yang ini {n}", "a NIK has 16 digits, this one has {n}")),
        (r"^a NIK has only digits$", Text("NIK hanya berisi angka", "a NIK has only digits")),
        (r"^a NIK is written with the digits 0-9$",
         Text("NIK ditulis dengan angka 0-9 (bukan angka lebar atau aksara lain)",
              "a NIK is written with the digits 0-9 (not full-width or other scripts' digits)")),
        (r"^(?P<p>\d\d) is not a province code$",
         Text("{p} bukan kode provinsi", "{p} is not a province code")),
        (r"^the kab/kota code cannot be 00$",
         Text("kode kabupaten/kota tidak boleh 00", "the kab/kota code cannot be 00")),
        (r"^the kecamatan code cannot be 00$",
         Text("kode kecamatan tidak boleh 00", "the kecamatan code cannot be 00")),
        # The birth date is in the masked part of a NIK: its digits are not repeated here.
        (r"^birth month \d+ does not exist$",
         Text("bulan lahir pada NIK tidak ada", "the NIK's birth month does not exist")),
        (r"^birth day \d+ does not exist in month \d+",
         Text("tanggal lahir pada NIK tidak ada (perempuan: tanggal + 40)",
              "the NIK's birth day does not exist (women: day + 40)")),
        (r"^the serial number cannot be 0000$",
         Text("nomor urut NIK tidak boleh 0000", "the serial number cannot be 0000")),
    )
)  # fmt: skip
_UNKNOWN_REASON = Text("NIK tidak valid", "not a valid NIK")


def nik_reason(value: object) -> Text | None:
    """Why ``value`` is not a NIK, in Indonesian and English; ``None`` when it is well formed.

    The reasons are those of :func:`sikkb.nik.nik_problem`, without the digits of the birth date
    (they are in the part of a NIK that masking hides).

    >>> nik_reason("3671074508950001") is None
    True
    >>> nik_reason("36710745089500").id
    'NIK terdiri atas 16 angka, yang ini 14'
    >>> print(nik_reason("3671073208950001").en)
    the NIK's birth day does not exist (women: day + 40)
    """
    problem = nik_problem(value)
    if problem is None:
        return None
    for pattern, text in _REASONS:
        if m := pattern.match(problem):
            return text.format(**m.groupdict())
    return _UNKNOWN_REASON


# ---------------------------------------------------------------------------------------------
# What several rules share, computed once per register


def _row_key(record: Any) -> tuple[bool, int]:
    """Spreadsheet order; records built in code (row ``None``) last."""
    row = record.row
    return (row is None, row or 0)


@attrs.frozen
class _Analysis:
    families: Mapping[str, Keluarga]  # kode_keluarga → the family on the lowest row
    wife_nik: tuple[Text | None, ...]  # per pus row: why nik_istri is not a NIK (None: well formed)

    @classmethod
    def of(cls, register: Register) -> _Analysis:
        families: dict[str, Keluarga] = {}
        for k in register.keluarga:
            prev = families.setdefault(k.kode_keluarga, k)
            if prev is not k and _row_key(k) < _row_key(prev):
                families[k.kode_keluarga] = k
        return cls(families, _nik_reasons(p.nik_istri for p in register.pus))


def _nik_reasons(values: Iterable[str]) -> tuple[Text | None, ...]:
    """:func:`nik_reason` of each value, computed once per *shape*.

    A 16-digit string's verdict depends on its first ten digits and on whether the serial is
    ``0000``, not on the birth year or the rest of the serial (a test holds
    :func:`~sikkb.nik.nik_problem` to that), so wives born on the same day in the same kecamatan
    share one check.
    """
    by_shape: dict[str, Text | None] = {}
    out: list[Text | None] = []
    for s in values:
        if len(s) == 16 and s.isdecimal():
            key = s[:10] + ("0" if s[12:] == "0000" else "1")
            if key not in by_shape:
                by_shape[key] = nik_reason(s)
            out.append(by_shape[key])
        else:
            out.append(nik_reason(s))
    return tuple(out)


_last: list[tuple[weakref.ref[Register], _Analysis]] = []


def _analysis(register: Register) -> _Analysis:
    """The analysis of the register most recently checked (recomputed for another register)."""
    if _last:
        ref, found = _last[0]
        if ref() is register:
            return found
    analysis = _Analysis.of(register)
    _last[:] = [(weakref.ref(register), analysis)]
    return analysis


def _region_of(pus: Pus, families: Mapping[str, Keluarga]) -> str | None:
    family = families.get(pus.kode_keluarga)
    return family.kode_wilayah if family is not None else None


def _pus_at(pus: Pus, families: Mapping[str, Keluarga], column: str, value: str | None) -> Location:
    return Location(
        table="pus", row=pus.row, column=column, value=value, region=_region_of(pus, families)
    )


def _at(table: str, record: Keluarga | Institusi | Kegiatan, column: str, value: Any) -> Location:
    return Location(
        table=table,
        row=record.row,
        column=column,
        value=None if value is None else str(value),
        region=record.kode_wilayah,
    )


def _later_duplicates(records: Iterable[R], key: Callable[[R], str]) -> Iterator[tuple[R, R]]:
    """``(record, first)`` for every record whose key an earlier row (by row number) already has."""
    rows = list(records)
    keys = [key(r) for r in rows]
    counts = Counter(keys)
    if len(counts) == len(keys):
        return
    groups: dict[str, list[R]] = {}
    for r, k in zip(rows, keys, strict=True):
        if counts[k] > 1:
            groups.setdefault(k, []).append(r)
    for group in groups.values():
        first, *rest = sorted(group, key=_row_key)
        for later in rest:
            yield later, first


def _row_text(record: Any) -> str:
    return "?" if record.row is None else str(record.row)


# ---------------------------------------------------------------------------------------------
# The checks


def _check_nik_istri_format(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    a = _analysis(reg)
    for p, reason in zip(reg.pus, a.wife_nik, strict=True):
        if reason is not None:
            yield Hit(
                _pus_at(p, a.families, "nik_istri", mask_nik(p.nik_istri)),
                reason=reason,
                found=mask_nik(p.nik_istri),
                expected="16 digit",
            )


def _check_nik_istri_perempuan(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    a = _analysis(reg)
    for p, reason in zip(reg.pus, a.wife_nik, strict=True):
        if reason is None and p.nik_istri[6] < "4":  # day field 01-31: a man's NIK
            yield Hit(
                _pus_at(p, a.families, "nik_istri", mask_nik(p.nik_istri)),
                found="01-31",
                expected="41-71",
            )


def _check_nik_suami_format(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        if p.nik_suami is not None and (reason := nik_reason(p.nik_suami)) is not None:
            yield Hit(
                _pus_at(p, families, "nik_suami", mask_nik(p.nik_suami)),
                reason=reason,
                found=mask_nik(p.nik_suami),
                expected="16 digit",
            )


def _check_nik_suami_laki_laki(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        nik = p.nik_suami
        if nik is not None and nik_problem(nik) is None and int(nik[6:8]) > 40:
            yield Hit(
                _pus_at(p, families, "nik_suami", mask_nik(nik)), found="41-71", expected="01-31"
            )


_DATE_PARTS = (("tanggal", "day"), ("bulan", "month"), ("tahun", "year"))


def _check_nik_tanggal_lahir(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    a = _analysis(reg)
    # birth date → its DD (men), DD + 40 (women) and MMYY as a NIK writes them
    written: dict[datetime.date, tuple[str, str, str]] = {}
    for p, reason in zip(reg.pus, a.wife_nik, strict=True):
        if reason is not None:
            continue
        s, born = p.nik_istri, p.tanggal_lahir_istri
        w = written.get(born)
        if w is None:
            w = written[born] = (
                f"{born.day:02d}",
                f"{born.day + 40:02d}",
                f"{born.month:02d}{born.year % 100:02d}",
            )
        if s[8:12] == w[2] and (s[6:8] == w[1] or s[6:8] == w[0]):
            continue
        day = int(s[6:8])
        on_nik = (day - 40 if day > 40 else day, int(s[8:10]), int(s[10:12]))
        differ = [
            i for i, (x, y) in enumerate(zip(on_nik, (born.day, born.month, born.year % 100), strict=True))
            if x != y
        ]  # fmt: skip
        if differ:
            parts = Text(
                ", ".join(_DATE_PARTS[i][0] for i in differ),
                ", ".join(_DATE_PARTS[i][1] for i in differ),
            )
            yield Hit(_pus_at(p, a.families, "nik_istri", mask_nik(s)), parts=parts)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29 February the year lacks).

    Someone born on it is exactly ``years`` old on ``day``; born later, younger.
    """
    year = max(day.year - years, datetime.MINYEAR)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _check_umur_istri(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    lo, hi = int(ctx.params.get("min_age", 15)), int(ctx.params.get("max_age", 49))
    end = reg.period.last_day
    youngest, too_old = _years_before(end, lo), _years_before(end, hi + 1)
    for p in reg.pus:
        if too_old < p.tanggal_lahir_istri <= youngest:
            continue
        age = _age(p.tanggal_lahir_istri, end)
        if not lo <= age <= hi:
            # No birth date in the finding: with the masked NIK it would give the whole NIK away.
            yield Hit(
                _pus_at(p, families, "tanggal_lahir_istri", None),
                age=age,
                min_age=lo,
                max_age=hi,
                end=end.isoformat(),
                found=str(age),
                expected=f"{lo}-{hi}",
            )


def _unique(
    table: str, column: str, *, mask: Callable[[str], str] = str
) -> Callable[[Register, RuleContext], Iterator[Hit]]:
    def check(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
        records: tuple[Any, ...] = reg.table(table)
        families = _analysis(reg).families if table == "pus" else {}
        for r, first in _later_duplicates(records, operator.attrgetter(column)):
            value = mask(getattr(r, column))
            where = (
                _pus_at(r, families, column, value)
                if table == "pus"
                else _at(table, r, column, value)
            )
            yield Hit(where, value=value, first=_row_text(first), found=value)

    return check


def _check_pus_keluarga_ada(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        if p.kode_keluarga not in families:
            yield Hit(
                _pus_at(p, families, "kode_keluarga", p.kode_keluarga),
                kode=p.kode_keluarga,
                found=p.kode_keluarga,
            )


def _wilayah_records(reg: Register) -> Iterator[tuple[str, Keluarga | Institusi | Kegiatan]]:
    for name in ("keluarga", "institusi", "kegiatan"):
        for r in reg.table(name):
            yield name, r


def _region_checker(
    want_unknown: bool,
) -> Callable[[Register, RuleContext], Iterator[Hit]]:
    """``kode-wilayah-dikenal`` (unknown codes) or ``kode-wilayah-kelurahan`` (known, wrong level)."""

    def check(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
        table = ctx.regions
        if table is None:
            return
        verdicts: dict[str, tuple[bool, str] | None] = {}  # code → (unknown?, suggestions)
        for name, r in _wilayah_records(reg):
            code = r.kode_wilayah
            if code not in verdicts:
                verdicts[code] = _region_verdict(table, code)
            verdict = verdicts[code]
            if verdict is not None and verdict[0] == want_unknown:
                yield Hit(
                    _at(name, r, "kode_wilayah", code),
                    code=code,
                    suggestions=verdict[1],
                    found=code,
                    expected=verdict[1],
                )

    return check


def _region_verdict(table: RegionTable, code: str) -> tuple[bool, str] | None:
    """``None`` for a known kelurahan/desa; else (unknown?, the codes to suggest)."""
    try:
        region = table.get(code)
    except UnknownRegionError as e:
        return True, "; ".join(e.suggestions) or "-"
    except InvalidCodeError:
        return True, "-"
    if region.tingkat is Tingkat.KELURAHAN:
        return None
    below = table.kelurahan(region.code)[:3]
    return False, "; ".join(f"{k.code} {k.name}" for k in below) or "-"


def _check_tempat_wajib(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        m = p.status_kb
        if p.tempat_pelayanan is None and isinstance(m, Metode) and m.needs_place:
            yield Hit(
                _pus_at(p, families, "tempat_pelayanan", None),
                metode=m.code,
                found=m.code,
                expected="PEMERINTAH / SWASTA",
            )


def _check_tempat_kosong(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        if p.tempat_pelayanan is not None and p.alasan is not None:
            yield Hit(
                _pus_at(p, families, "tempat_pelayanan", p.tempat_pelayanan.code),
                status=p.alasan.code,
                found=p.tempat_pelayanan.code,
            )


def _check_peserta_baru(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    for p in reg.pus:
        if p.peserta_baru and p.alasan is not None:
            yield Hit(
                _pus_at(p, families, "peserta_baru", "Y"),
                status=p.alasan.code,
                found=p.alasan.code,
                expected=", ".join(Metode.codes()),
            )


def _check_rw_rt(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    lo, hi = 1, int(ctx.params.get("max", 999))
    for name in ("keluarga", "institusi"):
        records: tuple[Keluarga | Institusi, ...] = reg.table(name)
        for r in records:
            if (r.rw is None or lo <= r.rw <= hi) and (r.rt is None or lo <= r.rt <= hi):
                continue  # the common case, without a getattr per column
            for column in ("rw", "rt"):
                v = getattr(r, column)
                if v is not None and not lo <= v <= hi:
                    yield Hit(
                        _at(name, r, column, v),
                        column=column,
                        value=v,
                        max=hi,
                        found=str(v),
                        expected=f"{lo}-{hi}",
                    )


def _check_anggota_tanpa_sasaran(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    for k in reg.keluarga:
        if not k.anggota or k.anggota <= k.sasaran:
            continue
        for poktan in sorted(k.anggota - k.sasaran, key=lambda p: p.code):
            if poktan.has_sasaran:
                column = f"anggota_{poktan.code.lower()}"
                yield Hit(
                    _at("keluarga", k, column, "Y"),
                    poktan=poktan.code,
                    found=f"{column}=Y, sasaran_{poktan.code.lower()}=T",
                    expected=f"sasaran_{poktan.code.lower()}=Y",
                )


def _check_nik_wilayah(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    a = _analysis(reg)
    plain: dict[str, str] = {}  # kelurahan code → its kecamatan code, plain (367107)
    for p, reason in zip(reg.pus, a.wife_nik, strict=True):
        family = a.families.get(p.kode_keluarga)
        if reason is not None or family is None:
            continue
        s, region = p.nik_istri, family.kode_wilayah
        if region not in plain:
            plain[region] = region[:8].replace(".", "")
        if s[:6] != plain[region]:
            prefix = f"{s[0:2]}.{s[2:4]}.{s[4:6]}"
            yield Hit(
                _pus_at(p, a.families, "nik_istri", mask_nik(s)),
                prefix=prefix,
                kecamatan=region[:8],
                found=prefix,
                expected=region[:8],
            )


def _check_jumlah_anak(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    families = _analysis(reg).families
    limit = int(ctx.params.get("max", 20))
    for p in reg.pus:
        if p.jumlah_anak is not None and p.jumlah_anak > limit:
            yield Hit(
                _pus_at(p, families, "jumlah_anak", str(p.jumlah_anak)),
                n=p.jumlah_anak,
                max=limit,
                found=str(p.jumlah_anak),
                expected=f"0-{limit}",
            )


def _check_pertemuan_tanpa_lapor(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    for i in reg.institusi:
        if i.jumlah_pertemuan > 0 and not i.lapor:
            yield Hit(
                _at("institusi", i, "lapor", "T"),
                n=i.jumlah_pertemuan,
                found="lapor=T",
                expected="lapor=Y",
            )


def _check_satu_ppkbd(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
    ppkbd = (i for i in reg.institusi if i.jenis is JenisInstitusi.PPKBD)
    for r, first in _later_duplicates(ppkbd, lambda i: i.kode_wilayah):
        yield Hit(
            _at("institusi", r, "jenis", r.jenis.code),
            code=r.kode_wilayah,
            first=_row_text(first),
            found="PPKBD",
        )


# ---------------------------------------------------------------------------------------------
# The pack


def register_rules() -> RuleSet:
    """The default register rule pack, a fresh :class:`~sikkb.rules.RuleSet` per call.

    Change a rule's severity (``.with_severity("jumlah-anak-wajar", "INFO")``), its parameters
    (``.with_params("umur-istri", max_age=50)``), switch rules off (``.without(...)``) or add rules
    of your own (``.plus(my_rule)``).

    >>> rules = register_rules()
    >>> "nik-istri-perempuan" in rules, rules.get("anggota-tanpa-sasaran").severity.value
    (True, 'WARNING')
    """
    return RuleSet(
        [
            Rule(
                id="nik-istri-format", severity="ERROR", subject="register",
                title=("Bentuk NIK istri", "Shape of the wife's NIK"),
                message=("NIK istri tidak valid: {reason}", "The wife's NIK is not valid: {reason}"),
                hint=("Salin ulang NIK dari KTP atau KK: 16 angka", "Copy the NIK again from the ID card or family card: 16 digits"),
                reads=("pus.nik_istri",), check=_check_nik_istri_format,
            ),
            Rule(
                id="nik-istri-perempuan", severity="ERROR", subject="register",
                title=("NIK istri perempuan", "The wife's NIK is a woman's"),
                message=("NIK istri bertanda laki-laki: tanggal pada NIK 01-31 (perempuan: 41-71)",
                         "The wife's NIK is a man's: its day field is 01-31 (women: 41-71)"),
                hint=("Periksa apakah NIK suami tertulis di kolom nik_istri",
                      "Check whether the husband's NIK was written in the nik_istri column"),
                reads=("pus.nik_istri",), check=_check_nik_istri_perempuan,
            ),
            Rule(
                id="nik-suami-format", severity="ERROR", subject="register",
                title=("Bentuk NIK suami", "Shape of the husband's NIK"),
                message=("NIK suami tidak valid: {reason}", "The husband's NIK is not valid: {reason}"),
                hint=("Salin ulang NIK dari KTP atau KK, atau kosongkan kolomnya",
                      "Copy the NIK again from the ID card or family card, or leave the cell empty"),
                reads=("pus.nik_suami",), check=_check_nik_suami_format,
            ),
            Rule(
                id="nik-suami-laki-laki", severity="ERROR", subject="register",
                title=("NIK suami laki-laki", "The husband's NIK is a man's"),
                message=("NIK suami bertanda perempuan: tanggal pada NIK 41-71 (laki-laki: 01-31)",
                         "The husband's NIK is a woman's: its day field is 41-71 (men: 01-31)"),
                hint=("Periksa apakah NIK istri dan suami tertukar",
                      "Check whether the wife's and the husband's NIK were swapped"),
                reads=("pus.nik_suami",), check=_check_nik_suami_laki_laki,
            ),
            Rule(
                id="nik-tanggal-lahir", severity="ERROR", subject="register",
                title=("NIK istri sesuai tanggal lahir", "The wife's NIK agrees with her birth date"),
                message=("Tanggal lahir pada NIK istri tidak sama dengan tanggal_lahir_istri; berbeda pada: {parts}",
                         "The birth date in the wife's NIK differs from tanggal_lahir_istri in: {parts}"),
                hint=("Cocokkan NIK dan tanggal lahir dengan KTP atau KK",
                      "Check the NIK and the birth date against the ID card or family card"),
                reads=("pus.nik_istri", "pus.tanggal_lahir_istri"), check=_check_nik_tanggal_lahir,
            ),
            Rule(
                id="umur-istri", severity="ERROR", subject="register",
                title=("Umur istri 15-49 tahun", "Wife aged 15-49"),
                message=("Istri berumur {age} tahun pada {end}; PUS adalah pasangan dengan istri berumur {min_age}-{max_age} tahun",
                         "The wife is {age} on {end}; a PUS is a couple whose wife is aged {min_age}-{max_age}"),
                hint=("Periksa tanggal lahir; pasangan di luar rentang umur bukan PUS dan dihapus dari tabel pus",
                      "Check the birth date; a couple outside the age range is not a PUS and leaves the pus table"),
                reads=("pus.tanggal_lahir_istri",), check=_check_umur_istri,
                params={"min_age": 15, "max_age": 49},
            ),
            Rule(
                id="nik-istri-unik", severity="ERROR", subject="register",
                title=("NIK istri unik", "Unique wife's NIK"),
                message=("NIK istri {value} sudah tercatat di baris {first}",
                         "The wife's NIK {value} is already on row {first}"),
                hint=("Satu istri dicatat satu kali: hapus baris ganda atau perbaiki NIK-nya",
                      "Record each wife once: delete the duplicate row or correct the NIK"),
                reads=("pus.nik_istri",), check=_unique("pus", "nik_istri", mask=mask_nik),
            ),
            Rule(
                id="kode-keluarga-unik", severity="ERROR", subject="register",
                title=("Kode keluarga unik", "Unique family code"),
                message=("Kode keluarga {value} sudah dipakai di baris {first}",
                         "Family code {value} is already used on row {first}"),
                hint=("Satu keluarga dicatat satu kali: hapus baris ganda atau perbaiki kodenya",
                      "Record each family once: delete the duplicate row or correct the code"),
                reads=("keluarga.kode_keluarga",), check=_unique("keluarga", "kode_keluarga"),
            ),
            Rule(
                id="kode-institusi-unik", severity="ERROR", subject="register",
                title=("Kode institusi unik", "Unique institution code"),
                message=("Kode institusi {value} sudah dipakai di baris {first}",
                         "Institution code {value} is already used on row {first}"),
                hint=("Beri setiap institusi atau kelompok kodenya sendiri",
                      "Give every institution or group a code of its own"),
                reads=("institusi.kode_institusi",), check=_unique("institusi", "kode_institusi"),
            ),
            Rule(
                id="kegiatan-wilayah-unik", severity="ERROR", subject="register",
                title=("Satu baris kegiatan per kelurahan", "One kegiatan row per kelurahan"),
                message=("Kelurahan {value} sudah punya baris kegiatan di baris {first}",
                         "Kelurahan {value} already has a kegiatan row on row {first}"),
                hint=("Jumlahkan kegiatan kelurahan itu dalam satu baris",
                      "Add that kelurahan's activities up in one row"),
                reads=("kegiatan.kode_wilayah",), check=_unique("kegiatan", "kode_wilayah"),
            ),
            Rule(
                id="pus-keluarga-ada", severity="ERROR", subject="register",
                title=("Keluarga PUS tercatat", "The PUS's family is recorded"),
                message=("Kode keluarga {kode} tidak ada di tabel keluarga",
                         "Family code {kode} is not in the keluarga table"),
                hint=("Tambahkan keluarganya ke tabel keluarga atau perbaiki kode_keluarga",
                      "Add the family to the keluarga table or correct kode_keluarga"),
                reads=("pus.kode_keluarga", "keluarga.kode_keluarga"), check=_check_pus_keluarga_ada,
            ),
            Rule(
                id="kode-wilayah-dikenal", severity="ERROR", subject="register",
                title=("Kode wilayah dikenal", "Known region code"),
                message=("Kode wilayah {code} tidak ada dalam tabel wilayah",
                         "Region code {code} is not in the region table"),
                hint=("Pakai kode Kemendagri kelurahan/desa; yang terdekat: {suggestions}",
                      "Use the Kemendagri code of the kelurahan/desa; nearest: {suggestions}"),
                reads=("keluarga.kode_wilayah", "institusi.kode_wilayah", "kegiatan.kode_wilayah"),
                check=_region_checker(True),
            ),
            Rule(
                id="kode-wilayah-kelurahan", severity="ERROR", subject="register",
                title=("Kode wilayah tingkat kelurahan/desa", "Region code of a kelurahan/desa"),
                message=("Kode wilayah {code} bukan kelurahan/desa", "Region code {code} is not a kelurahan/desa"),
                hint=("Pakai kode 10 angka kelurahan/desa, misalnya: {suggestions}",
                      "Use the 10-digit code of the kelurahan/desa, for example: {suggestions}"),
                reads=("keluarga.kode_wilayah", "institusi.kode_wilayah", "kegiatan.kode_wilayah"),
                check=_region_checker(False),
            ),
            Rule(
                id="tempat-pelayanan-wajib", severity="ERROR", subject="register",
                title=("Tempat pelayanan diisi", "Place of service given"),
                message=("Metode {metode} perlu tempat_pelayanan (PEMERINTAH atau SWASTA)",
                         "Method {metode} needs tempat_pelayanan (PEMERINTAH or SWASTA)"),
                hint=("Isi tempat pelayanan tempat metode diperoleh",
                      "Enter where the method was obtained"),
                reads=("pus.status_kb", "pus.tempat_pelayanan"), check=_check_tempat_wajib,
            ),
            Rule(
                id="tempat-pelayanan-kosong", severity="ERROR", subject="register",
                title=("Tempat pelayanan kosong bila bukan peserta", "No place of service for a non-user"),
                message=("Status {status} bukan metode KB, tetapi tempat_pelayanan diisi",
                         "Status {status} is not a method, yet tempat_pelayanan is filled in"),
                hint=("Kosongkan tempat_pelayanan, atau perbaiki status_kb bila pasangan ini ber-KB",
                      "Empty tempat_pelayanan, or correct status_kb if the couple uses a method"),
                reads=("pus.status_kb", "pus.tempat_pelayanan"), check=_check_tempat_kosong,
            ),
            Rule(
                id="peserta-baru-metode", severity="ERROR", subject="register",
                title=("Peserta baru memakai metode", "A new participant uses a method"),
                message=("peserta_baru diisi Y, tetapi status {status} bukan metode KB",
                         "peserta_baru is Y, yet status {status} is not a method"),
                hint=("Kosongkan peserta_baru, atau isi status_kb dengan metode yang dipakai",
                      "Empty peserta_baru, or set status_kb to the method used"),
                reads=("pus.status_kb", "pus.peserta_baru"), check=_check_peserta_baru,
            ),
            Rule(
                id="rw-rt-rentang", severity="ERROR", subject="register",
                title=("RW dan RT 1-999", "RW and RT 1-999"),
                message=("{column} {value} di luar rentang 1-{max}", "{column} {value} is outside 1-{max}"),
                hint=("Isi nomor RW/RT tanpa awalan, misalnya 3 untuk RT 003",
                      "Enter the RW/RT number, for example 3 for RT 003"),
                reads=("keluarga.rw", "keluarga.rt", "institusi.rw", "institusi.rt"), check=_check_rw_rt,
                params={"max": 999},
            ),
            Rule(
                id="anggota-tanpa-sasaran", severity="WARNING", subject="register",
                title=("Anggota Poktan juga sasaran", "Poktan members are targets too"),
                message=("Keluarga anggota {poktan} tetapi bukan sasaran {poktan}",
                         "The family is a member of {poktan} but not one of its target families"),
                hint=("Periksa kolom sasaran dan anggota: anggota biasanya juga sasaran",
                      "Check the sasaran and anggota columns: a member is normally a target too"),
                reads=("keluarga.sasaran_bkb", "keluarga.sasaran_bkr", "keluarga.sasaran_bkl",
                       "keluarga.anggota_bkb", "keluarga.anggota_bkr", "keluarga.anggota_bkl"),
                check=_check_anggota_tanpa_sasaran,
            ),
            Rule(
                id="nik-istri-wilayah", severity="INFO", subject="register",
                title=("Wilayah NIK istri", "Region of the wife's NIK"),
                message=("NIK istri terbit di kecamatan {prefix}, keluarganya tinggal di kecamatan {kecamatan}",
                         "The wife's NIK was issued in kecamatan {prefix}; her family lives in kecamatan {kecamatan}"),
                hint=("Wajar bagi pendatang (NIK tidak ikut pindah); periksa bila tidak pindah",
                      "Normal for people who moved (a NIK keeps its first region); check otherwise"),
                reads=("pus.nik_istri", "keluarga.kode_wilayah"), check=_check_nik_wilayah,
            ),
            Rule(
                id="jumlah-anak-wajar", severity="WARNING", subject="register",
                title=("Jumlah anak wajar", "Plausible number of children"),
                message=("Jumlah anak {n} lebih dari {max}", "{n} children is more than {max}"),
                hint=("Periksa apakah angka lain (misalnya umur) tertulis di kolom jumlah_anak",
                      "Check whether another number (an age, say) was written in jumlah_anak"),
                reads=("pus.jumlah_anak",), check=_check_jumlah_anak,
                params={"max": 20},
            ),
            Rule(
                id="pertemuan-tanpa-lapor", severity="WARNING", subject="register",
                title=("Pertemuan tanpa laporan", "Meetings without a report"),
                message=("Institusi mencatat {n} pertemuan tetapi tidak lapor bulan ini",
                         "The institution held {n} meetings but did not report this month"),
                hint=("Isi lapor = Y bila institusi melapor, atau perbaiki jumlah_pertemuan",
                      "Set lapor = Y if the institution reported, or correct jumlah_pertemuan"),
                reads=("institusi.lapor", "institusi.jumlah_pertemuan"), check=_check_pertemuan_tanpa_lapor,
            ),
            Rule(
                id="ppkbd-satu-per-kelurahan", severity="WARNING", subject="register",
                title=("Satu PPKBD per kelurahan", "One PPKBD per kelurahan"),
                message=("Kelurahan {code} sudah punya PPKBD di baris {first}",
                         "Kelurahan {code} already has a PPKBD on row {first}"),
                hint=("Setiap kelurahan punya satu PPKBD; catat yang lain sebagai SUB_PPKBD atau hapus",
                      "Each kelurahan has one PPKBD; record the others as SUB_PPKBD or delete them"),
                reads=("institusi.jenis", "institusi.kode_wilayah"), check=_check_satu_ppkbd,
            ),
        ]
    )  # fmt: skip


def validate_register(
    register: Register,
    *,
    regions: RegionTable | None = None,
    rules: RuleSet | None = None,
) -> Findings:
    """Run the register rules (default: :func:`register_rules`) on ``register``.

    Args:
        register: one month's register.
        regions: the region table codes are checked against (default: Kota Tangerang's).
        rules: the rule set, with the caller's overrides.

    Returns:
        The findings, errors first; never raises because of the data.
    """
    table = regions if regions is not None else kota_tangerang()
    return run_rules(
        rules if rules is not None else register_rules(), register, RuleContext(regions=table)
    )
