"""Who each document is addressed to, who signs it and who receives a copy, as data.

Indonesian official correspondence (tata naskah dinas, Permendagri 1/2023) puts the addressee after
``Kepada Yth.``, the signers under their role words (``Mengetahui,``, ``Yang membuat laporan,``)
with name, NIP and appointing decree (SK), and the copies under ``Tembusan:``; an addressee is never
its own copy. The defaults follow the lanes of SOP 050/391 C-SKIT:

- the kelurahan's F/I/Dal/13 is made by its PPKBD, acknowledged by the PKB of the kecamatan and
  goes to the Dinas (Bidang KB) through the kecamatan;
- the Rek.Kec is made by the PKB for the Dinas; the Rek.Kab by the Dinas for the Perwakilan BKKBN
  Provinsi (step 5); the Rek.Prov by the Perwakilan for BKKBN;
- the Dinas reports to the Walikota, the Camat and the Lurah (step 6): those letters are signed by
  the head of the Dinas.

Texts may name the document's regions: ``{kota}`` (``Tangerang``), ``{kota_nama}``
(``Kota Tangerang``), ``{provinsi}``, ``{kecamatan}``, ``{kelurahan}``. A Dinas changes any of it
in the ``[dokumen.<kind>]`` tables of its report configuration
(:class:`~sikkb_exporters.ReportConfig`).

Example:
    >>> from sikkb_exporters.correspondence import DEFAULT_RULES, without_addressee
    >>> r = DEFAULT_RULES["kota"]
    >>> r.addressee, [s.role for s in r.signers]
    ('Walikota {kota}', ['kepala_dinas'])
    >>> without_addressee(["Walikota Tangerang (sebagai laporan)", "Arsip"], "Walikota Tangerang")
    ('Arsip',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import attrs

from sikkb.regions import Tingkat

__all__ = [
    "DEFAULT_RULES",
    "DOCUMENT_KINDS",
    "ROLES",
    "DocumentRules",
    "SignerSlot",
    "rules_from_mapping",
    "without_addressee",
]

#: The signer roles, each with the level whose region it serves and its default title.
ROLES: Mapping[str, tuple[Tingkat | None, str]] = MappingProxyType(
    {
        "kepala_dinas": (None, "Kepala Dinas"),
        "pkb": (Tingkat.KECAMATAN, "PKB Kecamatan {kecamatan}"),
        "ppkbd": (Tingkat.KELURAHAN, "PPKBD Kelurahan {kelurahan}"),
        "kepala_perwakilan": (None, "Kepala Perwakilan BKKBN Provinsi {provinsi}"),
    }
)

#: The document kinds that have their own rules, with what each one is.
DOCUMENT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "fidal": "F/I/Dal/13 (desa/kelurahan)",
        "rek_kec": "Rek.Kec/F/I/Dal",
        "rek_kab": "Rek.Kab/F/I/Dal",
        "rek_prov": "Rek.Prov/F/I/Dal",
        "kota": "Laporan bulanan kepada Walikota",
        "kecamatan": "Laporan bulanan kepada Camat",
        "kelurahan": "Umpan balik kepada Lurah",
    }
)


def _check_role(instance: object, attribute: object, value: str) -> None:
    if value not in ROLES:
        raise ValueError(f"unknown signer role {value!r} (one of {', '.join(ROLES)})")


@attrs.frozen(kw_only=True)
class SignerSlot:
    """One signature block of a document.

    Attributes:
        role: whose signature (a key of :data:`ROLES`): ``kepala_dinas``, ``pkb``, ``ppkbd``,
            ``kepala_perwakilan``.
        words: the role words above the title (``Mengetahui,``), or ``""``.
        dated: the place and date are printed above this block (the officer who sends it).
        nip: a NIP line (civil servants; a PPKBD is a cadre without NIP).
        sk: the appointing decree's line (number and date), when the signer has one.
    """

    role: str = attrs.field(validator=_check_role)
    words: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    dated: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    nip: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))
    sk: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))


def _slots(value: Iterable[SignerSlot]) -> tuple[SignerSlot, ...]:
    return tuple(value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _normal(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    text = re.sub(r"\b(kepada|yth\.?|bapak|ibu|sdr\.?)\s", " ", text)
    return " ".join(text.split())


def without_addressee(copies: Iterable[str], addressee: str) -> tuple[str, ...]:
    """The copy list without the addressee (``Walikota Tangerang (sebagai laporan)`` is the
    Walikota: words in brackets and ``Kepada Yth.`` are ignored)."""
    to = _normal(addressee)
    return tuple(c for c in copies if not to or _normal(c) != to)


@attrs.frozen(kw_only=True)
class DocumentRules:
    """The addressee, signers and copies of one document kind.

    Attributes:
        addressee: printed after ``Kepada Yth.`` (``""``: a form without addressee line).
        signers: the signature blocks, left to right.
        tembusan: the copy list; an entry naming the addressee is refused.
    """

    addressee: str = ""
    signers: tuple[SignerSlot, ...] = attrs.field(converter=_slots)
    tembusan: tuple[str, ...] = attrs.field(converter=_texts, default=())

    @tembusan.validator
    def _check_tembusan(self, attribute: object, value: tuple[str, ...]) -> None:
        own = [c for c in value if c not in without_addressee([c], self.addressee)]
        if own:
            raise ValueError(
                f"tembusan names the addressee {self.addressee!r} ({own[0]!r}): an addressee is "
                "never its own copy"
            )

    def filled(self, names: Mapping[str, str]) -> DocumentRules:
        """The rules with ``{kota}``, ``{kecamatan}`` ... replaced by the document's names."""

        def fill(text: str) -> str:
            return text.format_map(_Names(names))

        return DocumentRules(
            addressee=fill(self.addressee),
            signers=self.signers,
            tembusan=without_addressee((fill(t) for t in self.tembusan), fill(self.addressee)),
        )


class _Names(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _pkb_ack() -> SignerSlot:
    return SignerSlot(role="pkb", words="Mengetahui,", sk=True)


#: The rules of each document kind when the configuration does not change them.
DEFAULT_RULES: Mapping[str, DocumentRules] = MappingProxyType(
    {
        "fidal": DocumentRules(
            addressee="Kepala DP3AP2KB Kota {kota} c.q. Bidang KB",
            signers=[
                _pkb_ack(),
                SignerSlot(
                    role="ppkbd", words="Yang membuat laporan,", dated=True, nip=False, sk=True
                ),
            ],
            tembusan=["PKB Kecamatan {kecamatan}", "Lurah {kelurahan}", "Arsip"],
        ),
        "rek_kec": DocumentRules(
            addressee="Kepala DP3AP2KB Kota {kota} c.q. Bidang KB",
            signers=[SignerSlot(role="pkb", words="Yang membuat laporan,", dated=True, sk=True)],
            tembusan=["Camat {kecamatan}", "Arsip"],
        ),
        "rek_kab": DocumentRules(
            addressee="Kepala Perwakilan BKKBN Provinsi {provinsi}",
            signers=[SignerSlot(role="kepala_dinas", dated=True)],
            tembusan=["Walikota {kota}", "Arsip"],
        ),
        "rek_prov": DocumentRules(
            addressee="Kepala BKKBN",
            signers=[SignerSlot(role="kepala_perwakilan", dated=True)],
            tembusan=["Arsip"],
        ),
        "kota": DocumentRules(
            addressee="Walikota {kota}",
            signers=[SignerSlot(role="kepala_dinas", dated=True)],
            tembusan=[
                "Sekretaris Daerah {kota_nama}",
                "Kepala Perwakilan BKKBN Provinsi {provinsi}",
                "Arsip",
            ],
        ),
        "kecamatan": DocumentRules(
            addressee="Camat {kecamatan}",
            signers=[SignerSlot(role="kepala_dinas", dated=True)],
            tembusan=["PKB Kecamatan {kecamatan}", "Arsip"],
        ),
        "kelurahan": DocumentRules(
            addressee="Lurah {kelurahan}",
            signers=[SignerSlot(role="kepala_dinas", dated=True)],
            tembusan=[
                "Camat {kecamatan}",
                "PKB Kecamatan {kecamatan}",
                "PPKBD Kelurahan {kelurahan}",
                "Arsip",
            ],
        ),
    }
)


def rules_from_mapping(
    kind: str, raw: Mapping[str, object], base: DocumentRules, problems: list[str]
) -> DocumentRules | None:
    """Rules of ``kind`` from a ``[dokumen.<kind>]`` TOML table over ``base``; problems are
    appended (naming the key), ``None`` when the table is unusable."""
    where = f"dokumen.{kind}"
    known = {"kepada", "penandatangan", "tembusan"}
    problems += [f"{where}.{k}: unknown key" for k in raw if k not in known]
    addressee = raw.get("kepada", base.addressee)
    if not isinstance(addressee, str):
        problems.append(f"{where}.kepada must be text")
        return None
    tembusan = raw.get("tembusan", base.tembusan)
    if (
        not isinstance(tembusan, Sequence)
        or isinstance(tembusan, str)
        or not all(isinstance(t, str) for t in tembusan)
    ):
        problems.append(f"{where}.tembusan must be a list of text")
        return None
    signers: list[SignerSlot] = list(base.signers)
    if "penandatangan" in raw:
        signers = []
        slots = raw["penandatangan"]
        if not isinstance(slots, Sequence) or isinstance(slots, str):
            problems.append(f"{where}.penandatangan must be a list of tables ([[...]])")
            return None
        for i, slot in enumerate(slots, start=1):
            if not isinstance(slot, Mapping):
                problems.append(f"{where}.penandatangan #{i} must be a table")
                continue
            keys = {"peran": "role", "sebutan": "words", "tanggal": "dated", "nip": "nip",
                    "sk": "sk"}  # fmt: skip
            bad = sorted(set(slot) - set(keys))
            if bad:
                problems.append(f"{where}.penandatangan #{i}: unknown key(s) {', '.join(bad)}")
            try:
                signers.append(SignerSlot(**{keys[k]: v for k, v in slot.items() if k in keys}))
            except (TypeError, ValueError) as e:
                problems.append(f"{where}.penandatangan #{i}: {e}")
    try:
        return DocumentRules(addressee=addressee, signers=signers, tembusan=tembusan)
    except ValueError as e:
        problems.append(f"{where}: {e}")
        return None
