"""The plugin module named by the ``sikkb`` entry point: one hook, one exporter."""

from __future__ import annotations

from typing import IO

from sikkb.report import Recap
from sikkb.report.indicators import cpr
from sikkb_exporters import Exporter, ReportBundle, hookimpl


def _n(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def write_markdown(bundle: ReportBundle, stream: IO[bytes]) -> None:
    """A short Markdown summary: a title, then one table of key numbers."""
    report = bundle.report
    name = bundle.name_of(report.region).replace("|", "\\|").replace("<", "&lt;")
    pct = cpr(report).percent
    lines = [
        f"# Ringkasan KB {report.region} — {report.period.label_id}",
        "",
        f"Wilayah: {name}",
        "",
        "| Uraian | Jumlah |",
        "|---|---:|",
        f"| PUS | {_n(report.value('pus'))} |",
        f"| Peserta KB aktif | {_n(report.value('pa'))} |",
        f"| Peserta KB baru | {_n(report.value('pb'))} |",
        f"| CPR | {'–' if pct is None else f'{pct:.1f}'.replace('.', ',') + ' %'} |",
    ]
    if isinstance(report, Recap):
        lines += ["", f"Unit belum melapor: {len(report.not_reported)} dari {len(report.rows)}"]
    stream.write(("\n".join(lines) + "\n").encode("utf-8"))


@hookimpl
def sikkb_register_exporters() -> list[Exporter]:
    return [
        Exporter(
            name="markdown",
            suffix=".md",
            media_type="text/markdown",
            levels=["kelurahan", "kecamatan", "kota", "provinsi"],
            write=write_markdown,
            description=("Ringkasan Markdown (contoh plugin)", "Markdown summary (example plugin)"),
        )
    ]
