"""Report configuration: letterhead, logo, signers and copy list (``ReportConfig``), loaded from TOML.

An office restyles its reports here, or through the :func:`~sikkb_exporters.hookspecs.sikkb_report_style`
hook, without forking an exporter. Example TOML (every key optional)::

    [kop]                                   # letterhead
    pemerintah = "PEMERINTAH KOTA TANGERANG"
    dinas = "DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA"
    alamat = "Jl. Satria Sudirman No. 1, Tangerang"
    kontak = "Telp. (021) 5555-0000"
    kota = "Tangerang"                      # where reports are signed: "Tangerang, 5 November 2026"
    logo = "logo-default.svg"               # a package asset, or a file listed in allowed_files

    [penandatangan.kepala_dinas]
    nama = "..."
    nip = "19700101 199503 1 001"
    jabatan = "Kepala Dinas"
    sk_nomor = "821.2/Kep.12-BKPSDM/2024"
    sk_tanggal = 2024-01-15

    [penandatangan.pkb."36.71.01"]          # the PKB of a kecamatan, by code
    nama = "..."

    [penandatangan.ppkbd."36.71.01.1001"]   # the PPKBD of a kelurahan, by code
    nama = "..."

    [penandatangan.kepala_perwakilan]       # signs the Rek.Prov (Perwakilan BKKBN Provinsi)
    nama = "..."

    [dokumen.kota]                          # per document kind: fidal, rek_kec, rek_kab,
    kepada = "Walikota Tangerang"           #   rek_prov, kota, kecamatan, kelurahan
    tembusan = ["Sekretaris Daerah Kota Tangerang", "Arsip"]
    [[dokumen.kota.penandatangan]]          # the signature blocks, left to right
    peran = "kepala_dinas"                  # kepala_dinas, pkb, ppkbd, kepala_perwakilan
    sebutan = ""                            # role words: "Mengetahui,", "a.n. Walikota", ...
    tanggal = true                          # place and date above this block
    nip = true                              # a NIP line
    sk = false                              # the appointing decree's line

    tembusan = ["Arsip"]   # (top level, legacy) one copy list for every document

Defaults for every document kind are :data:`~sikkb_exporters.correspondence.DEFAULT_RULES`; texts
may name ``{kota}``, ``{kota_nama}``, ``{provinsi}``, ``{kecamatan}``, ``{kelurahan}``. A copy that
names the document's addressee is never printed.

Example:
    >>> cfg = ReportConfig.from_toml_text('[penandatangan.kepala_dinas]\\nnama = "Dr. A"\\nnip = "1"')
    >>> cfg.signer_for(Tingkat.KOTA, "36.71").nama, cfg.signer_for(Tingkat.KECAMATAN, "36.71.01")
    ('Dr. A', None)
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from sikkb.regions import Tingkat, parse_region_code
from sikkb_exporters.correspondence import (
    DEFAULT_RULES,
    DOCUMENT_KINDS,
    ROLES,
    DocumentRules,
    rules_from_mapping,
    without_addressee,
)
from sikkb_exporters.errors import ReportConfigError, UnsafeResourceError

__all__ = ["Logo", "ReportConfig", "ReportStyle", "Signer", "asset_bytes", "load_config"]

_ASSETS = "sikkb_exporters.assets"
_MEDIA = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def asset_bytes(name: str) -> bytes:
    """The bytes of a package asset (``logo-default.svg``); nothing else can be read this way.

    Raises:
        UnsafeResourceError: the name is not a plain file name of a shipped asset.
    """
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise UnsafeResourceError(name)
    res = importlib.resources.files(_ASSETS).joinpath(name)
    if not res.is_file():
        raise UnsafeResourceError(name)
    return res.read_bytes()


@attrs.frozen(kw_only=True)
class Logo:
    """An image embedded in the letterhead: its bytes and media type, read once at the edge."""

    data: bytes = attrs.field(repr=lambda b: f"<{len(b)} bytes>")
    media_type: str = attrs.field()

    @media_type.validator
    def _check(self, attribute: object, value: str) -> None:
        if value not in _MEDIA.values():
            raise ValueError(f"logo must be SVG, PNG or JPEG, not {value!r}")

    @classmethod
    def asset(cls, name: str = "logo-default.svg") -> Logo:
        """A logo shipped in the package."""
        return cls(data=asset_bytes(name), media_type=_MEDIA.get(Path(name).suffix.lower(), ""))


@attrs.frozen(kw_only=True)
class Signer:
    """An officer who signs a report, and the decree (SK) appointing them.

    Attributes:
        nama: name as printed under the signature.
        jabatan: title (``Kepala Dinas``, ``PKB Kecamatan Cibodas``, ``PPKBD``).
        nip: civil-servant number (empty for a PPKBD who is not a civil servant).
        sk_nomor, sk_tanggal: number and date of the appointing decree.
    """

    nama: str = attrs.field()
    jabatan: str = ""
    nip: str = ""
    sk_nomor: str = ""
    sk_tanggal: dt.date | None = None

    @nama.validator
    def _check_nama(self, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a signer needs a name (nama)")


def _code_pairs(
    value: Iterable[tuple[str, Signer]] | Mapping[str, Signer],
) -> tuple[tuple[str, Signer], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((parse_region_code(k), v) for k, v in pairs))


def _str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _rule_pairs(
    value: Iterable[tuple[str, DocumentRules]] | Mapping[str, DocumentRules],
) -> tuple[tuple[str, DocumentRules], ...]:
    pairs = tuple(sorted(value.items() if isinstance(value, Mapping) else value))
    for kind, _ in pairs:
        if kind not in DOCUMENT_KINDS:
            raise ValueError(f"unknown document kind {kind!r} (one of {', '.join(DOCUMENT_KINDS)})")
    return pairs


@attrs.frozen(kw_only=True)
class ReportConfig:
    """How printed reports look and who signs them.

    Attributes:
        pemerintah: first letterhead line (``PEMERINTAH KOTA TANGERANG``).
        dinas: the office's name.
        alamat: address line; kontak: phone / e-mail line.
        kota: the place written before the signing date.
        logo: the letterhead image (``None``, the default: none is printed, and the documents
            carry a WARNING until one is configured).
        kepala_dinas: the head of the Dinas (signs the Rek.Kab and the letters of SOP step 6).
        pkb: the PKB of each kecamatan, as (kecamatan code, signer) pairs.
        ppkbd: the PPKBD of each kelurahan, as (kelurahan code, signer) pairs.
        kepala_perwakilan: the head of the Perwakilan BKKBN Provinsi (signs the Rek.Prov).
        tembusan: one copy list for every document (legacy; ``documents`` is per kind).
        documents: per document kind, its addressee, signers and copies, over
            :data:`~sikkb_exporters.correspondence.DEFAULT_RULES`.
    """

    pemerintah: str = "PEMERINTAH KOTA TANGERANG"
    dinas: str = (
        "DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, "
        "PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA"
    )
    alamat: str = ""
    kontak: str = ""
    kota: str = "Tangerang"
    logo: Logo | None = None
    kepala_dinas: Signer | None = None
    pkb: tuple[tuple[str, Signer], ...] = attrs.field(default=(), converter=_code_pairs)
    ppkbd: tuple[tuple[str, Signer], ...] = attrs.field(default=(), converter=_code_pairs)
    kepala_perwakilan: Signer | None = None
    tembusan: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    documents: tuple[tuple[str, DocumentRules], ...] = attrs.field(
        default=(), converter=_rule_pairs
    )

    def rules_for(self, kind: str) -> DocumentRules:
        """The addressee, signers and copies of a document kind (``kota``, ``fidal``, ...)."""
        rules = dict(self.documents).get(kind) or DEFAULT_RULES[kind]
        if self.tembusan and kind not in dict(self.documents):
            copies = without_addressee(self.tembusan, rules.addressee)
            rules = attrs.evolve(rules, tembusan=copies)
        return rules

    def signer_by_role(self, role: str, code: str) -> Signer | None:
        """The configured officer of ``role`` serving region ``code`` (``None``: not configured)."""
        level = ROLES[role][0]
        if level is None:
            return self.kepala_perwakilan if role == "kepala_perwakilan" else self.kepala_dinas
        parts = parse_region_code(code).split(".")
        own = ".".join(parts[: {Tingkat.KECAMATAN: 3, Tingkat.KELURAHAN: 4}[level]])
        table = self.pkb if level is Tingkat.KECAMATAN else self.ppkbd
        return dict(table).get(own)

    def signer_for(self, level: Tingkat, code: str) -> Signer | None:
        """The officer who signs a report of ``level`` for region ``code`` (``None``: not configured)."""
        if level in (Tingkat.KOTA, Tingkat.PROVINSI):
            return self.kepala_dinas
        table = self.pkb if level is Tingkat.KECAMATAN else self.ppkbd
        return dict(table).get(parse_region_code(code))

    @classmethod
    def from_toml_text(
        cls, text: str, *, source: str = "<string>", base: Path | None = None,
        allowed_files: Iterable[str | os.PathLike[str]] = (),
    ) -> ReportConfig:  # fmt: skip
        """Parse TOML text (see the module docstring).

        Raises:
            ReportConfigError: listing every problem.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ReportConfigError(source, [str(e)]) from None
        return cls.from_mapping(data, source=source, base=base, allowed_files=allowed_files)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, source: str = "<mapping>", base: Path | None = None,
        allowed_files: Iterable[str | os.PathLike[str]] = (),
    ) -> ReportConfig:  # fmt: skip
        """Build from a parsed TOML mapping; a logo is read only from the package's assets or from a
        file listed in ``allowed_files``."""
        problems: list[str] = []
        kop = dict(data.get("kop", {}))
        kwargs: dict[str, Any] = {}
        for key in ("pemerintah", "dinas", "alamat", "kontak", "kota"):
            if key in kop:
                if isinstance(kop[key], str):
                    kwargs[key] = kop.pop(key)
                else:
                    problems.append(f"kop.{key} must be text")
                    kop.pop(key)
        if "logo" in kop:
            logo = kop.pop("logo")
            try:
                kwargs["logo"] = _load_logo(logo, base, allowed_files)
            except (UnsafeResourceError, OSError, ValueError) as e:
                problems.append(f"kop.logo: {e}")
        problems += [f"kop.{k}: unknown key" for k in kop]
        signers = dict(data.get("penandatangan", {}))
        for role in ("kepala_dinas", "kepala_perwakilan"):
            if role in signers:
                kwargs[role] = _signer(signers.pop(role), role, problems)
        for level in ("pkb", "ppkbd"):
            pairs = []
            for code, raw in dict(signers.pop(level, {})).items():
                try:
                    parsed = parse_region_code(code)
                except ValueError:
                    problems.append(f"penandatangan.{level}: {code!r} is not a region code")
                    continue
                s = _signer(raw, f"{level}.{code}", problems)
                if s is not None:
                    pairs.append((parsed, s))
            kwargs[level] = pairs
        problems += [f"penandatangan.{k}: unknown key" for k in signers]
        tembusan = data.get("tembusan", ())
        if not isinstance(tembusan, list | tuple) or not all(isinstance(t, str) for t in tembusan):
            problems.append("tembusan must be a list of text")
        else:
            kwargs["tembusan"] = tembusan
        documents = data.get("dokumen", {})
        if not isinstance(documents, Mapping):
            problems.append("dokumen must be a table ([dokumen.kota] ...)")
            documents = {}
        pairs_doc = []
        for kind, raw in documents.items():
            if kind not in DOCUMENT_KINDS:
                problems.append(
                    f"dokumen.{kind}: unknown document kind (one of {', '.join(DOCUMENT_KINDS)})"
                )
            elif not isinstance(raw, Mapping):
                problems.append(f"dokumen.{kind} must be a table")
            elif (
                rules := rules_from_mapping(kind, raw, DEFAULT_RULES[kind], problems)
            ) is not None:
                pairs_doc.append((kind, rules))
        kwargs["documents"] = pairs_doc
        problems += [
            f"{k}: unknown key"
            for k in data
            if k not in ("kop", "penandatangan", "tembusan", "dokumen")
        ]
        if problems:
            raise ReportConfigError(source, problems)
        return cls(**kwargs)


def _signer(raw: Any, where: str, problems: list[str]) -> Signer | None:
    if not isinstance(raw, Mapping):
        problems.append(f"penandatangan.{where} must be a table")
        return None
    known = {"nama", "jabatan", "nip", "sk_nomor", "sk_tanggal"}
    unknown = sorted(set(raw) - known)
    if unknown:
        problems.append(f"penandatangan.{where}: unknown key(s) {', '.join(unknown)}")
    fields = {k: raw[k] for k in known if k in raw}
    if isinstance(fields.get("sk_tanggal"), dt.datetime) or (
        "sk_tanggal" in fields and not isinstance(fields["sk_tanggal"], dt.date)
    ):
        problems.append(f"penandatangan.{where}.sk_tanggal must be a date (2024-01-15)")
        return None
    for k in ("nama", "jabatan", "nip", "sk_nomor"):
        if k in fields and not isinstance(fields[k], str):
            fields[k] = str(fields[k])
    try:
        return Signer(**fields)
    except (TypeError, ValueError) as e:
        problems.append(f"penandatangan.{where}: {e}")
        return None


def _load_logo(
    value: Any, base: Path | None, allowed: Iterable[str | os.PathLike[str]]
) -> Logo | None:
    if value in (None, "", False):
        return None
    if not isinstance(value, str):
        raise ValueError("must be a file name")
    allowed_paths = {Path(a).resolve() for a in allowed}
    candidate = (base / value if base is not None else Path(value)).resolve()
    if candidate in allowed_paths:
        media = _MEDIA.get(candidate.suffix.lower())
        if media is None:
            raise ValueError("a logo must be .svg, .png or .jpg")
        return Logo(data=candidate.read_bytes(), media_type=media)
    return Logo.asset(value)  # raises UnsafeResourceError for anything but a shipped asset


def load_config(
    path: str | os.PathLike[str], *, allowed_files: Iterable[str | os.PathLike[str]] = ()
) -> ReportConfig:
    """Read a report configuration from a TOML file (the edge: this reads files).

    A ``kop.logo`` is taken from the package's assets unless it names (relative to the TOML file) one
    of ``allowed_files``.

    Raises:
        ReportConfigError: the file cannot be read or is invalid.
    """
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except OSError as e:
        raise ReportConfigError(str(p), [str(e)]) from None
    return ReportConfig.from_toml_text(
        text, source=str(p), base=p.parent, allowed_files=allowed_files
    )


@attrs.frozen(kw_only=True)
class ReportStyle:
    """What a :func:`~sikkb_exporters.hookspecs.sikkb_report_style` hook returns to restyle one report; ``None`` keeps the
    configuration's value.

    Attributes:
        kop: letterhead lines replacing ``pemerintah`` / ``dinas`` / ``alamat`` / ``kontak``.
        logo: the letterhead image.
        signer: the officer who signs this report.
        accent: an accent colour for headings and charts (``#1f4e79``).
    """

    kop: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple)
    )
    logo: Logo | None = None
    signer: Signer | None = None
    accent: str | None = attrs.field(default=None)

    @accent.validator
    def _check_accent(self, attribute: object, value: str | None) -> None:
        if value is not None and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ValueError(f"accent must be a colour like '#1f4e79', not {value!r}")
