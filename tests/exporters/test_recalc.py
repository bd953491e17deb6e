"""LibreOffice recalculates every built-in workbook: each total (a SUM) equals sikkb's value.

The cached values are first overwritten with 0 in a copy, so the numbers read back can only come
from LibreOffice's own recalculation. Skipped, with the reason shown, where ``soffice`` is absent
(``.ci/run`` installs Debian's ``libreoffice-calc``).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from tests.exporters.cases import DOCUMENT_CASES

from sikkb.regions import Tingkat
from sikkb_exporters import ReportBundle
from sikkb_exporters.layouts import LAYOUTS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) not installed: apt-get install --no-install-recommends "
    "libreoffice-calc to run the recalculation test",
)

# Recalculate OOXML formulas on load ("always"), whatever the cached values say.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _zero_cached(data: bytes) -> bytes:
    """The workbook with every formula's cached value replaced by 0."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v>0</v>", body)
            dst.writestr(info, body)
    return out.getvalue()


def _expected_totals(doc_cells: dict[str, dict[str, object]], data: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    doc_cells.setdefault(ws.title, {})[cell.coordinate] = cached[ws.title][
                        cell.coordinate
                    ].value


def test_libreoffice_recalculates_every_total_to_sikkbs_value(
    tmp_path: Path,
    bundles: dict[Tingkat, ReportBundle],
    render: Callable[[ReportBundle, str], bytes],
) -> None:
    assert SOFFICE is not None
    src, out, profile = tmp_path / "in", tmp_path / "out", tmp_path / "profile"
    src.mkdir()
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, "utf-8")
    expected: dict[str, dict[str, dict[str, object]]] = {}
    for layout, level in DOCUMENT_CASES:
        name = f"{layout}-{level.name.lower()}"
        data = render(bundles[level], f"{layout}-xlsx")
        cells: dict[str, dict[str, object]] = {}
        _expected_totals(cells, data)
        doc = LAYOUTS[layout](bundles[level])
        totals = [r for t in doc.tables() for r in t.rows if r.style == "total"]
        if totals:  # every document with a total row has SUMs, and only there
            assert cells, f"{name}: no SUM formula"
        expected[name] = cells
        (src / f"{name}.xlsx").write_bytes(_zero_cached(data))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), *sorted(map(str, src.glob("*.xlsx")))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    checked = 0
    for name, sheets in expected.items():
        recalculated = openpyxl.load_workbook(out / f"{name}.xlsx", data_only=True)
        for sheet, cells in sheets.items():
            for coordinate, value in cells.items():
                got = recalculated[sheet][coordinate].value
                assert value not in (None, 0) or got == value, (name, sheet, coordinate)
                assert got == value, (name, sheet, coordinate, got, value)
                checked += 1
    assert checked > 50
