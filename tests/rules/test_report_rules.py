"""The report rule pack: identities, bounds, recap sums, plausibility; never raises."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.examples import KEC, PERIOD, A, example_register

from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.report import CATALOGUE, Recap, Series, VillageReport, detail_keys
from sikkb.rules.engine import RuleContext, Severity, run_rules
from sikkb.rules.report import modified_z, report_rules, validate_report

FULL = dict.fromkeys(detail_keys(), 0)


def _form(**values: int) -> VillageReport:
    v = dict(FULL)
    v.update({k.replace("__", "."): n for k, n in values.items()})
    return VillageReport.from_form(A, PERIOD, v)


def _ids(findings: object) -> set[str]:
    return {f.rule_id for f in findings}  # type: ignore[attr-defined]


def test_register_example_is_clean() -> None:
    for rep in VillageReport.all_from_register(example_register()):
        assert not validate_report(rep)


def test_pus_identity() -> None:
    r = VillageReport.from_form(A, PERIOD, {**FULL, "pa.IUD.SWASTA": 3, "pus": 5})
    (f,) = validate_report(r)
    assert f.rule_id == "laporan-pus-sama-pa-bukan-peserta"
    assert f.severity is Severity.ERROR
    assert (f.location.region, f.location.period, f.location.item) == (A, PERIOD, "pus")
    assert (f.found, f.expected) == ("5", "3")
    assert "PA + HAMIL + IAS + IAT + TIAL = 3" in f.message.en
    assert f.message.id.startswith("Jumlah PUS tertulis 5")


def test_pa_by_method_and_by_place() -> None:
    # the method total is typed wrong: PA (derived from methods) disagrees with places
    r = VillageReport.from_form(A, PERIOD, {**FULL, "pa.SUNTIK.SWASTA": 2, "pa.SUNTIK": 3})
    got = {(f.rule_id, f.location.item) for f in validate_report(r)}
    assert ("laporan-pa-sama-jumlah-metode", "pa.SUNTIK") in got
    assert ("laporan-pa-sama-jumlah-tempat", "pa") in got  # PA = 3 from methods, places say 2


def test_other_totals() -> None:
    r = VillageReport.from_form(A, PERIOD, {**FULL, "pb": 4, "pb.PIL": 1, "pa.PIL.SWASTA": 4})
    got = {(f.rule_id, f.location.item) for f in validate_report(r)}
    assert got == {("laporan-total-sama-rincian", "pb")}


def test_bounds() -> None:
    r = _form(
        institusi_ada__BKB=1, institusi_lapor__BKB=2,
        pus_anggota__BKR=2, pus_anggota_kb__BKR=3,
        sasaran__BKL=1, anggota__BKL=4,
    )  # fmt: skip
    fs = validate_report(r)
    by = {f.rule_id: f for f in fs}
    assert by["laporan-lapor-maks-ada"].location.item == "institusi_lapor.BKB"
    assert by["laporan-pus-kb-maks-pus-anggota"].location.item == "pus_anggota_kb.BKR"
    assert by["laporan-anggota-maks-sasaran"].severity is Severity.WARNING
    # PUS anggota BKR (2) > PUS (0) and ber-KB (3) > PA (0) too
    assert {"laporan-pus-anggota-maks-pus", "laporan-pus-anggota-kb-maks-pa"} <= set(by)


def test_not_reported_cells_are_not_checked() -> None:
    r = VillageReport.from_form(A, PERIOD, {"pus": 5, "pa": 1})
    assert not validate_report(r)


def test_recap_sum() -> None:
    reps = VillageReport.all_from_register(example_register())
    rek = Recap.build(KEC, PERIOD, reps, kota_tangerang())
    assert not validate_report(rek)
    total = dict(rek.total)
    total["pus"] += 1
    del total["rakor"]
    bad = attrs.evolve(rek, total=total)
    fs = validate_report(bad)
    recap_findings = {f.location.item: f for f in fs.by_rule("rekap-sama-jumlah-anak")}
    assert set(recap_findings) == {"pus", "rakor"}
    assert (recap_findings["pus"].found, recap_findings["pus"].expected) == ("9", "8")
    assert recap_findings["rakor"].found == "-"
    # the tampered PUS total also breaks the PUS identity of the total
    assert fs.by_rule("laporan-pus-sama-pa-bukan-peserta")


def _month(m: int, pus: int, pa: int) -> VillageReport:
    return VillageReport.from_form(A, Period(2026, m), {"pus": pus, "pa": pa})


def test_month_over_month_jump() -> None:
    hist = [_month(8, 100, 60), _month(9, 100, 60)]
    ok = _month(10, 110, 70)  # +10 %, +16.7 %
    assert not validate_report(ok, history=hist)
    jump = _month(10, 100, 90)  # PA +50 %
    (f,) = validate_report(jump, history=hist)
    assert f.rule_id == "laporan-lonjakan-bulanan"
    assert f.severity is Severity.WARNING
    assert f.location.item == "pa"
    assert "+50.0%" in f.message.en
    looser = report_rules().with_params("laporan-lonjakan-bulanan", threshold_pct=60)
    assert not validate_report(jump, history=hist, rules=looser)
    # no finding without the previous month
    assert not validate_report(jump, history=hist[:1])
    # small bases are ignored
    assert not validate_report(_month(10, 10, 9), history=[_month(9, 10, 3)])


def test_outlier_against_own_history() -> None:
    pus = [200, 202, 199, 201, 200, 203, 198]
    hist = [_month(m + 1, p, 100) for m, p in enumerate(pus)]
    rep = _month(8, 200, 100)
    assert not validate_report(rep, history=hist)
    odd = VillageReport.from_form(A, Period(2026, 8), {"pus": 240, "pa": 100})
    fs = validate_report(
        odd, history=hist, rules=report_rules().without("laporan-lonjakan-bulanan")
    )
    (f,) = fs
    assert f.rule_id == "laporan-pencilan"
    assert f.location.item == "pus"
    # too little history: silent
    short = report_rules().with_params("laporan-pencilan", min_history=8)
    assert not validate_report(odd, history=hist, rules=short.without("laporan-lonjakan-bulanan"))
    # the same through a Series subject: month 8 is flagged, the others are not
    s = Series.of([*hist, odd])
    fs = validate_report(s)
    assert {(f.rule_id, f.location.period) for f in fs.by_rule("laporan-pencilan")} == {
        ("laporan-pencilan", Period(2026, 8))
    }
    # a Series passed as history works like a list
    assert validate_report(odd, history=Series.of(hist)).by_rule("laporan-pencilan")


def test_modified_z() -> None:
    # median 10, MAD 0.5: 0.6745 * (30 - 10) / 0.5 = 26.98
    assert modified_z(30, [10, 11, 9, 10, 12, 10]) == pytest.approx(26.98)
    # MAD 0 → mean absolute deviation: median 10, meanAD = 2/5 = 0.4 → 20 / (1.253314 * 0.4)
    assert modified_z(30, [10, 10, 10, 10, 12]) == pytest.approx(20 / (1.253314 * 0.4))
    assert modified_z(5, []) is None


def test_rule_catalogue_is_bilingual() -> None:
    for rule in report_rules().all_rules:
        assert rule.title.id
        assert rule.title.en
        assert rule.message.id != rule.message.en


_anything = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=5),
    st.builds(
        lambda vals: VillageReport.from_form(A, PERIOD, vals, derive=False),
        st.dictionaries(st.sampled_from([it.key for it in CATALOGUE]), st.integers(0, 50)),
    ),
)


@settings(max_examples=60)
@given(subject=_anything, history=st.one_of(st.none(), st.integers(), st.lists(st.integers())))
def test_rules_never_raise(subject: object, history: object) -> None:
    fs = run_rules(report_rules(), subject, RuleContext(extra={"history": history}))
    assert "rule-crashed" not in _ids(fs)
