"""Hypothesis strategies for the report tests: small valid registers and form values.

``registers()`` draws registers whose every row can be counted (a method that needs a place has one;
non-users have no place and are no PB), over one to three kelurahan of kecamatan 36.71.07, with
spreadsheet row numbers. Switch to ``tests.strategies.registers()`` when it covers the same ground.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TahapanKS
from sikkb.periods import Period
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.report import CATALOGUE, VillageReport

KECAMATAN = "36.71.07"
KELURAHAN = tuple(f"{KECAMATAN}.{n}" for n in range(1001, 1008))
PERIOD = Period(2026, 10)

_STATUS = [*Metode, *AlasanBukanPeserta]


@st.composite
def _pus(draw: st.DrawFn, kk: str, row: int) -> Pus:
    status = draw(st.sampled_from(_STATUS))
    place = None
    pb = False
    if isinstance(status, Metode):
        if status.needs_place:
            place = draw(st.sampled_from(["PEMERINTAH", "SWASTA"]))
        else:
            place = draw(st.sampled_from([None, "PEMERINTAH", "SWASTA"]))
        pb = draw(st.booleans())
    return Pus(
        kode_keluarga=kk,
        nik_istri=f"36710745089{row:05d}",
        tanggal_lahir_istri=datetime.date(1995, 8, 5),
        status_kb=status,
        tempat_pelayanan=place,
        peserta_baru=pb,
        row=row,
    )


@st.composite
def registers(
    draw: st.DrawFn,
    *,
    kelurahan: st.SearchStrategy[list[str]] | None = None,
    max_families: int = 8,
) -> Register:
    """A countable register over a few kelurahan of 36.71.07."""
    codes = draw(
        kelurahan
        if kelurahan is not None
        else st.lists(st.sampled_from(KELURAHAN), min_size=1, max_size=3, unique=True)
    )
    keluarga: list[Keluarga] = []
    pus: list[Pus] = []
    institusi: list[Institusi] = []
    kegiatan: list[Kegiatan] = []
    for code in codes:
        n = draw(st.integers(0, max_families))
        for _ in range(n):
            kk = f"KK-{len(keluarga) + 1}"
            anggota = draw(st.frozensets(st.sampled_from(list(Poktan))))
            sasaran = draw(st.frozensets(st.sampled_from([Poktan.BKB, Poktan.BKR, Poktan.BKL])))
            keluarga.append(
                Keluarga(
                    kode_keluarga=kk,
                    kode_wilayah=code,
                    rw=1,
                    rt=1,
                    tahapan_ks=draw(st.none() | st.sampled_from(list(TahapanKS))),
                    sasaran=sasaran,
                    anggota=anggota,
                    row=len(keluarga) + 2,
                )
            )
            for _ in range(draw(st.integers(0, 2))):
                pus.append(draw(_pus(kk, len(pus) + 2)))
        for _ in range(draw(st.integers(0, 5))):
            institusi.append(
                Institusi(
                    kode_institusi=f"I-{len(institusi) + 1}",
                    jenis=draw(st.sampled_from(list(JenisInstitusi))),
                    kode_wilayah=code,
                    lapor=draw(st.booleans()),
                    jumlah_pertemuan=draw(st.integers(0, 4)),
                    row=len(institusi) + 2,
                )
            )
        if draw(st.booleans()):
            kegiatan.append(
                Kegiatan(
                    kode_wilayah=code,
                    rakor=draw(st.integers(0, 3)),
                    penyuluhan=draw(st.integers(0, 9)),
                    kie_kit=draw(st.integers(0, 5)),
                    tokoh_aktif=draw(st.integers(0, 9)),
                    row=len(kegiatan) + 2,
                )
            )
    return Register(
        period=PERIOD, keluarga=keluarga, pus=pus, institusi=institusi, kegiatan=kegiatan
    )


def form_values(*, max_value: int = 50) -> st.SearchStrategy[dict[str, Any]]:
    """Any typed form: a subset of the catalogue's items with values (totals may disagree)."""
    return st.dictionaries(
        st.sampled_from([it.key for it in CATALOGUE]), st.integers(0, max_value), max_size=30
    )


def village_reports(
    *, kelurahan: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[VillageReport]:
    """Form-entered village reports with arbitrary (possibly inconsistent) values."""
    return st.builds(
        lambda code, values: VillageReport.from_form(code, PERIOD, values),
        kelurahan if kelurahan is not None else st.sampled_from(KELURAHAN),
        form_values(),
    )
