"""Strategies for the io tests: small registers whose every value survives a file round trip."""

from __future__ import annotations

import datetime

import attrs
from hypothesis import strategies as st

from sikkb.codes import (
    AlasanBukanPeserta,
    JenisInstitusi,
    Metode,
    Poktan,
    TahapanKS,
    TempatPelayanan,
)
from sikkb.periods import Period
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register

KELURAHAN = ("36.71.07.1003", "36.71.09.1006", "36.71.01.1001")

# Printable text without control characters (XML cannot hold them) and without surrounding space
# (the format trims). Includes formula-like and HTML text, which must come back as text.
_chars = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
texts = st.one_of(
    st.text(_chars, min_size=1, max_size=20).map(str.strip).filter(bool),
    st.sampled_from(['=HYPERLINK("http://x","klik")', "<b>Siti</b>", "+62 812", "@SUM(A1)"]),
)
keys = st.integers(1, 10**6).map(lambda n: f"KK-{n}")
niks = st.from_regex(r"\A[1-9][0-9]{15}\Z", fullmatch=True)
dates = st.dates(datetime.date(1950, 1, 1), datetime.date(2020, 12, 31))


@st.composite
def keluargas(draw: st.DrawFn, *, codes: st.SearchStrategy[str] = keys) -> Keluarga:
    return Keluarga(
        kode_keluarga=draw(codes),
        kode_wilayah=draw(st.sampled_from(KELURAHAN)),
        rw=draw(st.integers(1, 999)),
        rt=draw(st.integers(1, 999)),
        nama_kepala_keluarga=draw(st.none() | texts),
        tahapan_ks=draw(st.none() | st.sampled_from(list(TahapanKS))),
        sasaran=draw(st.frozensets(st.sampled_from([Poktan.BKB, Poktan.BKR, Poktan.BKL]))),
        anggota=draw(st.frozensets(st.sampled_from(list(Poktan)))),
    )


@st.composite
def puses(draw: st.DrawFn, *, codes: st.SearchStrategy[str] = keys) -> Pus:
    return Pus(
        kode_keluarga=draw(codes),
        nik_istri=draw(niks),
        nama_istri=draw(st.none() | texts),
        tanggal_lahir_istri=draw(dates),
        nik_suami=draw(st.none() | niks),
        nama_suami=draw(st.none() | texts),
        jumlah_anak=draw(st.none() | st.integers(0, 15)),
        status_kb=draw(st.sampled_from([*Metode, *AlasanBukanPeserta])),
        tempat_pelayanan=draw(st.none() | st.sampled_from(list(TempatPelayanan))),
        peserta_baru=draw(st.booleans()),
    )


@st.composite
def institusis(draw: st.DrawFn) -> Institusi:
    return Institusi(
        kode_institusi=draw(keys.map(lambda k: k.replace("KK", "INS"))),
        jenis=draw(st.sampled_from(list(JenisInstitusi))),
        kode_wilayah=draw(st.sampled_from(KELURAHAN)),
        nama=draw(st.none() | texts),
        rw=draw(st.none() | st.integers(1, 999)),
        rt=draw(st.none() | st.integers(1, 999)),
        lapor=draw(st.booleans()),
        jumlah_pertemuan=draw(st.integers(0, 30)),
    )


@st.composite
def kegiatans(draw: st.DrawFn) -> Kegiatan:
    counts = st.integers(0, 50)
    return Kegiatan(
        kode_wilayah=draw(st.sampled_from(KELURAHAN)),
        rakor=draw(counts),
        penyuluhan=draw(counts),
        kie_kit=draw(counts),
        tokoh_aktif=draw(counts),
    )


@st.composite
def registers(draw: st.DrawFn, *, max_rows: int = 8) -> Register:
    """A register with rows numbered as a file would number them (row 2 on)."""
    fam = draw(st.lists(keluargas(), max_size=max_rows))
    codes = st.sampled_from([k.kode_keluarga for k in fam]) if fam else keys
    tables = {
        "keluarga": fam,
        "pus": draw(st.lists(puses(codes=codes), max_size=max_rows)),
        "institusi": draw(st.lists(institusis(), max_size=max_rows)),
        "kegiatan": draw(st.lists(kegiatans(), max_size=3)),
    }
    return Register(
        period=Period(2026, 10),
        **{
            t: [attrs.evolve(r, row=i + 2) for i, r in enumerate(rows)]
            for t, rows in tables.items()
        },
    )
