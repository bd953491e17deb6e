"""The small register of the hand-worked example tests (two kelurahan of kecamatan 36.71.07).

Kelurahan A = 36.71.07.1001 (with a ``kegiatan`` row), B = 36.71.07.1002 (without one).

A: KK-A1 (KPS; sasaran BKB; anggota BKB+UPPKA) has P1 SUNTIK/PEMERINTAH, PB.
   KK-A2 (KS2; sasaran BKR; anggota BKR) has P2 MAL without a place.
   KK-A3 (KS1; sasaran BKL; anggota BKL+UPPKA) has no PUS (a Poktan family without PUS).
   KK-A4 (no tahapan, no Poktan) has P4 HAMIL.
   KK-A5 (KS1; sasaran BKB; anggota BKB) has P5 IUD/SWASTA.
   Institutions: PPKBD (lapor), 2 SUB_PPKBD (one lapor), BKB (lapor, 2 meetings),
   UPPKA (not lapor, 1 meeting). Kegiatan: rakor 1, penyuluhan 3, kie_kit 2, tokoh_aktif 4.
B: KK-B1 (KS1; anggota UPPKA) has P6 PIL/SWASTA, PB. KK-B2 has P7 TIAL, KK-B3 P8 IAT,
   KK-B4 P9 TRADISIONAL without a place. Institutions: PPKBD (not lapor), KELOMPOK_KB (lapor).
"""

from __future__ import annotations

import datetime

from sikkb.codes import Poktan
from sikkb.periods import Period
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register

A = "36.71.07.1001"
B = "36.71.07.1002"
KEC = "36.71.07"
PERIOD = Period(2026, 10)

BKB, BKR, BKL, UPPKA = Poktan.BKB, Poktan.BKR, Poktan.BKL, Poktan.UPPKA


def _kk(
    code: str,
    wil: str,
    row: int,
    tahapan: str | None = None,
    sasaran: tuple[Poktan, ...] = (),
    anggota: tuple[Poktan, ...] = (),
) -> Keluarga:
    return Keluarga(
        kode_keluarga=code,
        kode_wilayah=wil,
        rw=1,
        rt=row,
        tahapan_ks=tahapan,
        sasaran=frozenset(sasaran),
        anggota=frozenset(anggota),
        row=row,
    )


def _pus(kk: str, row: int, status: str, place: str | None = None, pb: bool = False) -> Pus:
    return Pus(
        kode_keluarga=kk,
        nik_istri=f"36710745089{row:05d}",
        tanggal_lahir_istri=datetime.date(1995, 8, 5),
        status_kb=status,
        tempat_pelayanan=place,
        peserta_baru=pb,
        row=row,
    )


def _ins(code: str, jenis: str, wil: str, row: int, lapor: bool, pertemuan: int = 0) -> Institusi:
    return Institusi(
        kode_institusi=code,
        jenis=jenis,
        kode_wilayah=wil,
        lapor=lapor,
        jumlah_pertemuan=pertemuan,
        row=row,
    )


def example_register() -> Register:
    keluarga = [
        _kk("KK-A1", A, 2, "KPS", (BKB,), (BKB, UPPKA)),
        _kk("KK-A2", A, 3, "KS2", (BKR,), (BKR,)),
        _kk("KK-A3", A, 4, "KS1", (BKL,), (BKL, UPPKA)),
        _kk("KK-A4", A, 5),
        _kk("KK-A5", A, 6, "KS1", (BKB,), (BKB,)),
        _kk("KK-B1", B, 7, "KS1", (), (UPPKA,)),
        _kk("KK-B2", B, 8),
        _kk("KK-B3", B, 9),
        _kk("KK-B4", B, 10),
    ]
    pus = [
        _pus("KK-A1", 2, "SUNTIK", "PEMERINTAH", pb=True),
        _pus("KK-A2", 3, "MAL"),
        _pus("KK-A4", 4, "HAMIL"),
        _pus("KK-A5", 5, "IUD", "SWASTA"),
        _pus("KK-B1", 6, "PIL", "SWASTA", pb=True),
        _pus("KK-B2", 7, "TIAL"),
        _pus("KK-B3", 8, "IAT"),
        _pus("KK-B4", 9, "TRADISIONAL"),
    ]
    institusi = [
        _ins("I-A1", "PPKBD", A, 2, True),
        _ins("I-A2", "SUB_PPKBD", A, 3, True),
        _ins("I-A3", "SUB_PPKBD", A, 4, False),
        _ins("I-A4", "BKB", A, 5, True, 2),
        _ins("I-A5", "UPPKA", A, 6, False, 1),
        _ins("I-B1", "PPKBD", B, 7, False),
        _ins("I-B2", "KELOMPOK_KB", B, 8, True),
    ]
    kegiatan = [Kegiatan(kode_wilayah=A, rakor=1, penyuluhan=3, kie_kit=2, tokoh_aktif=4, row=2)]
    return Register(
        period=PERIOD, keluarga=keluarga, pus=pus, institusi=institusi, kegiatan=kegiatan
    )
