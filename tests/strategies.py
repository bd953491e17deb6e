"""Hypothesis strategies shared by the whole suite: one function per record, named in the plural.

Arguments are keyword-only and take strategies (so a caller narrows a draw without rewriting it).
``registers()`` draws whole valid registers over many kelurahan of Kota Tangerang; every rule of
the default register pack passes on them without an ERROR. ``broken_registers(rule_id=...)`` draws
a valid register and breaks exactly one thing so that the named rule fires (:data:`BROKEN` lists
the rules it can target). ``shuffled(register)`` permutes every table's rows.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from sikkb.codes import (
    AlasanBukanPeserta,
    JenisInstitusi,
    Metode,
    Poktan,
    StatusKB,
    TahapanKS,
    TempatPelayanan,
)
from sikkb.periods import Period, Quarter
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register

KELURAHAN: tuple[str, ...] = tuple(r.code for r in kota_tangerang().kelurahan())
KECAMATAN: tuple[str, ...] = tuple(r.code for r in kota_tangerang().at(Tingkat.KECAMATAN))
#: NIK prefixes of people who moved in: Kab. Tangerang, Jakarta Barat, Bandung, Surabaya.
MIGRANT_PREFIXES: tuple[str, ...] = ("360301", "317301", "327301", "357801")

#: status_kb in a realistic mix: users most common, SUNTIK, PIL and IMPLAN favoured.
STATUS_MIX: tuple[StatusKB, ...] = (
    *[Metode.SUNTIK] * 6, *[Metode.PIL] * 3, *[Metode.IMPLAN] * 3, *[Metode.IUD] * 2,
    Metode.MOW, Metode.MOP, Metode.KONDOM, Metode.MAL, Metode.TRADISIONAL,
    AlasanBukanPeserta.HAMIL, AlasanBukanPeserta.IAS, AlasanBukanPeserta.IAT,
    AlasanBukanPeserta.TIAL,
)  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Values (module-level strategies are built once: building them inside a draw is slow)

_YEARS = st.integers(2000, 2040)
_MONTHS = st.integers(1, 12)
_DOTTED = st.just(False)
_SERIALS = st.integers(1, 9999)
_BIRTH_DATES = st.dates(datetime.date(1940, 1, 1), datetime.date(2012, 12, 31))
_KODE_INSTITUSI = st.from_regex(r"\A[A-Z]{2,6}-[0-9]{1,4}\Z")
_JENIS = st.sampled_from(list(JenisInstitusi))
_COUNTS = st.integers(0, 12)
_BKB_BKR_BKL = st.sampled_from([Poktan.BKB, Poktan.BKR, Poktan.BKL])
_SASARAN = st.frozensets(_BKB_BKR_BKL)
_TAHAPAN = st.none() | st.sampled_from(list(TahapanKS))
_NAMA_KK = st.none() | st.sampled_from(["Budi Santoso", "Siti Aminah"])
_NAMA_ISTRI = st.none() | st.just("Siti Aminah")
_PLACES = st.sampled_from(list(TempatPelayanan))
_HUSBAND_OLDER = st.integers(0, 365 * 15)  # days
_JUMLAH_ANAK = st.none() | st.integers(0, 6)
_ONE_IN_TEN = st.integers(0, 9)
_RW, _RT, _MEETINGS = st.integers(1, 30), st.integers(1, 20), st.integers(0, 4)
_REGISTER_PERIODS = st.builds(Period, st.integers(2020, 2030), _MONTHS)
_KELURAHAN_LISTS = st.lists(st.sampled_from(KELURAHAN), min_size=1, max_size=4, unique=True)
_FAMILIES = st.integers(0, 4)
_PUS_PER_FAMILY = st.sampled_from([0, 1, 1, 1, 1, 2])
_INSTITUTIONS = st.integers(0, 3)
_NOT_PPKBD = st.sampled_from([j for j in JenisInstitusi if j is not JenisInstitusi.PPKBD])


def periods(
    *, years: st.SearchStrategy[int] = _YEARS, months: st.SearchStrategy[int] = _MONTHS
) -> st.SearchStrategy[Period]:
    """Reporting months."""
    return st.builds(Period, years, months)


def quarters(*, years: st.SearchStrategy[int] = _YEARS) -> st.SearchStrategy[Quarter]:
    return st.builds(Quarter, years, st.integers(1, 4))


def region_codes(
    *, tingkat: Tingkat = Tingkat.KELURAHAN, plain: st.SearchStrategy[bool] = _DOTTED
) -> st.SearchStrategy[str]:
    """Codes of Kota Tangerang at one level, dotted (or plain when ``plain`` draws True)."""
    codes = [r.code for r in kota_tangerang().at(tingkat)]
    return st.builds(
        lambda code, p: code.replace(".", "") if p else code, st.sampled_from(codes), plain
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (28 February for a 29 February the year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def make_nik(prefix: str, born: datetime.date, *, female: bool, serial: int) -> str:
    """A valid NIK: kecamatan prefix (6 digits), DDMMYY (+40 for women), serial 0001-9999."""
    day = born.day + 40 if female else born.day
    return f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


_KELURAHAN_CODES = region_codes()
_BOOLS = st.booleans()
_LOCAL_PREFIXES = st.sampled_from([c.replace(".", "") for c in KECAMATAN])
_MIGRANT_PREFIXES = st.sampled_from(MIGRANT_PREFIXES)
_PREFIXES = _LOCAL_PREFIXES | _MIGRANT_PREFIXES


def nik_prefixes() -> st.SearchStrategy[str]:
    """Kecamatan prefixes: mostly Kota Tangerang's, sometimes a migrant's."""
    return _PREFIXES


def niks(
    *,
    female: bool | None = None,
    birth_dates: st.SearchStrategy[datetime.date] = _BIRTH_DATES,
    prefixes: st.SearchStrategy[str] = _PREFIXES,
    serials: st.SearchStrategy[int] = _SERIALS,
) -> st.SearchStrategy[str]:
    """Valid NIKs (female, male, or either when ``female`` is None)."""
    sexes = st.booleans() if female is None else st.just(female)
    return st.builds(
        lambda p, b, f, s: make_nik(p, b, female=f, serial=s), prefixes, birth_dates, sexes, serials
    )


@functools.cache
def wife_birth_dates(period: Period) -> st.SearchStrategy[datetime.date]:
    """Birth dates of wives aged 15-49 on the period's last day."""
    end = period.last_day
    return st.dates(years_before(end, 50) + datetime.timedelta(days=1), years_before(end, 15))


_STATUS_KBS = st.sampled_from(STATUS_MIX)


def status_kbs() -> st.SearchStrategy[StatusKB]:
    return _STATUS_KBS


_KODE_KELUARGA = st.from_regex(r"\A(KK|KKI)-[0-9]{3,8}\Z")
_ROWS = st.none() | st.integers(2, 100_000)


def kode_keluargas() -> st.SearchStrategy[str]:
    return _KODE_KELUARGA


# ------------------------------------------------------------------------------------------------
# Records: each public strategy draws through a plain helper the register strategy reuses


def _draw_keluarga(
    draw: st.DrawFn, kode_keluarga: str, kode_wilayah: str, row: int | None
) -> Keluarga:
    sasaran = draw(_SASARAN)
    anggota = frozenset(p for p in sorted(sasaran, key=str) if draw(st.booleans()))
    if draw(st.booleans()):
        anggota |= {Poktan.UPPKA}
    return Keluarga(
        kode_keluarga=kode_keluarga,
        kode_wilayah=kode_wilayah,
        rw=draw(_RW),
        rt=draw(_RT),
        nama_kepala_keluarga=draw(_NAMA_KK),
        tahapan_ks=draw(_TAHAPAN),
        sasaran=sasaran,
        anggota=anggota,
        row=row,
    )


@st.composite
def keluargas(
    draw: st.DrawFn,
    *,
    kode_keluarga: st.SearchStrategy[str] = _KODE_KELUARGA,
    kode_wilayah: st.SearchStrategy[str] = _KELURAHAN_CODES,
    rows: st.SearchStrategy[int | None] = _ROWS,
) -> Keluarga:
    """Valid families: members of a Poktan that has targets are its targets too."""
    return _draw_keluarga(draw, draw(kode_keluarga), draw(kode_wilayah), draw(rows))


def _draw_pus(
    draw: st.DrawFn,
    period: Period,
    kode_keluarga: str,
    prefix: str,
    serial: int,
    status: StatusKB,
    row: int | None,
) -> Pus:
    born = draw(wife_birth_dates(period))
    place: TempatPelayanan | None = None
    if isinstance(status, Metode) and status.needs_place:
        place = draw(_PLACES)
    husband_born = born - datetime.timedelta(days=draw(_HUSBAND_OLDER))
    husband = make_nik(prefix, husband_born, female=False, serial=serial)
    return Pus(
        kode_keluarga=kode_keluarga,
        nik_istri=make_nik(prefix, born, female=True, serial=serial),
        tanggal_lahir_istri=born,
        status_kb=status,
        tempat_pelayanan=place,
        peserta_baru=isinstance(status, Metode) and draw(_ONE_IN_TEN) == 0,
        nama_istri=draw(_NAMA_ISTRI),
        nik_suami=husband if draw(st.booleans()) else None,
        jumlah_anak=draw(_JUMLAH_ANAK),
        row=row,
    )


@st.composite
def puses(
    draw: st.DrawFn,
    *,
    period: Period = Period(2026, 10),  # noqa: B008 - an immutable value
    kode_keluarga: st.SearchStrategy[str] = _KODE_KELUARGA,
    prefixes: st.SearchStrategy[str] = _PREFIXES,
    serials: st.SearchStrategy[int] = _SERIALS,
    statuses: st.SearchStrategy[StatusKB] = _STATUS_KBS,
    rows: st.SearchStrategy[int | None] = _ROWS,
) -> Pus:
    """Valid couples for ``period``: wife aged 15-49, her NIK female and matching her birth date."""
    return _draw_pus(
        draw, period, draw(kode_keluarga), draw(prefixes), draw(serials), draw(statuses), draw(rows)
    )


def _draw_institusi(
    draw: st.DrawFn, kode_institusi: str, jenis: JenisInstitusi, kode_wilayah: str, row: int | None
) -> Institusi:
    lapor = draw(st.booleans())
    with_rw = jenis in (JenisInstitusi.SUB_PPKBD, JenisInstitusi.KELOMPOK_KB)
    return Institusi(
        kode_institusi=kode_institusi,
        jenis=jenis,
        kode_wilayah=kode_wilayah,
        nama=f"{jenis.label_id} Melati" if draw(st.booleans()) else None,
        rw=draw(_RW) if with_rw else None,
        rt=draw(_RT) if jenis is JenisInstitusi.KELOMPOK_KB else None,
        lapor=lapor,
        jumlah_pertemuan=draw(_MEETINGS) if lapor and jenis.is_poktan else 0,
        row=row,
    )


@st.composite
def institusis(
    draw: st.DrawFn,
    *,
    kode_institusi: st.SearchStrategy[str] = _KODE_INSTITUSI,
    jenis: st.SearchStrategy[JenisInstitusi] = _JENIS,
    kode_wilayah: st.SearchStrategy[str] = _KELURAHAN_CODES,
    rows: st.SearchStrategy[int | None] = _ROWS,
) -> Institusi:
    """Valid institutions: RW for a Sub-PPKBD, RW and RT for a Kelompok KB, meetings only when reported."""
    return _draw_institusi(draw, draw(kode_institusi), draw(jenis), draw(kode_wilayah), draw(rows))


def _draw_kegiatan(
    draw: st.DrawFn, kode_wilayah: str, counts: st.SearchStrategy[int], row: int | None
) -> Kegiatan:
    return Kegiatan(
        kode_wilayah=kode_wilayah,
        rakor=draw(counts),
        penyuluhan=draw(counts),
        kie_kit=draw(counts),
        tokoh_aktif=draw(counts),
        row=row,
    )


@st.composite
def kegiatans(
    draw: st.DrawFn,
    *,
    kode_wilayah: st.SearchStrategy[str] = _KELURAHAN_CODES,
    counts: st.SearchStrategy[int] = _COUNTS,
    rows: st.SearchStrategy[int | None] = _ROWS,
) -> Kegiatan:
    return _draw_kegiatan(draw, draw(kode_wilayah), counts, draw(rows))


# ------------------------------------------------------------------------------------------------
# Registers


@st.composite
def registers(
    draw: st.DrawFn,
    *,
    periods: st.SearchStrategy[Period] = _REGISTER_PERIODS,
    kelurahan: st.SearchStrategy[list[str]] = _KELURAHAN_LISTS,
    families: st.SearchStrategy[int] = _FAMILIES,
    pus_per_family: st.SearchStrategy[int] = _PUS_PER_FAMILY,
    institutions: st.SearchStrategy[int] = _INSTITUTIONS,
    with_kegiatan: st.SearchStrategy[bool] = _BOOLS,
) -> Register:
    """Valid registers: no rule of the default pack finds an ERROR in them.

    Rows are numbered from 2 in each table, in order; NIK serials are unique in the register (most
    wives' NIKs come from their kecamatan, some from elsewhere); the first kelurahan has one
    institution of every jenis (so every jenis occurs); a kelurahan has at most one PPKBD; family
    codes embed the kelurahan code so they are unique.
    """
    period = draw(periods)
    codes = draw(kelurahan)
    serials = iter(range(draw(st.integers(1, 5000)), 10_000))
    keluarga: list[Keluarga] = []
    pus: list[Pus] = []
    institusi: list[Institusi] = []
    kegiatan: list[Kegiatan] = []
    for n, code in enumerate(codes):
        plain = code.replace(".", "")
        for i in range(draw(families)):
            kk = f"KK-{plain}-{i + 1:03d}"
            keluarga.append(_draw_keluarga(draw, kk, code, len(keluarga) + 2))
            for _ in range(draw(pus_per_family)):
                prefix = plain[:6] if draw(_ONE_IN_TEN) else draw(_MIGRANT_PREFIXES)
                status = draw(_STATUS_KBS)
                pus.append(_draw_pus(draw, period, kk, prefix, next(serials), status, len(pus) + 2))
        jenis = list(JenisInstitusi) if n == 0 else []
        jenis += [draw(_NOT_PPKBD) for _ in range(draw(institutions))]
        if n > 0 and draw(st.booleans()):
            jenis.append(JenisInstitusi.PPKBD)
        for i, j in enumerate(jenis):
            kode = f"{j.code}-{plain}-{i + 1}"
            institusi.append(_draw_institusi(draw, kode, j, code, len(institusi) + 2))
        if draw(with_kegiatan):
            kegiatan.append(_draw_kegiatan(draw, code, _COUNTS, len(kegiatan) + 2))
    return Register(
        period=period,
        keluarga=keluarga,
        pus=pus,
        institusi=institusi,
        kegiatan=kegiatan,
        source="hypothesis",
    )


def shuffled(register: Register) -> st.SearchStrategy[Register]:
    """The same register with every table's rows in another order."""
    return st.builds(
        lambda k, p, i, g: attrs.evolve(register, keluarga=k, pus=p, institusi=i, kegiatan=g),
        st.permutations(register.keluarga),
        st.permutations(register.pus),
        st.permutations(register.institusi),
        st.permutations(register.kegiatan),
    )


# ------------------------------------------------------------------------------------------------
# Broken registers: a valid register with exactly one thing broken


def _next_row(records: tuple[Any, ...]) -> int:
    return max((r.row or 1 for r in records), default=1) + 1


def _replace(reg: Register, table: str, index: int, **changes: Any) -> Register:
    rows = list(reg.table(table))
    rows[index] = attrs.evolve(rows[index], **changes)
    return attrs.evolve(reg, **{table: tuple(rows)})


def _append(reg: Register, table: str, record: Any) -> Register:
    rows = reg.table(table)
    return attrs.evolve(reg, **{table: (*rows, attrs.evolve(record, row=_next_row(rows)))})


def _pick(draw: st.DrawFn, records: tuple[Any, ...], ok: Callable[[Any], bool] = bool) -> int:
    choices = [i for i, r in enumerate(records) if ok(r)]
    return draw(st.sampled_from(choices))


def _with(n_pus: int = 0, n_keluarga: int = 0, n_institusi: int = 0) -> st.SearchStrategy[Register]:
    return registers(families=st.integers(1, 4)).filter(
        lambda r: len(r.pus) >= n_pus and len(r.keluarga) >= n_keluarga
        and len(r.institusi) >= n_institusi
    )  # fmt: skip


Breaker = Callable[[st.DrawFn, Register], Register]


def _bad_wife_nik(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    nik = reg.pus[i].nik_istri
    bad = draw(
        st.sampled_from(
            [nik[:15], nik + "7", nik[:10] + "AB" + nik[12:], "99" + nik[2:], nik[:12] + "0000",
             nik[:8] + "13" + nik[10:], nik[:2] + "00" + nik[4:]]
        )
    )  # fmt: skip
    return _replace(reg, "pus", i, nik_istri=bad)


def _male_wife_nik(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    nik = reg.pus[i].nik_istri
    return _replace(reg, "pus", i, nik_istri=f"{nik[:6]}{int(nik[6:8]) - 40:02d}{nik[8:]}")


def _bad_husband_nik(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    return _replace(
        reg,
        "pus",
        i,
        nik_suami=draw(st.sampled_from(["123", "3671AB0101900001", "3671070101900000"])),
    )


def _female_husband_nik(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    return _replace(reg, "pus", i, nik_suami=draw(niks(female=True)))


def _nik_other_birth_year(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    nik = reg.pus[i].nik_istri
    yy = (int(nik[10:12]) + draw(st.integers(1, 99))) % 100
    return _replace(reg, "pus", i, nik_istri=f"{nik[:10]}{yy:02d}{nik[12:]}")


def _wife_age(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    p = reg.pus[i]
    age = draw(st.integers(0, 14) | st.integers(50, 90))
    born = years_before(reg.period.last_day, age).replace(day=1)  # any day 1 has the same age
    nik = make_nik(p.nik_istri[:6], born, female=True, serial=int(p.nik_istri[12:]))
    return _replace(reg, "pus", i, tanggal_lahir_istri=born, nik_istri=nik)


def _duplicate_wife(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    j = _pick(draw, reg.pus, lambda p: p is not reg.pus[i])
    a = reg.pus[i]
    return _replace(reg, "pus", j, nik_istri=a.nik_istri, tanggal_lahir_istri=a.tanggal_lahir_istri)


def _duplicate_row(table: str) -> Breaker:
    def breaker(draw: st.DrawFn, reg: Register) -> Register:
        return _append(reg, table, reg.table(table)[_pick(draw, reg.table(table))])

    return breaker


def _duplicate_institution_code(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.institusi)
    j = _pick(draw, reg.institusi, lambda r: r is not reg.institusi[i])
    return _replace(reg, "institusi", j, kode_institusi=reg.institusi[i].kode_institusi)


def _orphan_pus(draw: st.DrawFn, reg: Register) -> Register:
    return _replace(reg, "pus", _pick(draw, reg.pus), kode_keluarga="KK-TIDAK-ADA")


_WILAYAH_TABLES = ("keluarga", "institusi", "kegiatan")


def _unknown_region(draw: st.DrawFn, reg: Register) -> Register:
    table = draw(st.sampled_from([t for t in _WILAYAH_TABLES if reg.table(t)]))
    i = _pick(draw, reg.table(table))
    code = reg.table(table)[i].kode_wilayah
    unknown = draw(
        st.sampled_from([f"{code[:8]}.1099", f"{code[:8]}.2001", "36.71.99.1001", "32.73.01.1001"])
    )
    return _replace(reg, table, i, kode_wilayah=unknown)


def _not_kelurahan(draw: st.DrawFn, reg: Register) -> Register:
    table = draw(st.sampled_from([t for t in _WILAYAH_TABLES if reg.table(t)]))
    i = _pick(draw, reg.table(table))
    code = reg.table(table)[i].kode_wilayah
    return _replace(
        reg, table, i, kode_wilayah=draw(st.sampled_from([code[:8], code[:5], code[:2]]))
    )


def _needs_place(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    m = draw(st.sampled_from([m for m in Metode if m.needs_place]))
    return _replace(reg, "pus", i, status_kb=m, tempat_pelayanan=None)


def _place_for_non_user(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    return _replace(
        reg, "pus", i,
        status_kb=draw(st.sampled_from(list(AlasanBukanPeserta))),
        tempat_pelayanan=draw(st.sampled_from(list(TempatPelayanan))),
        peserta_baru=False,
    )  # fmt: skip


def _new_non_user(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.pus)
    return _replace(
        reg, "pus", i,
        status_kb=draw(st.sampled_from(list(AlasanBukanPeserta))),
        tempat_pelayanan=None,
        peserta_baru=True,
    )  # fmt: skip


def _rw_rt(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.keluarga)
    column = draw(st.sampled_from(["rw", "rt"]))
    return _replace(
        reg, "keluarga", i, **{column: draw(st.integers(-5, 0) | st.integers(1000, 5000))}
    )


def _member_not_target(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.keluarga)
    k = reg.keluarga[i]
    poktan = draw(st.sampled_from([Poktan.BKB, Poktan.BKR, Poktan.BKL]))
    return _replace(reg, "keluarga", i, anggota=k.anggota | {poktan}, sasaran=k.sasaran - {poktan})


def _many_children(draw: st.DrawFn, reg: Register) -> Register:
    return _replace(reg, "pus", _pick(draw, reg.pus), jumlah_anak=draw(st.integers(21, 60)))


def _meetings_unreported(draw: st.DrawFn, reg: Register) -> Register:
    i = _pick(draw, reg.institusi)
    return _replace(reg, "institusi", i, lapor=False, jumlah_pertemuan=draw(st.integers(1, 8)))


def _second_ppkbd(draw: st.DrawFn, reg: Register) -> Register:
    first = reg.institusi[_pick(draw, reg.institusi, lambda r: r.jenis is JenisInstitusi.PPKBD)]
    return _append(
        reg, "institusi", attrs.evolve(first, kode_institusi=first.kode_institusi + "-B")
    )


def _nik_elsewhere(draw: st.DrawFn, reg: Register) -> Register:
    families = reg.keluarga_by_kode
    i = _pick(draw, reg.pus)
    p = reg.pus[i]
    home = families[p.kode_keluarga].kode_wilayah[:8].replace(".", "")
    prefix = draw(nik_prefixes().filter(lambda x: x != home))
    return _replace(reg, "pus", i, nik_istri=prefix + p.nik_istri[6:])


#: Rule id → (registers it can break, how to break one).
BROKEN: dict[str, tuple[st.SearchStrategy[Register], Breaker]] = {
    "nik-istri-format": (_with(n_pus=1), _bad_wife_nik),
    "nik-istri-perempuan": (_with(n_pus=1), _male_wife_nik),
    "nik-suami-format": (_with(n_pus=1), _bad_husband_nik),
    "nik-suami-laki-laki": (_with(n_pus=1), _female_husband_nik),
    "nik-tanggal-lahir": (_with(n_pus=1), _nik_other_birth_year),
    "umur-istri": (_with(n_pus=1), _wife_age),
    "nik-istri-unik": (_with(n_pus=2), _duplicate_wife),
    "kode-keluarga-unik": (_with(n_keluarga=1), _duplicate_row("keluarga")),
    "kode-institusi-unik": (_with(n_institusi=2), _duplicate_institution_code),
    "kegiatan-wilayah-unik": (
        registers(with_kegiatan=st.just(True)),
        _duplicate_row("kegiatan"),
    ),
    "pus-keluarga-ada": (_with(n_pus=1), _orphan_pus),
    "kode-wilayah-dikenal": (registers(), _unknown_region),
    "kode-wilayah-kelurahan": (registers(), _not_kelurahan),
    "tempat-pelayanan-wajib": (_with(n_pus=1), _needs_place),
    "tempat-pelayanan-kosong": (_with(n_pus=1), _place_for_non_user),
    "peserta-baru-metode": (_with(n_pus=1), _new_non_user),
    "rw-rt-rentang": (_with(n_keluarga=1), _rw_rt),
    "anggota-tanpa-sasaran": (_with(n_keluarga=1), _member_not_target),
    "nik-istri-wilayah": (_with(n_pus=1), _nik_elsewhere),
    "jumlah-anak-wajar": (_with(n_pus=1), _many_children),
    "pertemuan-tanpa-lapor": (registers(), _meetings_unreported),
    "ppkbd-satu-per-kelurahan": (registers(), _second_ppkbd),
}


def broken_registers(*, rule_id: str) -> st.SearchStrategy[Register]:
    """Valid registers with one thing broken so that rule ``rule_id`` fires (see :data:`BROKEN`)."""
    base, breaker = BROKEN[rule_id]

    @st.composite
    def broken(draw: st.DrawFn) -> Register:
        return breaker(draw, draw(base))

    return broken()


def any_registers() -> st.SearchStrategy[Register]:
    """Valid registers and registers broken for any rule: input the rules must never raise on."""
    return registers() | st.sampled_from(sorted(BROKEN)).flatmap(
        lambda rule_id: broken_registers(rule_id=rule_id)
    )
