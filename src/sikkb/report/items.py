"""The item catalogue: every number of the F/I/Dal form, as data element × disaggregation.

Every reportable number is an :class:`Item`: a data element (``pa``) and a disaggregation
(``SUNTIK.PEMERINTAH``, ``BKB``, or ``""`` for none), like a DHIS2 data element with its category
option combo. Its **key** is ``element.disaggregation`` (``"pa.SUNTIK.PEMERINTAH"``), or the element
alone when there is no disaggregation (``"pus"``); keys are what reports store and what findings name
in ``Location.item``.

The catalogue holds the detailed cells *and* the form's totals. A total says which cells it is the
sum of (:attr:`Item.sums`, one or more alternative decompositions), so a form-entered report can carry
typed totals that disagree with its details and the report rule pack finds it. :data:`BOUNDS` lists
the inequalities (``lapor ≤ ada``, ...).

Aggregation kind: a **STOCK** is a state at the end of the month (a quarter or a year takes the last
month), a **FLOW** counts events in the month (a quarter or a year sums the months).

Example:
    >>> it = item("pa", "SUNTIK.PEMERINTAH")
    >>> it.key, it.section.name, it.kind.name, it.label.id
    ('pa.SUNTIK.PEMERINTAH', 'V', 'STOCK', 'Peserta KB aktif Suntik, Pemerintah')
    >>> item("pb", "IMPLAN").kind.name, item("pus").sums[0][:2]
    ('FLOW', ('pa', 'bukan_peserta.HAMIL'))
    >>> split_key("institusi_ada.SUB_PPKBD")
    ('institusi_ada', 'SUB_PPKBD')
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterator

import attrs

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, TempatPelayanan
from sikkb.errors import UnknownItemError
from sikkb.i18n import Text

__all__ = [
    "BOUNDS",
    "CATALOGUE",
    "TANPA_TEMPAT",
    "Bound",
    "Item",
    "Kind",
    "Section",
    "item",
    "item_key",
    "items",
    "not_applicable_keys",
    "split_key",
]

#: Disaggregation code of the "no place recorded" column (only MAL and TRADISIONAL may use it).
TANPA_TEMPAT = "TANPA_TEMPAT"


class Kind(enum.Enum):
    """How an item aggregates over time."""

    STOCK = "STOCK"
    FLOW = "FLOW"


class Section(enum.Enum):
    """The sections of F/I/Dal, in form order."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"

    @property
    def label(self) -> Text:
        return _SECTION_LABELS[self]

    @property
    def label_id(self) -> str:
        return self.label.id

    @property
    def label_en(self) -> str:
        return self.label.en


_SECTION_LABELS = {
    Section.I: Text("I. Keadaan umum", "I. General state (institutions)"),
    Section.II: Text("II. Kegiatan operasional", "II. Operational activities"),
    Section.III: Text(
        "III. Pembinaan ketahanan keluarga", "III. Family resilience (BKB, BKR, BKL)"
    ),
    Section.IV: Text("IV. Pembinaan kesejahteraan keluarga (UPPKA)", "IV. Family welfare (UPPKA)"),
    Section.V: Text("V. PUS dan kesertaan ber-KB", "V. PUS and KB participation"),
}


def item_key(element: str, disaggregation: str = "") -> str:
    """``("pa", "SUNTIK")`` → ``"pa.SUNTIK"``; ``("pus", "")`` → ``"pus"``."""
    return f"{element}.{disaggregation}" if disaggregation else element


def split_key(key: str) -> tuple[str, str]:
    """``"pa.SUNTIK.PEMERINTAH"`` → ``("pa", "SUNTIK.PEMERINTAH")`` (element codes have no dot)."""
    element, _, disaggregation = key.partition(".")
    return element, disaggregation


@attrs.frozen(kw_only=True)
class Item:
    """One reportable number of the form.

    Attributes:
        element: data element code (``"pa"``).
        disaggregation: disaggregation code (``"SUNTIK.PEMERINTAH"``), ``""`` for none.
        section: the form section.
        label: Indonesian (form wording) and English label.
        kind: STOCK or FLOW.
        order: position in form order (0-based, unique).
        sums: alternative decompositions: each a tuple of item keys whose sum this item equals.
            Empty for a detailed cell.
    """

    element: str
    disaggregation: str = ""
    section: Section
    label: Text
    kind: Kind
    order: int
    sums: tuple[tuple[str, ...], ...] = ()

    @property
    def key(self) -> str:
        return item_key(self.element, self.disaggregation)

    @property
    def is_total(self) -> bool:
        return bool(self.sums)

    @property
    def label_id(self) -> str:
        return self.label.id

    @property
    def label_en(self) -> str:
        return self.label.en


@attrs.frozen(kw_only=True)
class Bound:
    """An inequality every report should satisfy: ``lesser ≤ greater``.

    ``severity`` is the default severity of the finding when it does not hold (``"ERROR"`` or
    ``"WARNING"``); ``name`` groups bounds into report rules.
    """

    lesser: str
    greater: str
    name: str
    severity: str = "ERROR"


def _build() -> tuple[tuple[Item, ...], tuple[Bound, ...]]:
    out: list[Item] = []
    bounds: list[Bound] = []

    def add(
        element: str,
        disaggregation: str,
        section: Section,
        label_id: str,
        label_en: str,
        kind: Kind,
        sums: tuple[tuple[str, ...], ...] = (),
    ) -> str:
        it = Item(
            element=element,
            disaggregation=disaggregation,
            section=section,
            label=Text(label_id, label_en),
            kind=kind,
            order=len(out),
            sums=sums,
        )
        out.append(it)
        return it.key

    S, F = Kind.STOCK, Kind.FLOW

    # I. Keadaan umum: ada / lapor per jenis institusi.
    for j in JenisInstitusi:
        ada = add(
            "institusi_ada", j.code, Section.I, f"{j.label_id}: ada", f"{j.label_en}: existing", S
        )
        lapor = add(
            "institusi_lapor",
            j.code,
            Section.I,
            f"{j.label_id}: lapor",
            f"{j.label_en}: reported",
            S,
        )
        bounds.append(Bound(lesser=lapor, greater=ada, name="lapor-maks-ada"))

    # II. Kegiatan operasional.
    add(
        "rakor", "", Section.II, "Rapat koordinasi KB desa/kelurahan", "KB coordination meetings", F
    )
    add(
        "penyuluhan",
        "",
        Section.II,
        "Penyuluhan oleh PLKB/PKB",
        "Counselling sessions by PLKB/PKB",
        F,
    )
    add("kie_kit", "", Section.II, "KIE dengan KIE kit", "KIE sessions with a KIE kit", F)
    add(
        "tokoh_aktif",
        "",
        Section.II,
        "Tokoh masyarakat/agama aktif ber-KIE",
        "Active community/religious leaders doing KIE",
        S,
    )

    # III. Ketahanan keluarga: BKB, BKR, BKL.
    for p in (Poktan.BKB, Poktan.BKR, Poktan.BKL):
        c = p.code
        sas = add("sasaran", c, Section.III, f"{c}: keluarga sasaran", f"{c}: target families", S)
        ang = add("anggota", c, Section.III, f"{c}: keluarga anggota", f"{c}: member families", S)
        pa_ = add("pus_anggota", c, Section.III, f"{c}: PUS anggota", f"{c}: PUS among members", S)
        kb = add(
            "pus_anggota_kb",
            c,
            Section.III,
            f"{c}: PUS anggota ber-KB",
            f"{c}: PUS members using KB",
            S,
        )
        add("pertemuan", c, Section.III, f"{c}: pertemuan", f"{c}: meetings", F)
        bounds.append(
            Bound(lesser=ang, greater=sas, name="anggota-maks-sasaran", severity="WARNING")
        )
        bounds.append(Bound(lesser=kb, greater=pa_, name="pus-kb-maks-pus-anggota"))
        bounds.append(Bound(lesser=pa_, greater="pus", name="pus-anggota-maks-pus"))
        bounds.append(Bound(lesser=kb, greater="pa", name="pus-anggota-kb-maks-pa"))

    # IV. UPPKA.
    u = Poktan.UPPKA.code
    ang = add("anggota", u, Section.IV, "UPPKA: keluarga anggota", "UPPKA: member families", S)
    ang2 = add(
        "anggota_kps_ks1",
        u,
        Section.IV,
        "UPPKA: anggota Pra S dan KS I",
        "UPPKA: member families KPS and KS1",
        S,
    )
    pus_a = add("pus_anggota", u, Section.IV, "UPPKA: PUS anggota", "UPPKA: PUS among members", S)
    kb_a = add(
        "pus_anggota_kb",
        u,
        Section.IV,
        "UPPKA: PUS anggota ber-KB",
        "UPPKA: PUS members using KB",
        S,
    )
    pus_2 = add(
        "pus_anggota_kps_ks1",
        u,
        Section.IV,
        "UPPKA: PUS anggota Pra S dan KS I",
        "UPPKA: PUS among KPS and KS1 members",
        S,
    )
    kb_2 = add(
        "pus_anggota_kb_kps_ks1",
        u,
        Section.IV,
        "UPPKA: PUS anggota Pra S dan KS I ber-KB",
        "UPPKA: PUS among KPS and KS1 members using KB",
        S,
    )
    add("pertemuan", u, Section.IV, "UPPKA: pertemuan", "UPPKA: meetings", F)
    bounds += [
        Bound(lesser=ang2, greater=ang, name="uppka-kps-ks1-maks-anggota"),
        Bound(lesser=pus_2, greater=pus_a, name="uppka-kps-ks1-maks-anggota"),
        Bound(lesser=kb_2, greater=kb_a, name="uppka-kps-ks1-maks-anggota"),
        Bound(lesser=kb_a, greater=pus_a, name="pus-kb-maks-pus-anggota"),
        Bound(lesser=kb_2, greater=pus_2, name="pus-kb-maks-pus-anggota"),
        Bound(lesser=pus_a, greater="pus", name="pus-anggota-maks-pus"),
        Bound(lesser=kb_a, greater="pa", name="pus-anggota-kb-maks-pa"),
    ]

    # V. PUS dan kesertaan ber-KB.
    places = [t.code for t in TempatPelayanan]
    reasons = [f"bukan_peserta.{a.code}" for a in AlasanBukanPeserta]
    add(
        "pus",
        "",
        Section.V,
        "Jumlah PUS",
        "Number of PUS",
        S,
        sums=(("pa", *reasons),),
    )
    add(
        "pa",
        "",
        Section.V,
        "Jumlah peserta KB aktif",
        "Active KB participants (PA), total",
        S,
        sums=(
            tuple(f"pa.{m.code}" for m in Metode),
            (*(f"pa.{t}" for t in places), f"pa.{TANPA_TEMPAT}"),
        ),
    )
    for m in Metode:
        cols = [*places, *([TANPA_TEMPAT] if not m.needs_place else [])]
        add(
            "pa",
            m.code,
            Section.V,
            f"Peserta KB aktif {m.label_id}",
            f"Active participants, {m.label_en}",
            S,
            sums=(tuple(f"pa.{m.code}.{t}" for t in cols),),
        )
    place_labels = {t.code: (t.label_id, t.label_en) for t in TempatPelayanan}
    place_labels[TANPA_TEMPAT] = ("Tanpa tempat pelayanan", "No place recorded")
    for t in [*places, TANPA_TEMPAT]:
        users = [m for m in Metode if t != TANPA_TEMPAT or not m.needs_place]
        lid, len_ = place_labels[t]
        add(
            "pa",
            t,
            Section.V,
            f"Peserta KB aktif, {lid}",
            f"Active participants, {len_.lower()}",
            S,
            sums=(tuple(f"pa.{m.code}.{t}" for m in users),),
        )
    for m in Metode:
        for t in [*places, *([TANPA_TEMPAT] if not m.needs_place else [])]:
            lid, len_ = place_labels[t]
            add(
                "pa",
                f"{m.code}.{t}",
                Section.V,
                f"Peserta KB aktif {m.label_id}, {lid}",
                f"Active participants, {m.label_en}, {len_.lower()}",
                S,
            )
    add(
        "bukan_peserta",
        "",
        Section.V,
        "Jumlah bukan peserta KB",
        "Non-users, total",
        S,
        sums=(tuple(reasons),),
    )
    for a in AlasanBukanPeserta:
        add(
            "bukan_peserta",
            a.code,
            Section.V,
            f"Bukan peserta KB: {a.label_id}",
            f"Non-users: {a.label_en}",
            S,
        )
    add(
        "pb",
        "",
        Section.V,
        "Jumlah peserta KB baru",
        "New KB participants (PB), total",
        F,
        sums=(tuple(f"pb.{m.code}" for m in Metode),),
    )
    for m in Metode:
        add(
            "pb",
            m.code,
            Section.V,
            f"Peserta KB baru {m.label_id}",
            f"New participants, {m.label_en}",
            F,
        )
    # A PB is a PA at the end of the month (a PUS row's status is its state at month end).
    bounds.append(Bound(lesser="pb", greater="pa", name="pb-maks-pa"))
    for m in Metode:
        bounds.append(Bound(lesser=f"pb.{m.code}", greater=f"pa.{m.code}", name="pb-maks-pa"))
    return tuple(out), tuple(bounds)


#: Every item of the form, in form order.
#: Bounds (inequalities) between items, see :class:`Bound`.
CATALOGUE, BOUNDS = _build()

_BY_KEY = {it.key: it for it in CATALOGUE}
#: Cells the form greys out: a method that needs a place in the "no place recorded" column.
_NOT_APPLICABLE = frozenset(f"pa.{m.code}.{TANPA_TEMPAT}" for m in Metode if m.needs_place)


def not_applicable_keys() -> frozenset[str]:
    """Keys of the greyed-out cells (``pa.SUNTIK.TANPA_TEMPAT``): not applicable, never stored."""
    return _NOT_APPLICABLE


def item(element_or_key: str, disaggregation: str = "") -> Item:
    """The catalogue item for an element and disaggregation (or a full key).

    Raises:
        UnknownItemError: with the nearest keys suggested.
    """
    key = item_key(element_or_key, disaggregation) if disaggregation else element_or_key
    try:
        return _BY_KEY[key]
    except KeyError:
        near = difflib.get_close_matches(key, list(_BY_KEY), n=3, cutoff=0.6)
        raise UnknownItemError(key, near) from None


def items(section: Section | None = None) -> Iterator[Item]:
    """Catalogue items in form order, optionally of one section."""
    return (it for it in CATALOGUE if section is None or it.section is section)
