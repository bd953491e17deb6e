"""Series: quarter and year views, year-to-date PB against PPM, month-over-month change."""

from __future__ import annotations

import pytest
from tests.report.examples import A, B

from sikkb.errors import InvalidRecordError, UnknownItemError
from sikkb.periods import Period, Quarter
from sikkb.report import PPMTargets, Series, VillageReport


def _rep(m: int, pus: int, pb: int, rakor: int | None = 1, code: str = A) -> VillageReport:
    return VillageReport.from_form(
        code, Period(2026, m), {"pus": pus, "pb.SUNTIK": pb, "pertemuan.BKB": 2, "rakor": rakor}
    )


@pytest.fixture
def series() -> Series:
    # Jan..May; April is missing; rakor not reported in May
    return Series.of(
        [_rep(1, 100, 3), _rep(2, 104, 5), _rep(3, 103, 4), _rep(5, 110, 6, rakor=None)]
    )


def test_quarter_views(series: Series) -> None:
    q1 = series.quarter(Quarter(2026, 1))
    assert q1.label == "2026Q1"
    assert q1.complete
    assert q1.value("pus") == 103  # stock: March
    assert q1.value("pb", "SUNTIK") == 12  # flow: 3 + 5 + 4
    assert q1.value("pertemuan", "BKB") == 6
    assert q1.value("rakor") == 3
    q2 = series.quarter(Quarter(2026, 2))
    assert not q2.complete
    assert q2.reported == (Period(2026, 5),)
    assert q2.value("pus") == 110
    assert q2.value("rakor") is None  # May did not report it, April is missing
    assert series.quarter(Quarter(2026, 3)).value("pus") is None


def test_year_view_and_ytd(series: Series) -> None:
    y = series.year(2026)
    assert (y.value("pus"), y.value("pb", "SUNTIK"), y.value("rakor")) == (110, 18, 3)
    assert y.label == "2026"
    assert series.ytd("pb.SUNTIK", Period(2026, 2)) == 8
    assert series.ytd("pb.SUNTIK", Period(2026, 5)) == 18


def test_pb_vs_ppm(series: Series) -> None:
    targets = PPMTargets.from_mapping({"3671071001": {"2026": "72"}, B: {2026: 10}})
    r = series.pb_vs_ppm(targets, Period(2026, 5), element="pb", disaggregation="SUNTIK")
    assert r.percent == pytest.approx(25.0)  # 18 / 72
    assert not series.pb_vs_ppm(targets, Period(2027, 1)).defined  # no target for 2027
    rows = PPMTargets.from_mapping([{"kode_wilayah": A, "tahun": 2026, "ppm": 5}])
    assert rows.get("3671071001", 2026) == 5
    with pytest.raises(InvalidRecordError):
        PPMTargets.from_mapping({A: {2026: 1}, "3671071001": {2026: 2}})
    with pytest.raises(InvalidRecordError):
        PPMTargets.from_mapping({A: {2026: -3}})


def test_change(series: Series) -> None:
    c = series.change("pus", Period(2026, 2))
    assert (c.previous, c.current, c.delta) == (100, 104, 4)
    assert c.ratio.percent == pytest.approx(4.0)
    gap = series.change("pus", Period(2026, 5))  # April missing
    assert gap.delta is None
    assert not gap.ratio.defined


def test_series_refuses_mixed_units_and_duplicates() -> None:
    with pytest.raises(InvalidRecordError):
        Series.of([_rep(1, 1, 0), _rep(2, 1, 0, code=B)])
    with pytest.raises(InvalidRecordError):
        Series.of([_rep(1, 1, 0), _rep(1, 2, 0)])
    with pytest.raises(UnknownItemError):
        Series.of([_rep(1, 1, 0)]).value("nope", Period(2026, 1))


def test_history(series: Series) -> None:
    assert series.history("pus", before=Period(2026, 3)) == (
        (Period(2026, 1), 100),
        (Period(2026, 2), 104),
    )
