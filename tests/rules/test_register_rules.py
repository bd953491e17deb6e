"""The default register rule pack: properties over generated registers, and hand-checked examples."""

from __future__ import annotations

import datetime
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import (
    BROKEN,
    any_registers,
    broken_registers,
    niks,
    periods,
    registers,
    shuffled,
)

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode
from sikkb.nik import nik_problem
from sikkb.periods import Period
from sikkb.regions import RegionTable
from sikkb.register import TABLES, Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.rules import (
    Finding,
    RuleContext,
    Severity,
    nik_reason,
    register_rules,
    run_rules,
    validate_register,
)
from sikkb.rules.register import _nik_reasons

STATUSES = [*Metode, *AlasanBukanPeserta]
JENIS = list(JenisInstitusi)

# ------------------------------------------------------------------------------------------------
# The pack as data


def test_every_rule_is_documented_data() -> None:
    rules = register_rules().all_rules
    assert len(rules) >= 20
    for r in rules:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", r.id), r.id
        assert r.subject == "register"
        for text in (r.title, r.message, r.hint):
            assert text.id
            assert text.en
            assert text.id != text.en or r.id == "rw-rt-rentang"
        assert r.reads, r.id
        for item in r.reads:
            table, column = item.split(".")
            assert table in TABLES, item
            fields = {f.name for f in attrs.fields(TABLES[table])}
            poktan_columns = {f"{w}_{p}" for w in ("sasaran", "anggota") for p in ("bkb", "bkr", "bkl", "uppka")}  # fmt: skip
            assert column in fields | poktan_columns, item


def test_the_brief_s_rules_are_all_there_with_their_severity() -> None:
    rules = register_rules()
    expected = {
        "nik-istri-format": "ERROR", "nik-istri-perempuan": "ERROR", "nik-suami-format": "ERROR",
        "nik-suami-laki-laki": "ERROR", "nik-tanggal-lahir": "ERROR", "umur-istri": "ERROR",
        "nik-istri-unik": "ERROR", "kode-keluarga-unik": "ERROR", "kode-institusi-unik": "ERROR",
        "kegiatan-wilayah-unik": "ERROR", "pus-keluarga-ada": "ERROR",
        "kode-wilayah-dikenal": "ERROR", "kode-wilayah-kelurahan": "ERROR",
        "tempat-pelayanan-wajib": "ERROR", "tempat-pelayanan-kosong": "ERROR",
        "peserta-baru-metode": "ERROR", "rw-rt-rentang": "ERROR",
        "anggota-tanpa-sasaran": "WARNING", "jumlah-anak-wajar": "WARNING",
        "nik-istri-wilayah": "INFO",
    }  # fmt: skip
    assert {rid: rules.get(rid).severity.value for rid in expected} == expected
    assert set(BROKEN) == {r.id for r in rules.all_rules}  # every rule has a breaking strategy


# ------------------------------------------------------------------------------------------------
# Properties


def _full_values(reg: Register) -> set[str]:
    """Personal data that must never appear in a finding."""
    out: set[str] = set()
    for p in reg.pus:
        out.update(v for v in (p.nik_istri, p.nik_suami, p.nama_istri, p.nama_suami) if v)
    out.update(k.nama_kepala_keluarga for k in reg.keluarga if k.nama_kepala_keluarga)
    # a birth date is the masked part of a NIK (the period's last day is named in messages)
    out.update(p.tanggal_lahir_istri.isoformat() for p in reg.pus)
    out.discard(reg.period.last_day.isoformat())
    return {v for v in out if len(v) >= 8}


def _texts(f: Finding) -> list[str]:
    loc = f.location
    return [f.message.id, f.message.en, f.hint.id, f.hint.en, f.found or "", f.expected or "",
            loc.value or "", f.describe("id"), f.describe("en")]  # fmt: skip


@given(registers())
def test_a_valid_register_yields_no_error(reg: Register) -> None:
    findings = validate_register(reg)
    assert not findings.errors, [f.describe("en") for f in findings.errors]
    assert not findings.warnings, [f.describe("en") for f in findings.warnings]
    assert {f.rule_id for f in findings} <= {"nik-istri-wilayah"}  # migrants' NIKs: INFO only


@given(any_registers())
def test_rules_never_raise_and_never_leak_personal_data(reg: Register) -> None:
    for context in (RuleContext(), None):
        findings = run_rules(register_rules(), reg, context) if context else validate_register(reg)
        assert not findings.by_rule("rule-crashed"), [f.describe("en") for f in findings]
        secrets = _full_values(reg)
        for f in findings:
            for text in _texts(f):
                assert not any(s in text for s in secrets), (f.rule_id, text)


_ANY_CODE = st.sampled_from(
    ["36", "36.71", "36.71.07", "36.71.07.1003", "36.71.99", "99.99.99.9999"]
)
_ROW = st.none() | st.integers(2, 6)  # rows may be missing or repeated
_TEXT = st.text(alphabet="0123456789 ٣AO-*", min_size=1, max_size=20).filter(str.strip)


@st.composite
def wild_registers(draw: st.DrawFn) -> Register:
    """Anything the records can represent, however wrong: the rules must still not raise."""
    keluarga = draw(st.lists(st.builds(
        Keluarga, kode_keluarga=st.sampled_from(["KK-1", "KK-2"]), kode_wilayah=_ANY_CODE,
        rw=st.integers(-10**6, 10**6), rt=st.integers(-5, 2000), row=_ROW,
        anggota=st.frozensets(st.sampled_from(["BKB", "BKR", "BKL", "UPPKA"])),
        sasaran=st.frozensets(st.sampled_from(["BKB", "BKR", "BKL"])),
    ), max_size=4))  # fmt: skip
    pus = draw(st.lists(st.builds(
        Pus, kode_keluarga=st.sampled_from(["KK-1", "KK-3"]), nik_istri=_TEXT | niks(),
        tanggal_lahir_istri=st.dates(), status_kb=st.sampled_from(STATUSES),
        tempat_pelayanan=st.none() | st.sampled_from(["PEMERINTAH", "SWASTA"]),
        peserta_baru=st.booleans(), nik_suami=st.none() | _TEXT | niks(),
        jumlah_anak=st.none() | st.integers(0, 10**6), row=_ROW,
    ), max_size=4))  # fmt: skip
    institusi = draw(st.lists(st.builds(
        Institusi, kode_institusi=st.sampled_from(["A", "B"]), jenis=st.sampled_from(JENIS),
        kode_wilayah=_ANY_CODE, rw=st.none() | st.integers(-3, 1200), row=_ROW,
        lapor=st.booleans(), jumlah_pertemuan=st.integers(0, 9),
    ), max_size=3))  # fmt: skip
    kegiatan = draw(st.lists(st.builds(Kegiatan, kode_wilayah=_ANY_CODE, row=_ROW), max_size=2))
    return Register(
        period=draw(periods(years=st.integers(1900, 2999))),
        keluarga=keluarga, pus=pus, institusi=institusi, kegiatan=kegiatan,
    )  # fmt: skip


@given(wild_registers())
def test_rules_never_raise_on_anything_the_records_can_hold(reg: Register) -> None:
    findings = validate_register(reg)
    assert not findings.by_rule("rule-crashed"), [f.describe("en") for f in findings]
    assert validate_register(reg) == findings
    secrets = _full_values(reg)
    for f in findings:
        assert not any(s in text for text in _texts(f) for s in secrets), f.rule_id


@pytest.mark.parametrize("rule_id", sorted(BROKEN))
@settings(max_examples=8)
@given(data=st.data())
def test_each_broken_register_triggers_the_rule_it_targets(rule_id: str, data: Any) -> None:
    reg = data.draw(broken_registers(rule_id=rule_id))
    findings = validate_register(reg)
    hits = findings.by_rule(rule_id)
    assert hits, [f.describe("en") for f in findings]
    others = {f.rule_id for f in findings.errors} - {rule_id}
    assert not others, others  # exactly one thing was broken
    for f in hits:
        rows = {r.row for r in reg.table(f.location.table)}  # type: ignore[arg-type]
        assert f.location.row in rows
        assert f.location.column
        assert f.severity is register_rules().get(rule_id).severity
        for text in (f.message.id, f.message.en, f.hint.id, f.hint.en):
            assert "{" not in text, text  # every placeholder filled


@given(any_registers().flatmap(lambda r: st.tuples(st.just(r), shuffled(r))))
def test_findings_are_deterministic_and_independent_of_row_order(pair: Any) -> None:
    reg, mixed = pair
    first = validate_register(reg)
    assert validate_register(reg) == first
    assert validate_register(mixed) == first


@given(st.text(alphabet="0123456789 AO-", max_size=18))
def test_every_nik_problem_has_an_indonesian_reason(value: str) -> None:
    reason = nik_reason(value)
    assert (reason is None) == (nik_problem(value) is None)
    if reason is not None:
        assert reason.id != "NIK tidak valid", nik_problem(value)  # mapped, not the fallback
        assert reason.en


@given(
    st.text(alphabet="0123456789", min_size=16, max_size=16),
    st.text(alphabet="0123456789", min_size=2, max_size=2),
    st.integers(1, 9999),
)
def test_a_nik_verdict_ignores_birth_year_and_serial(nik: str, yy: str, serial: int) -> None:
    """What the shared NIK check relies on (see ``_nik_reasons``)."""
    other = nik[:10] + yy + (f"{serial:04d}" if nik[12:] != "0000" else "0000")
    assert (nik_problem(nik) is None) == (nik_problem(other) is None)
    assert _nik_reasons([nik, other]) == (nik_reason(nik), nik_reason(other))


# ------------------------------------------------------------------------------------------------
# Examples an officer would check by hand

OCT = Period(2026, 10)
KEL = "36.71.07.1003"  # Karawaci Baru, kecamatan Karawaci


def _family(code: str = "KK-1", row: int = 2, **changes: Any) -> Keluarga:
    return Keluarga(
        **{"kode_keluarga": code, "kode_wilayah": KEL, "rw": 1, "rt": 2, "row": row, **changes}
    )


def _pus(nik: str, born: datetime.date, row: int, **changes: Any) -> Pus:
    fields = {"kode_keluarga": "KK-1", "nik_istri": nik, "tanggal_lahir_istri": born,
              "status_kb": "SUNTIK", "tempat_pelayanan": "PEMERINTAH", "row": row, **changes}  # fmt: skip
    return Pus(**fields)


def _summary(reg: Register) -> list[tuple[str, str | None, int | None, str | None]]:
    return [
        (f.rule_id, f.location.table, f.location.row, f.location.column)
        for f in validate_register(reg)
    ]


def test_age_limits_on_the_last_day_of_the_month() -> None:
    reg = Register(
        period=OCT,
        keluarga=[_family()],
        pus=[
            # 15 on 31 October 2026: a PUS
            _pus("3671077110110001", datetime.date(2011, 10, 31), 2),
            # 15 only on 1 November 2026: not yet
            _pus("3671074111110002", datetime.date(2011, 11, 1), 3),
            # 49 until 31 October 2026 (50 on 1 November): still a PUS
            _pus("3671074111760003", datetime.date(1976, 11, 1), 4),
            # 50 on 31 October 2026: no longer
            _pus("3671077110760004", datetime.date(1976, 10, 31), 5),
        ],
    )
    findings = validate_register(reg)
    assert [(f.rule_id, f.location.row, f.found) for f in findings] == [
        ("umur-istri", 3, "14"),
        ("umur-istri", 5, "50"),
    ]
    (young, _) = findings
    assert young.message.id == (
        "Istri berumur 14 tahun pada 2026-10-31; PUS adalah pasangan dengan istri berumur 15-49 tahun"
    )
    assert young.location.value is None  # no birth date: it would unmask the NIK
    assert young.location.region == KEL


def test_age_limit_in_a_leap_february() -> None:
    # born 29 February 2008: 16 on 29 February 2024; born 1 March 2009: 14 then
    reg = Register(
        period=Period(2024, 2),
        keluarga=[_family()],
        pus=[
            _pus("3671076902080001", datetime.date(2008, 2, 29), 2),
            _pus("3671074103090002", datetime.date(2009, 3, 1), 3),
        ],
    )
    assert _summary(reg) == [("umur-istri", "pus", 3, "tanggal_lahir_istri")]
    assert validate_register(
        reg, rules=register_rules().with_params("umur-istri", min_age=14)
    ) == validate_register(attrs.evolve(reg, pus=reg.pus[:1]))


def test_a_register_with_the_usual_mistakes() -> None:
    reg = Register(
        period=OCT,
        keluarga=[
            _family("KK-1", 2, anggota=["BKB"]),  # member of BKB without being a target
            _family("KK-2", 3, rt=0),
            _family("KK-1", 4),  # duplicate code
            _family("KK-3", 5, kode_wilayah="36.71.07"),  # a kecamatan, not a kelurahan
        ],
        pus=[
            _pus("3671074508950001", datetime.date(1995, 8, 5), 2, nik_suami="3671070101900001"),
            # the husband's NIK in the wife's column, so it is a man's
            _pus("3671070101900001", datetime.date(1990, 1, 1), 3),
            # same wife twice
            _pus("3671074508950001", datetime.date(1995, 8, 5), 4, kode_keluarga="KK-2"),
            # a pregnant wife with a place and PB
            _pus(
                "3671075002960005",
                datetime.date(1996, 2, 10),
                5,
                status_kb="HAMIL",
                peserta_baru=True,
            ),
            # the pill without a place; the NIK's birth date is another month
            _pus(
                "3671075003960006",
                datetime.date(1996, 2, 10),
                6,
                status_kb="PIL",
                tempat_pelayanan=None,
            ),
            # a family not in keluarga
            _pus("3671075002960007", datetime.date(1996, 2, 10), 7, kode_keluarga="KK-9"),
            # MAL needs no place
            _pus(
                "3671075002960008",
                datetime.date(1996, 2, 10),
                8,
                status_kb="MAL",
                tempat_pelayanan=None,
                jumlah_anak=21,
            ),
        ],
        institusi=[
            Institusi(kode_institusi="PPKBD-1", jenis="PPKBD", kode_wilayah=KEL, lapor=True, row=2),
            Institusi(kode_institusi="PPKBD-1", jenis="BKB", kode_wilayah="3671071099", row=3),
        ],
        kegiatan=[Kegiatan(kode_wilayah=KEL, row=2), Kegiatan(kode_wilayah=KEL, rakor=1, row=3)],
    )
    assert _summary(reg) == [
        ("kode-institusi-unik", "institusi", 3, "kode_institusi"),
        ("kode-wilayah-dikenal", "institusi", 3, "kode_wilayah"),
        ("kegiatan-wilayah-unik", "kegiatan", 3, "kode_wilayah"),
        ("rw-rt-rentang", "keluarga", 3, "rt"),
        ("kode-keluarga-unik", "keluarga", 4, "kode_keluarga"),
        ("kode-wilayah-kelurahan", "keluarga", 5, "kode_wilayah"),
        ("nik-istri-perempuan", "pus", 3, "nik_istri"),
        ("nik-istri-unik", "pus", 4, "nik_istri"),
        ("peserta-baru-metode", "pus", 5, "peserta_baru"),
        ("tempat-pelayanan-kosong", "pus", 5, "tempat_pelayanan"),
        ("nik-tanggal-lahir", "pus", 6, "nik_istri"),
        ("tempat-pelayanan-wajib", "pus", 6, "tempat_pelayanan"),
        ("pus-keluarga-ada", "pus", 7, "kode_keluarga"),
        ("anggota-tanpa-sasaran", "keluarga", 2, "anggota_bkb"),
        ("jumlah-anak-wajar", "pus", 8, "jumlah_anak"),
    ]
    findings = validate_register(reg)
    (dup,) = findings.by_rule("nik-istri-unik")
    assert dup.message.id == "NIK istri 367107******0001 sudah tercatat di baris 2"
    assert dup.location.value == "367107******0001"
    (date,) = findings.by_rule("nik-tanggal-lahir")
    assert date.message.en.endswith("in: month")
    (unknown,) = findings.by_rule("kode-wilayah-dikenal")
    assert "36.71.07.1016 Koang Jaya" in unknown.hint.id
    (kecamatan,) = findings.by_rule("kode-wilayah-kelurahan")
    assert kecamatan.expected is not None
    assert kecamatan.expected.startswith("36.71.07.1001 Karawaci")
    assert findings.error_rows() == {
        "institusi": frozenset({3}),
        "kegiatan": frozenset({3}),
        "keluarga": frozenset({3, 4, 5}),
        "pus": frozenset({3, 4, 5, 6, 7}),
    }


def test_first_row_is_the_original_whatever_the_order() -> None:
    reg = Register(
        period=OCT, keluarga=[_family("KK-1", 9), _family("KK-1", 3), _family("KK-1", 5)]
    )
    assert [(f.location.row, f.message.en) for f in validate_register(reg)] == [
        (5, "Family code KK-1 is already used on row 3"),
        (9, "Family code KK-1 is already used on row 3"),
    ]


def test_another_dinas_checks_codes_against_its_own_table() -> None:
    bogor = RegionTable.from_csv_text(
        "kode,nama,level\n32,Jawa Barat,provinsi\n32.01,Kabupaten Bogor,kabupaten\n"
        "32.01.01,Cibinong,kecamatan\n32.01.01.1001,Cibinong,kelurahan\n"
    )
    reg = Register(period=OCT, keluarga=[_family(), _family("KK-2", 3, kode_wilayah="3201011001")])
    assert _summary(reg) == [("kode-wilayah-dikenal", "keluarga", 3, "kode_wilayah")]
    assert [f.location.row for f in validate_register(reg, regions=bogor)] == [2]
    assert not run_rules(register_rules(), reg, RuleContext())  # no table: region rules skipped


def test_nik_region_is_only_information() -> None:
    reg = Register(
        period=OCT,
        keluarga=[_family()],
        pus=[_pus("3173014508950001", datetime.date(1995, 8, 5), 2)],  # issued in Jakarta Barat
    )
    (f,) = validate_register(reg)
    assert (f.rule_id, f.severity, f.found, f.expected) == (
        "nik-istri-wilayah",
        Severity.INFO,
        "31.73.01",
        "36.71.07",
    )
    assert not validate_register(reg, rules=register_rules().without("nik-istri-wilayah"))
