"""The printed layouts: each turns a :class:`ReportBundle` into a :class:`Document`.

- :func:`fidal_village` — F/I/Dal/13, the village form sent up the BKKBN line (sections I-V);
- :func:`fidal_recap` — Rek.Kec, Rek.Kab/Kota and Rek.Prov F/I/Dal: one row per child unit;
- :func:`area_report` — the monthly report of a kota (to the Walikota) or a kecamatan (to the Camat):
  totals, indicators, a table by child unit, charts, reporting timeliness, signature;
- :func:`village_feedback` — the feedback report a kelurahan receives (umpan balik).

Layouts never recompute a report's numbers: cells are read from the report; indicators are ratios
of two of its cells (undefined when the denominator is zero or missing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TempatPelayanan
from sikkb.i18n import Text
from sikkb.periods import MONTHS_ID, Period
from sikkb.regions import Tingkat
from sikkb.report import TANPA_TEMPAT, CellStatus, Ratio, Recap, RecapRow, VillageReport, item
from sikkb.report import indicators as ind
from sikkb.report.indicators import HasValues
from sikkb.report.series import Series
from sikkb.rules.engine import Finding, Location, Severity
from sikkb_exporters.bundle import RateLike, Report, ReportBundle
from sikkb_exporters.document import (
    NA,
    Block,
    Chart,
    Document,
    Paragraph,
    Pct,
    Row,
    RowStyle,
    Signature,
    Table,
    Value,
)
from sikkb_exporters.fmt import persen, tanggal
from sikkb_exporters.notices import coverage_counts, not_reported, notices

__all__ = [
    "INDICATORS",
    "Indicator",
    "area_report",
    "fidal_recap",
    "fidal_village",
    "missing_signer_finding",
    "village_feedback",
]

Source = VillageReport | Recap | RecapRow


@attrs.frozen
class Indicator:
    """An indicator of :mod:`sikkb.report.indicators`, shown as a percentage."""

    id: str
    label: str
    compute: Callable[[HasValues], Ratio] = attrs.field(eq=False)

    @property
    def key(self) -> str:
        return f"indikator:{self.id}"


INDICATORS = (
    Indicator("cpr", "CPR (PA / PUS)", ind.cpr),
    Indicator("mcpr", "mCPR (PA metode modern / PUS)", ind.mcpr),
    Indicator("mkjp", "PA MKJP / PA", ind.mkjp),
    Indicator("kb_pria", "KB pria (MOP + kondom) / PA", ind.kb_pria),
    Indicator("unmet_need", "Unmet need (IAT + TIAL) / PUS", ind.unmet_need_pct),
)
_IND = {i.id: i for i in INDICATORS}


def ratio(src: Source, indicator: Indicator) -> Pct:
    """An indicator of a report, recap total or recap row (undefined: ``Pct(None)``)."""
    return Pct(indicator.compute(src).percent)


def value(src: Source, key: str) -> Value:
    """A report cell as a document value: the number, ``None`` (not reported) or ``NA``."""
    if key.startswith("indikator:"):
        return ratio(src, _IND[key.removeprefix("indikator:")])
    c = src.cell(key)
    if c.status is CellStatus.NOT_APPLICABLE:
        return NA
    return c.value


def _values(src: Source, keys: Sequence[str]) -> tuple[Value, ...]:
    return tuple(value(src, k) for k in keys)


def _rows(
    specs: Sequence[tuple[str, Sequence[str]]], src: Source, *, total_last: bool = False
) -> list[Row]:
    rows = []
    for i, (label, keys) in enumerate(specs, start=1):
        total = total_last and i == len(specs)
        style: RowStyle = "total" if total else "normal"
        number = "" if total else str(i)
        rows.append(
            Row(cells=(number, label, *_values(src, keys)), keys=(None, None, *keys), style=style)
        )
    return rows


# -- letterhead, header, signature ---------------------------------------------------------------


_LEVEL_WORD = {
    Tingkat.PROVINSI: "PROVINSI",
    Tingkat.KABKOTA: "KABUPATEN/KOTA",
    Tingkat.KECAMATAN: "KECAMATAN",
    Tingkat.KELURAHAN: "KELURAHAN/DESA",
}


def _kop(bundle: ReportBundle) -> tuple[str, ...]:
    if bundle.style is not None and bundle.style.kop is not None:
        return bundle.style.kop
    c = bundle.config
    return tuple(line for line in (c.pemerintah, c.dinas, c.alamat, c.kontak) if line)


def _header(bundle: ReportBundle) -> list[tuple[str, str]]:
    p = bundle.period
    out = [("BULAN", p.month_name_id.upper()), ("TAHUN", str(p.year))]
    chain = (
        [
            *reversed(bundle.regions.ancestors(bundle.region_code)),
            bundle.regions.get(bundle.region_code),
        ]
        if bundle.region_code in bundle.regions
        else []
    )
    for r in chain:
        out.append((_LEVEL_WORD[r.tingkat], f"{r.name.upper()}   (kode {r.code})"))
    if not chain:
        out.append((_LEVEL_WORD[bundle.level], bundle.region_code))
    return out


def _place_date(bundle: ReportBundle) -> str:
    when = (
        tanggal(bundle.signed_on)
        if bundle.signed_on
        else f"........................ {bundle.period.next().year}"
    )
    return f"{bundle.config.kota}, {when}"


_SIGNER_TITLE = {
    Tingkat.PROVINSI: "Kepala Dinas",
    Tingkat.KABKOTA: "Kepala Dinas",
    Tingkat.KECAMATAN: "PKB Kecamatan {name}",
    Tingkat.KELURAHAN: "PPKBD Kelurahan {name}",
}
_BLANK_NAME = "(.......................................)"


def missing_signer_finding(level: Tingkat, code: str, period: Period) -> Finding:
    """The WARNING an export returns when the configuration names no signer for a report."""
    who = {Tingkat.KECAMATAN: ("PKB", "PKB"), Tingkat.KELURAHAN: ("PPKBD", "PPKBD")}.get(
        level, ("Kepala Dinas", "head of the Dinas")
    )
    return Finding(
        rule_id="penandatangan-belum-diisi",
        severity=Severity.WARNING,
        location=Location(region=code, period=period, item="penandatangan"),
        message=Text(
            f"Penandatangan ({who[0]}) untuk {code} belum diisi di konfigurasi; laporan dicetak "
            "dengan kolom nama kosong",
            f"No signer ({who[1]}) for {code} in the configuration; the report is printed with a "
            "blank name",
        ),
        hint=Text(
            "Isi [penandatangan] di berkas konfigurasi laporan (nama, NIP, nomor dan tanggal SK)",
            "Fill in [penandatangan] in the report configuration (name, NIP, SK number and date)",
        ),
    )


def _signature(
    bundle: ReportBundle, level: Tingkat, code: str, *, above: str
) -> tuple[Signature, list[Finding]]:
    # a style's signer signs the report itself, not the "Mengetahui" block of another level
    own = bundle.style is not None and level is bundle.level and code == bundle.region_code
    signer = bundle.style.signer if own and bundle.style is not None else None
    signer = signer or bundle.config.signer_for(level, code)
    name = bundle.name_of(code)
    default_title = _SIGNER_TITLE[level].format(name=name)
    if signer is None:
        return (
            Signature(
                jabatan=default_title,
                nama=_BLANK_NAME,
                nip=".........................",
                above=above,
            ),
            [missing_signer_finding(level, code, bundle.period)],
        )
    sk = ""
    if signer.sk_nomor:
        sk = f"SK No. {signer.sk_nomor}" + (
            f" tanggal {tanggal(signer.sk_tanggal)}" if signer.sk_tanggal else ""
        )
    return Signature(
        jabatan=signer.jabatan or default_title,
        nama=signer.nama,
        nip=signer.nip,
        sk=sk,
        above=above,
    ), []


def _document(bundle: ReportBundle, **kwargs: object) -> Document:
    style = bundle.style
    logo = style.logo if style is not None and style.logo is not None else bundle.config.logo
    accent = style.accent if style is not None and style.accent else "#1f4e79"
    kwargs["blocks"] = (*notices(bundle), *kwargs.get("blocks", ()))  # type: ignore[misc]
    return Document(
        kop=_kop(bundle),
        logo=logo,
        header=_header(bundle),
        period=bundle.period,
        region_code=bundle.region_code,
        accent=accent,
        **kwargs,  # type: ignore[arg-type]
    )


def _tembusan(bundle: ReportBundle, default: Sequence[str]) -> tuple[str, ...]:
    return bundle.config.tembusan or tuple(default)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bare(name: str) -> str:
    """``Kota Tangerang`` → ``Tangerang`` (for "Walikota Tangerang")."""
    for word in ("Kota ", "Kabupaten "):
        if name.startswith(word):
            return name.removeprefix(word)
    return name


def _city_name(bundle: ReportBundle) -> str:
    code = bundle.region_code
    parts = code.split(".")
    city = ".".join(parts[:2]) if len(parts) >= 2 else code
    return _bare(bundle.name_of(city))


# -- F/I/Dal (village) ---------------------------------------------------------------------------


def _fidal_tables(src: Source) -> list[Block]:
    sec1 = Table(
        title="I. KEADAAN UMUM",
        columns=("No", "Institusi / kelompok kegiatan", "Ada", "Lapor"),
        rows=_rows(
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
        rows=_rows(
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
        rows=_rows(
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
        rows=_rows(
            [
                (_capital(item(f"{e}.UPPKA").label_id.removeprefix("UPPKA: ")), (f"{e}.UPPKA",))
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
        rows=_rows(pa_specs, src, total_last=True),
    )
    non = [
        (f"Bukan peserta KB: {a.label_id}", (f"bukan_peserta.{a.code}",))
        for a in AlasanBukanPeserta
    ]
    sec5b = Table(
        title="V. B. Pasangan usia subur dan bukan peserta KB",
        columns=("No", "Uraian", "Jumlah"),
        rows=_rows(
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
        rows=_rows(pb, src, total_last=True),
    )
    return [sec1, sec2, sec3, sec4, sec5a, sec5b, sec5c]


def fidal_village(bundle: ReportBundle) -> Document:
    """F/I/Dal/13: the village report, laid out like the paper form (sections I-V)."""
    report = bundle.report
    assert isinstance(report, VillageReport)
    code = report.region
    kec = code.rsplit(".", 1)[0]
    pkb, _ = _signature(bundle, Tingkat.KECAMATAN, kec, above="Mengetahui,")
    ppkbd, findings = _signature(bundle, Tingkat.KELURAHAN, code, above=_place_date(bundle))
    if pkb.nama == _BLANK_NAME:
        pkb = attrs.evolve(pkb, nip="")
    return _document(
        bundle,
        layout="bkkbn-desa",
        form="F/I/Dal/13",
        title="LAPORAN BULANAN PENGENDALIAN LAPANGAN TINGKAT DESA/KELURAHAN",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=_fidal_tables(report),
        signatures=(pkb, ppkbd),
        tembusan=_tembusan(
            bundle,
            [
                f"PKB Kecamatan {bundle.name_of(kec)}",
                f"DP3AP2KB Kota {_city_name(bundle)}",
                "Arsip",
            ],
        ),
        findings=findings,
    )


# -- Rek F/I/Dal (recaps) -------------------------------------------------------------------------


_REK_FORM = {
    Tingkat.KECAMATAN: "Rek.Kec/F/I/Dal",
    Tingkat.KABKOTA: "Rek.Kab/F/I/Dal",
    Tingkat.PROVINSI: "Rek.Prov/F/I/Dal",
}
_CHILD_WORD = {
    Tingkat.KECAMATAN: "Kecamatan",
    Tingkat.KELURAHAN: "Kelurahan/Desa",
    Tingkat.KABKOTA: "Kab/Kota",
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


def _recap_rows(bundle: ReportBundle, recap: Recap, keys: Sequence[str]) -> list[Row]:
    rows = [
        Row(
            cells=(str(i), bundle.name_of(r.region), *_values(r, keys)),
            keys=(None, r.region, *keys),
        )
        for i, r in enumerate(recap.rows, start=1)
    ]
    rows.append(
        Row(
            cells=("", "JUMLAH", *_values(recap, keys)),
            keys=(None, recap.region, *keys),
            style="total",
        )
    )
    return rows


def _recap_table(
    bundle: ReportBundle,
    recap: Recap,
    title: str,
    columns: Sequence[tuple[str, str]],
    *,
    sheet: str | None = None,
    note: str = "",
) -> Table:
    child = _CHILD_WORD[recap.child_tingkat]
    return Table(
        title=title,
        columns=("No", child, *(label for label, _ in columns)),
        rows=_recap_rows(bundle, recap, [k for _, k in columns]),
        sheet=sheet,
        note=note,
    )


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
        _recap_table(
            bundle,
            recap,
            "I.A KEADAAN UMUM — INSTITUSI MASYARAKAT PEDESAAN",
            _ada_lapor(imp),
        ),
        _recap_table(
            bundle,
            recap,
            "I.B KEADAAN UMUM — KELOMPOK KEGIATAN",
            _ada_lapor(pok),
        ),
        _recap_table(
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
        _recap_table(
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
        _recap_table(
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
        _recap_table(
            bundle,
            recap,
            "V.A PESERTA KB AKTIF MENURUT METODE",
            [(m.label_id, f"pa.{m.code}") for m in Metode] + [("Jumlah PA", "pa")],
        ),
        _recap_table(
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
        _recap_table(
            bundle,
            recap,
            "V.C PESERTA KB BARU MENURUT METODE",
            [(m.label_id, f"pb.{m.code}") for m in Metode] + [("Jumlah PB", "pb")],
        ),
    ]
    level = recap.tingkat
    signer, findings = _signature(bundle, level, recap.region, above=_place_date(bundle))
    province = bundle.name_of(recap.region.split(".")[0])
    default_copies = {
        Tingkat.KECAMATAN: [f"Kepala DP3AP2KB Kota {_city_name(bundle)}", "Arsip"],
        Tingkat.KABKOTA: [
            f"Kepala Perwakilan BKKBN Provinsi {province}",
            f"Walikota {_city_name(bundle)}",
            "Arsip",
        ],
        Tingkat.PROVINSI: ["Kepala BKKBN", "Arsip"],
    }[level]
    return _document(
        bundle,
        layout="bkkbn-rekap",
        form=_REK_FORM[level],
        title=f"REKAPITULASI LAPORAN PENGENDALIAN LAPANGAN TINGKAT {level.label_id.upper()}",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=blocks,
        signatures=(signer,),
        tembusan=_tembusan(bundle, default_copies),
        findings=findings,
    )


# -- the area report (kota / kecamatan) ----------------------------------------------------------


def _summary_table(bundle: ReportBundle, title: str) -> Table:
    src = bundle.report
    counts = [
        ("Jumlah PUS", "pus"),
        ("Peserta KB aktif (PA)", "pa"),
        ("Peserta KB baru (PB)", "pb"),
    ]
    rows = [
        Row(cells=(str(i), label, value(src, key)), keys=(None, None, key))
        for i, (label, key) in enumerate(counts, start=1)
    ]
    rows.append(
        Row(
            cells=(str(len(rows) + 1), "Unmet need (IAT + TIAL)", ind.unmet_need(src)),
            keys=(None, None, "jumlah:unmet_need"),
        )
    )
    for indicator in INDICATORS:
        rows.append(
            Row(
                cells=(str(len(rows) + 1), indicator.label, ratio(src, indicator)),
                keys=(None, None, indicator.key),
            )
        )
    if bundle.ppm is not None:
        series = _year_series(bundle)
        p = bundle.period
        months = f"{MONTHS_ID[0]} s.d. {p.month_name_id} {p.year}"
        rows.append(
            Row(
                cells=(str(len(rows) + 1), f"PB kumulatif {months}", series.ytd("pb", p)),
                keys=(None, None, "jumlah:pb_ytd"),
            )
        )
        rows.append(
            Row(
                cells=(str(len(rows) + 1), f"PB kumulatif / PPM {p.year}",
                       Pct(series.pb_vs_ppm(bundle.ppm, p).percent)),
                keys=(None, None, "indikator:pb_vs_ppm"),
            )
        )  # fmt: skip
    return Table(title=title, columns=("No", "Uraian", "Jumlah / %"), rows=rows)


def _year_series(bundle: ReportBundle) -> Series:
    """The report and its history months of the same year, one per month (the report wins)."""
    by_month = {
        r.period: r
        for r in bundle.history
        if r.region == bundle.region_code and r.period.year == bundle.period.year
    }
    by_month[bundle.period] = bundle.report
    return Series.of([by_month[m] for m in sorted(by_month) if m <= bundle.period])


_UNIT_COLUMNS = (
    ("PUS", "pus"), ("PA", "pa"), ("CPR", "indikator:cpr"), ("mCPR", "indikator:mcpr"), ("PB", "pb"),
    ("MKJP", "indikator:mkjp"), ("KB pria", "indikator:kb_pria"), ("Unmet need", "indikator:unmet_need"),
)  # fmt: skip


def _month_label(p: Period) -> str:
    return f"{MONTHS_ID[p.month - 1][:3]} {p.year % 100:02d}"


def _trend(bundle: ReportBundle) -> Block:
    series: list[Report] = [
        r for r in bundle.history if r.region == bundle.region_code and r.period < bundle.period
    ]
    series.append(bundle.report)
    if len(series) < 2:
        return Paragraph(text="Tren bulanan: belum ada data bulan sebelumnya.")
    return Chart(
        kind="line",
        title="Tren CPR dan mCPR per bulan",
        categories=[_month_label(r.period) for r in series],
        series=[
            (i.label.split(" ")[0], [ratio(r, i).value for r in series])
            for i in (_IND["cpr"], _IND["mcpr"])
        ],
        unit="%",
    )


def _method_mix(src: Source, title: str) -> Chart:
    return Chart(kind="pie", title=title, categories=[m.label_id for m in Metode],
                 series=[("PA", [float(v) if (v := src.cell(f"pa.{m.code}").value) is not None else None for m in Metode])])  # fmt: skip


def _completeness(bundle: ReportBundle, recap: Recap) -> Block:
    """Without SOP data: the kelurahan reports received, per child recap when the bundle has them."""
    note = "Ketepatan waktu: data jadwal (SOP) tidak tersedia; kelengkapan dari laporan yang masuk."
    children = [c for c in bundle.children if c.region in {r.region for r in recap.rows}]
    cov = recap.coverage_at(Tingkat.KELURAHAN)
    if bundle.status is not None:  # the set's one count: every child, kelurahan included
        units = [(r.code, (r.expected, r.actual)) for r in bundle.status.children(recap.region)]
        own = coverage_counts(bundle, recap, Tingkat.KELURAHAN)
    else:
        units = [(ch.region, coverage_counts(bundle, ch, Tingkat.KELURAHAN)) for ch in children]
        own = coverage_counts(bundle, recap, Tingkat.KELURAHAN)
    if not units:
        if cov is None:
            return Paragraph(text=note)
        return Paragraph(
            text=f"Kelengkapan laporan kelurahan: {own[1]} dari {own[0]} "
            f"({persen(Ratio.of(own[1], own[0]).percent)}). {note}"
        )
    rows = []
    for i, (code, (expected, reported)) in enumerate([*units, (recap.region, own)], start=1):
        is_total = code == recap.region
        rows.append(
            Row(
                cells=("" if is_total else str(i), "JUMLAH" if is_total else bundle.name_of(code),
                       expected, reported, Pct(Ratio.of(reported, expected).percent)),
                keys=(None, code, "expected", "actual", "reporting_rate"),
                style="total" if is_total else "normal",
            )
        )  # fmt: skip
    return Table(
        title="D. KELENGKAPAN LAPORAN KELURAHAN",
        columns=(
            "No",
            _CHILD_WORD[recap.child_tingkat],
            "Laporan seharusnya",
            "Laporan masuk",
            "Kelengkapan",
        ),
        rows=rows,
        sheet="Ketepatan",
        note=note,
    )


def _timeliness_table(bundle: ReportBundle, recap: Recap) -> Block:
    child_codes = {r.region for r in recap.rows}
    given: Sequence[RateLike] = bundle.timeliness
    if bundle.status is not None:
        if not bundle.status.timed:
            return _completeness(bundle, recap)
        given = bundle.status.rates
    # one row per unit: rates of several SOP steps given together keep the earliest step's
    first: dict[str, RateLike] = {}
    for r in sorted(given, key=lambda r: (r.code, getattr(r, "step", 0))):
        first.setdefault(r.code, r)
    rates = [first[c] for c in sorted(child_codes) if c in first]
    total = [first[recap.region]] if recap.region in first else []
    if not rates and not total:
        return _completeness(bundle, recap)
    rows = []
    for i, r in enumerate([*rates, *total], start=1):
        is_total = r.code == recap.region
        rows.append(
            Row(
                cells=("" if is_total else str(i), "JUMLAH" if is_total else bundle.name_of(r.code), r.expected, r.actual, r.actual_on_time,
                       r.actual - r.actual_on_time, r.expected - r.actual, Pct(r.reporting_rate), Pct(r.on_time_rate)),
                keys=(None, r.code, "expected", "actual", "actual_on_time", "late", "not_received", "reporting_rate", "on_time_rate"),
                style="total" if is_total else "normal",
            )
        )  # fmt: skip
    return Table(
        title="D. KETEPATAN WAKTU DAN KELENGKAPAN LAPORAN",
        columns=(
            "No",
            _CHILD_WORD[recap.child_tingkat],
            "Laporan seharusnya",
            "Laporan masuk",
            "Masuk tepat waktu",
            "Masuk terlambat",
            "Belum masuk",
            "Kelengkapan",
            "Ketepatan waktu",
        ),
        rows=rows,
        sheet="Ketepatan",
    )


def area_report(bundle: ReportBundle) -> Document:
    """The monthly report of a kota (to the Walikota) or a kecamatan (to the Camat, SOP step 6)."""
    recap = bundle.report
    assert isinstance(recap, Recap)
    level = recap.tingkat
    name = bundle.name_of(recap.region)
    child = _CHILD_WORD[recap.child_tingkat]
    missing = [bundle.name_of(c) for c in not_reported(bundle, recap)]
    blocks: list[Block] = [
        _summary_table(
            bundle, f"A. Capaian {level.label_id.lower()} bulan {bundle.period.label_id}"
        ),
        _recap_table(
            bundle,
            recap,
            f"B. CAPAIAN PER {child.upper()}",
            _UNIT_COLUMNS,
            sheet=f"Per {child.split('/')[0]}",
        ),
        Paragraph(text="C. GRAFIK", heading=True),
        Chart(
            kind="bar",
            title=f"CPR per {child.split('/')[0].lower()}",
            categories=[bundle.name_of(r.region) for r in recap.rows],
            series=[("CPR", [ratio(r, _IND["cpr"]).value for r in recap.rows])],
            unit="%",
        ),
        _method_mix(recap, "Peserta KB aktif menurut metode (mix kontrasepsi)"),
        _trend(bundle),
        _timeliness_table(bundle, recap),
    ]
    if missing:
        blocks.append(Paragraph(text=f"{child} yang belum melapor: {', '.join(missing)}."))
    if level is Tingkat.KABKOTA:
        sig, findings = _signature(
            bundle, level, recap.region, above=f"{_place_date(bundle)}\nMengetahui,"
        )
        title = f"LAPORAN BULANAN PROGRAM BANGGA KENCANA {name.upper()}"
        to = f"Kepada Yth. Walikota {_bare(name)}"
        copies = [
            f"Walikota {_bare(name)} (sebagai laporan)",
            f"Sekretaris Daerah {name}",
            "Kepala Perwakilan BKKBN Provinsi " + bundle.name_of(recap.region.split(".")[0]),
            "Arsip",
        ]
    else:
        sig, findings = _signature(bundle, level, recap.region, above=_place_date(bundle))
        title = f"LAPORAN BULANAN PENGENDALIAN LAPANGAN KB KECAMATAN {name.upper()}"
        to = f"Kepada Yth. Camat {name}"
        copies = [f"Kepala DP3AP2KB Kota {_city_name(bundle)}", "Arsip"]
    blocks.insert(0, Paragraph(text=to))
    return _document(
        bundle,
        layout="kota" if level is Tingkat.KABKOTA else "kecamatan",
        title=title,
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=blocks,
        signatures=(sig,),
        tembusan=_tembusan(bundle, copies),
        findings=findings,
    )


# -- the kelurahan feedback report ---------------------------------------------------------------


def village_feedback(bundle: ReportBundle) -> Document:
    """The report a kelurahan receives back (umpan balik): its numbers, indicators and Poktan."""
    report = bundle.report
    assert isinstance(report, VillageReport)
    name = bundle.name_of(report.region)
    methods = Table(
        title="B. PESERTA KB AKTIF MENURUT METODE",
        columns=("No", "Metode kontrasepsi", "Peserta KB aktif", "Peserta KB baru"),
        rows=_rows(
            [(m.label_id, (f"pa.{m.code}", f"pb.{m.code}")) for m in Metode]
            + [("JUMLAH", ("pa", "pb"))],
            report,
            total_last=True,
        ),
    )
    poktan = Table(
        title="C. KELOMPOK KEGIATAN (POKTAN)",
        columns=(
            "No",
            "Poktan",
            "Ada",
            "Lapor",
            "Keluarga anggota",
            "PUS anggota",
            "PUS anggota ber-KB",
        ),
        rows=_rows(
            [
                (
                    p.label_id,
                    (
                        f"institusi_ada.{p.code}",
                        f"institusi_lapor.{p.code}",
                        f"anggota.{p.code}",
                        f"pus_anggota.{p.code}",
                        f"pus_anggota_kb.{p.code}",
                    ),
                )
                for p in Poktan
            ],
            report,
        ),
    )
    imp = Table(
        title="D. INSTITUSI MASYARAKAT PEDESAAN",
        columns=("No", "Institusi", "Ada", "Lapor"),
        rows=_rows(
            [
                (j.label_id, (f"institusi_ada.{j.code}", f"institusi_lapor.{j.code}"))
                for j in JenisInstitusi
                if not j.is_poktan or j is JenisInstitusi.PIKR
            ],
            report,
        ),
    )
    sig, findings = _signature(bundle, Tingkat.KELURAHAN, report.region, above=_place_date(bundle))
    kec = report.region.rsplit(".", 1)[0]
    return _document(
        bundle,
        layout="kelurahan",
        title=f"UMPAN BALIK LAPORAN PENGENDALIAN LAPANGAN KB KELURAHAN {name.upper()}",
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=[
            Paragraph(text=f"Kepada Yth. Lurah {name}"),
            _summary_table(bundle, f"A. Capaian kelurahan bulan {bundle.period.label_id}"),
            methods,
            _method_mix(report, "Peserta KB aktif menurut metode"),
            poktan,
            imp,
            _trend(bundle),
        ],
        signatures=(sig,),
        tembusan=_tembusan(
            bundle,
            [f"Camat {bundle.name_of(kec)}", f"PKB Kecamatan {bundle.name_of(kec)}", "Arsip"],
        ),
        findings=findings,
    )


#: Layout name → function, as the built-in exporters use them.
LAYOUTS: dict[str, Callable[[ReportBundle], Document]] = {
    "bkkbn": lambda b: fidal_village(b) if isinstance(b.report, VillageReport) else fidal_recap(b),
    "kota": area_report,
    "kecamatan": area_report,
    "kelurahan": village_feedback,
}
