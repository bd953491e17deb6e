"""The pieces every printed layout shares: letterhead (kop), header block, signature block,
Tembusan, and the number cells read from a report (values and indicators).

Layouts never recompute a report's numbers: cells are read from the report; indicators are ratios
of two of its cells (undefined when the denominator is zero or missing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.regions import Tingkat
from sikkb.report import CellStatus, Ratio, Recap, RecapRow, VillageReport
from sikkb.report import indicators as ind
from sikkb.report.indicators import HasValues
from sikkb.rules.engine import Finding, Location, Severity
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.config import Signer
from sikkb_exporters.correspondence import ROLES, SignerSlot
from sikkb_exporters.document import NA, Document, Pct, Row, RowStyle, Signature, Value
from sikkb_exporters.fmt import tanggal
from sikkb_exporters.layouts.notices import notices

__all__ = [
    "CHILD_WORD",
    "IND",
    "INDICATORS",
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
    "region_names",
    "signature_block",
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
    Tingkat.KOTA: "KABUPATEN/KOTA",
    Tingkat.KECAMATAN: "KECAMATAN",
    Tingkat.KELURAHAN: "KELURAHAN/DESA",
}


def kop_lines(bundle: ReportBundle) -> tuple[str, ...]:
    """The letterhead lines; a missing address is an empty line (printed as a line to fill in)."""
    if bundle.style is not None and bundle.style.kop is not None:
        return bundle.style.kop
    c = bundle.config
    return (
        tuple(line for line in (c.pemerintah, c.dinas) if line)
        + (c.alamat,)
        + ((c.kontak,) if c.kontak else ())
    )


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


_WHO = {
    "kepala_dinas": ("Kepala Dinas", "head of the Dinas"),
    "pkb": ("PKB", "PKB"),
    "ppkbd": ("PPKBD", "PPKBD"),
    "kepala_perwakilan": (
        "Kepala Perwakilan BKKBN Provinsi",
        "head of the provincial BKKBN office",
    ),
}
_LEVEL_ROLE = {Tingkat.KECAMATAN: "pkb", Tingkat.KELURAHAN: "ppkbd"}


def missing_signer_finding(
    level: Tingkat, code: str, period: Period, *, role: str | None = None
) -> Finding:
    """The WARNING an export returns when the configuration names no signer for a report
    (``role`` from :data:`~sikkb_exporters.correspondence.ROLES`; default: the level's officer)."""
    role = role or _LEVEL_ROLE.get(level, "kepala_dinas")
    who = _WHO[role]
    key = f'{role}."{code}"' if ROLES[role][0] is not None else role
    return Finding(
        rule_id="penandatangan-belum-diisi",
        severity=Severity.WARNING,
        location=Location(region=code, period=period, item="penandatangan"),
        message=Text(
            f"Penandatangan ({who[0]}) untuk {code} belum diisi di konfigurasi; laporan dicetak "
            "dengan garis kosong untuk nama",
            f"No signer ({who[1]}) for {code} in the configuration; the report is printed with a "
            "blank line for the name",
        ),
        hint=Text(
            f"Isi [penandatangan.{key}] di berkas konfigurasi laporan (nama, NIP, nomor dan "
            "tanggal SK)",
            f"Fill in [penandatangan.{key}] in the report configuration (name, NIP, SK number "
            "and date)",
        ),
    )


def _kop_finding(bundle: ReportBundle, item: str, what: tuple[str, str]) -> Finding:
    return Finding(
        rule_id=f"kop-{item}-belum-diisi",
        severity=Severity.WARNING,
        location=Location(region=bundle.region_code, period=bundle.period, item=f"kop.{item}"),
        message=Text(
            f"{what[0]} kop surat belum diisi di konfigurasi; laporan dicetak tanpa {what[0].lower()}"
            + (" (garis kosong untuk diisi tangan)" if item == "alamat" else ""),
            f"No letterhead {what[1]} in the configuration; the report is printed without it"
            + (" (a blank line to fill in by hand)" if item == "alamat" else ""),
        ),
        hint=Text(
            f"Isi kop.{item} di berkas konfigurasi laporan",
            f"Fill in kop.{item} in the report configuration",
        ),
    )


def region_names(bundle: ReportBundle) -> dict[str, str]:
    """The names a document's texts may use: ``kota``, ``kota_nama``, ``provinsi``,
    ``kecamatan``, ``kelurahan`` (those above the document's level are left out)."""
    parts = bundle.region_code.split(".")
    names: dict[str, str] = {"provinsi": bundle.name_of(parts[0])}
    if len(parts) >= 2:
        names["kota_nama"] = bundle.name_of(".".join(parts[:2]))
        names["kota"] = bare_name(names["kota_nama"])
    if len(parts) >= 3:
        names["kecamatan"] = bundle.name_of(".".join(parts[:3]))
    if len(parts) >= 4:
        names["kelurahan"] = bundle.name_of(".".join(parts[:4]))
    return names


def _sk_line(signer: Signer) -> str:
    if not signer.sk_nomor:
        return ""
    return f"SK No. {signer.sk_nomor}" + (
        f" tanggal {tanggal(signer.sk_tanggal)}" if signer.sk_tanggal else ""
    )


def signature_block(bundle: ReportBundle, slot: SignerSlot) -> tuple[Signature, list[Finding]]:
    """One signature block of the document: the configured officer of the slot's role, or blank
    lines to fill in by hand and a WARNING."""
    # a style's signer signs the report itself (the dated block), not the "Mengetahui" block
    signer = bundle.style.signer if bundle.style is not None and slot.dated else None
    signer = signer or bundle.config.signer_by_role(slot.role, bundle.region_code)
    names = region_names(bundle)
    default_title = ROLES[slot.role][1].format_map(names)
    above = "\n".join(x for x in (place_date(bundle) if slot.dated else "", slot.words) if x)
    if signer is None:
        level = ROLES[slot.role][0]
        code = bundle.region_code
        if level is not None:
            code = ".".join(code.split(".")[: {Tingkat.KECAMATAN: 3, Tingkat.KELURAHAN: 4}[level]])
        return (
            Signature(jabatan=default_title, nama="", nip_line=slot.nip, above=above),
            [missing_signer_finding(bundle.level, code, bundle.period, role=slot.role)],
        )
    return Signature(
        jabatan=signer.jabatan or default_title,
        nama=signer.nama,
        nip=signer.nip if slot.nip else "",
        nip_line=slot.nip,
        sk=_sk_line(signer) if slot.sk else "",
        above=above,
    ), []


def make_document(bundle: ReportBundle, kind: str, **kwargs: Any) -> Document:
    """A document of ``kind`` (a key of :data:`~sikkb_exporters.correspondence.DOCUMENT_KINDS`):
    letterhead, header, addressee, signers and copies from the bundle's configuration and the kind's
    rules; ``kwargs`` are the layout's own fields (title, blocks...)."""
    style = bundle.style
    logo = style.logo if style is not None and style.logo is not None else bundle.config.logo
    accent = style.accent if style is not None and style.accent else "#1f4e79"
    rules = bundle.config.rules_for(kind).filled(region_names(bundle))
    findings: list[Finding] = []
    signatures = []
    for slot in rules.signers:
        sig, found = signature_block(bundle, slot)
        signatures.append(sig)
        findings += found
    kop = kop_lines(bundle)
    if "" in kop:
        findings.append(_kop_finding(bundle, "alamat", ("Alamat", "address")))
    if logo is None:
        findings.append(_kop_finding(bundle, "logo", ("Logo", "logo")))
    kwargs["notices"] = (*notices(bundle), *kwargs.get("notices", ()))
    return Document(
        kop=kop,
        logo=logo,
        header=header_lines(bundle),
        period=bundle.period,
        region_code=bundle.region_code,
        accent=accent,
        addressee=rules.addressee,
        signatures=signatures,
        tembusan=rules.tembusan,
        findings=findings,
        sample_data=bundle.sample_data,
        **kwargs,
    )


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
    Tingkat.KOTA: "Kab/Kota",
}
