"""Notebook views and short reprs of the result objects: never personal data, always short."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from sikkb.demo import demo_city, demo_events
from sikkb.periods import Period
from sikkb.register import Register
from sikkb.report import Indicators, Ratio, Series, VillageReport, detail_keys
from sikkb.sop import ReportingCycle, kota_tangerang_sop, schedule

OCT = Period(2026, 10)


@functools.cache
def register() -> Register:
    return demo_city(OCT, scale=0.01, kelurahan=["36.71.07"])


def _no_personal_data(text: str, reg: Register) -> None:
    for p in reg.pus[:50]:
        assert p.nik_istri not in text and p.tanggal_lahir_istri.isoformat() not in text
        assert (p.nama_istri or "§") not in text
    for k in reg.keluarga[:50]:
        assert (k.nama_kepala_keluarga or "§") not in text


def test_register_repr_and_html_are_short_summaries_without_personal_data() -> None:
    reg = register()
    text = repr(reg)
    assert len(text) < 300
    assert text.startswith(f"Register(period=2026-10, kelurahan=16, keluarga={len(reg.keluarga)}, ")
    html = reg._repr_html_()
    assert len(html) < 5000 and "16 kelurahan" in html
    assert re.search(rf"<td>pus</td><td class='num'>{len(reg.pus):,}".replace(",", "."), html)
    _no_personal_data(text + html, reg)


def test_read_result_repr_and_html(tmp_path: Path) -> None:
    from sikkb.io.reader import read_register
    from sikkb.io.register_write import write_register_csv

    reg = register()
    result = read_register(write_register_csv(reg, tmp_path / "reg"), OCT)
    text, html = repr(result), result._repr_html_()
    assert len(text) < 600 and "untyped=0" in text and "Register(period=2026-10" in text
    assert "Hasil baca" in html and "0 baris tidak dapat dibaca" in html
    _no_personal_data(text + html, reg)


def test_indicators_series_and_ratio_views() -> None:
    values = dict.fromkeys(detail_keys(), 0) | {"pa.SUNTIK.PEMERINTAH": 2, "bukan_peserta.IAT": 1}
    reps = [VillageReport.from_form("3671071003", Period(2026, m), values) for m in (9, 10)]
    html = Indicators.of(reps[-1])._repr_html_()
    assert "CPR (PA / PUS)" in html and "66,7%" in html and "2 / 3" in html
    assert "Cakupan laporan PPKBD" in html
    series = Series.of(reps)
    assert repr(series) == "Series(region='36.71.07.1003', months=2, 2026-09..2026-10)"
    html = series._repr_html_()
    assert html.count("<tr><td>") == 2 and "Oktober 2026" in html
    assert "<b>75,0%</b>" in Ratio.of(3, 4)._repr_html_()
    assert "<b>-</b>" in Ratio.of(3, 0)._repr_html_()


def test_schedule_view_shows_each_steps_activity() -> None:
    sop = kota_tangerang_sop()
    s = schedule(sop, sop.calendar, OCT)
    html = s._repr_html_()
    for step in sop.steps:
        assert step.label_id in html
    assert s.steps[0].activity is not None and s.steps[0].activity.en == sop.step(1).label_en


def test_reporting_cycle_repr_and_view() -> None:
    events = demo_events(OCT, kelurahan=["36.71.07"])
    cycle = ReportingCycle(sop=kota_tangerang_sop(), period=OCT,
                           units=register().kelurahan_codes, events=events)  # fmt: skip
    assert repr(cycle) == (
        f"ReportingCycle(sop='050/391 C-SKIT', period=2026-10, units=16, events={len(events)})"
    )
    html = cycle._repr_html_()
    assert "Siklus pelaporan" in html and "Karawaci" in html and "Kegiatan" in html
    # the view shows the cycle's own rates, as of the due date, the Indonesian way
    city = next(r for r in cycle.rates(dt.date(2026, 11, 17)) if r.code == "36.71")
    assert f"{city.actual}/16" in html and "Kota Tangerang" in html
    assert f"{city.reporting_rate:.1f} %".replace(".", ",") in html
    assert dt.date(2026, 11, 17).isoformat() in html
