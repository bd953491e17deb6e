"""The monthly report of the kota to the Walikota (Bangga Kencana programme), signed by the
head of the Dinas.
"""

from __future__ import annotations

from sikkb.report import Recap
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Document
from sikkb_exporters.layouts.common import bare_name, place_date
from sikkb_exporters.layouts.sections import area_document

__all__ = ["walikota_report"]


def walikota_report(bundle: ReportBundle) -> Document:
    """The monthly report of a kota to its Walikota: totals, by kecamatan, charts, timeliness."""
    recap = bundle.report
    assert isinstance(recap, Recap)
    name = bundle.name_of(recap.region)
    return area_document(
        bundle,
        layout="kota",
        title=f"LAPORAN BULANAN PROGRAM BANGGA KENCANA {name.upper()}",
        to=f"Kepada Yth. Walikota {bare_name(name)}",
        above=f"{place_date(bundle)}\nMengetahui,",
        copies=[
            f"Walikota {bare_name(name)} (sebagai laporan)",
            f"Sekretaris Daerah {name}",
            "Kepala Perwakilan BKKBN Provinsi " + bundle.name_of(recap.region.split(".")[0]),
            "Arsip",
        ],
    )
