"""Indicators in data frames (wide columns and their own frame), Ratio as float, typed columns."""

from __future__ import annotations

import functools
import math

import pytest

from sikkb.codes import Metode
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.report import Indicators, Ratio, VillageReport, detail_keys
from sikkb.report.indicators import recap_indicators
from sikkb.views.frames import INDICATOR_COLUMNS, to_pandas, to_polars

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

OCT = Period(2026, 10)


@functools.cache
def october() -> MonthlyReports:
    from sikkb.demo import demo_city

    return build_month(demo_city(OCT, scale=0.01, kelurahan=["36.71.07"]))


def test_ratio_converts_to_float_nan_when_undefined() -> None:
    assert float(Ratio.of(3, 4)) == 0.75
    assert math.isnan(float(Ratio.of(3, 0))) and math.isnan(float(Ratio.of(None, 4)))
    assert Ratio.of(3, 0).value is None and Ratio.of(3, 0).percent is None  # None elsewhere


def test_wide_frame_carries_the_indicators_computed_from_its_own_item_columns() -> None:
    wide = to_pandas(october(), "wide")
    assert list(wide.columns[-len(INDICATOR_COLUMNS) :]) == list(INDICATOR_COLUMNS)
    reported = wide[wide.pus.notna() & (wide.pus > 0)]
    assert len(reported) > 10
    # worked out from the frame's own item columns, not through sikkb.report.indicators
    modern = sum(reported[f"pa.{m.code}"] for m in Metode if m.code != "TRADISIONAL")
    mkjp = sum(reported[f"pa.{m}"] for m in ("IUD", "MOW", "MOP", "IMPLAN"))
    pria = reported["pa.MOP"] + reported["pa.KONDOM"]
    unmet = reported["bukan_peserta.IAT"] + reported["bukan_peserta.TIAL"]
    for column, expected in (
        ("cpr", reported.pa / reported.pus * 100),
        ("mcpr", modern / reported.pus * 100),
        ("mkjp", mkjp / reported.pa * 100),
        ("kb_pria", pria / reported.pa * 100),
        ("unmet_need_pct", unmet / reported.pus * 100),
    ):
        assert (reported[column] - expected).abs().max() < 1e-9, column
    assert (reported.unmet_need == unmet).all()
    assert str(wide.cpr.dtype) == "Float64" and str(wide.unmet_need.dtype) == "Int64"


def test_indicator_frame_one_row_per_unit_month_with_the_indicators_only() -> None:
    month = october()
    frame = to_pandas(month, "indicators")
    assert list(frame.columns) == ["region", "region_name", "level", "period", *INDICATOR_COLUMNS]
    city = frame[frame.level == "kota"].iloc[0]
    ind = Indicators.of(month.top)
    assert city.cpr == pytest.approx(ind.cpr.percent)
    assert city.mcpr == pytest.approx(ind.mcpr.percent)
    assert city["cakupan_laporan.PPKBD"] == pytest.approx(ind.cakupan_laporan_of("PPKBD").percent)
    assert to_polars(month, "indicators").columns == list(frame.columns)


def test_undefined_indicators_are_empty_never_zero() -> None:
    empty = VillageReport.from_form("36.71.07.1003", OCT, dict.fromkeys(detail_keys(), 0))
    row = to_pandas(empty, "indicators").iloc[0]
    assert row.unmet_need == 0
    assert pd.isna(row.cpr) and pd.isna(row.mkjp) and pd.isna(row["poktan_kb.BKB"])
    assert to_polars(empty, "indicators")["cpr"].to_list() == [None]


def test_recap_indicators_and_indicators_make_frames() -> None:
    recap = october().recaps["36.71.07"]
    total, children = recap_indicators(recap)
    df = to_pandas(recap_indicators(recap))
    assert list(df.columns) == ["region", *INDICATOR_COLUMNS]
    assert pd.isna(df.region.iloc[0]) and df.region.iloc[1:].tolist() == [c for c, _ in children]
    assert df.cpr.iloc[0] == pytest.approx(total.cpr.percent)
    assert to_pandas(total).shape == (1, 1 + len(INDICATOR_COLUMNS))
    assert to_pandas(list(children)).shape == (len(children), 1 + len(INDICATOR_COLUMNS))


def test_codes_and_levels_are_categorical_and_periods_typed() -> None:
    long = to_pandas(october())
    for column in ("region", "level", "item", "kind", "section"):
        assert str(long[column].dtype) == "category", column
    assert str(long.period.dtype) == "period[M]"
    long_pl = to_polars(october())
    assert long_pl.schema["level"] == pl.Categorical
    assert long_pl.schema["period"] == pl.Date
    assert long_pl["period"].unique().to_list() == [OCT.first_day]
