"""Kemendagri region codes and the region table (province → kab/kota → kecamatan → kelurahan/desa).

Codes are written dotted (``36.71.07.1003``) or plain (``3671071003``); both are accepted, the dotted
form is printed. Names are not unique, so everything is keyed by code.

Example:
    >>> table = kota_tangerang()
    >>> table["3671091006"].name, table.parent("36.71.09.1006").name
    ('Jatiuwung', 'Cibodas')
    >>> [r.code for r in table.search("jatiuwung")]
    ['36.71.02', '36.71.09.1006']
    >>> len(table.kelurahan()), len(table.children("36.71"))
    (104, 13)
"""

from __future__ import annotations

import csv
import enum
import functools
import importlib.resources
import io
import re
from collections.abc import Iterable, Iterator

import attrs

from sikkb.errors import InvalidCodeError, InvalidRegionTableError, UnknownRegionError

__all__ = [
    "Region",
    "RegionTable",
    "Tingkat",
    "format_region_code",
    "kota_tangerang",
    "parse_region_code",
]


class Tingkat(enum.Enum):
    """A level of the administrative hierarchy; value = number of code segments.

    The city level is ``KOTA`` (``"kota"`` in data frames, in ``--level`` and in the exporters'
    names). ``KABKOTA`` is a deprecated alias of it (the same member), kept so that code written
    against the earlier name keeps working.

    >>> Tingkat.KOTA is Tingkat.KOTA, Tingkat.KOTA.name
    (True, 'KOTA')
    """

    PROVINSI = 1
    KOTA = 2
    KECAMATAN = 3
    KELURAHAN = 4
    KABKOTA = 2  # deprecated alias of KOTA

    @property
    def label_id(self) -> str:
        return ("Provinsi", "Kabupaten/Kota", "Kecamatan", "Kelurahan/Desa")[self.value - 1]

    @property
    def label_en(self) -> str:
        return ("Province", "Regency/City", "District", "Urban village/Village")[self.value - 1]

    @property
    def child(self) -> Tingkat | None:
        return Tingkat(self.value + 1) if self.value < 4 else None

    @property
    def parent(self) -> Tingkat | None:
        return Tingkat(self.value - 1) if self.value > 1 else None


#: Words allowed in a region table's ``level`` column, with the tier each one belongs to.
LEVEL_WORDS: dict[str, Tingkat] = {
    "provinsi": Tingkat.PROVINSI,
    "kota": Tingkat.KOTA,
    "kabupaten": Tingkat.KOTA,
    "kecamatan": Tingkat.KECAMATAN,
    "kelurahan": Tingkat.KELURAHAN,
    "desa": Tingkat.KELURAHAN,
}

_SEGMENTS = (2, 2, 2, 4)
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def parse_region_code(text: object, *, field: str = "kode_wilayah") -> str:
    """Normalise a region code, dotted or plain, to the dotted form.

    Raises:
        InvalidCodeError: when ``text`` has none of the shapes 2, 2.2, 2.2.2, 2.2.2.4 digits.

    >>> parse_region_code("3671071003"), parse_region_code(" 36.71.07 ")
    ('36.71.07.1003', '36.71.07')
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise InvalidCodeError(field, text)
    s = text.strip()
    if _DOTTED.match(s):
        return s
    if s.isdigit() and len(s) in (2, 4, 6, 10):
        parts, i = [], 0
        for width in _SEGMENTS:
            if i >= len(s):
                break
            parts.append(s[i : i + width])
            i += width
        return ".".join(parts)
    raise InvalidCodeError(field, text)


def format_region_code(code: str, *, dotted: bool = True) -> str:
    """Print a code dotted (default) or plain."""
    c = parse_region_code(code)
    return c if dotted else c.replace(".", "")


_TIERS = (Tingkat.PROVINSI, Tingkat.KOTA, Tingkat.KECAMATAN, Tingkat.KELURAHAN)


def tingkat_of(code: str) -> Tingkat:
    """The level a (dotted) code's shape implies."""
    return Tingkat(parse_region_code(code).count(".") + 1)


def parent_code(code: str) -> str | None:
    c = parse_region_code(code)
    return c.rsplit(".", 1)[0] if "." in c else None


@attrs.frozen(kw_only=True)
class Region:
    """One region: its dotted code, name, and the word the table uses for its level."""

    code: str = attrs.field(converter=parse_region_code)
    name: str
    kind: str = attrs.field()

    @kind.validator
    def _check_kind(self, attribute: attrs.Attribute[str], value: str) -> None:
        tier = LEVEL_WORDS.get(value)
        if tier is None:
            raise InvalidCodeError("level", value, sorted(LEVEL_WORDS))
        if tier is not tingkat_of(self.code):
            raise InvalidRegionTableError([f"{self.code} {self.name}: a {value} code must have "
                                           f"{tier.value} segment(s)"])  # fmt: skip

    @property
    def tingkat(self) -> Tingkat:
        return _TIERS[self.code.count(".")]  # the code is already parsed (dotted)

    @property
    def parent_code(self) -> str | None:
        code = self.code
        return code.rsplit(".", 1)[0] if "." in code else None

    @property
    def plain_code(self) -> str:
        return self.code.replace(".", "")

    @property
    def is_kelurahan(self) -> bool:
        """True for a kelurahan or desa (the units whose PPKBD keeps a register)."""
        return self.tingkat is Tingkat.KELURAHAN

    @property
    def display(self) -> str:
        """``Kecamatan Cibodas`` / ``Kelurahan Jatiuwung`` / ``Kota Tangerang``."""
        word = self.kind.capitalize()
        return self.name if self.name.lower().startswith(self.kind) else f"{word} {self.name}"


def _region_tuple(regions: Iterable[Region]) -> tuple[Region, ...]:
    return tuple(regions)


@attrs.frozen
class RegionTable:
    """A validated region table with lookups by code, hierarchy walks and name search."""

    regions: tuple[Region, ...] = attrs.field(converter=_region_tuple)
    source: str = "<regions>"
    _by_code: dict[str, Region] = attrs.field(init=False, repr=False, eq=False)
    _children: dict[str | None, tuple[Region, ...]] = attrs.field(init=False, repr=False, eq=False)
    _at: dict[Tingkat, tuple[Region, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        by_code: dict[str, Region] = {}
        children: dict[str | None, list[Region]] = {}
        for r in self.regions:
            if r.code in by_code:
                problems.append(
                    f"{r.code}: duplicate code ({by_code[r.code].name!r} and {r.name!r})"
                )
                continue
            by_code[r.code] = r
        for r in self.regions:
            p = r.parent_code
            if p is not None and p not in by_code:
                problems.append(f"{r.code} {r.name}: parent {p} is not in the table")
            if not r.name.strip():
                problems.append(f"{r.code}: empty name")
            children.setdefault(p, []).append(r)
        if problems:
            raise InvalidRegionTableError([f"{self.source}: {p}" for p in problems])
        object.__setattr__(self, "_by_code", by_code)
        at: dict[Tingkat, list[Region]] = {}
        for r in self.regions:
            at.setdefault(r.tingkat, []).append(r)
        object.__setattr__(self, "_at", {t: tuple(v) for t, v in at.items()})
        object.__setattr__(
            self,
            "_children",
            {k: tuple(sorted(v, key=lambda r: r.code)) for k, v in children.items()},
        )

    @classmethod
    def from_csv_text(cls, text: str, *, source: str = "<regions.csv>") -> RegionTable:
        """Build a table from CSV text with the columns ``kode,nama,level`` (any order).

        Every problem is reported at once, each with its row number.

        Raises:
            InvalidRegionTableError: listing every bad row.
        """
        text = text.lstrip("\ufeff")
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        missing = [c for c in ("kode", "nama", "level") if c not in fields]
        if missing:
            raise InvalidRegionTableError([f"{source}: missing column(s) {', '.join(missing)}; "
                                           "the header must be kode,nama,level"])  # fmt: skip
        regions: list[Region] = []
        problems: list[str] = []
        for rowno, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            try:
                regions.append(
                    Region(code=row["kode"], name=row["nama"], kind=row["level"].lower())
                )
            except (InvalidCodeError, InvalidRegionTableError) as e:
                problems.append(f"{source}, row {rowno}: {e}")
        if problems:
            raise InvalidRegionTableError(problems)
        return cls(regions, source=source)

    def __len__(self) -> int:
        return len(self.regions)

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    def __contains__(self, code: object) -> bool:
        try:
            return parse_region_code(code) in self._by_code
        except InvalidCodeError:
            return False

    def __getitem__(self, code: str) -> Region:
        return self.get(code)

    def get(self, code: str) -> Region:
        """The region with that code (dotted or plain).

        Raises:
            InvalidCodeError: the code is malformed.
            UnknownRegionError: well formed but unknown; the nearest known codes are suggested.
        """
        c = parse_region_code(code)
        try:
            return self._by_code[c]
        except KeyError:
            raise UnknownRegionError(c, self.suggest(c)) from None

    def suggest(self, code: str, n: int = 3) -> list[str]:
        """Known codes nearest to ``code`` (same parent first, then numerically), with names."""
        c = parse_region_code(code)
        same_level = [r for r in self.regions if r.code.count(".") == c.count(".")]
        plain = int(c.replace(".", ""))

        def distance(r: Region) -> tuple[int, int]:
            shared = 0
            for a, b in zip(r.code.split("."), c.split("."), strict=False):
                if a != b:
                    break
                shared += 1
            return (-shared, abs(int(r.plain_code) - plain))

        return [f"{r.code} {r.name}" for r in sorted(same_level, key=distance)[:n]]

    def parent(self, code: str) -> Region | None:
        p = self.get(code).parent_code
        return self._by_code[p] if p is not None else None

    def ancestors(self, code: str) -> tuple[Region, ...]:
        """Parents from the nearest up to the province."""
        out: list[Region] = []
        r: Region | None = self.parent(code)
        while r is not None:
            out.append(r)
            r = self.parent(r.code)
        return tuple(out)

    def children(self, code: str | None = None) -> tuple[Region, ...]:
        """Direct children, by code; ``None`` gives the table's roots."""
        key = None if code is None else self.get(code).code
        return self._children.get(key, ())

    def descendants(self, code: str, tingkat: Tingkat | None = None) -> tuple[Region, ...]:
        """Every region below ``code`` (optionally only at one level), in code order."""
        root = self.get(code).code + "."
        return tuple(
            r for r in self.regions
            if r.code.startswith(root) and (tingkat is None or r.tingkat is tingkat)
        )  # fmt: skip

    def at(self, tingkat: Tingkat) -> tuple[Region, ...]:
        """Every region of one level, in table order."""
        return self._at.get(tingkat, ())

    def kelurahan(self, under: str | None = None) -> tuple[Region, ...]:
        """Every kelurahan/desa, or those below ``under``."""
        if under is None:
            return self.at(Tingkat.KELURAHAN)
        return self.descendants(under, Tingkat.KELURAHAN)

    def kecamatan(self, under: str | None = None) -> tuple[Region, ...]:
        if under is None:
            return self.at(Tingkat.KECAMATAN)
        return self.descendants(under, Tingkat.KECAMATAN)

    def search(self, name: str, tingkat: Tingkat | None = None) -> tuple[Region, ...]:
        """Regions whose name contains ``name`` (case- and space-insensitive), in code order.

        Names are not unique: the result may hold several regions; choose by code.
        """
        needle = " ".join(name.lower().split())
        return tuple(
            r for r in self.regions
            if needle in " ".join(r.name.lower().split()) and (tingkat is None or r.tingkat is tingkat)
        )  # fmt: skip

    def ancestor_at(self, code: str, tingkat: Tingkat) -> Region:
        """The region at ``tingkat`` that contains ``code`` (itself when at that level)."""
        r = self.get(code)
        if r.tingkat is tingkat:
            return r
        for a in self.ancestors(code):
            if a.tingkat is tingkat:
                return a
        raise UnknownRegionError(r.code, [f"no {tingkat.label_en} above {r.code}"])

    def subset(self, codes: Iterable[str]) -> RegionTable:
        """The regions with these codes and all their ancestors."""
        keep: set[str] = set()
        for code in codes:
            r = self.get(code)
            keep.add(r.code)
            keep.update(a.code for a in self.ancestors(r.code))
        return RegionTable([r for r in self.regions if r.code in keep], source=self.source)


@functools.cache
def kota_tangerang() -> RegionTable:
    """Kota Tangerang's official region table (Kepmendagri 300.2.2-2138/2025), shipped as package data."""
    text = importlib.resources.files("sikkb.data").joinpath("wilayah_3671.csv").read_text("utf-8")
    return RegionTable.from_csv_text(text, source="sikkb/data/wilayah_3671.csv")
