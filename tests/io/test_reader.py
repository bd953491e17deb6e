"""The register reader: typing cells, findings for every problem, nothing read lost."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TahapanKS
from sikkb.codes import TempatPelayanan as TP
from sikkb.io.limits import Limits
from sikkb.io.reader import read_register
from sikkb.io.reader_rules import READER_RULES
from sikkb.periods import Period
from sikkb.rules.engine import Finding, Findings, Location, Severity

KELUARGA = "kode_keluarga,kode_wilayah,rw,rt\nKK-1,3671071003,1,2\nKK-2,36.71.07.1003,1,3\n"
INSTITUSI = "kode_institusi,jenis,kode_wilayah\n"
PUS_HEADER = "kode_keluarga,nik_istri,nama_istri,tanggal_lahir_istri,status_kb,tempat_pelayanan\n"


def folder_with(tmp_path: Path, **tables: str | bytes) -> Path:
    """A CSV register folder; ``keluarga`` and ``institusi`` get defaults unless given."""
    folder = tmp_path / "reg"
    folder.mkdir()
    tables = {"keluarga": KELUARGA, "institusi": INSTITUSI, **tables}
    for name, content in tables.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def only(findings: Findings, rule_id: str) -> Finding:
    found = findings.by_rule(rule_id)
    assert len(found) == 1, [f.describe("en") for f in findings]
    return found[0]


# ------------------------------------------------------------------------------ cells and records


def test_semicolon_csv_with_bom_indonesian_dates_aliases_and_booleans(tmp_path: Path) -> None:
    keluarga = (
        "Kode_Keluarga ; kode_wilayah;rw;rt;tahapan_ks;sasaran_bkb;anggota_bkb;anggota_uppka\r\n"
        " KK-1 ;3671071003;1;2;ks i;ya;Y;tidak\r\n"
        "KK-2;36.71.09.1006;12;3;PRA KS;;1;TRUE\r\n"
    )
    pus = (
        "kode_keluarga;nik_istri;tanggal_lahir_istri;status_kb;tempat_pelayanan;peserta_baru;"
        "jumlah_anak\r\n"
        "KK-1;3671074508950001;05/08/1995;suntikan;pem;Y;2\r\n"
        "KK-2;3671074101900002;1-1-1990;Hamil;;;\r\n"
        "KK-2;3671074101900003;1990-01-31;implant;Swasta;n;0\r\n"
    )
    folder = folder_with(
        tmp_path,
        keluarga=b"\xef\xbb\xbf" + keluarga.encode(),
        pus=b"\xef\xbb\xbf" + pus.encode(),
    )
    result = read_register(folder, "2026-10")
    assert not result.findings, [f.describe("en") for f in result.findings]
    k1, k2 = result.register.keluarga
    assert (k1.kode_keluarga, k1.kode_wilayah, k1.rw, k1.rt, k1.row) == (
        "KK-1",
        "36.71.07.1003",
        1,
        2,
        2,
    )
    assert k1.tahapan_ks is TahapanKS.KS1
    assert k2.tahapan_ks is TahapanKS.KPS
    assert k1.sasaran == {Poktan.BKB}
    assert k1.anggota == {Poktan.BKB}
    assert k2.sasaran == frozenset()
    assert k2.anggota == {Poktan.BKB, Poktan.UPPKA}
    p1, p2, p3 = result.register.pus
    assert (p1.tanggal_lahir_istri, p1.status_kb, p1.tempat_pelayanan, p1.peserta_baru) == (
        datetime.date(1995, 8, 5), Metode.SUNTIK, TP.PEMERINTAH, True,
    )  # fmt: skip
    assert p1.jumlah_anak == 2
    assert p2.jumlah_anak is None
    assert p3.jumlah_anak == 0
    assert (p2.tanggal_lahir_istri, p2.status_kb, p2.tempat_pelayanan, p2.peserta_baru) == (
        datetime.date(1990, 1, 1), AlasanBukanPeserta.HAMIL, None, False,
    )  # fmt: skip
    assert (p3.tanggal_lahir_istri, p3.status_kb, p3.tempat_pelayanan, p3.row) == (
        datetime.date(1990, 1, 31), Metode.IMPLAN, TP.SWASTA, 4,
    )  # fmt: skip
    assert result.register.period == Period(2026, 10)
    assert [(c.table, c.rows, c.typed, c.untyped) for c in result.counts] == [
        ("keluarga", 2, 2, 0), ("pus", 3, 3, 0), ("institusi", 0, 0, 0), ("kegiatan", 0, 0, 0),
    ]  # fmt: skip
    assert not result.count("kegiatan").present


def test_wrong_types_each_get_a_finding_and_the_row_is_kept_verbatim(tmp_path: Path) -> None:
    keluarga = (
        "kode_keluarga,kode_wilayah,rw,rt,anggota_bkb\n"
        "KK-1,36-71-07,satu,2,MUNGKIN\n"  # row 2: three problems
        "KK-2,3671071003,1,2,Y\n"  # row 3: fine
        ",3671071003,-1,2.0,T\n"  # row 4: key empty; rw = -1 is a whole number (range is a rule)
    )
    pus = PUS_HEADER + "KK-2,3671074108950001,Siti,31/02/1995,PIL,PEMERINTAH\n"
    result = read_register(folder_with(tmp_path, keluarga=keluarga, pus=pus), "2026-10")
    got = sorted(
        (f.location.table, f.location.row, f.location.column, f.rule_id) for f in result.findings
    )
    assert got == [
        ("keluarga", 2, "anggota_bkb", "baca-boolean"),
        ("keluarga", 2, "kode_wilayah", "baca-kode-wilayah"),
        ("keluarga", 2, "rw", "baca-angka"),
        ("keluarga", 4, "kode_keluarga", "baca-wajib-kosong"),
        ("pus", 2, "tanggal_lahir_istri", "baca-tanggal"),
    ]
    assert all(f.severity is Severity.ERROR for f in result.findings)
    assert [k.kode_keluarga for k in result.register.keluarga] == ["KK-2"]
    assert result.register.pus == ()
    rows = {(u.table, u.row): u for u in result.untyped}
    assert set(rows) == {("keluarga", 2), ("keluarga", 4), ("pus", 2)}
    assert rows["keluarga", 2].get("rw") == "satu"
    assert rows["keluarga", 2].get("anggota_bkb") == "MUNGKIN"
    assert len(rows["keluarga", 2].findings) == 3
    assert dict(result.error_rows()) == {"keluarga": {2, 4}, "pus": {2}}
    assert result.count("keluarga").rows == 3
    assert result.count("keluarga").untyped == 2
    rw = only(result.findings, "baca-angka")
    assert rw.location.value == "satu"
    assert rw.location.source == "keluarga.csv"
    assert "satu" in rw.message.id
    assert "whole number" in rw.message.en


def test_unknown_code_suggests_the_nearest(tmp_path: Path) -> None:
    pus = PUS_HEADER + "KK-1,3671074508950001,Siti,05/08/1995,SUNTK,PEMERINTAH\n"
    f = only(
        read_register(folder_with(tmp_path, pus=pus), "2026-10").findings, "baca-kode-tidak-dikenal"
    )
    assert (f.location.row, f.location.column, f.location.value) == (2, "status_kb", "SUNTK")
    assert f.hint.id.startswith("Maksud Anda SUNTIK? ")
    assert f.hint.en.startswith("Did you mean SUNTIK? ")
    assert "TIAL" in f.hint.en


def test_unknown_institution_kind_and_place_suggest(tmp_path: Path) -> None:
    institusi = "kode_institusi,jenis,kode_wilayah\nI-1,PPKBDD,3671071003\nI-2,BKB,3671071003\n"
    result = read_register(folder_with(tmp_path, institusi=institusi, pus=PUS_HEADER), "2026-10")
    f = only(result.findings, "baca-kode-tidak-dikenal")
    assert "PPKBD" in f.hint.en
    assert [i.jenis for i in result.register.institusi] == [JenisInstitusi.BKB]


def test_duplicate_nik_passes_through_for_the_rule_pack(tmp_path: Path) -> None:
    pus = PUS_HEADER + (
        "KK-1,3671074508950001,Siti,05/08/1995,PIL,PEMERINTAH\n"
        "KK-2,3671074508950001,Siti,05/08/1995,PIL,PEMERINTAH\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    assert not result.findings
    assert [p.row for p in result.register.pus] == [2, 3]


def test_formula_like_and_html_names_are_text(tmp_path: Path) -> None:
    pus = PUS_HEADER + (
        'KK-1,3671074508950001,"=HYPERLINK(""http://x"",""klik"")",05/08/1995,PIL,PEMERINTAH\n'
        "KK-2,3671074101900002,<script>alert(1)</script>,01/01/1990,IAT,\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    assert not result.findings
    assert [p.nama_istri for p in result.register.pus] == [
        '=HYPERLINK("http://x","klik")',
        "<script>alert(1)</script>",
    ]


def test_unknown_and_near_miss_columns_warn_and_are_ignored(tmp_path: Path) -> None:
    pus = "kode_keluarga,nik_istri,tanggal_lahir_istri,status_kb,tempat_pelayanan,nik_isteri,catatan\n"
    pus += "KK-1,3671074508950001,05/08/1995,PIL,PEMERINTAH,x,y\n"
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    warnings = result.findings.by_rule("baca-kolom-tidak-dikenal")
    assert sorted(f.location.column for f in warnings) == ["catatan", "nik_isteri"]
    assert all(f.severity is Severity.WARNING for f in warnings)
    isteri = next(f for f in warnings if f.location.column == "nik_isteri")
    assert isteri.hint.en.startswith("Did you mean nik_istri?")
    assert len(result.register.pus) == 1
    assert not result.has_errors


def test_missing_required_column_makes_every_row_untyped_with_one_finding(tmp_path: Path) -> None:
    pus = "kode_keluarga,nik_istri,tgl_lahir,status_kb\nKK-1,3671074508950001,05/08/1995,IAS\n"
    pus += "KK-2,3671074101900002,01/01/1990,IAT\n"
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    f = only(result.findings, "baca-kolom-wajib-hilang")
    assert f.severity is Severity.ERROR
    assert f.location.column == "tanggal_lahir_istri"
    assert "tgl_lahir" in f.hint.en
    assert result.register.pus == ()
    assert dict(result.error_rows()) == {"pus": {2, 3}}
    assert all(u.findings == (f,) for u in result.untyped)


def test_missing_required_tables_are_errors_and_kegiatan_is_optional(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "keluarga.csv").write_text(KELUARGA)
    (folder / "Pus_data.csv").write_text(PUS_HEADER)
    result = read_register(folder, "2026-10")
    missing = result.findings.by_rule("baca-tabel-wajib-hilang")
    assert sorted(f.location.table for f in missing) == ["institusi", "pus"]
    pus = next(f for f in missing if f.location.table == "pus")
    assert "pus.csv" in pus.hint.en
    assert "pus_data" in pus.hint.en
    other = only(result.findings, "baca-lembar-lain")
    assert other.severity is Severity.INFO
    assert other.location.source == "Pus_data.csv"
    assert len(result.register.keluarga) == 2


def test_personal_data_never_appears_in_findings(tmp_path: Path) -> None:
    long_name = "Siti " * 300
    pus = PUS_HEADER + (
        f"KK-1,3671074508950001,{long_name},05/08/1995,PIL,PEMERINTAH\n"
        "KK-1,3671074508950002,Siti Aminah,99/99/1995,PIL,PEMERINTAH\n"
        "KK-1,3.67107E+15,Siti Aminah,05/08/1995,PIL,PEMERINTAH\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    assert {f.rule_id for f in result.findings} == {
        "baca-sel-terlalu-panjang", "baca-tanggal", "baca-teks-jadi-angka",
    }  # fmt: skip
    for f in result.findings:
        text = " ".join([f.message.id, f.message.en, f.hint.id, f.hint.en, f.location.value or ""])
        assert "3671074508950002" not in text
        assert "Siti" not in text
    too_long = only(result.findings, "baca-sel-terlalu-panjang")
    assert too_long.location.value == "(1500 karakter)"
    assert "1,500" in too_long.message.en
    assert "1,000" in too_long.message.en


def test_cell_over_the_length_limit_is_cut_in_the_finding(tmp_path: Path) -> None:
    keluarga = "kode_keluarga,kode_wilayah,rw,rt\n" + "K" * 50 + ",3671071003,1,2\n"
    result = read_register(
        folder_with(tmp_path, keluarga=keluarga, pus=PUS_HEADER),
        "2026-10",
        limits=Limits(max_cell_chars=20),
    )
    f = only(result.findings, "baca-sel-terlalu-panjang")
    assert f.location.value == "K" * 50  # under the 80 characters a finding shows
    assert result.register.keluarga == ()


def test_non_utf8_csv_is_read_as_cp1252_with_a_warning(tmp_path: Path) -> None:
    pus = (PUS_HEADER + "KK-1,3671074508950001,Ren\xe9e,05/08/1995,PIL,PEMERINTAH\n").encode(
        "cp1252"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    f = only(result.findings, "baca-encoding")
    assert f.severity is Severity.WARNING
    assert f.location.source == "pus.csv"
    assert "line 2" in f.message.en
    assert result.register.pus[0].nama_istri == "Renée"


def test_utf16_csv_with_tabs_is_read(tmp_path: Path) -> None:
    pus = PUS_HEADER.replace(",", "\t") + "KK-1\t3671074508950001\tSiti\t05/08/1995\tPIL\tSWASTA\n"
    result = read_register(folder_with(tmp_path, pus=pus.encode("utf-16")), "2026-10")
    assert not result.findings
    assert result.register.pus[0].tempat_pelayanan is TP.SWASTA


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_number(tmp_path: Path) -> None:
    pus = PUS_HEADER + ",,,,,\n  ,  \n" + "KK-1,3671074508950001,Siti,05/08/1995,PIL,SWASTA\n"
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    assert [p.row for p in result.register.pus] == [4]
    assert result.count("pus").rows == 1


def test_values_right_of_the_last_column_warn_once(tmp_path: Path) -> None:
    pus = PUS_HEADER + "KK-1,3671074508950001,Siti,05/08/1995,PIL,SWASTA,zzz\n" * 3
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    f = only(result.findings, "baca-sel-tanpa-kolom")
    assert "3 rows" in f.message.en
    assert len(result.register.pus) == 3


def test_short_rows_are_padded_and_duplicate_columns_are_errors(tmp_path: Path) -> None:
    keluarga = "kode_keluarga,kode_wilayah,rw,rt,rw,nama_kepala_keluarga\nKK-1,3671071003,1,2\n"
    result = read_register(folder_with(tmp_path, keluarga=keluarga, pus=PUS_HEADER), "2026-10")
    f = only(result.findings, "baca-kolom-ganda")
    assert f.location.column == "rw"
    assert "2 times" in f.message.en
    assert result.register.keluarga[0].nama_kepala_keluarga is None


def test_row_limit_refuses_the_table_by_name(tmp_path: Path) -> None:
    pus = PUS_HEADER + "KK-1,3671074508950001,Siti,05/08/1995,PIL,SWASTA\n" * 5
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10", limits=Limits(max_rows=4))
    f = only(result.findings, "baca-batas-baris")
    assert f.severity is Severity.ERROR
    assert f.location.table == "pus"
    assert "4" in f.message.en
    assert result.count("pus").refused
    assert result.register.pus == ()
    assert len(result.register.keluarga) == 2  # other tables are read


def test_broken_csv_refuses_the_table(tmp_path: Path) -> None:
    pus = (
        PUS_HEADER
        + "KK-1,3671074508950001,Siti,05/08/1995,PIL,SWASTA\n"
        + 'KK-2,"'
        + "x" * 200_000
        + "\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    f = only(result.findings, "baca-csv-rusak")
    assert f.location.table == "pus"
    assert f.location.row == 2
    assert result.count("pus").refused


def test_error_rows_adds_the_rule_packs_findings(tmp_path: Path) -> None:
    pus = PUS_HEADER + (
        "KK-1,3671074508950001,Siti,05/08/1995,PIL,SWASTA\n"
        "KK-1,3671074508950002,Siti,05/08/1995,PILL,SWASTA\n"
        "KK-1,3671074508950003,Siti,05/08/1995,PIL,SWASTA\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    rule_pack = Findings([
        Finding(rule_id="x", severity=Severity.ERROR, location=Location(table="pus", row=4),
                message=result.findings.items[0].message, hint=result.findings.items[0].hint),
        Finding(rule_id="y", severity=Severity.WARNING, location=Location(table="pus", row=2),
                message=result.findings.items[0].message, hint=result.findings.items[0].hint),
    ])  # fmt: skip
    assert dict(result.error_rows(rule_pack)) == {"pus": {3, 4}}
    assert [p.row for p in result.without_error_rows(rule_pack).pus] == [2]


def test_every_finding_kind_is_in_the_catalogue() -> None:
    ids = [r.id for r in READER_RULES]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("baca-") for i in ids)
    src = (Path(__file__).parents[2] / "src/sikkb/io").glob("*.py")
    import re

    used = {m for p in src for m in re.findall(r'"(baca-[a-z-]+)"', p.read_text())}
    assert used == set(ids)
    for r in READER_RULES:
        assert r.message.id != r.message.en
        assert r.hint.id
        assert r.hint.en
        assert r.title.id


@pytest.mark.parametrize("period", ["2026-10", Period(2026, 10)])
def test_period_is_given_by_the_caller(tmp_path: Path, period: str | Period) -> None:
    result = read_register(folder_with(tmp_path, pus=PUS_HEADER), period)
    assert result.register.period == Period(2026, 10)


def test_the_format_guide_lists_every_finding_kind_and_alias() -> None:
    from sikkb.codes import ALIASES

    guide = (Path(__file__).parents[2] / "docs/register-format.md").read_text(encoding="utf-8")
    for r in READER_RULES:
        assert f"`{r.id}` | {r.severity.value} |" in guide
    for aliases in ALIASES.values():
        for alias in aliases:
            forms = {alias, alias.replace("_", " "), alias.replace("_", "-")}
            assert any(f in guide for f in forms), alias


def test_ambiguous_thousands_and_long_header_names(tmp_path: Path) -> None:
    institusi = "kode_institusi,jenis,kode_wilayah,jumlah_pertemuan," + "x" * 5000 + "\n"
    institusi += "I-1,BKB,3671071003,1.000,\nI-2,BKB,3671071003,2.0,\nI-3,BKB,3671071003,03,\n"
    result = read_register(folder_with(tmp_path, institusi=institusi, pus=PUS_HEADER), "2026-10")
    bad = only(result.findings, "baca-angka")
    assert bad.location.row == 2  # 1.000 could be one or a thousand: refused
    assert [i.jumlah_pertemuan for i in result.register.institusi] == [2, 3]
    unknown = only(result.findings, "baca-kolom-tidak-dikenal")
    assert len(unknown.location.column or "") <= 81
    assert len(unknown.message.en) < 200


def test_every_placeholder_is_filled(tmp_path: Path) -> None:
    keluarga = "kode_keluarga,kode_wilayah,rw,rt,anggota_bkb,rw,xx\n,36-71,a,1.5,maybe,1,2,3\n"
    pus = (
        "kode_keluarga,nik_istri,tanggal_lahir_istri,status_kb,tempat_pelayanan,nama_istri\n"
        "KK-1,3.67107E+15,31/31/2000,SUNTK,PEMX," + "x" * 1200 + "\n"
    )
    folder = folder_with(tmp_path, keluarga=keluarga, pus=pus.encode("cp1252"))
    (folder / "institusi.csv").unlink()
    (folder / "catatan.csv").write_text("a\n")
    result = read_register(folder, "2026-10")
    kinds = {f.rule_id for f in result.findings}
    assert len(kinds) >= 12
    for f in result.findings:
        for text in (f.message.id, f.message.en, f.hint.id, f.hint.en):
            assert "{" not in text, (f.rule_id, text)


def test_excel_sep_directive_line(tmp_path: Path) -> None:
    pus = (
        "sep=;\r\n"
        + PUS_HEADER.replace(",", ";")
        + "KK-1;3671074508950001;Siti;05/08/1995;PIL;SWASTA\n"
    )
    result = read_register(folder_with(tmp_path, pus=pus), "2026-10")
    assert not result.findings
    assert [p.row for p in result.register.pus] == [2]
