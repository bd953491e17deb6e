"""Addressee, signers and copies per document kind; DATA CONTOH; print-ready workbooks; chart ticks."""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable

import attrs
import openpyxl
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.exporters.cases import DOCUMENT_CASES

from sikkb.regions import Tingkat
from sikkb_exporters import ReportBundle, ReportConfig, ReportConfigError
from sikkb_exporters.correspondence import (
    DEFAULT_RULES,
    DOCUMENT_KINDS,
    DocumentRules,
    SignerSlot,
    without_addressee,
)
from sikkb_exporters.layouts import LAYOUTS
from sikkb_exporters.svg import axis_ticks

NAMES = {"kota": "Tangerang", "kota_nama": "Kota Tangerang", "provinsi": "Banten",
         "kecamatan": "Karawaci", "kelurahan": "Nusa Jaya"}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_no_default_addressee_is_its_own_copy(kind: str) -> None:
    rules = DEFAULT_RULES[kind].filled(NAMES)
    assert rules.addressee and "{" not in rules.addressee
    assert rules.tembusan == without_addressee(rules.tembusan, rules.addressee)
    assert all("{" not in t for t in rules.tembusan)
    assert rules.signers


def test_the_addressee_is_recognised_in_a_copy_line() -> None:
    copies = ["Walikota Tangerang (sebagai laporan)", "Kepada Yth. walikota  tangerang", "Arsip"]
    assert without_addressee(copies, "Walikota Tangerang") == ("Arsip",)
    with pytest.raises(ValueError, match="never its own copy"):
        DocumentRules(addressee="Camat {kecamatan}", signers=[SignerSlot(role="pkb")],
                      tembusan=["Camat {kecamatan}"])  # fmt: skip


@pytest.mark.parametrize(("layout", "level"), DOCUMENT_CASES)
def test_every_document_names_its_addressee_and_never_copies_it(
    layout: str, level: Tingkat, bundles: dict[Tingkat, ReportBundle]
) -> None:
    doc = LAYOUTS[layout](bundles[level])
    assert doc.addressee
    assert doc.tembusan
    assert without_addressee(doc.tembusan, doc.addressee) == doc.tembusan


def test_the_walikota_report_is_sent_not_acknowledged(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    doc = LAYOUTS["kota"](bundles[Tingkat.KOTA])
    assert doc.addressee == "Walikota Tangerang"
    (sig,) = doc.signatures
    assert "Mengetahui" not in sig.above
    assert sig.above.startswith("Tangerang, ")
    assert not any("Walikota" in t for t in doc.tembusan)
    rekab = LAYOUTS["bkkbn"](bundles[Tingkat.KOTA])
    assert rekab.addressee == "Kepala Perwakilan BKKBN Provinsi Banten"
    assert not any("BKKBN" in t for t in rekab.tembusan)


def test_fidal_prints_the_nip_line_under_the_pkb_not_the_ppkbd(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    unconfigured = ReportBundle(report=bundles[Tingkat.KELURAHAN].report)
    doc = LAYOUTS["bkkbn"](unconfigured)
    pkb, ppkbd = doc.signatures
    assert (pkb.above, pkb.jabatan, pkb.nama, pkb.nip_line) == (
        "Mengetahui,", "PKB Kecamatan Tangerang", "", True,
    )  # fmt: skip
    assert ppkbd.above.endswith("Yang membuat laporan,")
    assert (ppkbd.jabatan, ppkbd.nama, ppkbd.nip_line) == ("PPKBD Kelurahan Sukarasa", "", False)
    assert [f.rule_id for f in doc.findings].count("penandatangan-belum-diisi") == 2
    regions = {f.location.region for f in doc.findings if f.rule_id == "penandatangan-belum-diisi"}
    assert regions == {"36.71.01", "36.71.01.1001"}


TOML = """
[dokumen.kecamatan]
kepada = "Camat {kecamatan}"
tembusan = ["Walikota {kota}", "Arsip"]

[[dokumen.kecamatan.penandatangan]]
peran = "pkb"
sebutan = "Mengetahui,"
sk = true

[[dokumen.kecamatan.penandatangan]]
peran = "kepala_dinas"
tanggal = true
"""


def test_a_dinas_changes_one_document_kind_in_its_toml(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    base = bundles[Tingkat.KECAMATAN]
    cfg = ReportConfig.from_toml_text(TOML)
    cfg = attrs.evolve(cfg, kepala_dinas=base.config.kepala_dinas, pkb=base.config.pkb)
    doc = LAYOUTS["kecamatan"](attrs.evolve(base, config=cfg))
    assert doc.addressee == "Camat Tangerang"
    assert doc.tembusan == ("Walikota Tangerang", "Arsip")
    pkb, head = doc.signatures
    assert (pkb.above, pkb.nama) == ("Mengetahui,", "Contoh PKB Tangerang")
    assert head.nama == "Dr. Contoh Kepala Dinas, M.Si" and head.above.startswith("Tangerang, ")
    other = LAYOUTS["kota"](attrs.evolve(bundles[Tingkat.KOTA], config=cfg))
    assert other.tembusan == DEFAULT_RULES["kota"].filled(NAMES).tembusan  # other kinds: defaults


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[dokumen.camat]\nkepada = "x"', "dokumen.camat: unknown document kind"),
        ('[dokumen.kota]\nkepada = "Walikota {kota}"\ntembusan = ["Walikota {kota}"]',
         "never its own copy"),
        ('[[dokumen.kota.penandatangan]]\nperan = "lurah"', "unknown signer role 'lurah'"),
        ('[[dokumen.kota.penandatangan]]\nperan = "pkb"\ntanggal = "ya"', "dated"),
        ('[dokumen.kota]\nkepala = "x"', "dokumen.kota.kepala: unknown key"),
    ],
)  # fmt: skip
def test_a_bad_document_table_is_named(text: str, problem: str) -> None:
    with pytest.raises(ReportConfigError, match=problem.replace("(", r"\(")):
        ReportConfig.from_toml_text(text)


def test_the_legacy_copy_list_leaves_out_each_documents_addressee(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    cfg = attrs.evolve(
        bundles[Tingkat.KOTA].config, tembusan=("Walikota Tangerang", "Camat Tangerang", "Arsip")
    )
    kota = LAYOUTS["kota"](attrs.evolve(bundles[Tingkat.KOTA], config=cfg))
    assert kota.tembusan == ("Camat Tangerang", "Arsip")
    kec = LAYOUTS["kecamatan"](attrs.evolve(bundles[Tingkat.KECAMATAN], config=cfg))
    assert kec.tembusan == ("Walikota Tangerang", "Arsip")


def _pdf_pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(("layout", "level"), DOCUMENT_CASES)
def test_demo_data_says_data_contoh_on_every_sheet_and_real_data_never(
    layout: str, level: Tingkat, bundles: dict[Tingkat, ReportBundle],
    render: Callable[[ReportBundle, str], bytes],
) -> None:  # fmt: skip
    real = bundles[level]
    demo = attrs.evolve(real, sample_data=True)
    for bundle, marked in ((demo, True), (real, False)):
        wb = openpyxl.load_workbook(io.BytesIO(render(bundle, f"{layout}-xlsx")))
        for ws in wb.worksheets:
            cells = [c.value for row in ws.iter_rows(max_row=4) for c in row]
            labelled = any(isinstance(v, str) and v.startswith("DATA CONTOH") for v in cells)
            assert labelled is marked, (ws.title, marked)
            assert ("DATA CONTOH" in (ws.oddHeader.center.text or "")) is marked, ws.title
    assert all("DATA CONTOH" in page for page in _pdf_pages(render(demo, f"{layout}-pdf")))
    assert not any("DATA CONTOH" in page for page in _pdf_pages(render(real, f"{layout}-pdf")))


@pytest.mark.parametrize(("layout", "level"), DOCUMENT_CASES)
def test_workbooks_are_ready_to_print(
    layout: str, level: Tingkat, bundles: dict[Tingkat, ReportBundle],
    render: Callable[[ReportBundle, str], bytes],
) -> None:  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(render(bundles[level], f"{layout}-xlsx")))
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.page_setup.orientation in ("portrait", "landscape")
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0  # as many pages down as needed
        assert ws.oddFooter.right.text == "Halaman &P dari &N"
        assert ws.oddHeader.right.text.endswith("Oktober 2026")
        if ws.title not in ("Grafik", "Data Grafik"):
            assert ws.freeze_panes is not None, ws.title  # every table sheet
        if ws.title not in ("Laporan", "Grafik", "Data Grafik"):
            assert ws.print_title_rows, ws.title  # a table sheet repeats its heading rows
    main = wb["Laporan"]
    numbers = [c.value for c in main["A"] if isinstance(c.value, int)]
    assert numbers and 1 in numbers  # the "No" column holds numbers
    texts = [c.value for c in main["A"] if isinstance(c.value, str)]
    assert "C. GRAFIK" not in texts  # no heading without content: it points to the chart sheet
    if layout in ("kota", "kecamatan"):
        assert 'C. GRAFIK: lihat lembar "Grafik"' in texts
        assert any(t.startswith("B. CAPAIAN PER") and "lihat lembar" in t for t in texts)


@given(st.lists(st.floats(min_value=0, max_value=100), max_size=30), st.sampled_from(["%", ""]))
def test_chart_ticks_are_round_and_cover_the_data(values: list[float], unit: str) -> None:
    ticks = axis_ticks(values, unit)
    assert 3 <= len(ticks) <= 6
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1.0, 2.0, 5.0) and step >= 1
    assert all(math.isclose(b - a, step) for a, b in itertools.pairwise(ticks))
    assert all(t % step == 0 for t in ticks)
    if values:
        assert ticks[0] <= min(values) and max(values) <= ticks[-1]
    if unit == "%":
        assert ticks[0] >= 0 and ticks[-1] <= 100


def test_the_kecamatan_trend_of_the_issue_gets_round_ticks() -> None:
    assert axis_ticks([50.0, 58.0, 65.0, 72.0, 80.0], "%") == (50.0, 60.0, 70.0, 80.0)
