"""VillageReport: the hand-worked example, section by section, and the constructors' contracts."""

from __future__ import annotations

import pytest
from tests.report.examples import PERIOD, A, B, example_register

from sikkb.errors import InvalidRecordError, RegisterRowsError, UnknownItemError
from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.register import Pus
from sikkb.report import CellStatus, Section, SourceKind, VillageReport, detail_keys
from sikkb.rules.engine import Finding, Findings, Location, Severity


@pytest.fixture(scope="module")
def rep_a() -> VillageReport:
    return VillageReport.from_register(example_register(), A)


@pytest.fixture(scope="module")
def rep_b() -> VillageReport:
    return VillageReport.from_register(example_register(), B)


def _error(table: str, row: int) -> Finding:
    return Finding(
        rule_id="contoh",
        severity=Severity.ERROR,
        location=Location(table=table, row=row),
        message=Text("salah", "wrong"),
        hint=Text("perbaiki", "fix it"),
    )


def test_section_i_a(rep_a: VillageReport) -> None:
    got = {j: (rep_a.value("institusi_ada", j), rep_a.value("institusi_lapor", j))
           for j in ("PPKBD", "SUB_PPKBD", "KELOMPOK_KB", "BKB", "BKR", "BKL", "UPPKA", "PIKR")}  # fmt: skip
    assert got == {
        "PPKBD": (1, 1), "SUB_PPKBD": (2, 1), "KELOMPOK_KB": (0, 0), "BKB": (1, 1),
        "BKR": (0, 0), "BKL": (0, 0), "UPPKA": (1, 0), "PIKR": (0, 0),
    }  # fmt: skip


def test_section_ii_a_and_not_reported_without_kegiatan(
    rep_a: VillageReport, rep_b: VillageReport
) -> None:
    assert [rep_a.value(e) for e in ("rakor", "penyuluhan", "kie_kit", "tokoh_aktif")] == [
        1,
        3,
        2,
        4,
    ]
    assert rep_b.value("rakor") is None
    assert rep_b.cell("tokoh_aktif").status is CellStatus.NOT_REPORTED


def test_section_iii_a(rep_a: VillageReport) -> None:
    def row(p: str) -> list[int | None]:
        return [rep_a.value(e, p) for e in ("sasaran", "anggota", "pus_anggota", "pus_anggota_kb", "pertemuan")]  # fmt: skip

    assert row("BKB") == [2, 2, 2, 2, 2]  # KK-A1 and KK-A5, both with a PA; BKB group met twice
    assert row("BKR") == [1, 1, 1, 1, 0]  # KK-A2: MAL counts as KB
    assert row("BKL") == [1, 1, 0, 0, 0]  # KK-A3: a Poktan family without PUS


def test_section_iv(rep_a: VillageReport, rep_b: VillageReport) -> None:
    els = ("anggota", "anggota_kps_ks1", "pus_anggota", "pus_anggota_kb", "pus_anggota_kps_ks1",
           "pus_anggota_kb_kps_ks1", "pertemuan")  # fmt: skip
    # A: KK-A1 (KPS, P1 SUNTIK) and KK-A3 (KS1, no PUS); the UPPKA group met once.
    assert [rep_a.value(e, "UPPKA") for e in els] == [2, 2, 1, 1, 1, 1, 1]
    # B: KK-B1 (KS1, P6 PIL); no UPPKA group, so no meetings.
    assert [rep_b.value(e, "UPPKA") for e in els] == [1, 1, 1, 1, 1, 1, 0]


def test_section_v_a(rep_a: VillageReport) -> None:
    assert rep_a.value("pus") == 4
    assert rep_a.value("pa") == 3
    assert rep_a.value("pa", "SUNTIK.PEMERINTAH") == 1
    assert rep_a.value("pa", "IUD.SWASTA") == 1
    assert rep_a.value("pa", "MAL.TANPA_TEMPAT") == 1
    assert rep_a.value("pa", "MAL.PEMERINTAH") == 0
    assert [rep_a.value("pa", t) for t in ("PEMERINTAH", "SWASTA", "TANPA_TEMPAT")] == [1, 1, 1]
    assert [rep_a.value("pa", m) for m in ("IUD", "SUNTIK", "MAL", "PIL")] == [1, 1, 1, 0]
    assert [rep_a.value("bukan_peserta", a) for a in ("HAMIL", "IAS", "IAT", "TIAL")] == [
        1,
        0,
        0,
        0,
    ]
    assert rep_a.value("bukan_peserta") == 1
    assert (rep_a.value("pb"), rep_a.value("pb", "SUNTIK"), rep_a.value("pb", "IUD")) == (1, 1, 0)


def test_section_v_b(rep_b: VillageReport) -> None:
    assert (rep_b.value("pus"), rep_b.value("pa"), rep_b.value("bukan_peserta")) == (4, 2, 2)
    assert rep_b.value("pa", "TRADISIONAL.TANPA_TEMPAT") == 1
    assert rep_b.value("pa", "PIL.SWASTA") == 1
    assert [rep_b.value("bukan_peserta", a) for a in ("HAMIL", "IAS", "IAT", "TIAL")] == [
        0,
        0,
        1,
        1,
    ]
    assert rep_b.value("pb", "PIL") == 1


def test_provenance_and_shape(rep_a: VillageReport) -> None:
    assert rep_a.source is SourceKind.REGISTER
    assert rep_a.rows_excluded == ()
    assert rep_a.period == PERIOD
    assert rep_a.region == A
    keys = [k for k, _ in rep_a.values]
    assert keys[0] == "institusi_ada.PPKBD"
    assert keys[-1] == "pb.TRADISIONAL"
    assert [s for s, _ in rep_a.sections()] == list(Section)
    assert rep_a.cell("pa", "IUD.TANPA_TEMPAT").status is CellStatus.NOT_APPLICABLE


def test_canonical_is_json_ready(rep_a: VillageReport) -> None:
    c = rep_a.canonical()
    assert c["region"] == A
    assert c["period"] == "2026-10"
    assert c["values"]["pus"] == 4
    assert "source" not in c


def test_form_with_same_numbers_equals_register(rep_a: VillageReport) -> None:
    details = {k: rep_a.value(k) for k in detail_keys()}
    form = VillageReport.from_form(A, PERIOD, details)
    assert form == rep_a
    assert form.source is SourceKind.FORM
    assert hash(form) == hash(rep_a)


def test_form_keeps_typed_totals() -> None:
    r = VillageReport.from_form(
        A, PERIOD, {"pa.SUNTIK.PEMERINTAH": 4, "pa.SUNTIK.SWASTA": 1, "pa.SUNTIK": 7}
    )
    assert r.value("pa", "SUNTIK") == 7  # typed, disagrees with 4 + 1
    assert r.value("pa") is None  # other methods not reported, so the total is not derivable


def test_form_accepts_pairs_and_drops_none() -> None:
    r = VillageReport.from_form(A, PERIOD, [(("pus", ""), 9), ("pa", None)])
    assert r.value("pus") == 9
    assert r.value("pa") is None


def test_form_refuses_unknown_and_negative() -> None:
    with pytest.raises(UnknownItemError, match=r"pa\.SUNTIK"):
        VillageReport.from_form(A, PERIOD, {"pa.SUNTK": 1})
    with pytest.raises(UnknownItemError):
        VillageReport.from_form(A, PERIOD, {"pa.IUD.TANPA_TEMPAT": 1})
    with pytest.raises(InvalidRecordError):
        VillageReport.from_form(A, PERIOD, {"pus": -1})
    with pytest.raises(InvalidRecordError):
        VillageReport.from_form("36.71.07", PERIOD, {"pus": 1})


def test_unknown_item_accessor(rep_a: VillageReport) -> None:
    with pytest.raises(UnknownItemError):
        rep_a.value("pa", "NOPE")


def test_rows_with_errors_are_refused_then_excluded() -> None:
    reg = example_register()
    findings = Findings([_error("pus", 4), _error("keluarga", 2), _error("institusi", 7)])
    with pytest.raises(RegisterRowsError) as e:
        VillageReport.from_register(reg, A, findings=findings)
    # A: keluarga row 2 (KK-A1), its PUS P1, and pus row 4 (P4 HAMIL); institusi row 7 is B's.
    assert e.value.rows == {"keluarga": 1, "pus": 2}
    assert "36.71.07.1001" in str(e.value)
    r = VillageReport.from_register(reg, A, findings=findings, exclude_invalid=True)
    assert dict(r.rows_excluded) == {"keluarga": 1, "pus": 2}
    assert r.total_rows_excluded == 3
    assert (r.value("pus"), r.value("pa"), r.value("bukan_peserta", "HAMIL")) == (2, 2, 0)
    assert (r.value("anggota", "UPPKA"), r.value("pb")) == (1, 0)


def test_uncountable_rows_refused_without_findings() -> None:
    reg = example_register()
    bad = Pus(kode_keluarga="KK-A4", nik_istri="3671074508950099",
              tanggal_lahir_istri=PERIOD.first_day.replace(year=1995), status_kb="SUNTIK", row=99)  # fmt: skip
    reg2 = type(reg)(period=reg.period, keluarga=reg.keluarga, pus=(*reg.pus, bad),
                     institusi=reg.institusi, kegiatan=reg.kegiatan)  # fmt: skip
    with pytest.raises(RegisterRowsError, match="1 row"):
        VillageReport.from_register(reg2, A)
    r = VillageReport.from_register(reg2, A, exclude_invalid=True)
    assert r.value("pus") == 4
    assert dict(r.rows_excluded) == {"pus": 1}
    assert r == VillageReport.from_register(reg, A)  # provenance is not compared


def test_all_from_register() -> None:
    reps = VillageReport.all_from_register(example_register())
    assert [r.region for r in reps] == [A, B]
    assert reps[1] == VillageReport.from_register(example_register(), B)


def test_other_period_differs(rep_a: VillageReport) -> None:
    other = VillageReport(region=A, period=Period(2026, 11), values=rep_a.values)
    assert other != rep_a
