"""Render the PNG previews of the PDF layouts shown in docs/exporters.md.

Needs ``pdftoppm`` (poppler-utils). Run from the repository root:
``python docs/_static/previews/render_previews.py``. Data: the synthetic demo city (DATA CONTOH).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from sikkb.demo import demo_months
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb.sop.timeliness import ReportingRate
from sikkb_exporters import Logo, ReportBundle, ReportConfig, Signer, make_registry

HERE = Path(__file__).parent
CONFIG = ReportConfig(
    alamat="Jl. Contoh Alamat Dinas No. 1, Kota Tangerang (DATA CONTOH)",
    logo=Logo.asset("logo-default.svg"),
    kontak="Telp. (021) 000-0000 · surel: contoh@example.go.id",
    kepala_dinas=Signer(nama="Dr. NAMA CONTOH, M.Si.", nip="19700101 199503 1 001",
                        jabatan="Kepala Dinas", sk_nomor="800/000-BKPSDM/2025",
                        sk_tanggal=dt.date(2025, 1, 2)),
    pkb={"36.71.01": Signer(nama="NAMA PKB CONTOH, S.Sos.", nip="19800202 200501 2 002",
                            sk_nomor="800/001/2025")},
    ppkbd={"36.71.01.1001": Signer(nama="NAMA PPKBD CONTOH", sk_nomor="400/01-Kel/2025")},
)  # fmt: skip
SIGNED = dt.date(2026, 11, 5)
PAGES = [  # (file name, exporter, level key, page)
    ("bkkbn-fidal-kelurahan", "bkkbn-pdf", "kel", 1),
    ("bkkbn-rekap-kota", "bkkbn-pdf", "kota", 1),
    ("kota-walikota", "kota-pdf", "kota", 1),
    ("kota-walikota-grafik", "kota-pdf", "kota", 2),
    ("kecamatan", "kecamatan-pdf", "kec", 1),
    ("kelurahan-umpan-balik", "kelurahan-pdf", "kel", 1),
]


def example_rates() -> list[ReportingRate]:
    """Step 1 (kelurahan reports) per kecamatan and for the city: invented, for the preview."""
    table = kota_tangerang()
    rates = []
    for i, kec in enumerate(table.kecamatan("36.71")):
        expected = len(table.kelurahan(kec.code))
        actual = expected - (i % 4 == 1)
        rates.append(ReportingRate(code=kec.code, tingkat=kec.tingkat, step=1, expected=expected,
                                   actual=actual, actual_on_time=actual - (i % 3 == 0),
                                   missing=expected - actual))  # fmt: skip
    total = [
        sum(getattr(r, f) for r in rates)
        for f in ("expected", "actual", "actual_on_time", "missing")
    ]
    city = table["36.71"]
    rates.append(ReportingRate(code=city.code, tingkat=city.tingkat, step=1, expected=total[0],
                               actual=total[1], actual_on_time=total[2], missing=total[3]))  # fmt: skip
    return rates


def main() -> None:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm not found: apt-get install poppler-utils")
    table = kota_tangerang()
    months = []
    for reg in demo_months(Period(2026, 10), 3, scale=0.05):
        villages = VillageReport.all_from_register(reg, exclude_invalid=True)
        months.append((villages, Recap.build_tree("36.71", reg.period, villages, table)))
    (villages, tree), past = months[-1], months[:-1]
    demo = {"config": CONFIG, "signed_on": SIGNED, "sample_data": True}  # DATA CONTOH on each page
    bundles = {
        "kel": ReportBundle(report=villages[0], history=[vs[0] for vs, _ in past], **demo),
        "kec": ReportBundle(report=tree["36.71.01"], history=[t["36.71.01"] for _, t in past],
                            **demo),
        "kota": ReportBundle(report=tree["36.71"], history=[t["36.71"] for _, t in past],
                             timeliness=example_rates(), **demo),
    }  # fmt: skip
    registry = make_registry(load_entrypoints=False)
    with tempfile.TemporaryDirectory() as tmp:
        for name, exporter, key, page in PAGES:
            stream = io.BytesIO()
            registry.render(bundles[key], stream, exporter=exporter)
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(stream.getvalue())
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile",
                 str(pdf), str(HERE / name)],
                check=True,
            )  # fmt: skip
            print(HERE / f"{name}.png")


if __name__ == "__main__":
    main()
