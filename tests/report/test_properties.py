"""Properties of the report model over generated registers."""

from __future__ import annotations

import json
import random

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.strategies import KECAMATAN, KELURAHAN, PERIOD, registers, village_reports

from sikkb.convert import from_json, make_converter, to_json
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.register import Register
from sikkb.report import (
    CATALOGUE,
    Indicators,
    Kind,
    Recap,
    Series,
    SourceKind,
    VillageReport,
    detail_keys,
)
from sikkb.rules.report import validate_report

REGIONS = kota_tangerang()


@settings(max_examples=40)
@given(reg=registers())
def test_register_reports_satisfy_every_identity(reg: Register) -> None:
    for rep in VillageReport.all_from_register(reg):
        fs = validate_report(rep)
        assert not fs.errors, [f.describe("en") for f in fs.errors]
        # every item is reported, except section II without a kegiatan row
        has_keg = rep.region in reg.kegiatan_by_kelurahan
        for it in CATALOGUE:
            assert (rep.value(it.key) is not None) == (it.element not in _SECTION_II or has_keg)


_SECTION_II = {"rakor", "penyuluhan", "kie_kit", "tokoh_aktif"}


@settings(max_examples=40)
@given(reg=registers())
def test_recap_equals_sum_of_children(reg: Register) -> None:
    reps = VillageReport.all_from_register(reg)
    rek = Recap.build(KECAMATAN, PERIOD, reps, REGIONS)
    assert not validate_report(rek).errors
    for it in CATALOGUE:
        vals = [r.value(it.key) for r in reps if r.value(it.key) is not None]
        assert rek.value(it.key) == (sum(vals) if vals else None)
        if vals:
            assert rek.cell(it.key).covers == len(vals)
    city = Recap.build_city("36.71", PERIOD, reps, REGIONS)
    assert city.total == rek.total
    assert not validate_report(city).errors


@settings(max_examples=30)
@given(reg=registers(), rnd=st.randoms(use_true_random=False))
def test_row_order_does_not_matter(reg: Register, rnd: random.Random) -> None:
    def shuffled(rows: tuple[object, ...]) -> list[object]:
        out = list(rows)
        rnd.shuffle(out)
        return out

    other = attrs.evolve(
        reg,
        keluarga=shuffled(reg.keluarga),
        pus=shuffled(reg.pus),
        institusi=shuffled(reg.institusi),
        kegiatan=shuffled(reg.kegiatan),
    )
    assert VillageReport.all_from_register(other) == VillageReport.all_from_register(reg)


@settings(max_examples=30)
@given(reg=registers())
def test_form_with_same_numbers_equals_register(reg: Register) -> None:
    for rep in VillageReport.all_from_register(reg):
        typed = {k: rep.value(k) for k in detail_keys()}
        form = VillageReport.from_form(rep.region, rep.period, typed)
        assert form == rep
        assert form.source is SourceKind.FORM
        assert rep.source is SourceKind.REGISTER


@settings(max_examples=30)
@given(
    reg=registers(
        kelurahan=st.lists(st.sampled_from(KELURAHAN), min_size=1, max_size=3, unique=True)
    )
)
def test_non_reporting_kelurahan_is_not_reported(reg: Register) -> None:
    reps = VillageReport.all_from_register(reg)
    rek = Recap.build(KECAMATAN, PERIOD, reps, REGIONS)
    reported = {r.region for r in reps}
    for row in rek.rows:
        assert row.reported == (row.region in reported)
        if not row.reported:
            assert row.value("pus") is None
    (cov,) = rek.coverage
    assert cov.tingkat is Tingkat.KELURAHAN
    assert cov.reported == len(reported) < cov.expected == len(REGIONS.children(KECAMATAN))
    assert cov.percent.percent is not None
    assert cov.percent.percent < 100


@settings(max_examples=30)
@given(reg=registers(), data=st.data())
def test_json_round_trip(reg: Register, data: st.DataObject) -> None:
    reps = VillageReport.all_from_register(reg)
    for rep in reps:
        back = from_json(to_json(rep), VillageReport)
        assert back == rep
        assert (back.source, back.rows_excluded) == (rep.source, rep.rows_excluded)
        assert json.loads(to_json(rep))["values"] == [list(kv) for kv in rep.values]
    rek = Recap.build_city("36.71", PERIOD, reps, REGIONS)
    assert from_json(to_json(rek), Recap) == rek
    # a typed form (totals possibly disagreeing) survives too
    form = data.draw(village_reports())
    assert from_json(to_json(form), VillageReport) == form
    # the converter is the project's (make_converter), not a private one
    assert make_converter().structure(make_converter().unstructure(rek), Recap) == rek


@settings(max_examples=40)
@given(rep=village_reports())
def test_indicators_never_raise_and_undefined_is_none(rep: VillageReport) -> None:
    ind = Indicators.of(rep)
    pus = rep.value("pus")
    if not pus:
        assert not ind.cpr.defined
        assert ind.cpr.percent is None
    assert validate_report(rep) is not None


@settings(max_examples=30)
@given(reg=registers())
def test_register_indicators_are_percentages(reg: Register) -> None:
    for rep in VillageReport.all_from_register(reg):
        ind = Indicators.of(rep)
        for r in (ind.cpr, ind.mcpr, ind.mkjp, ind.kb_pria, ind.unmet_need_pct):
            assert r.percent is None or 0 <= r.percent <= 100
        assert ind.cpr.defined == (rep.value("pus") != 0)


@settings(max_examples=30)
@given(values=st.lists(village_reports(kelurahan=st.just(KELURAHAN[0])), min_size=1, max_size=3))
def test_quarter_view_stock_last_flow_sum(values: list[VillageReport]) -> None:
    reps = [attrs.evolve(r, period=PERIOD + i) for i, r in enumerate(values)]  # Oct, Nov, Dec
    view = Series.of(reps).quarter(PERIOD.quarter)
    for it in CATALOGUE:
        got = [r.value(it.key) for r in reps if r.value(it.key) is not None]
        if not got:
            assert view.value(it.key) is None
        elif it.kind is Kind.FLOW:
            assert view.value(it.key) == sum(got)
        else:
            assert view.value(it.key) == got[-1]
    assert view.complete == (len(reps) == 3)


@settings(max_examples=30)
@given(reg=registers(), data=st.data())
def test_one_pass_equals_per_kelurahan(reg: Register, data: st.DataObject) -> None:
    from sikkb.i18n import Text
    from sikkb.rules.engine import Finding, Findings, Location, Severity

    bad = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(["keluarga", "pus", "institusi", "kegiatan"]), st.integers(2, 30)
            ),
            max_size=4,
        )
    )
    findings = Findings(
        [
            Finding(
                rule_id="x",
                severity=Severity.ERROR,
                location=Location(table=t, row=r),
                message=Text("x", "x"),
                hint=Text("x", "x"),
            )
            for t, r in bad
        ]
    )
    many = VillageReport.all_from_register(reg, findings=findings, exclude_invalid=True)
    one = [
        VillageReport.from_register(reg, c, findings=findings, exclude_invalid=True)
        for c in reg.kelurahan_codes
    ]
    assert list(many) == one
    assert [m.rows_excluded for m in many] == [o.rows_excluded for o in one]
    assert sum(m.total_rows_excluded for m in many) <= len(reg.keluarga) + len(reg.pus) + len(
        reg.institusi
    ) + len(reg.kegiatan)
