"""The pieces every printed layout shares: letterhead (kop), header block, signature block,
Tembusan, and the number cells read from a report (values and indicators).

Layouts never recompute a report's numbers: cells are read from the report; indicators are ratios
of two of its cells (undefined when the denominator is zero or missing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.regions import Tingkat
from sikkb.report import CellStatus, Ratio, Recap, RecapRow, VillageReport
from sikkb.report import indicators as ind
from sikkb.report.indicators import HasValues
from sikkb.rules.engine import Finding, Location, Severity
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.document import NA, Document, Pct, Row, RowStyle, Signature, Value
from sikkb_exporters.fmt import tanggal
from sikkb_exporters.layouts.notices import notices

__all__ = [
    "BLANK_NAME",
    "CHILD_WORD",
    "IND",
    "INDICATORS",
    "SIGNER_TITLE",
    "Indicator",
    "Source",
    "bare_name",
    "capital",
    "cell_values",
    "city_name",
    "header_lines",
    "kop_lines",
    "make_document",
    "missing_signer_finding",
    "numbered_rows",
    "place_date",
    "ratio",
    "signature_block",
    "tembusan_lines",
    "value",
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
IND = {i.id: i for i in INDICATORS}


def ratio(src: Source, indicator: Indicator) -> Pct:
    """An indicator of a report, recap total or recap row (undefined: ``Pct(None)``)."""
    return Pct(indicator.compute(src).percent)


def value(src: Source, key: str) -> Value:
    """A report cell as a document value: the number, ``None`` (not reported) or ``NA``."""
    if key.startswith("indikator:"):
        return ratio(src, IND[key.removeprefix("indikator:")])
    c = src.cell(key)
    if c.status is CellStatus.NOT_APPLICABLE:
        return NA
    return c.value


def cell_values(src: Source, keys: Sequence[str]) -> tuple[Value, ...]:
    return tuple(value(src, k) for k in keys)


def numbered_rows(
    specs: Sequence[tuple[str, Sequence[str]]], src: Source, *, total_last: bool = False
) -> list[Row]:
    rows = []
    for i, (label, keys) in enumerate(specs, start=1):
        total = total_last and i == len(specs)
        style: RowStyle = "total" if total else "normal"
        number = "" if total else str(i)
        rows.append(
            Row(
                cells=(number, label, *cell_values(src, keys)),
                keys=(None, None, *keys),
                style=style,
            )
        )
    return rows


# -- letterhead, header, signature ---------------------------------------------------------------


_LEVEL_WORD = {
    Tingkat.PROVINSI: "PROVINSI",
    Tingkat.KABKOTA: "KABUPATEN/KOTA",
    Tingkat.KECAMATAN: "KECAMATAN",
    Tingkat.KELURAHAN: "KELURAHAN/DESA",
}


def kop_lines(bundle: ReportBundle) -> tuple[str, ...]:
    if bundle.style is not None and bundle.style.kop is not None:
        return bundle.style.kop
    c = bundle.config
    return tuple(line for line in (c.pemerintah, c.dinas, c.alamat, c.kontak) if line)


def header_lines(bundle: ReportBundle) -> list[tuple[str, str]]:
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


def place_date(bundle: ReportBundle) -> str:
    when = (
        tanggal(bundle.signed_on)
        if bundle.signed_on
        else f"........................ {bundle.period.next().year}"
    )
    return f"{bundle.config.kota}, {when}"


SIGNER_TITLE = {
    Tingkat.PROVINSI: "Kepala Dinas",
    Tingkat.KABKOTA: "Kepala Dinas",
    Tingkat.KECAMATAN: "PKB Kecamatan {name}",
    Tingkat.KELURAHAN: "PPKBD Kelurahan {name}",
}
BLANK_NAME = "(.......................................)"


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


def signature_block(
    bundle: ReportBundle, level: Tingkat, code: str, *, above: str
) -> tuple[Signature, list[Finding]]:
    # a style's signer signs the report itself, not the "Mengetahui" block of another level
    own = bundle.style is not None and level is bundle.level and code == bundle.region_code
    signer = bundle.style.signer if own and bundle.style is not None else None
    signer = signer or bundle.config.signer_for(level, code)
    name = bundle.name_of(code)
    default_title = SIGNER_TITLE[level].format(name=name)
    if signer is None:
        return (
            Signature(
                jabatan=default_title,
                nama=BLANK_NAME,
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


def make_document(bundle: ReportBundle, **kwargs: object) -> Document:
    style = bundle.style
    logo = style.logo if style is not None and style.logo is not None else bundle.config.logo
    accent = style.accent if style is not None and style.accent else "#1f4e79"
    kwargs["notices"] = (*notices(bundle), *kwargs.get("notices", ()))  # type: ignore[misc]
    return Document(
        kop=kop_lines(bundle),
        logo=logo,
        header=header_lines(bundle),
        period=bundle.period,
        region_code=bundle.region_code,
        accent=accent,
        **kwargs,  # type: ignore[arg-type]
    )


def tembusan_lines(bundle: ReportBundle, default: Sequence[str]) -> tuple[str, ...]:
    return bundle.config.tembusan or tuple(default)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def bare_name(name: str) -> str:
    """``Kota Tangerang`` → ``Tangerang`` (for "Walikota Tangerang")."""
    for word in ("Kota ", "Kabupaten "):
        if name.startswith(word):
            return name.removeprefix(word)
    return name


def city_name(bundle: ReportBundle) -> str:
    code = bundle.region_code
    parts = code.split(".")
    city = ".".join(parts[:2]) if len(parts) >= 2 else code
    return bare_name(bundle.name_of(city))


#: The word for a recap's child units, as a table's column heading.
CHILD_WORD = {
    Tingkat.KECAMATAN: "Kecamatan",
    Tingkat.KELURAHAN: "Kelurahan/Desa",
    Tingkat.KABKOTA: "Kab/Kota",
}
