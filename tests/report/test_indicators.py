"""Indicators worked out by hand on the example register; undefined ratios."""

from __future__ import annotations

import pytest
from tests.report.examples import KEC, PERIOD, A, B, example_register

from sikkb.regions import kota_tangerang
from sikkb.report import Indicators, Ratio, Recap, VillageReport, recap_indicators
from sikkb.report.indicators import cakupan_laporan, pb_vs_ppm, poktan_kb


@pytest.fixture(scope="module")
def reps() -> dict[str, VillageReport]:
    return {r.region: r for r in VillageReport.all_from_register(example_register())}


def test_village_a(reps: dict[str, VillageReport]) -> None:
    ind = Indicators.of(reps[A])
    # PUS 4, PA 3 (SUNTIK, MAL, IUD), HAMIL 1
    assert ind.cpr.percent == pytest.approx(75.0)
    assert ind.mcpr.percent == pytest.approx(75.0)  # MAL is modern
    assert ind.mkjp.percent == pytest.approx(100 / 3)  # IUD only
    assert ind.unmet_need == 0
    assert ind.unmet_need_pct.percent == 0.0
    assert ind.kb_pria.percent == 0.0
    assert ind.cakupan_laporan_of("SUB_PPKBD").percent == pytest.approx(50.0)
    assert ind.cakupan_laporan_of("UPPKA").percent == 0.0
    assert not ind.cakupan_laporan_of("BKR").defined  # none exist: undefined, not 0
    assert ind.poktan_kb_of("BKB").percent == pytest.approx(100.0)
    assert not ind.poktan_kb_of("BKL").defined  # the BKL family has no PUS


def test_village_b(reps: dict[str, VillageReport]) -> None:
    ind = Indicators.of(reps[B])
    # PUS 4, PA 2 (PIL, TRADISIONAL), IAT 1, TIAL 1
    assert ind.cpr.percent == pytest.approx(50.0)
    assert ind.mcpr.percent == pytest.approx(25.0)
    assert ind.mkjp.percent == 0.0
    assert ind.unmet_need == 2
    assert ind.unmet_need_pct.percent == pytest.approx(50.0)
    assert cakupan_laporan(reps[B], "PPKBD").percent == 0.0
    assert poktan_kb(reps[B], "UPPKA").percent == pytest.approx(100.0)


def test_recap(reps: dict[str, VillageReport]) -> None:
    rek = Recap.build(KEC, PERIOD, reps.values(), kota_tangerang())
    total, rows = recap_indicators(rek)
    assert total.cpr.percent == pytest.approx(5 / 8 * 100)
    assert total.unmet_need == 2
    by = dict(rows)
    assert by[A].cpr.percent == pytest.approx(75.0)
    assert not by["36.71.07.1003"].cpr.defined  # did not report
    assert by["36.71.07.1003"].unmet_need is None


def test_ratio_edges() -> None:
    assert Ratio.of(0, 0).percent is None
    assert Ratio.of(5, None).value is None
    assert Ratio.of(1, 3).display(1) == "33,3%"
    assert Ratio.of(1, 3).display(1, lang="en") == "33.3%"
    assert Ratio.of(1, 0).display() == "-"
    assert pb_vs_ppm(30, 120).percent == pytest.approx(25.0)
    assert not pb_vs_ppm(30, 0).defined
