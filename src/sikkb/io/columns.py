"""The columns of register format v1, as data: what the reader types and the template writes.

One :class:`Column` per column of each table, in the order of the format's tables: name, kind,
whether it is required, the codes it allows, its default when empty, and a bilingual note (shown
on the template's header cells and in the format guide).

Example:
    >>> [c.name for c in COLUMNS["kegiatan"]]
    ['kode_wilayah', 'rakor', 'penyuluhan', 'kie_kit', 'tokoh_aktif']
    >>> column("pus", "status_kb").codes[:3]
    ('IUD', 'MOW', 'MOP')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from sikkb.codes import (
    ALIASES,
    AlasanBukanPeserta,
    CodeEnum,
    JenisInstitusi,
    Metode,
    TahapanKS,
    TempatPelayanan,
)
from sikkb.i18n import Text

__all__ = ["BOOLEAN_CODES", "COLUMNS", "KINDS", "REQUIRED_TABLES", "Column", "aliases_of", "column"]

#: The column kinds, which say how a cell is typed.
KINDS = (
    "key",
    "text",
    "name",
    "nik",
    "region",
    "int",
    "count",
    "bool",
    "date",
    "code",
    "status_kb",
)

#: What the template's Y/T dropdown offers.
BOOLEAN_CODES = ("Y", "T")

#: Tables a register must have (``kegiatan`` is optional).
REQUIRED_TABLES = ("keluarga", "pus", "institusi")


@attrs.frozen(kw_only=True)
class Column:
    """One column of a register table.

    Attributes:
        name: the column name (row 1 of the sheet, lower case).
        kind: one of :data:`KINDS`: ``key`` required text, ``text`` free text, ``name`` personal
            text, ``nik`` a NIK (text of 16 digits), ``region`` a Kemendagri code, ``int`` a whole
            number, ``count`` a whole number >= 0, ``bool`` Y/T, ``date``, ``code`` one of
            ``enum``'s codes, ``status_kb`` a method or a reason.
        required: an empty cell is an error.
        note: what the column holds (template header comment, format guide).
        enum: the code list of a ``code`` column.
        default: the value of an empty optional cell.
        minimum: smallest number allowed (``int`` / ``count``).
    """

    name: str
    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    required: bool = False
    note: Text
    enum: type[CodeEnum] | None = None
    default: Any = None
    minimum: int | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes a code column allows, in form order (``()`` for other kinds)."""
        if self.kind == "status_kb":
            return tuple(Metode.codes() + AlasanBukanPeserta.codes())
        if self.kind == "bool":
            return BOOLEAN_CODES
        if self.enum is not None:
            return tuple(self.enum.codes())
        return ()

    @property
    def personal(self) -> bool:
        """Whether the column holds personal data (UU 27/2022), never shown unmasked in a finding."""
        return self.kind in ("name", "nik")


def _c(name: str, kind: str, note_id: str, note_en: str, **kw: Any) -> Column:
    return Column(name=name, kind=kind, note=Text(note_id, note_en), **kw)


_REGION = ("Kode wilayah kelurahan (10 digit), mis. 36.71.07.1003 atau 3671071003",
           "Kelurahan region code (10 digits), e.g. 36.71.07.1003 or 3671071003")  # fmt: skip


def _poktan_flags(word_id: str, word_en: str, names: tuple[str, ...]) -> tuple[Column, ...]:
    return tuple(
        _c(f"{word_en}_{p}", "bool",
           f"Keluarga {word_id} {p.upper()} (Y/T; kosong = T)",
           f"Family is {'a target' if word_en == 'sasaran' else 'a member'} of {p.upper()} "
           "(Y/T; empty = no)",
           default=False)
        for p in names
    )  # fmt: skip


#: Table name → its columns, in the order of register format v1.
COLUMNS: Mapping[str, tuple[Column, ...]] = {
    "keluarga": (
        _c("kode_keluarga", "key", "Kode keluarga: KKI atau No. KK (unik)",
           "Family code: KKI or No. KK (unique)", required=True),
        _c("kode_wilayah", "region", *_REGION, required=True),
        _c("rw", "int", "Nomor RW (1-999)", "RW number (1-999)", required=True),
        _c("rt", "int", "Nomor RT (1-999)", "RT number (1-999)", required=True),
        _c("nama_kepala_keluarga", "name", "Nama kepala keluarga (data pribadi)",
           "Head of family's name (personal data)"),
        _c("tahapan_ks", "code", "Tahapan keluarga sejahtera: KPS, KS1, KS2, KS3, KS3+",
           "Welfare stage: KPS, KS1, KS2, KS3, KS3+", enum=TahapanKS),
        *_poktan_flags("sasaran", "sasaran", ("bkb", "bkr", "bkl")),
        *_poktan_flags("anggota", "anggota", ("bkb", "bkr", "bkl", "uppka")),
    ),
    "pus": (
        _c("kode_keluarga", "key", "Kode keluarga; harus ada di tabel keluarga",
           "Family code; must exist in table keluarga", required=True),
        _c("nik_istri", "nik", "NIK istri, 16 digit (tanggal lahir + 40); ketik sebagai teks",
           "Wife's NIK, 16 digits (birth day + 40); type it as text", required=True),
        _c("nama_istri", "name", "Nama istri (data pribadi)", "Wife's name (personal data)"),
        _c("tanggal_lahir_istri", "date", "Tanggal lahir istri (HH/BB/TTTT); umur 15-49",
           "Wife's date of birth (DD/MM/YYYY); aged 15-49", required=True),
        _c("nik_suami", "nik", "NIK suami, 16 digit; ketik sebagai teks",
           "Husband's NIK, 16 digits; type it as text"),
        _c("nama_suami", "name", "Nama suami (data pribadi)", "Husband's name (personal data)"),
        _c("jumlah_anak", "count", "Jumlah anak hidup (0 atau lebih)",
           "Number of living children (0 or more)", minimum=0),
        _c("status_kb", "status_kb",
           "Metode KB (IUD, MOW, MOP, KONDOM, IMPLAN, SUNTIK, PIL, MAL, TRADISIONAL) atau alasan "
           "bukan peserta (HAMIL, IAS, IAT, TIAL)",
           "KB method (IUD, MOW, MOP, KONDOM, IMPLAN, SUNTIK, PIL, MAL, TRADISIONAL) or reason for "
           "not using one (HAMIL, IAS, IAT, TIAL)", required=True),
        _c("tempat_pelayanan", "code",
           "PEMERINTAH atau SWASTA; wajib untuk IUD, MOW, MOP, KONDOM, IMPLAN, SUNTIK, PIL; "
           "kosong untuk alasan bukan peserta",
           "PEMERINTAH or SWASTA; required for IUD, MOW, MOP, KONDOM, IMPLAN, SUNTIK, PIL; "
           "empty for a reason", enum=TempatPelayanan),
        _c("peserta_baru", "bool", "Peserta KB baru bulan ini (Y/T; kosong = T)",
           "New participant this month (Y/T; empty = no)", default=False),
    ),
    "institusi": (
        _c("kode_institusi", "key", "Kode institusi/kelompok (unik)",
           "Institution or group code (unique)", required=True),
        _c("jenis", "code", "Jenis: PPKBD, SUB_PPKBD, KELOMPOK_KB, BKB, BKR, BKL, UPPKA, PIKR",
           "Kind: PPKBD, SUB_PPKBD, KELOMPOK_KB, BKB, BKR, BKL, UPPKA, PIKR",
           required=True, enum=JenisInstitusi),
        _c("kode_wilayah", "region", *_REGION, required=True),
        _c("nama", "text", "Nama institusi/kelompok", "Name of the institution or group"),
        _c("rw", "int", "Nomor RW (boleh kosong)", "RW number (may be empty)"),
        _c("rt", "int", "Nomor RT (boleh kosong)", "RT number (may be empty)"),
        _c("lapor", "bool", "Melapor bulan ini (Y/T; kosong = T)",
           "Reported this month (Y/T; empty = no)", default=False),
        _c("jumlah_pertemuan", "count", "Jumlah pertemuan bulan ini (kosong = 0)",
           "Meetings held this month (empty = 0)", default=0, minimum=0),
    ),
    "kegiatan": (
        _c("kode_wilayah", "region", *_REGION, required=True),
        _c("rakor", "count", "Rapat koordinasi KB desa/kelurahan bulan ini (kosong = 0)",
           "Village KB coordination meetings this month (empty = 0)", default=0, minimum=0),
        _c("penyuluhan", "count", "Penyuluhan oleh PLKB/PKB bulan ini (kosong = 0)",
           "Counselling sessions by PLKB/PKB this month (empty = 0)", default=0, minimum=0),
        _c("kie_kit", "count", "Penyuluhan dengan KIE kit bulan ini (kosong = 0)",
           "KIE sessions with a KIE kit this month (empty = 0)", default=0, minimum=0),
        _c("tokoh_aktif", "count", "Tokoh masyarakat/agama aktif ber-KIE (kosong = 0)",
           "Active community or religious leaders doing KIE (empty = 0)", default=0, minimum=0),
    ),
}  # fmt: skip


def column(table: str, name: str) -> Column:
    """The column ``name`` of ``table`` (``KeyError`` when there is none)."""
    for c in COLUMNS[table]:
        if c.name == name:
            return c
    raise KeyError(f"{table}.{name}")


def aliases_of(col: Column) -> dict[str, str]:
    """The aliases a code column accepts besides its codes (``{"SUNTIKAN": "SUNTIK", ...}``)."""
    if col.kind == "status_kb":
        return dict(ALIASES["Metode"])
    if col.enum is not None:
        return dict(ALIASES.get(col.enum.__name__, {}))
    return {}
