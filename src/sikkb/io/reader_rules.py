"""The reader's finding kinds, as rule records for the rule catalogue.

The register reader reports problems of a file (an unknown column, a date it cannot read, a code
it does not know) as :class:`~sikkb.rules.engine.Finding` records with rule ids ``baca-...``.
They are produced while reading, not by running rules, but each kind is described here as a
:class:`~sikkb.rules.engine.Rule` (whose ``check`` yields nothing) so that the documentation and
the rule catalogue list them beside the register and report rules.

Example:
    >>> from sikkb.i18n import Text
    >>> [r.id for r in READER_RULES][:3]
    ['baca-tabel-wajib-hilang', 'baca-tabel-ganda', 'baca-tabel-kosong']
    >>> f = reader_finding("baca-kode-tidak-dikenal", Location(table="pus", row=3),
    ...                    column="status_kb", value="SUNTK",
    ...                    suggest=Text("Maksud Anda SUNTIK? ", "Did you mean SUNTIK? "), codes="...")
    >>> f.severity.value, f.message.en, f.hint.en
    ('ERROR', "Unknown status_kb code 'SUNTK'", 'Did you mean SUNTIK? Valid codes: ...')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sikkb.rules.engine import Finding, Hit, Location, Rule, RuleContext, Severity

__all__ = ["READER_RULES", "reader_finding", "row_limit_finding"]


def _nothing(subject: Any, context: RuleContext) -> Iterable[Hit]:
    """Reader findings are made while reading; as a rule, the kind checks nothing."""
    return ()


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: ``(id, severity, title, message, hint)`` of each kind, in the order a file is read.
_KINDS: tuple[tuple[str, Severity, tuple[str, str], tuple[str, str], tuple[str, str]], ...] = (
    (
        "baca-tabel-wajib-hilang", E,
        ("Tabel wajib tidak ada", "Required table missing"),
        ("Tabel wajib {table} tidak ada", "Required table {table} is missing"),
        ("Tambahkan {want} dengan judul kolom di baris 1 (lihat templat register){near}",
         "Add {want} with the column names in row 1 (see the register template){near}"),
    ),
    (
        "baca-tabel-ganda", E,
        ("Tabel ganda", "Table given twice"),
        ("Tabel {table} ada lebih dari sekali ({name}); hanya yang pertama dibaca",
         "Table {table} is given more than once ({name}); only the first is read"),
        ("Gabungkan isinya ke satu lembar/berkas {table}",
         "Merge the rows into a single {table} sheet or file"),
    ),
    (
        "baca-tabel-kosong", W,
        ("Tabel kosong", "Empty table"),
        ("Tabel {table} kosong, tanpa baris judul kolom; dibaca sebagai tabel tanpa baris",
         "Table {table} is empty, without a header row; read as a table with no rows"),
        ("Tulis judul kolom di baris 1, walaupun tabelnya tidak berisi baris",
         "Write the column names in row 1 even when the table has no rows"),
    ),
    (
        "baca-lembar-lain", INFO,
        ("Lembar bukan tabel register", "Not a register table"),
        ("{name} bukan tabel register; diabaikan", "{name} is not a register table; ignored"),
        ("Tabel register: keluarga, pus, institusi, kegiatan{near}",
         "Register tables: keluarga, pus, institusi, kegiatan{near}"),
    ),
    (
        "baca-encoding", W,
        ("Berkas bukan UTF-8", "File is not UTF-8"),
        ("Berkas bukan UTF-8 (byte tak terbaca pada baris {line}); dibaca sebagai Windows-1252",
         "The file is not UTF-8 (undecodable byte on line {line}); read as Windows-1252"),
        ("Periksa huruf beraksen pada nama; simpan ulang dari Excel sebagai 'CSV UTF-8'",
         "Check accented letters in names; save again from Excel as 'CSV UTF-8'"),
    ),
    (
        "baca-csv-rusak", E,
        ("CSV rusak", "Broken CSV"),
        ("Berkas CSV tidak dapat diurai setelah baris {row} ({reason}); tabel {table} tidak dibaca",
         "The CSV file cannot be parsed after row {row} ({reason}); table {table} is not read"),
        ("Periksa tanda kutip yang tidak ditutup atau sel yang sangat panjang",
         "Look for an unclosed quote or a very long cell"),
    ),
    (
        "baca-batas-baris", E,
        ("Terlalu banyak baris", "Too many rows"),
        ("Tabel {table} berisi lebih dari {limit} baris data; tabel tidak dibaca",
         "Table {table} holds more than {limit} data rows; the table is not read"),
        ("Pisahkan register per kecamatan atau kelurahan, atau naikkan batas (Limits.max_rows)",
         "Split the register per kecamatan or kelurahan, or raise the limit (Limits.max_rows)"),
    ),
    (
        "baca-kolom-wajib-hilang", E,
        ("Kolom wajib tidak ada", "Required column missing"),
        ("Kolom wajib {column} tidak ada di tabel {table}; tidak ada baris yang dapat dibaca",
         "Required column {column} is missing from table {table}; no row can be read"),
        ("Tambahkan kolom {column} (judul di baris 1){near}",
         "Add the column {column} (name in row 1){near}"),
    ),
    (
        "baca-kolom-ganda", E,
        ("Kolom ganda", "Column given twice"),
        ("Kolom {column} muncul {n} kali di tabel {table}; hanya yang pertama dibaca",
         "Column {column} appears {n} times in table {table}; only the first is read"),
        ("Hapus atau ganti nama kolom yang dobel", "Delete or rename the duplicate column"),
    ),
    (
        "baca-kolom-tidak-dikenal", W,
        ("Kolom tidak dikenal", "Unknown column"),
        ("Kolom {column} tidak dikenal di tabel {table}; diabaikan",
         "Column {column} is not known in table {table}; ignored"),
        ("{near}Kolom tabel {table}: {known}", "{near}Columns of table {table}: {known}"),
    ),
    (
        "baca-sel-tanpa-kolom", W,
        ("Nilai tanpa judul kolom", "Values without a column name"),
        ("{n} baris berisi nilai di kanan kolom terakhir yang berjudul; nilai itu diabaikan",
         "{n} rows hold values right of the last named column; those values are ignored"),
        ("Beri judul kolomnya atau hapus nilai itu", "Name the column or delete the values"),
    ),
    (
        "baca-sel-terlalu-panjang", E,
        ("Sel terlalu panjang", "Cell too long"),
        ("Isi kolom {column} panjangnya {length} karakter, lebih dari batas {limit}; baris tidak dibaca",
         "Column {column} holds {length} characters, over the limit of {limit}; the row is not read"),
        ("Periksa sel ini; teks sepanjang ini biasanya hasil salah tempel",
         "Check this cell; text this long is usually a paste gone wrong"),
    ),
    (
        "baca-wajib-kosong", E,
        ("Nilai wajib kosong", "Required value empty"),
        ("Kolom wajib {column} kosong", "Required column {column} is empty"),
        ("Isi {column}: {want}", "Fill in {column}: {want}"),
    ),
    (
        "baca-kode-tidak-dikenal", E,
        ("Kode tidak dikenal", "Unknown code"),
        ("Kode {column} '{value}' tidak dikenal", "Unknown {column} code '{value}'"),
        ("{suggest}Kode yang berlaku: {codes}", "{suggest}Valid codes: {codes}"),
    ),
    (
        "baca-kode-wilayah", E,
        ("Kode wilayah tidak terbaca", "Unreadable region code"),
        ("{column} '{value}' bukan kode wilayah", "{column} '{value}' is not a region code"),
        ("Tulis kode Kemendagri bertitik (36.71.07.1003) atau tanpa titik (3671071003)",
         "Write the Kemendagri code dotted (36.71.07.1003) or plain (3671071003)"),
    ),
    (
        "baca-tanggal", E,
        ("Tanggal tidak terbaca", "Unreadable date"),
        ("{column} '{value}' bukan tanggal", "{column} '{value}' is not a date"),
        ("Tulis HH/BB/TTTT (05/08/1995), HH-BB-TTTT atau TTTT-BB-HH, atau pakai sel tanggal{extra}",
         "Write DD/MM/YYYY (05/08/1995), DD-MM-YYYY or YYYY-MM-DD, or use a date cell{extra}"),
    ),
    (
        "baca-angka", E,
        ("Bukan bilangan bulat", "Not a whole number"),
        ("{column} '{value}' bukan bilangan bulat{minimum}",
         "{column} '{value}' is not a whole number{minimum}"),
        ("Tulis angka tanpa titik, koma atau huruf (mis. 3)",
         "Write digits only, without dots, commas or letters (e.g. 3)"),
    ),
    (
        "baca-boolean", E,
        ("Bukan Y/T", "Not Y/T"),
        ("{column} '{value}' bukan Y atau T", "{column} '{value}' is not Y or T"),
        ("Y, YA, 1 atau TRUE untuk ya; T, TIDAK, N, 0, FALSE atau kosong untuk tidak",
         "Y, YA, 1 or TRUE for yes; T, TIDAK, N, 0, FALSE or empty for no"),
    ),
    (
        "baca-teks-jadi-angka", E,
        ("Nomor tersimpan sebagai angka", "Number stored as a number"),
        ("{column} tersimpan sebagai angka ({value}); Excel hanya menyimpan 15 digit, "
         "digit terakhir bisa hilang",
         "{column} is stored as a number ({value}); Excel keeps only 15 digits, "
         "so the last digits may be lost"),
        ("Format kolom {column} sebagai Teks lalu ketik ulang nomornya (templat sikkb sudah begitu)",
         "Format column {column} as Text and type the number again (the sikkb template does)"),
    ),
    (
        "baca-baris-tidak-valid", E,
        ("Baris tidak valid", "Invalid row"),
        ("Baris tidak dapat dibaca sebagai {record}: {reason}",
         "The row cannot be read as {record}: {reason}"),
        ("Periksa kolom {column}", "Check column {column}"),
    ),
    (
        "baca-form-kepala", E,
        ("Kepala formulir tidak lengkap", "Form heading incomplete"),
        ("Formulir F/I/Dal: {field} kosong atau tidak terbaca",
         "F/I/Dal form: {field} is empty or unreadable"),
        ("Isi kode_wilayah kelurahan (36.71.07.1003) dan periode (2026-10) di bagian atas formulir",
         "Fill in the kelurahan's kode_wilayah (36.71.07.1003) and the periode (2026-10) at the top"),
    ),
    (
        "baca-form-tanpa-tabel", E,
        ("Tabel formulir tidak ada", "Form table missing"),
        ("Formulir F/I/Dal tidak memuat baris judul 'bagian ... elemen ... nilai'",
         "The F/I/Dal form has no header row 'bagian ... elemen ... nilai'"),
        ("Gunakan formulir kosong dari sikkb tanpa mengubah judul kolomnya",
         "Use a blank form from sikkb without changing its column names"),
    ),
    (
        "baca-form-butir", E,
        ("Butir formulir tidak dikenal", "Unknown form item"),
        ("Butir {item} tidak dapat dibaca ({near})", "Item {item} cannot be read ({near})"),
        ("Jangan mengubah kolom elemen dan rincian; isi hanya kolom nilai",
         "Do not change the elemen and rincian columns; fill in the nilai column only"),
    ),
)  # fmt: skip

#: Every kind of finding the register reader makes, in the order a file is read.
READER_RULES: tuple[Rule, ...] = tuple(
    Rule(id=i, severity=sev, subject="file", title=t, message=m, hint=h, check=_nothing)
    for i, sev, t, m, h in _KINDS
)

_BY_ID: Mapping[str, Rule] = {r.id: r for r in READER_RULES}


def reader_finding(
    rule_id: str,
    location: Location,
    *,
    found: str | None = None,
    expected: str | None = None,
    **params: Any,
) -> Finding:
    """The finding of reader kind ``rule_id`` at ``location``, its texts filled with ``params``."""
    return _BY_ID[rule_id].finding(location, found=found, expected=expected, **params)


def row_limit_finding(source: str | None, table: str, max_rows: int) -> Finding:
    """The ERROR of a table with more than ``max_rows`` rows (``baca-batas-baris``)."""
    return reader_finding(
        "baca-batas-baris", Location(source=source, table=table), table=table, limit=f"{max_rows:,}"
    )
