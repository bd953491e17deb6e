"""The built-in exporters, registered through the same hook as any third-party plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

from sikkb.i18n import Text
from sikkb.regions import Tingkat
from sikkb.rules.engine import Finding
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.exporter import ALL_LEVELS, Exporter, WriteFn
from sikkb_exporters.hookspecs import hookimpl
from sikkb_exporters.machine import write_adx, write_csv, write_json

if TYPE_CHECKING:
    from sikkb_exporters.document import Document

__all__ = ["builtin_exporters", "sikkb_register_exporters"]

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_LAYOUT_LEVELS: dict[str, tuple[frozenset[Tingkat], Text]] = {
    "bkkbn": (
        ALL_LEVELS,
        Text(
            "Formulir BKKBN: F/I/Dal desa/kelurahan dan rekapitulasi Rek.Kec/Rek.Kab/Rek.Prov F/I/Dal",
            "BKKBN forms: village F/I/Dal and the Rek.Kec/Rek.Kab/Rek.Prov F/I/Dal recaps",
        ),
    ),
    "kota": (
        frozenset({Tingkat.KOTA}),
        Text(
            "Laporan bulanan kepada Walikota: capaian, per kecamatan, grafik, ketepatan waktu",
            "Monthly report to the mayor: totals, by kecamatan, charts, timeliness",
        ),
    ),
    "kecamatan": (
        frozenset({Tingkat.KECAMATAN}),
        Text(
            "Laporan bulanan kepada Camat: capaian, per kelurahan, grafik",
            "Monthly report to the kecamatan: totals, by kelurahan, charts",
        ),
    ),
    "kelurahan": (
        frozenset({Tingkat.KELURAHAN}),
        Text(
            "Umpan balik kepada kelurahan: capaian, metode, Poktan, institusi",
            "Feedback to the kelurahan: totals, methods, Poktan, institutions",
        ),
    ),
}


def _document_writer(layout: str, render: Callable[..., None], name: str) -> WriteFn:
    """The writer of ``name``: the layout (loaded on first use: the layouts and their document
    model are not needed to list the exporters or to write JSON), then ``render``."""

    def write(bundle: ReportBundle, stream: IO[bytes]) -> Iterable[Finding]:
        from sikkb_exporters.layouts import LAYOUTS

        doc: Document = LAYOUTS[layout](bundle)
        render(doc, stream, exporter=name)
        return doc.findings

    write.__name__ = write.__qualname__ = f"write_{name.replace('-', '_')}"
    return write


def _xlsx(doc: Document, stream: IO[bytes], *, exporter: str) -> None:
    from sikkb_exporters.xlsx import write_xlsx

    write_xlsx(doc, stream, exporter=exporter)


def _pdf(doc: Document, stream: IO[bytes], *, exporter: str) -> None:
    from sikkb_exporters.pdf import write_pdf

    write_pdf(doc, stream, exporter=exporter)


def builtin_exporters() -> list[Exporter]:
    """Every built-in exporter: four layouts × (XLSX, PDF), then JSON, CSV and ADX."""
    out: list[Exporter] = []
    for layout, (levels, description) in _LAYOUT_LEVELS.items():
        for suffix, media, render, extra in (
            (".xlsx", _XLSX, _xlsx, "xlsx"),
            (".pdf", "application/pdf", _pdf, "pdf"),
        ):
            name = f"{layout}-{suffix[1:]}"
            out.append(
                Exporter(
                    name=name,
                    suffix=suffix,
                    media_type=media,
                    levels=levels,
                    write=_document_writer(layout, render, name),
                    description=Text(
                        f"{description.id} ({suffix[1:].upper()})",
                        f"{description.en} ({suffix[1:].upper()})",
                    ),
                    extra=extra,
                )
            )
    out += [
        Exporter(
            name="json", suffix=".json", media_type="application/json", levels=ALL_LEVELS,
            write=write_json,
            description=Text("Laporan dalam JSON (bentuk konverter sikkb)", "The report as JSON (sikkb converter form)"),
        ),
        Exporter(
            name="csv", suffix=".csv", media_type="text/csv", levels=ALL_LEVELS, write=write_csv,
            description=Text(
                "CSV bentuk panjang: wilayah, periode, butir, disagregasi, nilai",
                "Long-form CSV: region, period, item, disaggregation, value",
            ),
        ),
        Exporter(
            name="adx", suffix=".adx.xml", media_type="application/adx+xml", levels=ALL_LEVELS,
            write=write_adx,
            description=Text("IHE ADX XML untuk impor DHIS2", "IHE ADX XML for DHIS2 import"),
        ),
    ]  # fmt: skip
    return out


@hookimpl
def sikkb_register_exporters() -> list[Exporter]:
    """The built-in exporters (see :func:`builtin_exporters`)."""
    return builtin_exporters()
