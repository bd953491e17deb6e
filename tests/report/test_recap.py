"""Recaps: the hand-worked kecamatan, city and province recaps, coverage, and refused inputs."""

from __future__ import annotations

import pytest
from tests.report.examples import KEC, PERIOD, A, B, example_register

from sikkb.errors import RecapInputError, UnknownRegionError
from sikkb.periods import Period
from sikkb.regions import Region, RegionTable, Tingkat, kota_tangerang
from sikkb.report import CellStatus, Recap, VillageReport


@pytest.fixture(scope="module")
def reports() -> tuple[VillageReport, ...]:
    return VillageReport.all_from_register(example_register())


def test_kecamatan_recap(reports: tuple[VillageReport, ...]) -> None:
    rek = Recap.build(KEC, PERIOD, reports, kota_tangerang())
    assert rek.tingkat is Tingkat.KECAMATAN
    assert rek.child_tingkat is Tingkat.KELURAHAN
    assert len(rek.rows) == 16  # every kelurahan of 36.71.07, in code order
    assert [r.region for r in rek.rows][:2] == [A, B]
    # PUS 4 + 4, PA 3 + 2, PB 1 + 1, HAMIL 1 + 0, TANPA_TEMPAT 1 + 1
    assert (rek.value("pus"), rek.value("pa"), rek.value("pb")) == (8, 5, 2)
    assert (rek.value("bukan_peserta", "HAMIL"), rek.value("pa", "TANPA_TEMPAT")) == (1, 2)
    pus = rek.cell("pus")
    assert (pus.covers, pus.expected, pus.complete) == (2, 16, False)
    rakor = rek.cell("rakor")  # only A has a kegiatan row
    assert (rakor.value, rakor.covers) == (1, 1)
    assert rek.row(A).value("pus") == 4
    missing = rek.row("36.71.07.1003")
    assert not missing.reported
    assert missing.cell("pus").status is CellStatus.NOT_REPORTED
    assert len(rek.not_reported) == 14
    (cov,) = rek.coverage
    assert (cov.tingkat, cov.expected, cov.reported) == (Tingkat.KELURAHAN, 16, 2)
    assert cov.percent.percent == pytest.approx(12.5)


def test_city_and_province_recaps(reports: tuple[VillageReport, ...]) -> None:
    tree = Recap.build_tree("36.71", PERIOD, reports, kota_tangerang())
    assert len(tree) == 14  # 13 kecamatan + the city
    city = tree["36.71"]
    assert city == Recap.build_city("36.71", PERIOD, reports, kota_tangerang())
    assert city.value("pus") == 8
    assert city.row(KEC).reported
    assert not city.row("36.71.01").reported
    assert city.row("36.71.01").cell("pus").status is CellStatus.NOT_REPORTED
    assert [(c.tingkat, c.expected, c.reported) for c in city.coverage] == [
        (Tingkat.KECAMATAN, 13, 1),
        (Tingkat.KELURAHAN, 104, 2),
    ]
    prov = Recap.build("36", PERIOD, [city], kota_tangerang())
    assert prov.value("pa") == 5
    assert [(c.tingkat, c.expected, c.reported) for c in prov.coverage] == [
        (Tingkat.KOTA, 1, 1),
        (Tingkat.KECAMATAN, 13, 1),
        (Tingkat.KELURAHAN, 104, 2),
    ]


def test_recap_with_no_reports_is_all_not_reported() -> None:
    rek = Recap.build(KEC, PERIOD, [], kota_tangerang())
    assert not rek.reported
    assert rek.value("pus") is None
    assert rek.coverage[0].reported == 0
    city = Recap.build("36.71", PERIOD, [rek], kota_tangerang())
    assert not city.row(KEC).reported
    assert city.coverage[-1].expected == 104


def test_refused_children(reports: tuple[VillageReport, ...]) -> None:
    regions = kota_tangerang()
    with pytest.raises(RecapInputError, match="twice"):
        Recap.build(KEC, PERIOD, [reports[0], reports[0]], regions)
    with pytest.raises(RecapInputError, match="belong"):
        Recap.build("36.71.01", PERIOD, reports, regions)
    other = VillageReport(region=A, period=Period(2026, 9), values=reports[0].values)
    with pytest.raises(RecapInputError, match="2026-09"):
        Recap.build(KEC, PERIOD, [other], regions)
    with pytest.raises(RecapInputError):
        Recap.build(A, PERIOD, [], regions)
    with pytest.raises(UnknownRegionError):
        Recap.build(KEC, PERIOD, [VillageReport(region="36.71.07.1999", period=PERIOD)], regions)


def test_small_region_table() -> None:
    regions = RegionTable([
        Region(code="36", name="Banten", kind="provinsi"),
        Region(code="36.71", name="Tangerang", kind="kota"),
        Region(code="36.71.07", name="Karawaci", kind="kecamatan"),
        Region(code=A, name="A", kind="kelurahan"),
        Region(code=B, name="B", kind="kelurahan"),
    ])  # fmt: skip
    rek = Recap.build(KEC, PERIOD, VillageReport.all_from_register(example_register()), regions)
    assert rek.coverage[0].complete
    assert rek.cell("pus").complete


def test_tree_refuses_reports_from_elsewhere(reports: tuple[VillageReport, ...]) -> None:
    with pytest.raises(RecapInputError, match=r"36\.71\.07\.1001"):
        Recap.build_tree("36.71.01", PERIOD, reports, kota_tangerang())
