"""The printed layouts: each turns a :class:`ReportBundle` into a :class:`Document`.

One module per document kind, next to its template (``<layout>.html.j2``):

- :mod:`~sikkb_exporters.layouts.bkkbn_desa` — :func:`fidal_village`, F/I/Dal/13, the village form
  sent up the BKKBN line (sections I-V);
- :mod:`~sikkb_exporters.layouts.bkkbn_rekap` — :func:`fidal_recap`, Rek.Kec, Rek.Kab/Kota and
  Rek.Prov F/I/Dal: one row per child unit;
- :mod:`~sikkb_exporters.layouts.kota` — the monthly report of a kota to the Walikota;
- :mod:`~sikkb_exporters.layouts.kecamatan` — the monthly report of a kecamatan to the Camat;
  :func:`area_report` picks one of the two by the report's level;
- :mod:`~sikkb_exporters.layouts.kelurahan` — :func:`village_feedback`, the feedback report a
  kelurahan receives (umpan balik).

The shared pieces live in :mod:`~sikkb_exporters.layouts.common` (kop, header, signature block,
Tembusan, number cells and indicators) and :mod:`~sikkb_exporters.layouts.sections` (tables and
charts several documents show); the shared HTML in ``document.html.j2`` and its ``_*.html.j2``
partials.

Layouts never recompute a report's numbers: cells are read from the report; indicators are ratios
of two of its cells (undefined when the denominator is zero or missing).
"""

from __future__ import annotations

from collections.abc import Callable

from sikkb.regions import Tingkat
from sikkb.report import Recap, VillageReport
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Document
from sikkb_exporters.layouts.bkkbn_desa import fidal_village
from sikkb_exporters.layouts.bkkbn_rekap import fidal_recap
from sikkb_exporters.layouts.common import INDICATORS, Indicator, missing_signer_finding
from sikkb_exporters.layouts.kecamatan import camat_report
from sikkb_exporters.layouts.kelurahan import village_feedback
from sikkb_exporters.layouts.kota import walikota_report

__all__ = [
    "INDICATORS",
    "LAYOUTS",
    "Indicator",
    "area_report",
    "camat_report",
    "fidal_recap",
    "fidal_village",
    "missing_signer_finding",
    "village_feedback",
    "walikota_report",
]


def area_report(bundle: ReportBundle) -> Document:
    """The monthly report of a kota (to the Walikota) or a kecamatan (to the Camat, SOP step 6)."""
    recap = bundle.report
    assert isinstance(recap, Recap)
    if recap.tingkat is Tingkat.KABKOTA:
        return walikota_report(bundle)
    return camat_report(bundle)


#: Layout name → function, as the built-in exporters use them.
LAYOUTS: dict[str, Callable[[ReportBundle], Document]] = {
    "bkkbn": lambda b: fidal_village(b) if isinstance(b.report, VillageReport) else fidal_recap(b),
    "kota": area_report,
    "kecamatan": area_report,
    "kelurahan": village_feedback,
}
