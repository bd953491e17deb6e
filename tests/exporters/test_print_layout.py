"""The whole demo city printed as a Dinas officer would send it: every built-in PDF for all 104
kelurahan, 13 kecamatan and the city, read back page by page with pypdf.

Checked on every document: no placeholder text (the only CONTOH is the DATA CONTOH label, on every
page), no title line splitting the region name (the longest names of Kota Tangerang included), no
office name with a word alone on a line, no page holding only the signature block and the copies,
and a Tembusan that never names the addressee. One test renders everything in parallel worker
processes (about 240 PDFs), so it runs once per session.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdf
import pytest

from sikkb.demo import demo_months
from sikkb.periods import Period
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb_exporters import ReportBundle
from sikkb_exporters.correspondence import without_addressee
from sikkb_exporters.document import Document
from sikkb_exporters.layouts import LAYOUTS
from sikkb_exporters.registry import ExportJob, Registry

_PDF_LAYOUTS = {
    Tingkat.KELURAHAN: ("bkkbn", "kelurahan"),
    Tingkat.KECAMATAN: ("bkkbn", "kecamatan"),
    Tingkat.KOTA: ("bkkbn", "kota"),
}


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _closing(doc: Document) -> set[str]:
    """The lines of the signature blocks, the copies and the page furniture."""
    out = {"Tembusan:", "DATA CONTOH", "DATA CONTOH (sintetis) — bukan data sebenarnya"}
    for sig in doc.signatures:
        out |= set(_lines(sig.above)) | {sig.jabatan, sig.nama, sig.sk, "NIP."}
        out.add(f"NIP. {sig.nip}".strip())
    out |= set(doc.tembusan)
    return {" ".join(x.split()) for x in out if x}


def _is_furniture(line: str, closing: set[str]) -> bool:
    return (
        line in closing
        or re.fullmatch(r"\d+\.", line) is not None
        or "Halaman" in line  # the footer: "<code> <period> sikkb Halaman x dari y"
    )


def _check(doc: Document, source: Path, name: str) -> None:
    pages = [_lines(p.extract_text()) for p in pypdf.PdfReader(source).pages]
    text = "\n".join(line for page in pages for line in page)
    # demo data: DATA CONTOH on every page, and no other CONTOH (no placeholder text)
    for i, page in enumerate(pages, start=1):
        assert any("DATA CONTOH" in line for line in page), (name, i)
    assert text.count("CONTOH") == text.count("DATA CONTOH"), name
    # the title's region name is never split across lines
    if doc.title_name:
        assert any(doc.title_name in line for line in pages[0]), (name, doc.title_name)
    # the office's name wraps without a word alone on a line
    assert not any(re.fullmatch(r"[A-Z]+", line) for line in pages[0][:6]), (name, pages[0][:6])
    # the signature block is never alone on its page
    closing = _closing(doc)
    jabatan = doc.signatures[-1].jabatan
    signed = [i for i, page in enumerate(pages) if jabatan in page]
    assert signed, (name, jabatan)
    body = [line for line in pages[signed[-1]] if not _is_furniture(line, closing)]
    assert body, (name, f"page {signed[-1] + 1} holds only the signature block")
    # an addressee is never its own copy
    assert doc.addressee
    assert without_addressee(doc.tembusan, doc.addressee) == doc.tembusan, name


@pytest.fixture(scope="module")
def city_bundles() -> list[tuple[str, ReportBundle]]:
    table = kota_tangerang()
    (register,) = demo_months(Period(2026, 10), 1, scale=0.004)
    villages = VillageReport.all_from_register(register, exclude_invalid=True)
    tree = Recap.build_tree("36.71", register.period, villages, table)
    out = [(v.region, ReportBundle(report=v, sample_data=True)) for v in villages]
    out += [
        (k.code, ReportBundle(report=tree[k.code], sample_data=True)) for k in table.kecamatan()
    ]
    out.append(("36.71", ReportBundle(report=tree["36.71"], sample_data=True)))
    return out


def test_every_pdf_of_the_city_prints_cleanly(
    city_bundles: list[tuple[str, ReportBundle]], registry: Registry, tmp_path: Path
) -> None:
    levels = {b.level for _, b in city_bundles}
    assert sum(b.level is Tingkat.KELURAHAN for _, b in city_bundles) == 104
    assert sum(b.level is Tingkat.KECAMATAN for _, b in city_bundles) == 13
    assert levels == set(_PDF_LAYOUTS)
    names = [b.name_of(b.region_code) for _, b in city_bundles]
    assert "Panunggangan Timur" in names  # among the longest names of Kota Tangerang
    jobs = [
        ExportJob(report=b, path=tmp_path / f"{code}-{layout}.pdf", exporter=f"{layout}-pdf")
        for code, b in city_bundles
        for layout in _PDF_LAYOUTS[b.level]
    ]
    registry.export_many(jobs, workers=max(2, os.cpu_count() or 1))
    for job in jobs:
        layout = job.exporter.removesuffix("-pdf")
        doc = LAYOUTS[layout](job.report)
        _check(doc, Path(job.path), Path(job.path).name)
    assert len(jobs) == 2 * (104 + 13 + 1)
