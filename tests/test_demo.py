"""The demo city: deterministic, valid, plausibly shaped, and evolving over months."""

from __future__ import annotations

import datetime
import itertools
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TahapanKS
from sikkb.demo import (
    DEMO_LABEL,
    demo_city,
    demo_events,
    demo_label,
    demo_months,
    demo_population,
    demo_ppm,
)
from sikkb.demo.generator import _apportion
from sikkb.errors import UnknownRegionError
from sikkb.nik import NIK
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.register import Register

OCT = Period(2026, 10)
KELURAHAN = tuple(r.code for r in kota_tangerang().kelurahan())
SMALL = 0.01  # ~4,000 families
MODERATE = 0.05  # ~20,000 families, ~16,000 PUS


@pytest.fixture(scope="module")
def small() -> Register:
    return demo_city(OCT, scale=SMALL)


@pytest.fixture(scope="module")
def moderate() -> Register:
    return demo_city(OCT, scale=MODERATE)


@pytest.fixture(scope="module")
def months() -> list[Register]:
    return demo_months(OCT, 4, scale=SMALL)


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def assert_valid(reg: Register) -> None:
    """The invariants of register format v1 that the register rule pack checks, by hand."""
    table = kota_tangerang()
    families = {k.kode_keluarga: k for k in reg.keluarga}
    assert len(families) == len(reg.keluarga), "kode_keluarga unique"
    assert len({p.nik_istri for p in reg.pus}) == len(reg.pus), "nik_istri unique"
    assert len({i.kode_institusi for i in reg.institusi}) == len(reg.institusi)
    assert len({k.kode_wilayah for k in reg.kegiatan}) == len(reg.kegiatan)
    end = reg.period.last_day
    for k in reg.keluarga:
        assert table[k.kode_wilayah].is_kelurahan
        assert len(k.kode_keluarga) == 16
        assert k.kode_keluarga.isdigit()
        assert k.kode_keluarga.startswith(table[k.kode_wilayah].plain_code)
        assert 1 <= k.rw <= 999
        assert 1 <= k.rt <= 999
        for poktan in (Poktan.BKB, Poktan.BKR, Poktan.BKL):
            assert not k.is_anggota(poktan) or k.is_sasaran(poktan), "anggota without sasaran"
    for p in reg.pus:
        family = families[p.kode_keluarga]
        wife = NIK.parse(p.nik_istri)
        assert wife.female
        assert wife.matches_birth_date(p.tanggal_lahir_istri)
        assert family.kode_wilayah.startswith(wife.region_prefix + ".")
        assert p.nik_suami is not None
        assert not NIK.parse(p.nik_suami).female
        assert 15 <= _age(p.tanggal_lahir_istri, end) <= 49
        metode = p.metode
        assert (p.tempat_pelayanan is not None) == (metode is not None and metode.needs_place)
        assert not p.peserta_baru or metode is not None
        assert p.jumlah_anak is not None
        assert 0 <= p.jumlah_anak <= 20
        assert p.nama_istri is not None
        assert p.nama_istri.startswith("Contoh Istri ")
    for i in reg.institusi:
        assert table[i.kode_wilayah].is_kelurahan
        assert i.jumlah_pertemuan == 0 or i.lapor, "meetings without a report"
    assert reg.source is not None
    assert reg.source.startswith(DEMO_LABEL)


def assert_no_rule_errors(reg: Register) -> None:
    rules = pytest.importorskip("sikkb.rules.register")
    findings = rules.validate_register(reg)
    assert findings.errors == (), [f.rule_id for f in findings.errors[:5]]


def share(items: Iterable[bool]) -> float:
    values = list(items)
    return sum(values) / len(values)


# --- determinism and coverage ----------------------------------------------------------------


def test_same_seed_same_register_other_seed_other(small: Register) -> None:
    assert demo_city(OCT, scale=SMALL) == small
    other = demo_city(OCT, seed=7, scale=SMALL)
    assert other != small
    assert {p.nik_istri for p in other.pus} != {p.nik_istri for p in small.pus}


_DIGEST = """
import hashlib, attrs
from sikkb.demo import demo_months
m = hashlib.sha256()
for reg in demo_months("2026-10", 2, scale=0.002):
    for name in ("keluarga", "pus", "institusi", "kegiatan"):
        for rec in reg.table(name):
            for k, v in attrs.asdict(rec, recurse=False).items():
                m.update(f"{k}={sorted(map(str, v)) if isinstance(v, frozenset) else v};".encode())
print(m.hexdigest())
"""


def test_same_register_in_every_process() -> None:
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST],
            env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in (1, 2)
    }
    assert len(digests) == 1
    assert len(digests.pop().strip()) == 64


def test_labelled_as_synthetic(small: Register) -> None:
    assert small.source == demo_label(2026, SMALL)
    assert "DATA CONTOH" in small.source
    assert "synthetic" in small.source
    assert all((k.nama_kepala_keluarga or "").startswith("Contoh KK ") for k in small.keluarga)
    assert all((p.nama_suami or "").startswith("Contoh Suami ") for p in small.pus)
    assert all("Contoh" in (i.nama or "") for i in small.institusi)


def test_every_kelurahan_is_covered(small: Register) -> None:
    assert small.kelurahan_codes == KELURAHAN
    assert len(KELURAHAN) == 104
    assert set(small.pus_by_kelurahan) == set(KELURAHAN)
    assert tuple(k.kode_wilayah for k in small.kegiatan) == KELURAHAN
    jenis = Counter((i.kode_wilayah, i.jenis) for i in small.institusi)
    for code in KELURAHAN:
        assert jenis[code, JenisInstitusi.PPKBD] == 1
        assert 5 <= jenis[code, JenisInstitusi.SUB_PPKBD] <= 15  # one per RW
        for j in (JenisInstitusi.BKB, JenisInstitusi.BKR, JenisInstitusi.BKL, JenisInstitusi.UPPKA):
            assert jenis[code, j] >= 1


def test_small_register_is_valid(small: Register) -> None:
    assert_valid(small)
    assert_no_rule_errors(small)


def test_fast_records_equal_records_built_through_init(small: Register) -> None:
    for table in ("keluarga", "pus", "institusi", "kegiatan"):
        for record in small.table(table):
            assert type(record)(**attrs.asdict(record, recurse=False)) == record


def test_a_kelurahan_does_not_depend_on_the_others(small: Register) -> None:
    code = "36.71.09.1006"  # Jatiuwung, in kecamatan Cibodas
    alone = demo_city(OCT, scale=SMALL, kelurahan=["3671091006"])
    assert alone.kelurahan_codes == (code,)
    assert alone == small.for_kelurahan(code)
    kecamatan = demo_city(OCT, scale=SMALL, kelurahan=["36.71.09"])
    assert kecamatan.kelurahan_codes == tuple(c for c in KELURAHAN if c.startswith("36.71.09."))
    assert kecamatan.for_kelurahan(code) == alone


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    code=st.sampled_from(KELURAHAN),
    month=st.integers(min_value=1, max_value=12),
)
def test_any_seed_gives_a_valid_register(seed: int, code: str, month: int) -> None:
    reg = demo_city(Period(2024, month), seed=seed, scale=0.005, kelurahan=[code])
    assert reg.kelurahan_codes == (code,)
    assert_valid(reg)
    assert_no_rule_errors(reg)


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="scale"):
        demo_city(OCT, scale=0)
    with pytest.raises(ValueError, match="scale"):
        demo_city(OCT, scale=float("nan"))
    with pytest.raises(ValueError, match="months"):
        demo_months(OCT, 0, scale=SMALL)
    with pytest.raises(UnknownRegionError):
        demo_city(OCT, scale=SMALL, kelurahan=["36.71.99.1001"])


# --- proportions -----------------------------------------------------------------------------


def test_size_of_the_city(moderate: Register) -> None:
    families, pus = len(moderate.keluarga), len(moderate.pus)
    # scale 0.05 of ~400,000 families and ~324,000 PUS
    assert 19_900 <= families <= 20_100
    assert 15_500 <= pus <= 16_800
    assert 0.77 <= pus / families <= 0.85
    population = sum(demo_population(scale=1.0).values())
    assert 1_800_000 <= population <= 2_000_000


def test_cpr_and_non_users(moderate: Register) -> None:
    pus = moderate.pus
    assert 0.60 <= share(p.is_peserta_aktif for p in pus) <= 0.75
    by_kelurahan = [
        share(p.is_peserta_aktif for p in group) for group in moderate.pus_by_kelurahan.values()
    ]
    assert min(by_kelurahan) >= 0.45
    assert max(by_kelurahan) <= 0.88
    assert max(by_kelurahan) - min(by_kelurahan) >= 0.08, "CPR varies by kelurahan"
    for reason in AlasanBukanPeserta:
        assert 0.02 <= share(p.status_kb is reason for p in pus) <= 0.13, reason


def test_method_mix_and_place(moderate: Register) -> None:
    pa = [p for p in moderate.pus if p.is_peserta_aktif]
    mix = Counter(p.metode for p in pa)
    expected = {
        Metode.SUNTIK: (0.45, 0.55),
        Metode.PIL: (0.16, 0.24),
        Metode.IMPLAN: (0.08, 0.13),
        Metode.IUD: (0.06, 0.11),
        Metode.KONDOM: (0.025, 0.06),
        Metode.MOW: (0.015, 0.05),
        Metode.MOP: (0.001, 0.012),
        Metode.MAL: (0.01, 0.04),
        Metode.TRADISIONAL: (0.01, 0.04),
    }
    for metode, (lo, hi) in expected.items():
        assert lo <= mix[metode] / len(pa) <= hi, metode
    ranked = [m for m, _ in mix.most_common(3)]
    assert ranked == [Metode.SUNTIK, Metode.PIL, Metode.IMPLAN]
    placed = [p for p in pa if p.tempat_pelayanan is not None]
    assert len(placed) == sum(1 for p in pa if p.metode is not None and p.metode.needs_place)
    gov = share(p.tempat_pelayanan is not None and p.tempat_pelayanan.code == "PEMERINTAH"
                for p in placed)  # fmt: skip
    assert 0.33 <= gov <= 0.47
    assert 0.007 <= share(p.peserta_baru for p in moderate.pus) <= 0.02


def test_families_poktan_and_welfare(moderate: Register) -> None:
    families = moderate.keluarga
    bkb_sasaran = share(k.is_sasaran(Poktan.BKB) for k in families)
    bkb_anggota = share(k.is_anggota(Poktan.BKB) for k in families)
    assert 0.25 <= bkb_sasaran <= 0.35
    assert 0.08 <= bkb_anggota <= 0.2
    assert 0.05 <= share(k.is_anggota(Poktan.BKR) for k in families) <= 0.15
    assert 0.03 <= share(k.is_anggota(Poktan.BKL) for k in families) <= 0.12
    assert 0.02 <= share(k.is_anggota(Poktan.UPPKA) for k in families) <= 0.1
    poor = share(k.tahapan_ks is not None and k.tahapan_ks.kps_ks1 for k in families)
    assert 0.12 <= poor <= 0.40
    assert set(Counter(k.tahapan_ks for k in families)) == set(TahapanKS)
    rw_per_kelurahan = Counter(
        k for k, _ in {(f.kode_wilayah, f.rw) for f in families}
    ).values()  # fmt: skip
    assert min(rw_per_kelurahan) >= 5
    assert max(rw_per_kelurahan) <= 15


def test_institutions(moderate: Register) -> None:
    inst = moderate.institusi
    assert 0.85 <= share(i.lapor for i in inst) <= 0.95
    poktan = [i for i in inst if i.jenis.is_poktan and i.lapor]
    assert sum(i.jumlah_pertemuan for i in poktan) >= len(poktan) * 0.8
    kkb = [i for i in inst if i.jenis is JenisInstitusi.KELOMPOK_KB]
    assert all(i.rw is not None and i.rt is not None for i in kkb)


# --- months ----------------------------------------------------------------------------------


def test_months_are_consecutive_and_start_at_demo_city(months: list[Register]) -> None:
    assert [m.period for m in months] == [OCT - 3, OCT - 2, OCT - 1, OCT]
    assert months[0] == demo_city(OCT - 3, scale=SMALL)
    assert demo_months("2026-10", 4, scale=SMALL) == months


def test_months_are_valid(months: list[Register]) -> None:
    for reg in months:
        assert_valid(reg)
        assert_no_rule_errors(reg)


def test_couples_evolve_plausibly(months: list[Register]) -> None:
    switches = births = 0
    for before, after in itertools.pairwise(months):
        old = {p.nik_istri: p for p in before.pus}
        new = {p.nik_istri: p for p in after.pus}
        families_before = {k.kode_keluarga for k in before.keluarga}
        assert families_before <= {k.kode_keluarga for k in after.keluarga}
        # couples who left turned 50 this month
        for nik in old.keys() - new.keys():
            assert _age(old[nik].tanggal_lahir_istri, after.period.last_day) == 50
        # new couples come with new families
        for nik in new.keys() - old.keys():
            assert new[nik].kode_keluarga not in families_before
        pb = 0
        for nik in old.keys() & new.keys():
            a, b = old[nik], new[nik]
            assert (a.kode_keluarga, a.tanggal_lahir_istri) == (
                b.kode_keluarga,
                b.tanggal_lahir_istri,
            )
            assert b.jumlah_anak is not None
            assert a.jumlah_anak is not None
            assert b.jumlah_anak - a.jumlah_anak in (0, 1)
            if b.peserta_baru:
                pb += 1
                assert not a.is_peserta_aktif, "a method switch is not PB"
            elif a.is_peserta_aktif and b.is_peserta_aktif and a.metode is not b.metode:
                switches += 1
            if a.status_kb is AlasanBukanPeserta.HAMIL and b.jumlah_anak == a.jumlah_anak + 1:
                births += 1
        assert pb > 0
        assert sum(p.peserta_baru for p in after.pus) > pb * 0.8
        assert len(new.keys() - old.keys()) > 0
    assert switches > 0
    assert births > 0


def test_ppm_targets() -> None:
    ppm = demo_ppm(2026, scale=SMALL)
    assert tuple(ppm) == KELURAHAN
    assert all(isinstance(v, int) and v >= 1 for v in ppm.values())
    assert demo_ppm(2026, scale=SMALL) == ppm
    assert demo_ppm(2027, scale=SMALL) != ppm
    assert demo_ppm(2026, scale=SMALL, kelurahan=["36.71.01"]) == {
        c: v for c, v in ppm.items() if c.startswith("36.71.01.")
    }
    city = sum(demo_ppm(2026).values())
    assert 36_000 <= city <= 48_000  # ~13 % of ~324,000 PUS


def test_ppm_is_near_a_year_of_pb(months: list[Register]) -> None:
    ppm = sum(demo_ppm(2026, scale=SMALL).values())
    pb_per_month = sum(sum(p.peserta_baru for p in m.pus) for m in months) / len(months)
    assert 0.75 <= 12 * pb_per_month / ppm <= 1.25


def test_ppm_totals_are_sums() -> None:
    ppm = demo_ppm(2026, scale=SMALL, with_totals=True)
    kelurahan = {c: n for c, n in ppm.items() if c.count(".") == 3}
    assert kelurahan == demo_ppm(2026, scale=SMALL)
    assert ppm["36.71"] == sum(kelurahan.values())
    for kecamatan in kota_tangerang().kecamatan():
        below = [n for c, n in kelurahan.items() if c.startswith(kecamatan.code + ".")]
        assert ppm[kecamatan.code] == sum(below)
    assert len(ppm) == 104 + 13 + 1
    series = pytest.importorskip("sikkb.report.series")
    targets = series.PPMTargets.from_mapping({c: {2026: n} for c, n in ppm.items()})
    assert targets.get("3671", 2026) == ppm["36.71"]


def test_leap_day_month_end() -> None:
    # February 2028 ends on the 29th; 1978 has no 29 February (the age-50 cut-off falls back).
    for reg in demo_months("2028-03", 3, scale=0.003):
        assert_valid(reg)
    born_29_feb = [
        p for p in demo_city("2028-02", scale=0.02).pus if (p.tanggal_lahir_istri.month,
                                                            p.tanggal_lahir_istri.day) == (2, 29)
    ]  # fmt: skip
    assert born_29_feb
    assert all(p.nik_istri[6:10] == "6902" for p in born_29_feb)


def test_events_make_a_plausible_reporting_cycle() -> None:
    sop_ = pytest.importorskip("sikkb.sop")
    sop = sop_.kota_tangerang_sop()
    events = demo_events(OCT)
    assert demo_events(OCT) == events
    assert demo_events(OCT, seed=7) != events
    jatiuwung = demo_events(OCT, kelurahan=["36.71.09.1006"])
    assert jatiuwung == tuple(e for e in events if e.unit == "36.71.09.1006")
    for e in events:
        assert e.role in sop.roles[e.kind]
        assert e.period == OCT
        assert e.at.date() > OCT.last_day
    returned = [e for e in events if e.kind.code == "RETURNED"]
    assert returned
    assert all("DATA CONTOH" in (e.reason or "") for e in returned)
    cycle = sop_.ReportingCycle(sop=sop, period=OCT, units=KELURAHAN, events=events)  # replays
    as_of = cycle.schedule.due + datetime.timedelta(days=3)
    report = Counter(s.status.code for s in cycle.statuses(as_of) if s.step == sop.report_step)
    assert sum(report.values()) == 104
    assert 0.7 <= report["ON_TIME"] / 104 <= 0.95
    assert report["LATE"] > 0
    assert report["MISSING"] > 0


@given(
    n=st.integers(min_value=0, max_value=100_000),
    weights=st.lists(st.floats(min_value=0.01, max_value=100), min_size=1, max_size=200),
)
def test_apportion_splits_exactly_and_proportionally(n: int, weights: list[float]) -> None:
    counts = _apportion(n, weights)
    assert sum(counts) == n
    total = sum(weights)
    for count, w in zip(counts, weights, strict=True):
        assert abs(count - n * w / total) < 1 + 1e-6
