"""Hostile text in region names and configuration comes out inert in every format."""

from __future__ import annotations

import io
import re
import zipfile

import attrs
import openpyxl
import pypdf
import pytest

from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb_exporters import (
    Logo,
    ReportBundle,
    ReportConfig,
    ReportConfigError,
    Signer,
    UnsafeResourceError,
    make_registry,
)
from sikkb_exporters.layouts import LAYOUTS
from sikkb_exporters.pdf import render_html, restricted_fetcher

FORMULA = '=HYPERLINK("http://evil.example/x","klik")'
IMG = "<img src=file:///etc/passwd>"
SCRIPT = "<script>alert(1)</script>"
AT = "@SUM(1+1)"
PLUS = "+62-21-555"
HOSTILE = (FORMULA, IMG, SCRIPT, AT, PLUS)
KEL = "36.71.01.1001"
REGISTRY = make_registry(load_entrypoints=False)


def _hostile_table() -> RegionTable:
    names = {"36.71": f"Kota {SCRIPT}", "36.71.01": FORMULA, KEL: IMG, "36.71.01.1002": AT}
    regions = [
        attrs.evolve(r, name=names.get(r.code, r.name))
        for r in kota_tangerang()
        if r.code in ("36", "36.71", "36.71.01", KEL, "36.71.01.1002")
    ]
    return RegionTable(regions)


def _bundles() -> dict[Tingkat, ReportBundle]:
    table = _hostile_table()
    period = Period(2026, 10)
    values = {"pa.SUNTIK.PEMERINTAH": 5, "bukan_peserta.HAMIL": 2, "rakor": 1}
    reports = [VillageReport.from_form(c, period, values) for c in (KEL, "36.71.01.1002")]
    tree = Recap.build_tree("36", period, reports, table)
    config = ReportConfig(
        dinas=SCRIPT,
        alamat=FORMULA,
        kontak=IMG,
        logo=Logo.asset("logo-default.svg"),
        kepala_dinas=Signer(nama=AT, nip=PLUS, jabatan=SCRIPT, sk_nomor=FORMULA),
        ppkbd={KEL: Signer(nama=FORMULA)},
        pkb={"36.71.01": Signer(nama=IMG)},
        tembusan=[PLUS, SCRIPT, "-1"],
    )
    return {
        Tingkat.KELURAHAN: ReportBundle(report=reports[0], regions=table, config=config),
        Tingkat.KECAMATAN: ReportBundle(report=tree["36.71.01"], regions=table, config=config),
        Tingkat.KOTA: ReportBundle(report=tree["36.71"], regions=table, config=config),
        Tingkat.PROVINSI: ReportBundle(report=tree["36"], regions=table, config=config),
    }


BUNDLES = _bundles()
CASES = [("bkkbn", t) for t in Tingkat] + [
    ("kota", Tingkat.KOTA), ("kecamatan", Tingkat.KECAMATAN), ("kelurahan", Tingkat.KELURAHAN)
]  # fmt: skip


def _render(bundle: ReportBundle, exporter: str) -> bytes:
    stream = io.BytesIO()
    REGISTRY.render(bundle, stream, exporter=exporter)
    return stream.getvalue()


@pytest.mark.parametrize(("layout", "level"), CASES)
def test_xlsx_holds_no_formula_and_keeps_the_text(layout: str, level: Tingkat) -> None:
    data = _render(BUNDLES[level], f"{layout}-xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                # the only formulas: SUMs of a total row over the cells above it, values cached
                formulas = re.findall(rb"<f>([^<]*)</f>(<v[^>]*>[^<]*</v>|<v\s*/>)", z.read(name))
                for formula, cached in formulas:
                    assert re.fullmatch(rb"SUM\([A-Z]+\d+:[A-Z]+\d+\)", formula), formula
                    assert re.fullmatch(rb"<v>-?\d+</v>", cached), (formula, cached)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    continue  # a SUM (checked above)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    joined = "\n".join(texts)
    assert FORMULA in joined or FORMULA.upper() in joined  # shown as text, not dropped


@pytest.mark.parametrize(("layout", "level"), CASES)
def test_html_escapes_and_pdf_shows_the_text(layout: str, level: Tingkat) -> None:
    doc = LAYOUTS[layout](BUNDLES[level])
    html = render_html(doc)
    assert "<script>" not in html
    assert "<img src=file" not in html
    assert "&lt;script&gt;" in html
    assert len(re.findall(r"<img ", html)) == 1  # the letterhead logo, a data: URI
    assert 'src="data:image/svg+xml;base64,' in html


def test_pdf_shows_hostile_text_as_text() -> None:
    data = _render(BUNDLES[Tingkat.KELURAHAN], "kelurahan-pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert SCRIPT in text
    assert IMG.upper() in text or IMG in text
    assert b"root:x:0:0" not in data


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/logo.png", "https://example.com/a.css",
     "ftp://example.com/x", "/etc/passwd"],
)  # fmt: skip
def test_the_fetcher_refuses_everything_but_data_uris(url: str) -> None:
    refused: list[str] = []
    fetcher = restricted_fetcher(refused)
    with pytest.raises(UnsafeResourceError):
        fetcher(url)
    assert refused == [url]
    ok = fetcher("data:text/plain;base64,aGFsbw==")
    assert ok.read() == b"halo"


def test_weasyprint_with_the_fetcher_never_reads_a_local_file() -> None:
    import weasyprint

    refused: list[str] = []
    html = '<p>x</p><img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/a.css">'
    pdf = weasyprint.HTML(string=html, url_fetcher=restricted_fetcher(refused)).write_pdf()
    assert "file:///etc/passwd" in refused
    assert "http://example.com/a.css" in refused
    assert b"root:x:0:0" not in pdf


@pytest.mark.parametrize("exporter", ["csv", "json", "adx"])
def test_machine_formats_carry_no_names(exporter: str) -> None:
    for bundle in BUNDLES.values():
        data = _render(bundle, exporter).decode("utf-8")
        for text in HOSTILE:
            assert text not in data
        if exporter == "csv":
            for line in data.splitlines():
                for field in line.split(","):
                    assert not field.startswith(("=", "+", "-", "@")), field


@pytest.mark.parametrize("logo", ["/etc/passwd", "../../../../etc/passwd", "report.css/../x", ""])
def test_a_logo_outside_the_package_assets_is_refused(logo: str) -> None:
    text = f'[kop]\nlogo = "{logo}"\n'
    if logo == "":
        assert ReportConfig.from_toml_text(text).logo is None
        return
    with pytest.raises(ReportConfigError, match=r"kop\.logo"):
        ReportConfig.from_toml_text(text)


def test_an_explicitly_allowed_logo_file_is_read(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "logo.png").write_bytes(b"\x89PNG fake")
    cfg = ReportConfig.from_toml_text(
        '[kop]\nlogo = "logo.png"\n', base=folder, allowed_files=[folder / "logo.png"]
    )
    assert cfg.logo is not None
    assert cfg.logo.media_type == "image/png"
    with pytest.raises(ReportConfigError):
        ReportConfig.from_toml_text('[kop]\nlogo = "logo.png"\n', base=folder)
