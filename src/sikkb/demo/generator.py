"""The demo city's generator: the city's shape and each kelurahan's simulated population.

A private ``_Kelurahan`` holds one kelurahan's families, couples and institutions and evolves them
month by month from its own random stream (:mod:`sikkb.demo.months` drives it); the yearly PB
targets (:func:`~sikkb.demo.demo_ppm`) and the population (:func:`~sikkb.demo.demo_population`)
are drawn from the same seed and sizes. See :mod:`sikkb.demo` for what the data look like.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from sikkb.codes import (
    AlasanBukanPeserta,
    JenisInstitusi,
    Metode,
    Poktan,
    StatusKB,
    TahapanKS,
    TempatPelayanan,
)
from sikkb.periods import Period
from sikkb.regions import Region, RegionTable, Tingkat, kota_tangerang
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register

__all__ = [
    "DEMO_LABEL",
    "DEMO_SEED",
    "demo_label",
    "demo_population",
    "demo_ppm",
]


#: The label every demo register carries (start of ``Register.source``).
DEMO_LABEL = "DATA CONTOH (sintetis)"
#: The default seed.
DEMO_SEED = 2026

# --- the city's shape at scale 1 -------------------------------------------------------------

_FAMILIES = 400_000  # keluarga in the city at scale 1
_PEOPLE_PER_FAMILY = 4.75  # 1.9 million people / 400,000 families
_PUS_PER_FAMILY = ((0, 1, 2), (0.25, 0.69, 0.06))  # 0.81 PUS per family → ~324,000 PUS
_SIZE_SIGMA = 0.45  # spread (log-normal) of kelurahan sizes
_FAMILIES_PER_RW = 380  # at scale 1: sets the number of RW (5-15) of a kelurahan
_MIN_FAMILIES = 5  # every kelurahan has at least this many families, whatever the scale

#: Families per group, at any scale; at least one group of each kind per kelurahan.
_FAMILIES_PER_GROUP: tuple[tuple[JenisInstitusi, int], ...] = (
    (JenisInstitusi.KELOMPOK_KB, 180),
    (JenisInstitusi.BKB, 400),
    (JenisInstitusi.BKR, 650),
    (JenisInstitusi.BKL, 800),
    (JenisInstitusi.UPPKA, 1000),
    (JenisInstitusi.PIKR, 2500),
)
_JENIS_SHORT = {
    JenisInstitusi.PPKBD: "PPKBD",
    JenisInstitusi.SUB_PPKBD: "SUBPPKBD",
    JenisInstitusi.KELOMPOK_KB: "KKB",
    JenisInstitusi.BKB: "BKB",
    JenisInstitusi.BKR: "BKR",
    JenisInstitusi.BKL: "BKL",
    JenisInstitusi.UPPKA: "UPPKA",
    JenisInstitusi.PIKR: "PIKR",
}

#: Method mix among PA (percent), before a small per-kelurahan jitter.
_METHOD_MIX: dict[Metode, float] = {
    Metode.IUD: 8.0,
    Metode.MOW: 3.0,
    Metode.MOP: 0.6,
    Metode.KONDOM: 4.0,
    Metode.IMPLAN: 10.0,
    Metode.SUNTIK: 50.0,
    Metode.PIL: 20.0,
    Metode.MAL: 2.2,
    Metode.TRADISIONAL: 2.2,
}
#: Share of each method obtained from government services (the rest: SWASTA); ~40/60 overall.
_GOV_SHARE: dict[Metode, float] = {
    Metode.IUD: 0.60,
    Metode.MOW: 0.80,
    Metode.MOP: 0.90,
    Metode.KONDOM: 0.30,
    Metode.IMPLAN: 0.70,
    Metode.SUNTIK: 0.35,
    Metode.PIL: 0.35,
}
#: Reasons among non-users.
_REASON_MIX: dict[AlasanBukanPeserta, float] = {
    AlasanBukanPeserta.HAMIL: 0.16,
    AlasanBukanPeserta.IAS: 0.26,
    AlasanBukanPeserta.IAT: 0.30,
    AlasanBukanPeserta.TIAL: 0.28,
}

#: Wives' ages at the first month, with weights.
_AGES = tuple(range(17, 50))
_AGE_WEIGHTS = tuple(
    0.3 if a == 17 else 0.6 if a == 18 else 1.0 if a == 19 else
    2.0 if a < 25 else 3.0 if a < 40 else 2.6 if a < 45 else 2.0
    for a in _AGES
)  # fmt: skip
_YOUNG, _MID, _OLD = 0, 1, 2  # age bands: < 25, 25-34, 35+
#: Per band: CPR factor, method multipliers, reason multipliers, children (values, weights).
_BAND_CPR = (0.80, 1.06, 1.04)
_BAND_METHOD: tuple[dict[Metode, float], ...] = (
    {Metode.MOW: 0.0, Metode.MOP: 0.0, Metode.IUD: 0.5, Metode.IMPLAN: 0.7, Metode.KONDOM: 1.5},
    {},
    {Metode.MOW: 2.0, Metode.MOP: 1.5, Metode.IUD: 1.3, Metode.IMPLAN: 1.2, Metode.MAL: 0.4},
)
_BAND_REASON: tuple[dict[AlasanBukanPeserta, float], ...] = (
    {AlasanBukanPeserta.HAMIL: 2.0, AlasanBukanPeserta.IAS: 2.5, AlasanBukanPeserta.TIAL: 0.1},
    {},
    {AlasanBukanPeserta.HAMIL: 0.4, AlasanBukanPeserta.IAS: 0.3, AlasanBukanPeserta.TIAL: 2.0},
)
_BAND_CHILDREN: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = (
    ((0, 1, 2), (45, 45, 10)),
    ((0, 1, 2, 3, 4), (8, 30, 40, 17, 5)),
    ((0, 1, 2, 3, 4, 5), (3, 12, 38, 30, 12, 5)),
)

_TAHAPAN = tuple(TahapanKS)
_TAHAPAN_WEIGHTS = (7.0, 16.0, 36.0, 31.0, 10.0)  # KPS, KS1, KS2, KS3, KS3+

# Poktan: (P(sasaran | family has PUS), P(sasaran | no PUS), P(anggota | sasaran)).
_POKTAN_SHARES: tuple[tuple[Poktan, float, float, float], ...] = (
    (Poktan.BKB, 0.38, 0.04, 0.45),
    (Poktan.BKR, 0.33, 0.25, 0.30),
    (Poktan.BKL, 0.16, 0.45, 0.35),
)
_UPPKA_SHARE = (0.12, 0.03)  # P(anggota UPPKA | KPS or KS1), P(anggota UPPKA | otherwise)

_NEW_PB_SHARE = 0.016  # share of PA counted as PB in the first month (~1.1 % of PUS)

# Monthly transitions (share of the group per month).
_HAMIL_BIRTH = 1 / 8  # HAMIL gives birth: → method (PB), MAL (PB), IAT, TIAL
_BIRTH_OUTCOMES = (("metode", 0.55), ("mal", 0.10), ("iat", 0.25), ("tial", 0.10))
_IAS_HAMIL = 0.08
_IAT_START, _IAT_IAS = 0.035, 0.02
_TIAL_START = 0.025
_PA_STOP, _PA_SWITCH, _PA_FAIL = 0.012, 0.005, 0.0005
_STOP_REASONS = ((AlasanBukanPeserta.IAS, 0.5), (AlasanBukanPeserta.IAT, 0.3),
                 (AlasanBukanPeserta.TIAL, 0.2))  # fmt: skip
_MAL_SWITCH = 0.15
_NEW_PUS = 0.003  # new couples per month, as a share of PUS
_NEW_STATUS = (("ias", 0.45), ("metode", 0.40), ("iat", 0.15))
_PERMANENT = frozenset({Metode.MOW, Metode.MOP})
_TIAL_METHOD_BOOST = {Metode.IUD: 2.5, Metode.MOW: 4.0, Metode.IMPLAN: 2.0, Metode.MOP: 2.0}

_PEM, _SWA = TempatPelayanan.PEMERINTAH, TempatPelayanan.SWASTA

_PB_PER_PUS_YEAR = 0.13  # PB a year per PUS, what PPM targets are set from


def demo_label(seed: int, scale: float) -> str:
    """The ``source`` text of a demo register: DATA CONTOH, the seed and the scale."""
    return (
        f"{DEMO_LABEL} seed={seed} scale={scale:g} — bukan data nyata / synthetic, not real people"
    )


def demo_ppm(
    year: int,
    *,
    seed: int = DEMO_SEED,
    scale: float = 1.0,
    kelurahan: Iterable[str] | None = None,
    with_totals: bool = False,
) -> dict[str, int]:
    """PPM (perkiraan permintaan masyarakat): the yearly target of new participants (PB).

    Args:
        year: the target year.
        seed, scale, kelurahan: as for :func:`demo_city`.
        with_totals: also give each kecamatan's and the kota's target, the sum of their
            kelurahan's (of those asked for).

    Returns:
        Region code (dotted) → PB target for ``year``, in code order. About 13 % of a
        kelurahan's PUS, so that a year of :func:`demo_months` lands near 100 %. For
        :class:`sikkb.report.PPMTargets`: ``PPMTargets.from_mapping({c: {year: n} for c, n in
        demo_ppm(year).items()})``.
    """
    _check_scale(scale)
    table = kota_tangerang()
    pus_per_family = sum(n * w for n, w in zip(*_PUS_PER_FAMILY, strict=True))
    out: dict[str, int] = {}
    for region, share in _selected(table, seed, kelurahan):
        families = _families(share, scale)
        rng = random.Random(f"sikkb-demo:{seed}:{region.code}:ppm:{year}")
        target = families * pus_per_family * _PB_PER_PUS_YEAR * rng.uniform(0.9, 1.12)
        step = 5 if target >= 100 else 1
        out[region.code] = max(1, round(target / step) * step)
    if with_totals:
        totals: dict[str, int] = {}
        for code, n in out.items():
            for parent in (code[:5], code[:8]):  # 36.71 and 36.71.07
                totals[parent] = totals.get(parent, 0) + n
        out.update(totals)
        out = dict(sorted(out.items()))
    return out


def demo_population(
    *,
    seed: int = DEMO_SEED,
    scale: float = 1.0,
    kelurahan: Iterable[str] | None = None,
) -> dict[str, int]:
    """Population (people) of each demo kelurahan: about 4.75 people per family (1.9 million)."""
    _check_scale(scale)
    table = kota_tangerang()
    out: dict[str, int] = {}
    for region, share in _selected(table, seed, kelurahan):
        families = _families(share, scale)
        rng = random.Random(f"sikkb-demo:{seed}:{region.code}:penduduk")
        out[region.code] = round(families * _PEOPLE_PER_FAMILY * rng.uniform(0.95, 1.05))
    return out


# --- internals ---------------------------------------------------------------------------------


def _check_scale(scale: float) -> None:
    if (
        not isinstance(scale, int | float)
        or isinstance(scale, bool)
        or not math.isfinite(scale)
        or scale <= 0
    ):
        raise ValueError(f"scale must be a positive number, not {scale!r}")


def _sizes(table: RegionTable, seed: int) -> dict[str, float]:
    """Each kelurahan's share of the city's families (drawn once for the whole city)."""
    rng = random.Random(f"sikkb-demo:{seed}:kota")
    weights = {r.code: rng.lognormvariate(0.0, _SIZE_SIGMA) for r in table.kelurahan()}
    total = sum(weights.values())
    return {code: w / total for code, w in weights.items()}


def _families(share: float, scale: float) -> int:
    return max(_MIN_FAMILIES, round(_FAMILIES * scale * share))


def _selected(
    table: RegionTable, seed: int, codes: Iterable[str] | None
) -> list[tuple[Region, float]]:
    """The kelurahan asked for, in code order, with their share of the city's families."""
    if isinstance(codes, str):
        codes = [codes]
    if codes is None:
        chosen = list(table.kelurahan())
    else:
        found: dict[str, Region] = {}
        for code in codes:
            region = table.get(code)
            below = (region,) if region.is_kelurahan else table.kelurahan(region.code)
            found.update((r.code, r) for r in below)
        chosen = sorted(found.values(), key=lambda r: r.code)
    shares = _sizes(table, seed)
    return [(r, shares[r.code]) for r in chosen]


def _register(period: Period, sims: Sequence[_Kelurahan], seed: int, scale: float) -> Register:
    # Built as a dict of Any: mypy's attrs plugin cannot type Register's ``converter=tuple``.
    tables: dict[str, Any] = {
        "keluarga": tuple(k for s in sims for k in s.keluarga),
        "pus": tuple(p for s in sims for p in s.pus),
        "institusi": tuple(i for s in sims for i in s.institusi),
        "kegiatan": tuple(s.kegiatan for s in sims),
    }
    return Register(period=period, source=demo_label(seed, scale), **tables)


def _cum(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _apportion(n: int, weights: Sequence[float]) -> list[int]:
    """Split ``n`` in proportion to ``weights`` (largest remainders), summing to exactly ``n``."""
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _sround(x: float, rng: random.Random) -> int:
    """Round ``x`` up with probability equal to its fractional part (unbiased)."""
    i = math.floor(x)
    return i + (rng.random() < x - i)


def _band(age: int) -> int:
    return _YOUNG if age < 25 else _MID if age < 35 else _OLD


def _years_before(day: datetime.date, years: int) -> int:
    """Ordinal of the date ``years`` before ``day`` (28 February for a missing 29th)."""
    try:
        return day.replace(year=day.year - years).toordinal()
    except ValueError:
        return day.replace(year=day.year - years, day=28).toordinal()


#: The frozenset of Poktan for each bit mask over ``Poktan`` in enum order (shared by records).
_POKTAN_SETS = tuple(
    frozenset(p for i, p in enumerate(Poktan) if mask >> i & 1) for mask in range(1 << len(Poktan))
)

R = TypeVar("R")


def _restorer(cls: type[R], fields: Iterable[str]) -> Callable[[dict[str, Any]], R]:
    """A fast constructor for records whose field values are already in canonical form.

    Building hundreds of thousands of records through ``__init__`` runs every converter and
    validator again on values this module made canonical itself (enum members, dotted codes,
    stripped text), and dominates generation time. This restores a record the way unpickling
    does (attrs' ``__setstate__``), several times faster. It is used only when the record's
    fields are exactly ``fields`` (every one given); otherwise it falls back to ``cls(**state)``.
    The tests check that every generated record equals the one ``__init__`` builds.
    """
    names = {a.name for a in attrs.fields(cls)}  # type: ignore[arg-type]
    setstate = cls.__dict__.get("__setstate__")
    if names != set(fields) or setstate is None:
        return lambda state: cls(**state)
    new = object.__new__

    def restore(state: dict[str, Any]) -> R:
        obj: R = new(cls)
        setstate(obj, state)
        return obj

    return restore


_KELUARGA = _restorer(
    Keluarga,
    ("kode_keluarga", "kode_wilayah", "rw", "rt", "nama_kepala_keluarga", "tahapan_ks", "sasaran",
     "anggota", "row"),
)  # fmt: skip
_PUS = _restorer(
    Pus,
    ("kode_keluarga", "nik_istri", "tanggal_lahir_istri", "status_kb", "tempat_pelayanan",
     "peserta_baru", "nama_istri", "nik_suami", "nama_suami", "jumlah_anak", "row"),
)  # fmt: skip


@attrs.define
class _Template:
    """The fixed part of an institution; ``lapor`` and meetings are drawn each month."""

    kode: str
    jenis: JenisInstitusi
    nama: str
    rw: int | None
    rt: int | None


class _Kelurahan:
    """The state of one demo kelurahan, evolved month by month with its own random stream."""

    def __init__(
        self,
        region: Region,
        table: RegionTable,
        *,
        seed: int,
        scale: float,
        share: float,
        dates: dict[int, tuple[str, str, datetime.date]],
    ) -> None:
        self.region = region
        self.code = region.code
        self.plain = region.plain_code
        kecamatan = table.ancestor_at(region.code, Tingkat.KECAMATAN)
        self.kec6 = kecamatan.plain_code
        siblings = [r.code for r in table.kelurahan(kecamatan.code)]
        self.ordinal = siblings.index(region.code) + 1  # 1-99: part of the NIK serial
        self.rng = random.Random(f"sikkb-demo:{seed}:{region.code}")
        families = self.n_families = _families(share, scale)
        rng = self.rng
        # The kelurahan's character.
        self.cpr = rng.uniform(0.61, 0.72)  # × the age mix (~1.01) → a CPR of about 61-74 %
        self.gov = rng.uniform(0.85, 1.15)
        self.lapor_rate = rng.uniform(0.82, 0.97)
        poverty = rng.uniform(0.6, 1.6)
        self.tahapan_cum = _cum(
            w * (poverty if i < 2 else 1.0) for i, w in enumerate(_TAHAPAN_WEIGHTS)
        )
        self.poktan_factor = rng.uniform(0.7, 1.3)  # how active the kelurahan's Poktan are
        jitter = {m: w * rng.uniform(0.85, 1.15) for m, w in _METHOD_MIX.items()}
        # RW/RT layout, from the size at scale 1 (so it does not change with scale).
        base = _FAMILIES * share
        n_rw = min(15, max(5, round(base / _FAMILIES_PER_RW) + rng.randint(-2, 2)))
        self.rts: list[tuple[int, int]] = [
            (rw, rt) for rw in range(1, n_rw + 1) for rt in range(1, rng.randint(5, 12) + 1)
        ]
        self.rt_weights = [rng.uniform(0.6, 1.4) for _ in self.rts]
        self.rt_cum = _cum(self.rt_weights)
        self.n_rw = n_rw
        # Status draws per age band: population and cumulative weights.
        self.status_pop: list[list[StatusKB]] = []
        self.status_cum: list[list[float]] = []
        for band in (_YOUNG, _MID, _OLD):
            pa = min(0.95, self.cpr * _BAND_CPR[band])
            mw = {m: w * _BAND_METHOD[band].get(m, 1.0) for m, w in jitter.items()}
            rw_ = {r: w * _BAND_REASON[band].get(r, 1.0) for r, w in _REASON_MIX.items()}
            mt, rt_ = sum(mw.values()), sum(rw_.values())
            pop: list[StatusKB] = [*mw, *rw_]
            weights = [pa * w / mt for w in mw.values()] + [
                (1 - pa) * w / rt_ for w in rw_.values()
            ]
            self.status_pop.append(pop)
            self.status_cum.append(_cum(weights))
        self.methods: list[Metode] = list(jitter)
        pb_mix = {m: w for m, w in jitter.items() if m not in _PERMANENT and m is not Metode.MAL}
        self.pb_methods: list[Metode] = list(pb_mix)
        self.pb_cum = _cum(pb_mix.values())
        tial = {m: w * _TIAL_METHOD_BOOST.get(m, 1.0) for m, w in pb_mix.items()}
        tial[Metode.MOW] = jitter[Metode.MOW] * _TIAL_METHOD_BOOST[Metode.MOW]
        self.tial_methods: list[Metode] = list(tial)
        self.tial_cum = _cum(tial.values())
        # Share obtained from government services, for the methods that record a place.
        self.gov_share: dict[StatusKB, float] = {
            m: min(0.98, s * self.gov) for m, s in _GOV_SHARE.items()
        }
        self.membership = {
            t: (self._membership(t, False), self._membership(t, True)) for t in TahapanKS
        }
        # Identity counters: family and couple sequence numbers, NIK serials by birth date.
        self.next_family = 1
        self.next_pus = 1
        self.wife_serials: dict[int, int] = {}
        # birth day → (a man's NIK date field DDMMYY, a woman's, the date); shared by the
        # kelurahan of one generation, as formatting dates is much of the cost of a NIK
        self.dates = dates
        self.serials = [f"{self.ordinal:02d}{c:02d}" for c in range(100)]
        self.husband_serials: dict[int, int] = {}
        self.templates = self._institutions(families)
        self.keluarga: list[Keluarga] = []
        self.pus: list[Pus] = []
        self.pb_index: list[int] = []
        self.institusi: list[Institusi] = []
        self.kegiatan = Kegiatan(kode_wilayah=self.code)

    def _membership(
        self, tahapan: TahapanKS, has_pus: bool
    ) -> tuple[list[tuple[frozenset[Poktan], frozenset[Poktan]]], list[float]]:
        """The (sasaran, anggota) sets a family can have, with cumulative probabilities."""
        factor = self.poktan_factor
        outcomes: list[tuple[int, int, float]] = [(0, 0, 1.0)]
        for bit, (_, p_pus, p_none, p_member) in enumerate(_POKTAN_SHARES):
            target = p_pus if has_pus else p_none
            member = min(1.0, p_member * factor)
            b = 1 << bit
            outcomes = [
                o
                for s, a, w in outcomes
                for o in (
                    (s, a, w * (1 - target)),
                    (s | b, a, w * target * (1 - member)),
                    (s | b, a | b, w * target * member),
                )
            ]
        uppka = min(1.0, _UPPKA_SHARE[0 if tahapan.kps_ks1 else 1] * factor)
        b = 1 << 3
        outcomes = [
            o for s, a, w in outcomes for o in ((s, a, w * (1 - uppka)), (s, a | b, w * uppka))
        ]
        combos = [(_POKTAN_SETS[s], _POKTAN_SETS[a]) for s, a, _ in outcomes]
        return combos, _cum(w for _, _, w in outcomes)

    # -- identities ---------------------------------------------------------------------------

    def _nik(
        self, born: int, serials: dict[int, int], female: bool
    ) -> tuple[int, str, datetime.date]:
        """A NIK (kecamatan prefix, birth date, serial = kelurahan ordinal + counter).

        Returns the birth day actually used (the next free one if a day's 99 serials are taken),
        the NIK and the birth date.
        """
        count = serials.get(born, 0) + 1
        while count > 99:  # that birth date is full in this kelurahan: take the next day
            born += 1
            count = serials.get(born, 0) + 1
        serials[born] = count
        cached = self.dates.get(born)
        if cached is None:
            d = datetime.date.fromordinal(born)
            yy = d.year % 100
            cached = self.dates[born] = (
                f"{d.day:02d}{d.month:02d}{yy:02d}",
                f"{d.day + 40:02d}{d.month:02d}{yy:02d}",
                d,
            )
        nik = self.kec6 + (cached[1] if female else cached[0]) + self.serials[count]
        return born, nik, cached[2]

    def _new_families(self, spots: Iterable[tuple[int, int, TahapanKS, bool]]) -> list[Keluarga]:
        """New families: (rw, rt, tahapan, whether the family holds a PUS) each."""
        random_ = self.rng.random
        membership = self.membership
        plain, code = self.plain, self.code
        seq = self.next_family
        out: list[Keluarga] = []
        for rw, rt, tahapan, has_pus in spots:
            combos, cum = membership[tahapan][has_pus]
            sasaran, anggota = combos[bisect.bisect(cum, random_() * cum[-1])]
            number = f"{seq:06d}"
            out.append(
                _KELUARGA(
                    {
                        "kode_keluarga": plain + number,
                        "kode_wilayah": code,
                        "rw": rw,
                        "rt": rt,
                        "nama_kepala_keluarga": "Contoh KK " + number,
                        "tahapan_ks": tahapan,
                        "sasaran": sasaran,
                        "anggota": anggota,
                        "row": None,
                    }
                )
            )
            seq += 1
        self.next_family = seq
        return out

    def _new_couples(self, specs: Iterable[tuple[str, int, StatusKB, int, bool]]) -> list[Pus]:
        """New couples: (kode_keluarga, wife's birth day ordinal, status, children, PB) each."""
        random_ = self.rng.random
        nik = self._nik
        wives, husbands = self.wife_serials, self.husband_serials
        gov_share = self.gov_share.get
        seq = self.next_pus
        out: list[Pus] = []
        for kode_keluarga, born, status, children, baru in specs:
            born, nik_istri, birth_date = nik(born, wives, True)
            _, nik_suami, _ = nik(born - int(random_() * 2920), husbands, False)
            share = gov_share(status)
            number = f"{seq:06d}"
            out.append(
                _PUS(
                    {
                        "kode_keluarga": kode_keluarga,
                        "nik_istri": nik_istri,
                        "tanggal_lahir_istri": birth_date,
                        "status_kb": status,
                        "tempat_pelayanan": None
                        if share is None
                        else _PEM
                        if random_() < share
                        else _SWA,
                        "peserta_baru": baru,
                        "nama_istri": "Contoh Istri " + number,
                        "nik_suami": nik_suami,
                        "nama_suami": "Contoh Suami " + number,
                        "jumlah_anak": children,
                        "row": None,
                    }
                )
            )
            seq += 1
        self.next_pus = seq
        return out

    def _place(self, status: StatusKB) -> TempatPelayanan | None:
        """Where a method was obtained (``None`` for a reason, MAL or TRADISIONAL)."""
        share = self.gov_share.get(status)
        if share is None:
            return None
        return _PEM if self.rng.random() < share else _SWA

    # -- institutions --------------------------------------------------------------------------

    def _institutions(self, families: int) -> list[_Template]:
        rng = self.rng
        name = self.region.name
        out = [
            _Template(
                kode=f"{self.plain}-PPKBD-01",
                jenis=JenisInstitusi.PPKBD,
                nama=f"PPKBD Contoh {name}",
                rw=None,
                rt=None,
            )
        ]
        out.extend(
            _Template(
                kode=f"{self.plain}-SUBPPKBD-{rw:03d}",
                jenis=JenisInstitusi.SUB_PPKBD,
                nama=f"Sub-PPKBD Contoh RW {rw:02d}",
                rw=rw,
                rt=None,
            )
            for rw in range(1, self.n_rw + 1)
        )
        for jenis, per in _FAMILIES_PER_GROUP:
            count = max(1, _sround(families / per, rng))
            short = _JENIS_SHORT[jenis]
            if jenis is JenisInstitusi.KELOMPOK_KB:
                spots: list[tuple[int, int | None]] = [
                    *rng.sample(self.rts, min(count, len(self.rts))),
                    *rng.choices(self.rts, k=max(0, count - len(self.rts))),
                ]
                spots.sort()
            else:
                spots = sorted((rng.randint(1, self.n_rw), None) for _ in range(count))
            for i, (rw, rt) in enumerate(spots, start=1):
                where = f"RW {rw:02d}" if rt is None else f"RW {rw:02d} RT {rt:02d}"
                label = jenis.label_id
                out.append(
                    _Template(
                        kode=f"{self.plain}-{short}-{i:03d}",
                        jenis=jenis,
                        nama=f"{label} Contoh {where} No. {i}",
                        rw=rw,
                        rt=rt,
                    )
                )
        return out

    def _monthly(self) -> None:
        """Draw this month's institution reports and activity counts."""
        rng = self.rng
        rate = self.lapor_rate
        out: list[Institusi] = []
        for t in self.templates:
            lapor = rng.random() < (0.97 if t.jenis is JenisInstitusi.PPKBD else rate)
            meetings = 0
            if lapor and t.jenis.is_poktan:
                meetings = rng.choices((0, 1, 2), cum_weights=(10, 85, 100))[0]
            out.append(
                Institusi(
                    kode_institusi=t.kode,
                    jenis=t.jenis,
                    kode_wilayah=self.code,
                    nama=t.nama,
                    rw=t.rw,
                    rt=t.rt,
                    lapor=lapor,
                    jumlah_pertemuan=meetings,
                )
            )
        self.institusi = out
        self.kegiatan = Kegiatan(
            kode_wilayah=self.code,
            rakor=rng.choices((0, 1, 2), cum_weights=(10, 85, 100))[0],
            penyuluhan=rng.randint(2, 10),
            kie_kit=rng.randint(0, 4),
            tokoh_aktif=rng.randint(2, 12),
        )

    # -- the first month -----------------------------------------------------------------------

    def start(self, period: Period) -> None:
        """Generate the kelurahan as it stands at the end of ``period``."""
        rng = self.rng
        n = self.n_families
        end = period.last_day
        upper = {a: _years_before(end, a) for a in _AGES}
        # Families per RT, in RW/RT order.
        per_rt = _apportion(n, self.rt_weights)
        tahapan = rng.choices(_TAHAPAN, cum_weights=self.tahapan_cum, k=n)
        n_pus = rng.choices(*_PUS_PER_FAMILY, k=n)
        total = sum(n_pus)
        ages = rng.choices(_AGES, weights=_AGE_WEIGHTS, k=total)
        bands = [_band(a) for a in ages]
        statuses = [
            iter(rng.choices(self.status_pop[b], cum_weights=self.status_cum[b], k=bands.count(b)))
            for b in (_YOUNG, _MID, _OLD)
        ]
        children = [
            iter(rng.choices(*_BAND_CHILDREN[b], k=bands.count(b))) for b in (_YOUNG, _MID, _OLD)
        ]
        spots = [
            (rw, rt) for (rw, rt), count in zip(self.rts, per_rt, strict=True) for _ in range(count)
        ]
        keluarga = self._new_families(
            (rw, rt, t, k > 0) for (rw, rt), t, k in zip(spots, tahapan, n_pus, strict=True)
        )
        specs: list[tuple[str, int, StatusKB, int, bool]] = []
        pb: list[int] = []
        random_ = rng.random
        p = 0
        for fam, k in zip(keluarga, n_pus, strict=True):
            for _ in range(k):
                age, band = ages[p], bands[p]
                p += 1
                status = next(statuses[band])
                baru = isinstance(status, Metode) and random_() < _NEW_PB_SHARE
                if baru:
                    pb.append(len(specs))
                born = upper[age] - int(random_() * 365)
                specs.append((fam.kode_keluarga, born, status, next(children[band]), baru))
        pus = self._new_couples(specs)
        self.keluarga, self.pus, self.pb_index = keluarga, pus, pb
        self._monthly()

    # -- the next months -----------------------------------------------------------------------

    def advance(self, period: Period) -> None:
        """Move the kelurahan on by one month, to the end of ``period``."""
        rng = self.rng
        pus = self.pus
        for i in self.pb_index:  # last month's PB are ordinary PA now
            pus[i] = attrs.evolve(pus[i], peserta_baru=False)
        end = period.last_day
        cutoff = datetime.date.fromordinal(_years_before(end, 50))
        pus = [p for p in pus if p.tanggal_lahir_istri > cutoff]  # turned 50: no longer PUS
        groups: dict[StatusKB, list[int]] = {}
        for i, p in enumerate(pus):
            groups.setdefault(p.status_kb, []).append(i)
        changed: dict[int, Pus] = {}

        def take(indices: list[int], *rates: float) -> list[list[int]]:
            counts = [_sround(len(indices) * r, rng) for r in rates]
            picked = rng.sample(indices, min(len(indices), sum(counts)))
            out, at = [], 0
            for c in counts:
                out.append(picked[at : at + c])
                at += c
            return out

        def start_method(
            i: int, methods: Sequence[Metode], cum: list[float], kids: int | None = None
        ) -> None:
            m = rng.choices(methods, cum_weights=cum)[0]
            changed[i] = attrs.evolve(
                pus[i],
                status_kb=m,
                tempat_pelayanan=self._place(m),
                peserta_baru=True,
                jumlah_anak=pus[i].jumlah_anak if kids is None else kids,
            )

        def become(i: int, status: AlasanBukanPeserta, kids: int | None = None) -> None:
            changed[i] = attrs.evolve(
                pus[i],
                status_kb=status,
                tempat_pelayanan=None,
                jumlah_anak=pus[i].jumlah_anak if kids is None else kids,
            )

        (births,) = take(groups.get(AlasanBukanPeserta.HAMIL, []), _HAMIL_BIRTH)
        outcomes = rng.choices(
            [o for o, _ in _BIRTH_OUTCOMES], weights=[w for _, w in _BIRTH_OUTCOMES], k=len(births)
        )
        for i, outcome in zip(births, outcomes, strict=True):
            kids = (pus[i].jumlah_anak or 0) + 1
            if outcome == "metode":
                start_method(i, self.pb_methods, self.pb_cum, kids)
            elif outcome == "mal":
                changed[i] = attrs.evolve(
                    pus[i], status_kb=Metode.MAL, peserta_baru=True, jumlah_anak=kids
                )
            else:
                reason = AlasanBukanPeserta.IAT if outcome == "iat" else AlasanBukanPeserta.TIAL
                become(i, reason, kids)
        (conceive,) = take(groups.get(AlasanBukanPeserta.IAS, []), _IAS_HAMIL)
        for i in conceive:
            become(i, AlasanBukanPeserta.HAMIL)
        iat_start, iat_ias = take(groups.get(AlasanBukanPeserta.IAT, []), _IAT_START, _IAT_IAS)
        for i in iat_start:
            start_method(i, self.pb_methods, self.pb_cum)
        for i in iat_ias:
            become(i, AlasanBukanPeserta.IAS)
        (tial_start,) = take(groups.get(AlasanBukanPeserta.TIAL, []), _TIAL_START)
        for i in tial_start:
            start_method(i, self.tial_methods, self.tial_cum)
        users = [i for m in self.methods if m not in _PERMANENT for i in groups.get(m, [])]
        stop, switch, fail = take(users, _PA_STOP, _PA_SWITCH, _PA_FAIL)
        reasons = rng.choices(
            [r for r, _ in _STOP_REASONS], weights=[w for _, w in _STOP_REASONS], k=len(stop)
        )
        for i, reason in zip(stop, reasons, strict=True):
            become(i, reason)
        for i in fail:
            become(i, AlasanBukanPeserta.HAMIL)
        (mal_switch,) = take(groups.get(Metode.MAL, []), _MAL_SWITCH)
        for i in [*switch, *mal_switch]:
            if i in changed:
                continue
            old = pus[i].status_kb
            m = old
            while m == old:
                m = rng.choices(self.pb_methods, cum_weights=self.pb_cum)[0]
            changed[i] = attrs.evolve(pus[i], status_kb=m, tempat_pelayanan=self._place(m))
        pb: list[int] = []
        for i, record in changed.items():
            pus[i] = record
            if record.peserta_baru:
                pb.append(i)
        # New couples, each in a new family somewhere in the kelurahan.
        new = _sround(len(pus) * _NEW_PUS, rng)
        spots = rng.choices(self.rts, cum_weights=self.rt_cum, k=new)
        tahapan = rng.choices(_TAHAPAN, cum_weights=self.tahapan_cum, k=new)
        families = self._new_families(
            (rw, rt, t, True) for (rw, rt), t in zip(spots, tahapan, strict=True)
        )
        self.keluarga.extend(families)
        kinds = rng.choices([s for s, _ in _NEW_STATUS], weights=[w for _, w in _NEW_STATUS], k=new)
        specs: list[tuple[str, int, StatusKB, int, bool]] = []
        for fam, kind in zip(families, kinds, strict=True):
            born = _years_before(end, rng.randint(19, 30)) - int(rng.random() * 365)
            status: StatusKB
            if kind == "metode":
                status = rng.choices(self.pb_methods, cum_weights=self.pb_cum)[0]
                pb.append(len(pus) + len(specs))
            else:
                status = AlasanBukanPeserta.IAS if kind == "ias" else AlasanBukanPeserta.IAT
            specs.append((fam.kode_keluarga, born, status, 0, kind == "metode"))
        pus.extend(self._new_couples(specs))
        self.pus, self.pb_index = pus, sorted(pb)
        self._monthly()
