"""F/I/Dal/13: the village form sent up the BKKBN line (sections I-V), signed by the PPKBD
and acknowledged ("Mengetahui") by the PKB.
"""

from __future__ import annotations

import attrs

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TempatPelayanan
from sikkb.regions import Tingkat
from sikkb.report import TANPA_TEMPAT, VillageReport, item
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Block, Document, Table
from sikkb_exporters.layouts.common import (
    BLANK_NAME,
    Source,
    capital,
    city_name,
    make_document,
    numbered_rows,
    place_date,
    signature_block,
    tembusan_lines,
)

__all__ = ["fidal_village"]


def _fidal_tables(src: Source) -> list[Block]:
    sec1 = Table(
        title="I. KEADAAN UMUM",
        columns=("No", "Institusi / kelompok kegiatan", "Ada", "Lapor"),
        rows=numbered_rows(
            [
                (j.label_id, (f"institusi_ada.{j.code}", f"institusi_lapor.{j.code}"))
                for j in JenisInstitusi
            ],
            src,
        ),
    )
    sec2 = Table(
        title="II. KEGIATAN OPERASIONAL",
        columns=("No", "Kegiatan", "Jumlah"),
        rows=numbered_rows(
            [(item(k).label_id, (k,)) for k in ("rakor", "penyuluhan", "kie_kit", "tokoh_aktif")],
            src,
        ),
    )
    sec3 = Table(
        title="III. PEMBINAAN KETAHANAN KELUARGA",
        columns=(
            "No",
            "Poktan",
            "Keluarga sasaran",
            "Keluarga anggota",
            "PUS anggota",
            "PUS anggota ber-KB",
            "Pertemuan",
        ),
        rows=numbered_rows(
            [
                (
                    p.label_id,
                    tuple(
                        f"{e}.{p.code}"
                        for e in (
                            "sasaran",
                            "anggota",
                            "pus_anggota",
                            "pus_anggota_kb",
                            "pertemuan",
                        )
                    ),
                )
                for p in (Poktan.BKB, Poktan.BKR, Poktan.BKL)
            ],
            src,
        ),
    )
    uppka = (
        "anggota",
        "anggota_kps_ks1",
        "pus_anggota",
        "pus_anggota_kb",
        "pus_anggota_kps_ks1",
        "pus_anggota_kb_kps_ks1",
        "pertemuan",
    )
    sec4 = Table(
        title="IV. PEMBINAAN KESEJAHTERAAN KELUARGA (UPPKA)",
        columns=("No", "Uraian", "Jumlah"),
        rows=numbered_rows(
            [
                (capital(item(f"{e}.UPPKA").label_id.removeprefix("UPPKA: ")), (f"{e}.UPPKA",))
                for e in uppka
            ],
            src,
        ),
    )
    places = [t.code for t in TempatPelayanan] + [TANPA_TEMPAT]
    pa_specs = [
        (m.label_id, (*(f"pa.{m.code}.{t}" for t in places), f"pa.{m.code}")) for m in Metode
    ]
    pa_specs.append(("JUMLAH PESERTA KB AKTIF", (*(f"pa.{t}" for t in places), "pa")))
    sec5a = Table(
        title="V. PUS DAN KESERTAAN BER-KB — A. Peserta KB aktif menurut metode dan tempat pelayanan",
        columns=(
            "No",
            "Metode kontrasepsi",
            "Pemerintah",
            "Swasta",
            "Tanpa tempat pelayanan",
            "Jumlah",
        ),
        rows=numbered_rows(pa_specs, src, total_last=True),
    )
    non = [
        (f"Bukan peserta KB: {a.label_id}", (f"bukan_peserta.{a.code}",))
        for a in AlasanBukanPeserta
    ]
    sec5b = Table(
        title="V. B. Pasangan usia subur dan bukan peserta KB",
        columns=("No", "Uraian", "Jumlah"),
        rows=numbered_rows(
            [
                ("Jumlah PUS", ("pus",)),
                ("Peserta KB aktif", ("pa",)),
                *non,
                ("Jumlah bukan peserta KB", ("bukan_peserta",)),
            ],
            src,
        ),
    )
    pb = [(m.label_id, (f"pb.{m.code}",)) for m in Metode] + [("JUMLAH PESERTA KB BARU", ("pb",))]
    sec5c = Table(
        title="V. C. Peserta KB baru menurut metode",
        columns=("No", "Metode kontrasepsi", "Jumlah"),
        rows=numbered_rows(pb, src, total_last=True),
    )
    return [sec1, sec2, sec3, sec4, sec5a, sec5b, sec5c]


def fidal_village(bundle: ReportBundle) -> Document:
    """F/I/Dal/13: the village report, laid out like the paper form (sections I-V)."""
    report = bundle.report
    assert isinstance(report, VillageReport)
    code = report.region
    kec = code.rsplit(".", 1)[0]
    pkb, _ = signature_block(bundle, Tingkat.KECAMATAN, kec, above="Mengetahui,")
    ppkbd, findings = signature_block(bundle, Tingkat.KELURAHAN, code, above=place_date(bundle))
    if pkb.nama == BLANK_NAME:
        pkb = attrs.evolve(pkb, nip="")
    return make_document(
        bundle,
        layout="bkkbn-desa",
        form="F/I/Dal/13",
        title="LAPORAN BULANAN PENGENDALIAN LAPANGAN TINGKAT DESA/KELURAHAN",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=_fidal_tables(report),
        signatures=(pkb, ppkbd),
        tembusan=tembusan_lines(
            bundle,
            [
                f"PKB Kecamatan {bundle.name_of(kec)}",
                f"DP3AP2KB Kota {city_name(bundle)}",
                "Arsip",
            ],
        ),
        findings=findings,
    )
