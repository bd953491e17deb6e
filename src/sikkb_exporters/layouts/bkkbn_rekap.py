"""Rek.Kec, Rek.Kab/Kota and Rek.Prov F/I/Dal: the BKKBN recap forms, one row per child unit
and the total, section by section.
"""

from __future__ import annotations

from collections.abc import Sequence

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TempatPelayanan
from sikkb.regions import Tingkat
from sikkb.report import TANPA_TEMPAT, Ratio, Recap
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import Block, Document, Pct, Row, Table
from sikkb_exporters.layouts.common import (
    city_name,
    make_document,
    place_date,
    signature_block,
    tembusan_lines,
)
from sikkb_exporters.layouts.notices import coverage_counts
from sikkb_exporters.layouts.sections import recap_table

__all__ = ["fidal_recap"]

_REK_FORM = {
    Tingkat.KECAMATAN: "Rek.Kec/F/I/Dal",
    Tingkat.KABKOTA: "Rek.Kab/F/I/Dal",
    Tingkat.PROVINSI: "Rek.Prov/F/I/Dal",
}


def _short(label: str) -> str:
    return label.replace("Kelompok KB", "KKB").replace("Sub-PPKBD", "Sub PPKBD")


def _ada_lapor(jenis: Sequence[JenisInstitusi]) -> list[tuple[str, str]]:
    """The (heading, item key) columns "<institution> ada", "<institution> lapor"."""
    return [
        (f"{_short(j.label_id)} {w}", f"institusi_{w}.{j.code}")
        for j in jenis
        for w in ("ada", "lapor")
    ]


def _coverage_table(bundle: ReportBundle, recap: Recap, title: str) -> Table:
    counts = [(c.tingkat, *coverage_counts(bundle, recap, c.tingkat)) for c in recap.coverage]
    rows = [
        Row(
            cells=(str(i), t.label_id, e, n, Pct(Ratio.of(n, e).percent)),
            keys=(
                None,
                None,
                f"cakupan:{t.name}:expected",
                f"cakupan:{t.name}:reported",
                f"cakupan:{t.name}:percent",
            ),
        )
        for i, (t, e, n) in enumerate(counts, start=1)
    ]
    return Table(
        title=title,
        columns=("No", "Tingkat", "Unit seharusnya", "Unit melapor", "Cakupan laporan"),
        rows=rows,
    )


def fidal_recap(bundle: ReportBundle) -> Document:
    """Rek.Kec / Rek.Kab / Rek.Prov F/I/Dal: one row per child unit and the total, section by section."""
    recap = bundle.report
    assert isinstance(recap, Recap)
    imp = [j for j in JenisInstitusi if not j.is_poktan]
    pok = [j for j in JenisInstitusi if j.is_poktan]
    places = [*TempatPelayanan, None]
    blocks: list[Block] = [
        _coverage_table(bundle, recap, "CAKUPAN LAPORAN"),
        recap_table(
            bundle,
            recap,
            "I.A KEADAAN UMUM — INSTITUSI MASYARAKAT PEDESAAN",
            _ada_lapor(imp),
        ),
        recap_table(
            bundle,
            recap,
            "I.B KEADAAN UMUM — KELOMPOK KEGIATAN",
            _ada_lapor(pok),
        ),
        recap_table(
            bundle,
            recap,
            "II. KEGIATAN OPERASIONAL",
            [
                ("Rakor KB", "rakor"),
                ("Penyuluhan", "penyuluhan"),
                ("KIE kit", "kie_kit"),
                ("Tokoh aktif", "tokoh_aktif"),
            ],
        ),
        recap_table(
            bundle,
            recap,
            "III. PEMBINAAN KETAHANAN KELUARGA",
            [
                (f"{p.code} {w}", f"{e}.{p.code}")
                for p in (Poktan.BKB, Poktan.BKR, Poktan.BKL)
                for w, e in (
                    ("sasaran", "sasaran"),
                    ("anggota", "anggota"),
                    ("PUS", "pus_anggota"),
                    ("ber-KB", "pus_anggota_kb"),
                    ("pertemuan", "pertemuan"),
                )
            ],
        ),
        recap_table(
            bundle,
            recap,
            "IV. PEMBINAAN KESEJAHTERAAN KELUARGA (UPPKA)",
            [
                ("Anggota", "anggota.UPPKA"),
                ("Anggota Pra S + KS I", "anggota_kps_ks1.UPPKA"),
                ("PUS anggota", "pus_anggota.UPPKA"),
                ("PUS ber-KB", "pus_anggota_kb.UPPKA"),
                ("PUS Pra S + KS I", "pus_anggota_kps_ks1.UPPKA"),
                ("PUS Pra S + KS I ber-KB", "pus_anggota_kb_kps_ks1.UPPKA"),
                ("Pertemuan", "pertemuan.UPPKA"),
            ],
        ),
        recap_table(
            bundle,
            recap,
            "V.A PESERTA KB AKTIF MENURUT METODE",
            [(m.label_id, f"pa.{m.code}") for m in Metode] + [("Jumlah PA", "pa")],
        ),
        recap_table(
            bundle,
            recap,
            "V.B PUS, BUKAN PESERTA KB DAN TEMPAT PELAYANAN",
            [
                ("PUS", "pus"),
                *((a.label_id, f"bukan_peserta.{a.code}") for a in AlasanBukanPeserta),
                ("Jumlah bukan peserta", "bukan_peserta"),
                *(
                    ((t.label_id if t else "Tanpa tempat"), f"pa.{t.code if t else TANPA_TEMPAT}")
                    for t in places
                ),
            ],
        ),
        recap_table(
            bundle,
            recap,
            "V.C PESERTA KB BARU MENURUT METODE",
            [(m.label_id, f"pb.{m.code}") for m in Metode] + [("Jumlah PB", "pb")],
        ),
    ]
    level = recap.tingkat
    signer, findings = signature_block(bundle, level, recap.region, above=place_date(bundle))
    province = bundle.name_of(recap.region.split(".")[0])
    default_copies = {
        Tingkat.KECAMATAN: [f"Kepala DP3AP2KB Kota {city_name(bundle)}", "Arsip"],
        Tingkat.KABKOTA: [
            f"Kepala Perwakilan BKKBN Provinsi {province}",
            f"Walikota {city_name(bundle)}",
            "Arsip",
        ],
        Tingkat.PROVINSI: ["Kepala BKKBN", "Arsip"],
    }[level]
    return make_document(
        bundle,
        layout="bkkbn-rekap",
        form=_REK_FORM[level],
        title=f"REKAPITULASI LAPORAN PENGENDALIAN LAPANGAN TINGKAT {level.label_id.upper()}",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=blocks,
        signatures=(signer,),
        tembusan=tembusan_lines(bundle, default_copies),
        findings=findings,
    )
