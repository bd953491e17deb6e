"""The code lists of the forms, in form order, with their properties as data.

Every enumeration's values are the codes written in registers and on BKKBN forms. ``parse()``
accepts any case, trims, and knows a short, documented list of aliases (:data:`ALIASES`); an unknown
code raises :class:`~sikkb.errors.InvalidCodeError` with the nearest codes suggested.

Example:
    >>> Metode.parse(" suntikan ")
    <Metode.SUNTIK: 'SUNTIK'>
    >>> Metode.IMPLAN.mkjp, Metode.TRADISIONAL.modern, Metode.MOP.pria
    (True, False, True)
    >>> parse_status_kb("HAMIL")
    <AlasanBukanPeserta.HAMIL: 'HAMIL'>
"""

from __future__ import annotations

import difflib
import enum
import re
from typing import Self

from sikkb.errors import InvalidCodeError

__all__ = [
    "ALIASES",
    "AlasanBukanPeserta",
    "CodeEnum",
    "JenisInstitusi",
    "Metode",
    "Poktan",
    "StatusKB",
    "TahapanKS",
    "TempatPelayanan",
    "parse_status_kb",
    "suggest",
]

#: Aliases accepted by ``parse()``, per enumeration: written form (upper case, spaces and dashes
#: folded to ``_``) → code. Documented in the register format guide.
ALIASES: dict[str, dict[str, str]] = {
    "Metode": {
        "SUNTIKAN": "SUNTIK",
        "INJEKSI": "SUNTIK",
        "IMPLANT": "IMPLAN",
        "SUSUK": "IMPLAN",
        "AKDR": "IUD",
        "SPIRAL": "IUD",
        "TUBEKTOMI": "MOW",
        "VASEKTOMI": "MOP",
        "PIL_KB": "PIL",
        "TRAD": "TRADISIONAL",
        "LAINNYA": "TRADISIONAL",
    },
    "TempatPelayanan": {"PEM": "PEMERINTAH", "GOVERNMENT": "PEMERINTAH", "SWT": "SWASTA", "PRIVATE": "SWASTA"},
    "JenisInstitusi": {"SUBPPKBD": "SUB_PPKBD", "KKB": "KELOMPOK_KB", "PIK_R": "PIKR", "UPPKS": "UPPKA"},
    "TahapanKS": {"PRA_KS": "KPS", "PRASEJAHTERA": "KPS", "KS_I": "KS1", "KS_II": "KS2", "KS_III": "KS3",
                  "KS_III+": "KS3+", "KS3_PLUS": "KS3+", "KS_3+": "KS3+", "KS_1": "KS1", "KS_2": "KS2",
                  "KS_3": "KS3"},
    "AlasanBukanPeserta": {},
    "Poktan": {"UPPKS": "UPPKA"},
}  # fmt: skip

_FOLD = re.compile(r"[\s\-]+")


def _fold(text: str) -> str:
    return _FOLD.sub("_", text.strip().upper())


def suggest(value: str, codes: list[str], n: int = 3) -> list[str]:
    """The codes nearest to ``value`` (``SUNTK`` → ``["SUNTIK"]``), best first."""
    folded = _fold(value)
    found = difflib.get_close_matches(folded, codes, n=n, cutoff=0.6)
    if not found:
        found = [c for c in codes if folded and (c.startswith(folded) or folded.startswith(c))][:n]
    return found


class CodeEnum(enum.Enum):
    """Base of the code lists: value = the form's code; labels in Indonesian and English."""

    @property
    def code(self) -> str:
        return str(self.value)

    @property
    def label_id(self) -> str:
        return _LABELS.get((type(self).__name__, self.code), (self.code, self.code))[0]

    @property
    def label_en(self) -> str:
        return _LABELS.get((type(self).__name__, self.code), (self.code, self.code))[1]

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    @classmethod
    def codes(cls) -> list[str]:
        return [m.code for m in cls]

    @classmethod
    def parse(cls, text: str | Self, *, kind: str | None = None) -> Self:
        """Parse a code: any case, trimmed, aliases of :data:`ALIASES` accepted.

        Raises:
            InvalidCodeError: naming ``kind`` (default: the enumeration) with suggestions.
        """
        if isinstance(text, cls):
            return text
        kind = kind or cls.__name__
        if not isinstance(text, str):
            raise InvalidCodeError(kind, text, ())
        folded = _fold(text)
        aliases = ALIASES.get(cls.__name__, {})
        folded = aliases.get(folded, folded)
        for member in cls:
            if member.code == folded or _fold(member.code) == folded:
                return member
        raise InvalidCodeError(kind, text, suggest(text, cls.codes() + list(aliases)))

    def __str__(self) -> str:
        return self.code


class Metode(CodeEnum):
    """Contraceptive methods (metode kontrasepsi), in the order of every BKKBN form."""

    IUD = "IUD"
    MOW = "MOW"
    MOP = "MOP"
    KONDOM = "KONDOM"
    IMPLAN = "IMPLAN"
    SUNTIK = "SUNTIK"
    PIL = "PIL"
    MAL = "MAL"
    TRADISIONAL = "TRADISIONAL"

    @property
    def modern(self) -> bool:
        """Counted in mCPR (every method but TRADISIONAL)."""
        return self is not Metode.TRADISIONAL

    @property
    def mkjp(self) -> bool:
        """Long-acting or permanent (Metode Kontrasepsi Jangka Panjang) — IUD, MOW, MOP, IMPLAN."""
        return self in _MKJP

    @property
    def pria(self) -> bool:
        """A male method (KB pria) — MOP and KONDOM."""
        return self in _PRIA

    @property
    def needs_place(self) -> bool:
        """``tempat_pelayanan`` is required (every method but MAL and TRADISIONAL)."""
        return self not in _NO_PLACE


_MKJP = frozenset({Metode.IUD, Metode.MOW, Metode.MOP, Metode.IMPLAN})
_PRIA = frozenset({Metode.MOP, Metode.KONDOM})
_NO_PLACE = frozenset({Metode.MAL, Metode.TRADISIONAL})


class AlasanBukanPeserta(CodeEnum):
    """Why a PUS is not a KB participant (bukan peserta KB), in form order."""

    HAMIL = "HAMIL"
    IAS = "IAS"
    IAT = "IAT"
    TIAL = "TIAL"

    @property
    def unmet_need(self) -> bool:
        """Counted in the routine unmet need — IAT and TIAL (a decision of the domain primer)."""
        return self in (AlasanBukanPeserta.IAT, AlasanBukanPeserta.TIAL)


#: ``status_kb`` of a PUS row: a method (the couple is PA) or a reason for not using one.
StatusKB = Metode | AlasanBukanPeserta


def parse_status_kb(text: str | StatusKB) -> StatusKB:
    """Parse a ``status_kb`` code into a :class:`Metode` or an :class:`AlasanBukanPeserta`."""
    if isinstance(text, Metode | AlasanBukanPeserta):
        return text
    try:
        return Metode.parse(text, kind="status_kb")
    except InvalidCodeError:
        pass
    try:
        return AlasanBukanPeserta.parse(text, kind="status_kb")
    except InvalidCodeError:
        all_codes = Metode.codes() + AlasanBukanPeserta.codes() + list(ALIASES["Metode"])
        raise InvalidCodeError("status_kb", text, suggest(str(text), all_codes)) from None


class TempatPelayanan(CodeEnum):
    """Where a method was obtained."""

    PEMERINTAH = "PEMERINTAH"
    SWASTA = "SWASTA"


class JenisInstitusi(CodeEnum):
    """Institutions and activity groups (section I of F/I/Dal), in form order."""

    PPKBD = "PPKBD"
    SUB_PPKBD = "SUB_PPKBD"
    KELOMPOK_KB = "KELOMPOK_KB"
    BKB = "BKB"
    BKR = "BKR"
    BKL = "BKL"
    UPPKA = "UPPKA"
    PIKR = "PIKR"

    @property
    def is_poktan(self) -> bool:
        """An activity group (Poktan) rather than a village KB institution (IMP)."""
        return self in (JenisInstitusi.BKB, JenisInstitusi.BKR, JenisInstitusi.BKL,
                        JenisInstitusi.UPPKA, JenisInstitusi.PIKR)  # fmt: skip


class Poktan(CodeEnum):
    """The Poktan whose member families a register records (sections III and IV)."""

    BKB = "BKB"
    BKR = "BKR"
    BKL = "BKL"
    UPPKA = "UPPKA"

    @property
    def jenis(self) -> JenisInstitusi:
        return JenisInstitusi(self.value)

    @property
    def has_sasaran(self) -> bool:
        """BKB, BKR and BKL record target families; UPPKA does not."""
        return self is not Poktan.UPPKA


class TahapanKS(CodeEnum):
    """Family welfare stage (tahapan keluarga sejahtera)."""

    KPS = "KPS"
    KS1 = "KS1"
    KS2 = "KS2"
    KS3 = "KS3"
    KS3_PLUS = "KS3+"

    @property
    def kps_ks1(self) -> bool:
        """Pra sejahtera or KS I — the families section IV counts separately."""
        return self in (TahapanKS.KPS, TahapanKS.KS1)


_LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("Metode", "IUD"): ("IUD", "IUD"),
    ("Metode", "MOW"): ("MOW", "Female sterilisation (MOW)"),
    ("Metode", "MOP"): ("MOP", "Male sterilisation (MOP)"),
    ("Metode", "KONDOM"): ("Kondom", "Condom"),
    ("Metode", "IMPLAN"): ("Implan", "Implant"),
    ("Metode", "SUNTIK"): ("Suntik", "Injectable"),
    ("Metode", "PIL"): ("Pil", "Pill"),
    ("Metode", "MAL"): ("MAL", "Lactational amenorrhoea (MAL)"),
    ("Metode", "TRADISIONAL"): ("Tradisional", "Traditional"),
    ("AlasanBukanPeserta", "HAMIL"): ("Hamil", "Pregnant"),
    ("AlasanBukanPeserta", "IAS"): ("Ingin anak segera (IAS)", "Wants a child now (IAS)"),
    ("AlasanBukanPeserta", "IAT"): ("Ingin anak ditunda (IAT)", "Wants to delay (IAT)"),
    ("AlasanBukanPeserta", "TIAL"): (
        "Tidak ingin anak lagi (TIAL)",
        "Wants no more children (TIAL)",
    ),
    ("TempatPelayanan", "PEMERINTAH"): ("Pemerintah", "Government"),
    ("TempatPelayanan", "SWASTA"): ("Swasta", "Private"),
    ("JenisInstitusi", "PPKBD"): ("PPKBD", "PPKBD (kelurahan)"),
    ("JenisInstitusi", "SUB_PPKBD"): ("Sub-PPKBD", "Sub-PPKBD (RW)"),
    ("JenisInstitusi", "KELOMPOK_KB"): ("Kelompok KB", "KB group (RT)"),
    ("JenisInstitusi", "BKB"): ("BKB", "BKB (families with children 0-6)"),
    ("JenisInstitusi", "BKR"): ("BKR", "BKR (families with teenagers)"),
    ("JenisInstitusi", "BKL"): ("BKL", "BKL (families with elderly)"),
    ("JenisInstitusi", "UPPKA"): ("UPPKA", "UPPKA (family income group)"),
    ("JenisInstitusi", "PIKR"): ("PIK-R", "PIK-R (youth counselling)"),
    ("Poktan", "BKB"): ("BKB", "BKB"),
    ("Poktan", "BKR"): ("BKR", "BKR"),
    ("Poktan", "BKL"): ("BKL", "BKL"),
    ("Poktan", "UPPKA"): ("UPPKA", "UPPKA"),
    ("TahapanKS", "KPS"): ("Pra Sejahtera", "Pre-prosperous"),
    ("TahapanKS", "KS1"): ("KS I", "Prosperous I"),
    ("TahapanKS", "KS2"): ("KS II", "Prosperous II"),
    ("TahapanKS", "KS3"): ("KS III", "Prosperous III"),
    ("TahapanKS", "KS3+"): ("KS III Plus", "Prosperous III Plus"),
}
