"""JSON, CSV (long form) and ADX: read back equal to the report, deterministic, ADX schema-valid."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import time
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.strategies import KECAMATAN, KELURAHAN, PERIOD, village_reports

from sikkb.convert import from_json
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport, item_key
from sikkb_exporters import ReportBundle, make_registry
from sikkb_exporters.machine import ADX_NAMESPACE, CSV_COLUMNS, json_form

REGISTRY = make_registry(load_entrypoints=False)
ADX_SCHEMA = xmlschema.XMLSchema(
    importlib.resources.files("sikkb_exporters.assets").joinpath("adx.xsd").read_text("utf-8")
)
NS = {"adx": ADX_NAMESPACE}


def _render(report: VillageReport | Recap | ReportBundle, exporter: str) -> bytes:
    stream = io.BytesIO()
    REGISTRY.render(report, stream, exporter=exporter)
    return stream.getvalue()


def _units(report: VillageReport | Recap) -> dict[str, dict[str, int]]:
    if isinstance(report, VillageReport):
        return {report.region: report.as_dict()} if report.values else {}
    return {r.region: r.as_dict() for r in report.rows if r.reported and r.values}


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _read_adx(data: bytes) -> dict[str, dict[str, int]]:
    """orgUnit (dotted) → item key → value, rebuilt from the ADX attributes."""
    root = ET.fromstring(data)
    out: dict[str, dict[str, int]] = {}
    for group in root.findall("adx:group", NS):
        org = group.get("orgUnit", "")
        code = ".".join(p for p in (org[:2], org[2:4], org[4:6], org[6:]) if p)
        values = out.setdefault(code, {})
        for dv in group.findall("adx:dataValue", NS):
            element = dv.get("dataElement", "").removesuffix("_JUMLAH")
            # attributes keep document order: the disaggregation's parts in item-key order
            options = [v for k, v in dv.attrib.items() if k not in ("dataElement", "value")]
            values[item_key(element, ".".join(options))] = int(dv.get("value", ""))
    return out


@settings(max_examples=40)
@given(village_reports())
def test_machine_formats_read_back_as_the_village_report(report: VillageReport) -> None:
    text = _render(report, "json")
    assert from_json(text, VillageReport) == report
    assert json.loads(text) == json_form(report)
    rows = _read_csv(_render(report, "csv"))
    assert {(r["item"], r["disaggregation"]): int(r["value"]) for r in rows} == {
        tuple(k.split(".", 1)) if "." in k else (k, ""): v for k, v in report.values
    }
    assert {r["region"] for r in rows} <= {report.region}
    adx = _render(report, "adx")
    ADX_SCHEMA.validate(adx.decode())
    assert _read_adx(adx) == _units(report)


@pytest.mark.parametrize("level", [Tingkat.KECAMATAN, Tingkat.KOTA, Tingkat.PROVINSI])
def test_machine_formats_read_back_as_the_recap(
    level: Tingkat, bundles: dict[Tingkat, ReportBundle]
) -> None:
    recap = bundles[level].report
    assert isinstance(recap, Recap)
    assert from_json(_render(recap, "json"), Recap) == recap
    adx = _render(recap, "adx")
    ADX_SCHEMA.validate(adx.decode())
    assert _read_adx(adx) == _units(recap)
    rows = _read_csv(_render(recap, "csv"))
    assert tuple(rows[0]) == CSV_COLUMNS
    total = {
        (r["item"], r["disaggregation"]): int(r["value"])
        for r in rows
        if r["region"] == recap.region
    }
    assert total == {tuple(k.split(".", 1)) if "." in k else (k, ""): v for k, v in recap.total}
    assert {r["period"] for r in rows} == {recap.period.iso}


def test_adx_uses_periods_and_codes_as_identifiers(bundles: dict[Tingkat, ReportBundle]) -> None:
    report = bundles[Tingkat.KELURAHAN].report
    root = ET.fromstring(_render(report, "adx"))
    assert root.get("exported") == "2026-11-01T00:00:00Z"
    group = root.find("adx:group", NS)
    assert group is not None
    assert group.get("period") == "2026-10-01/P1M"
    assert group.get("orgUnit") == report.region.replace(".", "")
    assert group.get("dataSet") == "FIDAL"
    suntik = [
        dv.attrib for dv in group.findall("adx:dataValue", NS)
        if dv.get("METODE") == "SUNTIK" and dv.get("TEMPAT") == "PEMERINTAH"
    ]  # fmt: skip
    assert suntik == [
        {"dataElement": "pa", "value": str(report.value("pa", "SUNTIK.PEMERINTAH")),
         "METODE": "SUNTIK", "TEMPAT": "PEMERINTAH"}
    ]  # fmt: skip


def test_the_adx_schema_rejects_a_malformed_message() -> None:
    bad = f'<adx xmlns="{ADX_NAMESPACE}" exported="2026-11-01T00:00:00Z"><group orgUnit="1" period="2026-10"><dataValue dataElement="pa" value="x"/></group></adx>'
    assert not ADX_SCHEMA.is_valid(bad)


@pytest.mark.parametrize("exporter", ["json", "csv", "adx", "bkkbn-xlsx", "kota-xlsx"])
def test_same_report_same_bytes(
    exporter: str, bundles: dict[Tingkat, ReportBundle], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = bundles[Tingkat.KOTA]
    first = _render(bundle, exporter)
    # another day on the clock: zip entries and document properties must not follow it
    later = time.localtime(time.time() + 86_400 * 400)
    monkeypatch.setattr(time, "localtime", lambda *a: later)
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)
    again = _render(
        ReportBundle(report=bundle.report, config=bundle.config, history=bundle.history), exporter
    )
    assert first == again


def test_same_report_same_pdf(bundles: dict[Tingkat, ReportBundle], render: object) -> None:
    bundle = bundles[Tingkat.KELURAHAN]
    cached = render(bundle, "kelurahan-pdf")  # type: ignore[operator]
    assert _render(bundle, "kelurahan-pdf") == cached


@st.composite
def kecamatan_recaps(draw: st.DrawFn) -> Recap:
    """A Rek.Kec of 36.71.07 from generated village reports of some of its kelurahan."""
    codes = draw(st.lists(st.sampled_from(KELURAHAN), unique=True, max_size=4))
    reports = [draw(village_reports(kelurahan=st.just(c))) for c in codes]
    return Recap.build(KECAMATAN, PERIOD, reports, kota_tangerang())


@settings(max_examples=25)
@given(kecamatan_recaps())
def test_machine_formats_read_back_as_any_recap(recap: Recap) -> None:
    assert from_json(_render(recap, "json"), Recap) == recap
    adx = _render(recap, "adx")
    ADX_SCHEMA.validate(adx.decode())
    assert _read_adx(adx) == _units(recap)
    rows = _read_csv(_render(recap, "csv"))
    got: dict[str, dict[str, int]] = {}
    for r in rows:
        key = item_key(r["item"], r["disaggregation"])
        got.setdefault(r["region"], {})[key] = int(r["value"])
    want = {**_units(recap), recap.region: recap.as_dict()} if recap.total else _units(recap)
    assert got == want
