"""The feedback report a kelurahan receives back (umpan balik), addressed to the Lurah."""

from __future__ import annotations

from sikkb.codes import JenisInstitusi, Metode, Poktan
from sikkb.regions import Tingkat
from sikkb.report import VillageReport
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Document, Paragraph, Table
from sikkb_exporters.layouts.common import (
    make_document,
    numbered_rows,
    place_date,
    signature_block,
    tembusan_lines,
)
from sikkb_exporters.layouts.sections import method_mix_chart, summary_table, trend_chart

__all__ = ["village_feedback"]


def village_feedback(bundle: ReportBundle) -> Document:
    """The report a kelurahan receives back (umpan balik): its numbers, indicators and Poktan."""
    report = bundle.report
    assert isinstance(report, VillageReport)
    name = bundle.name_of(report.region)
    methods = Table(
        title="B. PESERTA KB AKTIF MENURUT METODE",
        columns=("No", "Metode kontrasepsi", "Peserta KB aktif", "Peserta KB baru"),
        rows=numbered_rows(
            [(m.label_id, (f"pa.{m.code}", f"pb.{m.code}")) for m in Metode]
            + [("JUMLAH", ("pa", "pb"))],
            report,
            total_last=True,
        ),
    )
    poktan = Table(
        title="C. KELOMPOK KEGIATAN (POKTAN)",
        columns=(
            "No",
            "Poktan",
            "Ada",
            "Lapor",
            "Keluarga anggota",
            "PUS anggota",
            "PUS anggota ber-KB",
        ),
        rows=numbered_rows(
            [
                (
                    p.label_id,
                    (
                        f"institusi_ada.{p.code}",
                        f"institusi_lapor.{p.code}",
                        f"anggota.{p.code}",
                        f"pus_anggota.{p.code}",
                        f"pus_anggota_kb.{p.code}",
                    ),
                )
                for p in Poktan
            ],
            report,
        ),
    )
    imp = Table(
        title="D. INSTITUSI MASYARAKAT PEDESAAN",
        columns=("No", "Institusi", "Ada", "Lapor"),
        rows=numbered_rows(
            [
                (j.label_id, (f"institusi_ada.{j.code}", f"institusi_lapor.{j.code}"))
                for j in JenisInstitusi
                if not j.is_poktan or j is JenisInstitusi.PIKR
            ],
            report,
        ),
    )
    sig, findings = signature_block(
        bundle, Tingkat.KELURAHAN, report.region, above=place_date(bundle)
    )
    kec = report.region.rsplit(".", 1)[0]
    return make_document(
        bundle,
        layout="kelurahan",
        title=f"UMPAN BALIK LAPORAN PENGENDALIAN LAPANGAN KB KELURAHAN {name.upper()}",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=[
            Paragraph(text=f"Kepada Yth. Lurah {name}"),
            summary_table(bundle, f"A. Capaian kelurahan bulan {bundle.period.label_id}"),
            methods,
            method_mix_chart(report, "Peserta KB aktif menurut metode"),
            poktan,
            imp,
            trend_chart(bundle),
        ],
        signatures=(sig,),
        tembusan=tembusan_lines(
            bundle,
            [f"Camat {bundle.name_of(kec)}", f"PKB Kecamatan {bundle.name_of(kec)}", "Arsip"],
        ),
        findings=findings,
    )
