"""Report configuration (TOML) and the style hook."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import openpyxl
import pytest

from sikkb.regions import Tingkat
from sikkb_exporters import (
    InvalidExporterError,
    ReportBundle,
    ReportConfig,
    ReportConfigError,
    ReportStyle,
    Signer,
    hookimpl,
    load_config,
    make_registry,
)

FULL = """
tembusan = ["Kepala Perwakilan BKKBN Provinsi Banten", "Arsip"]

[kop]
pemerintah = "PEMERINTAH KOTA CONTOH"
dinas = "DINAS CONTOH"
alamat = "Jl. Contoh 1"
kontak = "Telp. 0"
kota = "Contoh"
logo = "logo-default.svg"

[penandatangan.kepala_dinas]
nama = "Dr. A"
nip = "19700101 199503 1 001"
sk_nomor = "800/1/2025"
sk_tanggal = 2025-01-15

[penandatangan.pkb."3671010"]
nama = "bad code"

[penandatangan.pkb."36.71.01"]
nama = "PKB Satu"

[penandatangan.ppkbd."3671011001"]
nama = "PPKBD Satu"
jabatan = "PPKBD Kelurahan Sukarasa"
"""


def test_a_full_configuration_loads(tmp_path: Path) -> None:
    path = tmp_path / "laporan.toml"
    path.write_text(FULL.replace('[penandatangan.pkb."3671010"]\nnama = "bad code"\n', ""), "utf-8")
    cfg = load_config(path)
    assert (cfg.pemerintah, cfg.dinas, cfg.kota) == (
        "PEMERINTAH KOTA CONTOH",
        "DINAS CONTOH",
        "Contoh",
    )
    assert cfg.tembusan == ("Kepala Perwakilan BKKBN Provinsi Banten", "Arsip")
    head = cfg.signer_for(Tingkat.KOTA, "36.71")
    assert head == Signer(nama="Dr. A", nip="19700101 199503 1 001", sk_nomor="800/1/2025",
                          sk_tanggal=dt.date(2025, 1, 15))  # fmt: skip
    assert cfg.signer_for(Tingkat.KECAMATAN, "367101") == Signer(nama="PKB Satu")
    ppkbd = cfg.signer_for(Tingkat.KELURAHAN, "36.71.01.1001")
    assert ppkbd is not None
    assert ppkbd.jabatan == "PPKBD Kelurahan Sukarasa"
    assert cfg.signer_for(Tingkat.KELURAHAN, "36.71.01.1002") is None


def test_every_problem_is_listed() -> None:
    text = FULL + '\n[penandatangan.oops]\nnama = "x"\n[lain]\n'
    text = text.replace("sk_tanggal = 2025-01-15", 'sk_tanggal = "kemarin"')
    with pytest.raises(ReportConfigError) as info:
        ReportConfig.from_toml_text(text, source="laporan.toml")
    problems = "\n".join(info.value.problems)
    assert "sk_tanggal must be a date" in problems
    assert "'3671010' is not a region code" in problems
    assert "penandatangan.oops: unknown key" in problems
    assert "lain: unknown key" in problems
    assert str(info.value).startswith("laporan.toml: ")


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReportConfigError):
        ReportConfig.from_toml_text("[kop\n")
    with pytest.raises(ReportConfigError, match=r"tidak-ada\.toml"):
        load_config(tmp_path / "tidak-ada.toml")


def test_a_signer_needs_a_name() -> None:
    with pytest.raises(ReportConfigError, match="nama"):
        ReportConfig.from_toml_text('[penandatangan.kepala_dinas]\nnip = "1"\n')


def test_the_style_hook_overrides_letterhead_and_signer(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    class Restyle:
        @hookimpl
        def sikkb_report_style(self, level: Tingkat, region_code: str) -> ReportStyle | None:
            if level is not Tingkat.KELURAHAN:
                return None
            return ReportStyle(kop=("KOP GAYA LAIN",), signer=Signer(nama=f"Penanda {region_code}"))

    reg = make_registry(load_entrypoints=False, plugins=[Restyle()])
    bundle = bundles[Tingkat.KELURAHAN]
    stream = io.BytesIO()
    findings = reg.render(bundle, stream, exporter="kelurahan-xlsx")
    assert not findings
    ws = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Laporan"]
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "KOP GAYA LAIN" in texts
    assert f"Penanda {bundle.region_code}" in texts
    assert (
        "DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA"
        not in texts
    )
    plain = io.BytesIO()
    reg.render(bundles[Tingkat.KECAMATAN], plain, exporter="kecamatan-xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(plain.getvalue()))["Laporan"]
    assert "KOP GAYA LAIN" not in {c.value for row in ws.iter_rows() for c in row}


def test_a_style_accent_must_be_a_colour() -> None:
    with pytest.raises(ValueError, match="accent"):
        ReportStyle(accent="red; } body { display: none")


def test_a_style_hook_returning_garbage_is_named(bundles: dict[Tingkat, ReportBundle]) -> None:
    class Garbage:
        @hookimpl
        def sikkb_report_style(self) -> object:
            return {"kop": "x"}

    reg = make_registry(load_entrypoints=False, plugins=[Garbage()])
    with pytest.raises(
        InvalidExporterError, match="must return a ReportStyle or None, not dict"
    ) as e:
        reg.render(bundles[Tingkat.KELURAHAN], io.BytesIO(), exporter="csv")
    assert e.value.plugin.endswith("Garbage")


def test_the_last_registered_style_plugin_wins(bundles: dict[Tingkat, ReportBundle]) -> None:
    def plugin(label: str) -> object:
        class Styler:
            @hookimpl
            def sikkb_report_style(self) -> ReportStyle:
                return ReportStyle(kop=(label,))

        return Styler()

    reg = make_registry(load_entrypoints=False, plugins=[plugin("pertama"), plugin("kedua")])
    bundle = reg.prepare(bundles[Tingkat.KELURAHAN].report)
    assert bundle.style is not None
    assert bundle.style.kop == ("kedua",)


def test_a_style_signer_signs_only_its_own_report(bundles: dict[Tingkat, ReportBundle]) -> None:
    from sikkb_exporters.layouts import fidal_village

    bundle = attrs.evolve(bundles[Tingkat.KELURAHAN], style=ReportStyle(signer=Signer(nama="Plt.")))
    pkb, ppkbd = fidal_village(bundle).signatures
    assert ppkbd.nama == "Plt."
    assert pkb.nama == "Contoh PKB Tangerang"  # the configured PKB still knows ("Mengetahui")
