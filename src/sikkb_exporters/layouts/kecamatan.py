"""The monthly report of a kecamatan to its Camat (SOP step 6), signed by the PKB."""

from __future__ import annotations

from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Document
from sikkb_exporters.layouts.common import city_name, place_date
from sikkb_exporters.layouts.sections import area_document

__all__ = ["camat_report"]


def camat_report(bundle: ReportBundle) -> Document:
    """The monthly report of a kecamatan to its Camat: totals, by kelurahan, charts, timeliness."""
    name = bundle.name_of(bundle.region_code)
    return area_document(
        bundle,
        layout="kecamatan",
        title=f"LAPORAN BULANAN PENGENDALIAN LAPANGAN KB KECAMATAN {name.upper()}",
        to=f"Kepada Yth. Camat {name}",
        above=place_date(bundle),
        copies=[f"Kepala DP3AP2KB Kota {city_name(bundle)}", "Arsip"],
    )
