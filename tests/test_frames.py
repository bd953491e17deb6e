"""sikkb.views.frames: data frames of reports, registers, findings and SOP tables."""

from __future__ import annotations

import builtins
import datetime as dt
import functools
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.strategies import village_reports
from tests.strategies import registers

from sikkb.codes import Metode
from sikkb.errors import OptionalDependencyError, SikkbError
from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.regions import Region, RegionTable
from sikkb.register import Keluarga, Pus, Register
from sikkb.report import CATALOGUE, Recap, Series, VillageReport, detail_keys
from sikkb.rules.engine import Finding, Findings, Location, Severity
from sikkb.sop import Calendar, ReportingRate, StepStatus, kota_tangerang_sop, schedule
from sikkb.sop.timeliness import Reminder, Timeliness
from sikkb.views.frames import to_pandas, to_polars, to_records

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

OCT = Period(2026, 10)
METHODS = [f"pa.{m.code}" for m in Metode]


@functools.cache
def october() -> MonthlyReports:
    """The demo city's October 2026 reports (small scale)."""
    from sikkb.demo import demo_city

    return build_month(demo_city(OCT, scale=0.01))


def _report(values: dict[str, int], code: str = "36.71.07.1003") -> VillageReport:
    return VillageReport.from_form(code, OCT, dict.fromkeys(detail_keys(), 0) | values)


# -- the done-when: the long form of the demo city's October report sums to its totals ---


def test_demo_october_long_form_sums_to_the_report_totals() -> None:
    month = october()
    top = month.top
    df = to_pandas(month)
    kota = df[df.region == "36.71"]
    # the city's own rows: Σ of the method rows = PA; Σ PA + non-user reasons = PUS
    assert kota[kota.item.isin(METHODS)].value.sum() == top.value("pa")
    reasons = [f"bukan_peserta.{a}" for a in ("HAMIL", "IAS", "IAT", "TIAL")]
    assert kota[kota.item.isin(["pa", *reasons])].value.sum() == top.value("pus")
    # one level down: Σ over the 104 kelurahan of each item = the city's total of that item
    kel = df[df.level == "kelurahan"]
    assert kel.region.nunique() == 104
    by_item = kel.groupby("item").value.sum()
    for key, value in top.as_dict().items():
        assert by_item.get(key, 0) == value, key
    # and the kecamatan rows too
    kec = df[df.level == "kecamatan"].groupby("item").value.sum()
    assert kec.to_dict() == top.as_dict()
    # the detailed cells of one element sum to its total
    details = kel[(kel.element == "pa") & ~kel.total].value.sum()
    assert details == top.value("pa")


def test_demo_october_wide_form_one_row_per_unit() -> None:
    month = october()
    wide = to_pandas(month, "wide")
    assert len(wide) == 104 + 13 + 1
    assert wide.set_index("region").loc["36.71", "pa"] == month.top.value("pa")
    kel = wide[wide.level == "kelurahan"]
    assert kel["pa"].sum() == month.top.value("pa")
    assert str(kel["pa"].dtype) == "Int64"
    assert (kel[METHODS].sum(axis=1) == kel["pa"]).all()


def test_demo_october_polars_agrees_with_pandas() -> None:
    month = october()
    long_pl = to_polars(month)
    long_pd = to_pandas(month)
    assert long_pl.columns == list(long_pd.columns)
    assert long_pl.height == len(long_pd)
    kota = long_pl.filter((pl.col("region") == "36.71") & pl.col("item").is_in(METHODS))
    assert kota["value"].sum() == month.top.value("pa")
    wide = to_polars(month, "wide")
    assert wide.schema["pus"] == pl.Int64
    assert wide.height == 118


# -- reports: worked examples and properties ----------------------------------------------------


def test_long_form_of_a_hand_worked_report() -> None:
    # 5 SUNTIK at a government clinic, 2 PIL private, 1 MAL with no place, 3 HAMIL: PA 8, PUS 11
    r = _report({"pa.SUNTIK.PEMERINTAH": 5, "pa.PIL.SWASTA": 2, "pa.MAL.TANPA_TEMPAT": 1,
                 "bukan_peserta.HAMIL": 3})  # fmt: skip
    rows = {x["item"]: x for x in to_records(r)}
    assert rows["pa"]["value"] == 8
    assert rows["pa"]["total"]
    assert rows["pus"]["value"] == 11
    one = rows["pa.SUNTIK.PEMERINTAH"]
    assert (one["element"], one["disaggregation"], one["kind"], one["section"]) == (
        "pa", "SUNTIK.PEMERINTAH", "STOCK", "V",
    )  # fmt: skip
    assert one["label_id"] == "Peserta KB aktif Suntik, Pemerintah"
    assert one["region_name"] == "Karawaci Baru"
    assert one["level"] == "kelurahan"
    assert rows["pb"]["kind"] == "FLOW"
    # the not-applicable cells never appear
    assert "pa.SUNTIK.TANPA_TEMPAT" not in rows


def test_not_reported_is_absent_in_long_form_and_null_in_wide_form() -> None:
    r = VillageReport.from_form("36.71.07.1003", OCT, {"bukan_peserta.HAMIL": 2})
    assert [x["item"] for x in to_records(r)] == ["bukan_peserta.HAMIL"]
    wide = to_pandas(r, "wide")
    assert wide.loc[0, "bukan_peserta.HAMIL"] == 2
    assert pd.isna(wide.loc[0, "pus"])
    assert to_polars(r, "wide")["pus"][0] is None


@settings(max_examples=30)
@given(village_reports())
def test_long_form_holds_exactly_the_reported_values(report: VillageReport) -> None:
    rows = to_records(report)
    assert {x["item"]: x["value"] for x in rows} == report.as_dict()
    order = {it.key: it.order for it in CATALOGUE}
    assert [order[x["item"]] for x in rows] == sorted(order[x["item"]] for x in rows)
    (wide,) = to_records(report, form="wide")
    assert {k: v for k, v in wide.items() if k in order and v is not None} == report.as_dict()


@settings(max_examples=15)
@given(registers())
def test_long_form_details_sum_to_totals_for_any_register(register: Register) -> None:
    reports = VillageReport.all_from_register(register)
    df = to_pandas(list(reports))
    for r in reports:
        mine = df[df.region == r.region]
        for it in CATALOGUE:
            if not it.sums or r.value(it.key) is None:
                continue
            for parts in it.sums:
                assert mine[mine.item.isin(parts)].value.sum() == r.value(it.key), it.key


def test_recap_total_and_children() -> None:
    month = october()
    kec = month.kecamatan[0]
    total = to_records(kec)
    assert {x["region"] for x in total} == {kec.region}
    assert {x["item"]: x["value"] for x in total} == kec.as_dict()
    rows = to_pandas(kec, children=True)
    assert rows.region.nunique() == sum(1 for r in kec.rows if r.reported)
    assert rows[rows.item == "pa"].value.sum() == kec.value("pa")


def test_recap_child_not_reported_has_no_rows() -> None:
    a = _report({"bukan_peserta.IAS": 4}, "36.71.07.1001")
    from sikkb.regions import kota_tangerang

    rek = Recap.build("36.71.07", OCT, [a], kota_tangerang())
    rows = to_records(rek, children=True)
    assert {x["region"] for x in rows} == {"36.71.07.1001"}
    wide = to_records(rek, "wide")
    assert wide[0]["region"] == "36.71.07"
    assert wide[0]["bukan_peserta.IAS"] == 4


def test_series_gives_one_unit_month_per_point() -> None:
    reps = [
        VillageReport.from_form("3671071001", Period(2026, m), {"pus": 10 + m}) for m in (8, 9, 10)
    ]
    df = to_pandas(Series.of(reps), "wide")
    assert df.period.tolist() == ["2026-08", "2026-09", "2026-10"]
    assert df.pus.tolist() == [18, 19, 20]


def test_region_names_come_from_the_given_table() -> None:
    table = RegionTable([
        Region(code="99", name="Provinsi Contoh", kind="provinsi"),
        Region(code="99.71", name="Kota Contoh", kind="kota"),
        Region(code="99.71.01", name="Kec A", kind="kecamatan"),
        Region(code="99.71.01.1001", name="Kel B", kind="kelurahan"),
    ])  # fmt: skip
    r = VillageReport.from_form("99.71.01.1001", OCT, {"pus": 1})
    assert to_records(r, regions=table)[0]["region_name"] == "Kel B"
    assert to_records(r)[0]["region_name"] is None  # not a Kota Tangerang code


# -- registers: personal data -------------------------------------------------------------------


def _small_register() -> Register:
    k = Keluarga(kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2,
                 nama_kepala_keluarga="Budi Santoso", anggota={"BKB"}, sasaran={"BKB", "BKR"},
                 row=2)  # fmt: skip
    p = Pus(kode_keluarga="KK-1", nik_istri="3671074508950001", nama_istri="Siti Aminah",
            tanggal_lahir_istri=dt.date(1995, 8, 5), status_kb="SUNTIK",
            tempat_pelayanan="PEMERINTAH", nik_suami="3671070101900002", nama_suami="Budi",
            jumlah_anak=2, row=2)  # fmt: skip
    return Register(period=OCT, keluarga=[k], pus=[p])


def test_register_masks_nik_and_drops_names_by_default() -> None:
    frames = to_pandas(_small_register())
    assert set(frames) == {"keluarga", "pus", "institusi", "kegiatan"}
    pus = frames["pus"]
    assert pus.loc[0, "nik_istri"] == "367107******0001"
    assert pus.loc[0, "nik_suami"] == "367107******0002"
    assert pus.loc[0, "tahun_lahir_istri"] == 1995
    assert pus.loc[0, "kode_wilayah"] == "36.71.07.1003"
    assert pus.loc[0, "status_kb"] == "SUNTIK"
    for gone in ("nama_istri", "nama_suami", "tanggal_lahir_istri"):
        assert gone not in pus.columns
    kel = frames["keluarga"]
    assert "nama_kepala_keluarga" not in kel.columns
    assert kel.loc[0, "sasaran"] == "BKB,BKR"
    assert kel.loc[0, "anggota"] == "BKB"
    text = pus.to_csv() + kel.to_csv()
    for secret in ("3671074508950001", "Siti", "Budi", "1995-08-05"):
        assert secret not in text


def test_register_personal_true_keeps_everything() -> None:
    pus = to_polars(_small_register(), table="pus", personal=True)
    row = pus.row(0, named=True)
    assert row["nik_istri"] == "3671074508950001"
    assert row["nama_istri"] == "Siti Aminah"
    assert row["tanggal_lahir_istri"] == dt.date(1995, 8, 5)


def test_register_methods_on_the_record() -> None:
    reg = _small_register()
    assert reg.to_pandas("pus").loc[0, "nik_istri"] == "367107******0001"
    assert reg.to_polars("keluarga").height == 1
    assert to_pandas(reg, table="institusi").empty
    empty = to_polars(reg, table="institusi")
    assert empty.height == 0
    assert empty.schema["row"] == pl.Int64
    assert "jenis" in empty.columns


@settings(max_examples=15)
@given(registers())
def test_no_full_nik_in_any_register_frame(register: Register) -> None:
    niks = {p.nik_istri for p in register.pus} | {p.nik_suami for p in register.pus if p.nik_suami}
    for name, rows in to_records(register).items():
        assert len(rows) == len(register.table(name))
        cells = {str(v) for row in rows for v in row.values()}
        assert not (cells & niks)


def test_register_unknown_table() -> None:
    with pytest.raises(ValueError, match="unknown register table 'puss'"):
        to_pandas(_small_register(), table="puss")


# -- findings, schedules and timeliness ----------------------------------------------------------


def test_findings_frame() -> None:
    f = Finding(
        rule_id="nik-istri-format",
        severity=Severity.ERROR,
        location=Location(table="pus", row=7, column="nik_istri", value="367107******", period=OCT),
        message=Text("NIK salah", "bad NIK"),
        hint=Text("Perbaiki", "Fix it"),
    )
    g = Finding(rule_id="x", severity=Severity.WARNING, location=Location(region="36.71"),
                message=Text("a", "b"), hint=Text("c", "d"))  # fmt: skip
    df = to_pandas(Findings([g, f]))
    assert df.rule.tolist() == ["nik-istri-format", "x"]  # errors first
    first = df.iloc[0]
    assert (first.severity, first.table, first.row, first.column) == (
        "ERROR",
        "pus",
        7,
        "nik_istri",
    )
    assert (first.message_id, first.message_en, first.hint_en) == ("NIK salah", "bad NIK", "Fix it")
    assert first.period == "2026-10"
    assert pd.isna(df.iloc[1].row)
    assert str(df.row.dtype) == "Int64"
    assert to_polars([f]).height == 1
    assert Findings([f]).to_pandas().rule.tolist() == ["nik-istri-format"]


def test_empty_findings_frame_has_the_columns() -> None:
    df = to_pandas(Findings([]))
    assert df.empty
    assert "message_id" in df.columns
    assert to_polars(Findings([])).columns == list(df.columns)


def test_schedule_frame() -> None:
    s = schedule(kota_tangerang_sop(), Calendar(), OCT)
    df = to_pandas(s)
    assert df.step.tolist() == [1, 2, 3, 4, 5, 6]
    assert df.due.tolist()[3] == dt.date(2026, 11, 16)
    assert df.depends_on.tolist()[3] == "1,2,3"
    ps = s.to_polars()
    assert ps.schema["due"] == pl.Date
    assert ps.schema["locked_after"] == pl.Date


def test_timeliness_frames() -> None:
    st_ = StepStatus(unit="36.71.07.1003", period=OCT, step=1, lane="PPKBD",
                     due=dt.date(2026, 11, 15), on_time_until=dt.date(2026, 11, 15),
                     done_on=dt.date(2026, 11, 18), status=Timeliness.LATE)  # fmt: skip
    df = to_pandas([st_])
    assert df.loc[0, "status"] == "LATE"
    assert df.loc[0, "status_id"] == "Terlambat"
    assert df.loc[0, "days_late"] == 3
    assert df.loc[0, "unit_name"] == "Karawaci Baru"
    from sikkb.regions import Tingkat

    rate = ReportingRate(code="36.71.07", tingkat=Tingkat.KECAMATAN, step=1, expected=16,
                         actual=12, actual_on_time=10, missing=3)  # fmt: skip
    r = to_polars([rate]).row(0, named=True)
    assert (r["late"], r["pending"], r["reporting_rate"]) == (2, 1, 75.0)
    assert r["region_name"] == "Karawaci"
    assert r["level"] == "kecamatan"
    rem = Reminder(unit="36.71.07.1003", period=OCT, step=4, lane="PPKBD",
                   due=dt.date(2026, 11, 16), days=2, waiting_on=(1, 3))  # fmt: skip
    assert to_records([rem])[0]["waiting_on"] == "1,3"


# -- errors ------------------------------------------------------------------------------------


def test_unconvertible_objects_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot make a data frame of int"):
        to_pandas(3)
    with pytest.raises(TypeError):
        to_pandas(["a", "b"])
    with pytest.raises(ValueError, match="form must be 'long' or 'wide'"):
        to_pandas(_report({}), "tall")  # type: ignore[arg-type]
    assert to_records([]) == []


@pytest.mark.parametrize(
    ("func", "module", "method"),
    [(to_pandas, "pandas", "to_pandas"), (to_polars, "polars", "to_polars")],
)
def test_missing_library_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, func: Any, module: str, method: str
) -> None:
    real = builtins.__import__

    def fake(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module:
            raise ImportError(f"No module named {module!r}")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(OptionalDependencyError) as info:
        func(_report({}))
    e = info.value
    assert isinstance(e, ImportError)
    assert isinstance(e, SikkbError)
    assert (e.module, e.extra) == (module, module)
    assert f"pip install 'sikkb[{module}]'" in str(e)
    with pytest.raises(ImportError):
        getattr(_report({}), method)()


def test_import_sikkb_does_not_import_pandas_or_polars() -> None:
    code = (
        "import sys, sikkb, sikkb.report, sikkb.pipeline, sikkb.sop, sikkb.rules, sikkb.register;"
        "r = sikkb.report.VillageReport.from_form('3671071003', sikkb.Period(2026, 10), {});"
        "r._repr_html_();"
        "print(sorted(m for m in ('pandas', 'polars') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@given(st.sampled_from(["long", "wide"]))
def test_record_methods_delegate(form: Any) -> None:
    r = _report({"pa.IUD.SWASTA": 1})
    assert r.to_pandas(form).equals(to_pandas(r, form))
    assert r.to_polars(form).equals(to_polars(r, form))


def test_a_generator_of_rows_gives_the_same_frame_as_a_list() -> None:
    from sikkb.demo import demo_city

    month = build_month(demo_city(OCT, scale=0.002, kelurahan=["36.71.01"]))
    assert to_records(iter(month.villages)) == to_records(list(month.villages))
    assert len(to_records(iter(month.villages))) > 0
    findings = [
        Finding(rule_id=f"contoh-{i}", severity=Severity.WARNING, location=Location(table="pus", row=i + 2),
                message=Text("pesan", "message"), hint=Text("saran", "hint"))
        for i in range(2)
    ]  # fmt: skip
    assert len(to_records(f for f in findings)) == len(to_records(findings)) == 2
