"""Every document exporter × level: the XLSX read back, and the PDF's text, equal the report."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import attrs
import openpyxl
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.exporters.cases import DOCUMENT_CASES
from tests.report.strategies import village_reports

from sikkb.periods import Period
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.report import CellStatus, Recap, VillageReport
from sikkb.report import indicators as ind
from sikkb.report.series import PPMTargets
from sikkb.sop.timeliness import ReportingRate
from sikkb_exporters import ReportBundle
from sikkb_exporters.document import NA, Document, Pct, Table, Value
from sikkb_exporters.fmt import DASH, angka, persen
from sikkb_exporters.layouts import LAYOUTS
from sikkb_exporters.registry import Registry
from sikkb_exporters.xlsx import MAIN_SHEET, _sheet_name

_IND = {"cpr": ind.cpr, "mcpr": ind.mcpr, "mkjp": ind.mkjp, "kb_pria": ind.kb_pria,
        "unmet_need": ind.unmet_need_pct}  # fmt: skip


def expected(bundle: ReportBundle, row_keys: tuple[str | None, ...], key: str) -> Value:
    """What the report says a cell must hold, computed from the report, not from the document."""
    report = bundle.report
    src: Any = report
    unit = row_keys[1] if len(row_keys) > 1 else None
    if isinstance(report, Recap) and unit is not None and unit != report.region:
        src = report.row(unit)
    if key.startswith("indikator:"):
        return Pct(_IND[key.split(":")[1]](src).percent)
    if key == "jumlah:unmet_need":
        return ind.unmet_need(src)
    if key.startswith("cakupan:"):
        assert isinstance(report, Recap)
        _, tier, what = key.split(":")
        cov = report.coverage_at(Tingkat[tier])
        assert cov is not None
        return Pct(cov.percent.percent) if what == "percent" else getattr(cov, what)
    cell = src.cell(key)
    if cell.status is CellStatus.NOT_APPLICABLE:
        return NA
    return cell.value


def _checked_cells(doc: Document, bundle: ReportBundle) -> int:
    """Check the document against the report; return how many numeric cells were compared."""
    n = 0
    for table in doc.tables():
        for row in table.rows:
            for value, key in zip(row.cells[2:], row.keys[2:], strict=True):
                if table.sheet == "Ketepatan" or key is None:
                    continue  # timeliness rows come from the SOP, not the report
                assert value == expected(bundle, row.keys, key), (table.title, key)
                n += 1
    return n


def _xlsx_value(value: Value) -> object:
    if value is NA or value == "":
        return None
    if value is None:
        return DASH
    if isinstance(value, Pct):
        return DASH if value.value is None else pytest.approx(value.value / 100)
    return value


def _table_rows(wb: Any, table: Table) -> list[tuple[object, ...]]:
    skip = 1 + int(table.numbered)
    if table.sheet is not None:
        ws = wb[_sheet_name(table.sheet)]
        first = 4 + skip
    else:
        ws = wb[MAIN_SHEET]
        titles = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == table.title]
        assert titles, f"table {table.title!r} not found"
        first = titles[0] + 1 + skip
    width = len(table.columns)
    return [
        tuple(ws.cell(first + i, j + 1).value for j in range(width)) for i in range(len(table.rows))
    ]


@pytest.mark.parametrize(("layout", "level"), DOCUMENT_CASES)
def test_xlsx_reads_back_as_the_report(
    layout: str, level: Tingkat, bundles: dict[Tingkat, ReportBundle],
    render: Callable[[ReportBundle, str], bytes],
) -> None:  # fmt: skip
    bundle = bundles[level]
    doc = LAYOUTS[layout](bundle)
    assert _checked_cells(doc, bundle) > 10
    wb = openpyxl.load_workbook(io.BytesIO(render(bundle, f"{layout}-xlsx")))
    compared = 0
    for table in doc.tables():
        for row, got in zip(table.rows, _table_rows(wb, table), strict=True):
            want = tuple(_xlsx_value(v) for v in row.cells)
            assert got == want, table.title
            compared += sum(isinstance(v, int) for v in got)
    assert compared > 10
    props = wb.properties
    assert props.created == props.modified
    assert (props.created.year, props.created.month) == (
        bundle.period.next().year, bundle.period.next().month,
    )  # fmt: skip


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return _normalise("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))


def _pdf_cell(value: Value) -> str:
    if value is NA:
        return ""
    if value is None:
        return DASH
    if isinstance(value, Pct):
        return persen(value.value)
    if isinstance(value, int):
        return angka(value)
    return str(value)


@pytest.mark.parametrize(("layout", "level"), DOCUMENT_CASES)
def test_pdf_text_holds_the_headings_and_numbers(
    layout: str, level: Tingkat, bundles: dict[Tingkat, ReportBundle],
    render: Callable[[ReportBundle, str], bytes],
) -> None:  # fmt: skip
    bundle = bundles[level]
    doc = LAYOUTS[layout](bundle)
    data = render(bundle, f"{layout}-pdf")
    assert data.startswith(b"%PDF-")
    text = _pdf_text(data)
    for heading in [doc.title, doc.subtitle, *(t.title for t in doc.tables())]:
        assert _normalise(heading) in text
    rows = 0
    for table in doc.tables():
        for row in table.rows:
            numbers = " ".join(_pdf_cell(v) for v in row.cells[2:] if v is not NA)
            assert numbers in text, (table.title, row.cells)
            rows += 1
    assert rows > 5
    for sig in doc.signatures:
        assert _normalise(sig.nama) in text
    meta = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == doc.title


def test_the_kota_report_shows_its_signer_and_city_totals(
    bundles: dict[Tingkat, ReportBundle], render: Callable[[ReportBundle, str], bytes]
) -> None:
    bundle = bundles[Tingkat.KABKOTA]
    text = _pdf_text(render(bundle, "kota-pdf"))
    recap = bundle.report
    assert "Mengetahui," in text
    assert "Kepala Dinas" in text
    assert "Dr. Contoh Kepala Dinas, M.Si" in text
    assert "NIP. 19700101 199503 1 001" in text
    assert f"Jumlah PUS {angka(recap.value('pus'))}" in text
    assert "Tren CPR dan mCPR per bulan" in text  # three months of history: a trend chart


def test_a_missing_signer_is_a_warning_and_a_blank_line(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    bundle = bundles[Tingkat.KELURAHAN]
    unsigned = ReportBundle(report=bundle.report)  # default configuration: no signers
    doc = LAYOUTS["kelurahan"](unsigned)
    assert [f.rule_id for f in doc.findings] == ["penandatangan-belum-diisi"]
    finding = doc.findings[0]
    assert finding.severity.value == "WARNING"
    assert finding.location.region == bundle.report.region
    assert "PPKBD" in finding.message.id
    assert doc.signatures[0].nama.startswith("(....")
    signed = LAYOUTS["kelurahan"](bundle)
    assert signed.findings == ()
    assert signed.signatures[0].nama == "Contoh PPKBD Sukarasa"


def test_recap_rows_of_units_that_did_not_report_print_dashes(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    bundle = bundles[Tingkat.PROVINSI]
    doc = LAYOUTS["bkkbn"](bundle)
    assert doc.form == "Rek.Prov/F/I/Dal"
    recap = bundle.report
    assert isinstance(recap, Recap)
    cov = doc.tables()[0]
    assert [r.cells[2:] for r in cov.rows] == [
        (c.expected, c.reported, Pct(c.percent.percent)) for c in recap.coverage
    ]


def _sheet_rows(data: bytes, sheet: str) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=6)]


def test_kota_xlsx_has_native_charts_and_frozen_headings(
    bundles: dict[Tingkat, ReportBundle], render: Callable[[ReportBundle, str], bytes]
) -> None:
    data = render(bundles[Tingkat.KABKOTA], "kota-xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        kinds = [next(k for k in ("barChart", "pieChart", "lineChart") if k.encode() in z.read(n))
                 for n in charts]  # fmt: skip
    assert sorted(kinds) == ["barChart", "lineChart", "pieChart"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Per Kecamatan"].freeze_panes == "C6"
    assert wb["Per Kecamatan"]["B6"].value == "Tangerang"


def test_timeliness_rates_are_shown_when_given(
    bundles: dict[Tingkat, ReportBundle], registry: Registry
) -> None:
    base = bundles[Tingkat.KABKOTA]
    table = base.regions
    rates = [
        ReportingRate(code=k.code, tingkat=Tingkat.KECAMATAN, step=1, expected=8, actual=6 + i % 3,
                      actual_on_time=5 + i % 2, missing=0)
        for i, k in enumerate(table.kecamatan("36.71"))
    ]  # fmt: skip
    rates.append(ReportingRate(code="36.71", tingkat=Tingkat.KABKOTA, step=1, expected=104,
                               actual=100, actual_on_time=90, missing=4))  # fmt: skip
    later_step = [attrs.evolve(r, step=5, actual_on_time=0) for r in rates]
    bundle = attrs.evolve(base, timeliness=later_step + rates)  # the earliest step is shown
    stream = io.BytesIO()
    registry.render(bundle, stream, exporter="kota-xlsx")
    rows = _sheet_rows(stream.getvalue(), "Ketepatan")
    assert len(rows) == 14
    for row, rate in zip(rows, rates, strict=True):
        assert row[2:5] == (rate.expected, rate.actual, rate.actual_on_time)
        # late and not yet received, worked out from the rate's own counts
        assert row[5:7] == (rate.actual - rate.actual_on_time, rate.expected - rate.actual)
        assert row[7] == pytest.approx(rate.actual / rate.expected)
        assert row[8] == pytest.approx(rate.actual_on_time / rate.expected)
    assert rows[-1][1] == "JUMLAH"


def test_completeness_from_the_kecamatan_recaps_without_sop_data(
    bundles: dict[Tingkat, ReportBundle], city: dict[str, object]
) -> None:
    tree = city["tree"]
    assert isinstance(tree, dict)
    base = bundles[Tingkat.KABKOTA]
    kecamatan = [tree[k.code] for k in base.regions.kecamatan("36.71")]
    doc = LAYOUTS["kota"](attrs.evolve(base, children=kecamatan))
    (table,) = [t for t in doc.tables() if t.sheet == "Ketepatan"]
    for row, rec in zip(table.rows, [*kecamatan, base.report], strict=True):
        cov = rec.coverage_at(Tingkat.KELURAHAN)
        assert row.cells[2:] == (cov.expected, cov.reported, Pct(cov.percent.percent))


@settings(max_examples=15)
@given(report=village_reports(), layout=st.sampled_from(["bkkbn", "kelurahan"]))
def test_any_village_report_reads_back_from_xlsx(
    report: VillageReport, layout: str, registry: Registry
) -> None:
    bundle = ReportBundle(report=report)
    doc = LAYOUTS[layout](bundle)
    _checked_cells(doc, bundle)
    stream = io.BytesIO()
    registry.render(bundle, stream, exporter=f"{layout}-xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    for table in doc.tables():
        for row, got in zip(table.rows, _table_rows(wb, table), strict=True):
            assert got == tuple(_xlsx_value(v) for v in row.cells), table.title


@settings(max_examples=10)
@given(
    reports=st.lists(village_reports(), max_size=3), layout=st.sampled_from(["bkkbn", "kecamatan"])
)
def test_any_kecamatan_recap_reads_back_from_xlsx(
    reports: list[VillageReport], layout: str, registry: Registry
) -> None:
    unique = list({r.region: r for r in reports}.values())
    recap = Recap.build("36.71.07", unique[0].period if unique else Period(2026, 10), unique,
                        kota_tangerang())  # fmt: skip
    bundle = ReportBundle(report=recap)
    doc = LAYOUTS[layout](bundle)
    _checked_cells(doc, bundle)
    stream = io.BytesIO()
    registry.render(bundle, stream, exporter=f"{layout}-xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    for table in doc.tables():
        if table.sheet == "Ketepatan":
            continue
        for row, got in zip(table.rows, _table_rows(wb, table), strict=True):
            assert got == tuple(_xlsx_value(v) for v in row.cells), table.title


@pytest.mark.parametrize("level", [Tingkat.KABKOTA, Tingkat.KECAMATAN, Tingkat.KELURAHAN])
def test_pb_year_to_date_against_ppm(level: Tingkat, bundles: dict[Tingkat, ReportBundle]) -> None:
    base = bundles[level]
    code = base.region_code
    bundle = attrs.evolve(base, ppm=PPMTargets.from_mapping({code: {2026: 200}}))
    layout = LAYOUTS["kota" if level is Tingkat.KABKOTA else level.name.lower()]
    (summary,) = [t for t in layout(bundle).tables() if t.title.startswith("A.")]
    cells = {row.keys[2]: row.cells[2] for row in summary.rows}
    months = [r for r in base.history if r.period.year == 2026] + [base.report]
    ytd = sum(r.value("pb") or 0 for r in months)  # worked out here from the months themselves
    assert cells["jumlah:pb_ytd"] == ytd
    assert cells["indikator:pb_vs_ppm"] == Pct(100 * ytd / 200)
    without = next(t for t in layout(base).tables() if t.title.startswith("A."))
    assert "indikator:pb_vs_ppm" not in {row.keys[2] for row in without.rows}
