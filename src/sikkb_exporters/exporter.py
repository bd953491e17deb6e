"""The :class:`Exporter` record a plugin registers, and what ``write()`` returns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING

import attrs

from sikkb.i18n import Text
from sikkb.regions import Tingkat
from sikkb.rules.engine import Finding

if TYPE_CHECKING:
    from sikkb_exporters.bundle import ReportBundle

__all__ = ["ALL_LEVELS", "Exporter", "WriteFn", "level_name"]

#: ``write(bundle, stream)``: render the bundle's report into the binary stream; return the findings
#: (warnings such as a missing signer) or ``None``.
WriteFn = Callable[["ReportBundle", IO[bytes]], "Iterable[Finding] | None"]

ALL_LEVELS: frozenset[Tingkat] = frozenset(Tingkat)

_NAME = re.compile(r"^[a-z][a-z0-9]*([-_.][a-z0-9]+)*$")
_SUFFIX = re.compile(r"^(\.[a-z0-9]+)+$")
_MEDIA = re.compile(r"^[a-z]+/[a-zA-Z0-9.+-]+$")


def level_name(level: Tingkat) -> str:
    """The word for a level in names and messages: ``kelurahan``, ``kecamatan``, ``kota``, ``provinsi``."""
    return {Tingkat.KOTA: "kota"}.get(level, level.name.lower())


def _levels(value: Iterable[Tingkat | str]) -> frozenset[Tingkat]:
    words = {level_name(t): t for t in Tingkat} | {t.name.lower(): t for t in Tingkat}
    out: set[Tingkat] = set()
    for v in value if not isinstance(value, str | Tingkat) else [value]:
        if isinstance(v, Tingkat):
            out.add(v)
        elif isinstance(v, str) and v.lower() in words:
            out.add(words[v.lower()])
        else:
            raise ValueError(f"unknown report level {v!r} (use {', '.join(sorted(words))})")
    return frozenset(out)


def _text(value: Text | str | tuple[str, str]) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(value, value)
    if isinstance(value, tuple) and len(value) == 2:
        return Text(*value)
    raise TypeError(f"description must be a Text or an (id, en) pair, not {value!r}")


def _check_pattern(pattern: re.Pattern[str], what: str) -> Callable[[object, object, str], None]:
    def check(instance: object, attribute: object, value: str) -> None:
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"{what} {value!r} is malformed (expected {pattern.pattern})")

    return check


@attrs.frozen(kw_only=True)
class Exporter:
    """One output format for one or more report levels, as registered by a plugin.

    Attributes:
        name: unique, lower-case, ``[-_.]`` separated (``bkkbn-xlsx``); what the CLI's ``--exporter``
            takes.
        suffix: the file suffix, with its dot (``.xlsx``).
        media_type: the IANA media type (``application/pdf``).
        levels: the report levels it renders (:class:`~sikkb.regions.Tingkat`; the words
            ``kelurahan``, ``kecamatan``, ``kota``, ``provinsi`` are accepted too).
        write: ``write(bundle, stream)`` renders ``bundle.report`` into the binary ``stream``; it may
            return findings (for example a WARNING that no signer is configured). Import heavy
            libraries inside it, not at module level.
        description: one line in Indonesian and English (a :class:`~sikkb.i18n.Text` or a pair).
        extra: the ``sikkb[...]`` extra ``write()`` needs, if any (shown by ``sikkb exporters``).

    >>> e = Exporter(name="md", suffix=".md", media_type="text/markdown", levels=["kelurahan"],
    ...              write=lambda bundle, stream: None, description=("Ringkasan", "Summary"))
    >>> sorted(level_name(t) for t in e.levels), e.description.en
    (['kelurahan'], 'Summary')
    """

    name: str = attrs.field(validator=_check_pattern(_NAME, "exporter name"))
    suffix: str = attrs.field(validator=_check_pattern(_SUFFIX, "suffix"))
    media_type: str = attrs.field(validator=_check_pattern(_MEDIA, "media type"))
    levels: frozenset[Tingkat] = attrs.field(converter=_levels)
    write: WriteFn = attrs.field(eq=False, repr=False)
    description: Text = attrs.field(converter=_text)
    extra: str | None = None

    @levels.validator
    def _check_levels(self, attribute: object, value: frozenset[Tingkat]) -> None:
        if not value:
            raise ValueError("an exporter must render at least one report level")

    @write.validator
    def _check_write(self, attribute: object, value: object) -> None:
        if not callable(value):
            raise TypeError(f"write must be callable, not {type(value).__name__}")

    def renders(self, level: Tingkat) -> bool:
        return level in self.levels

    @property
    def level_names(self) -> tuple[str, ...]:
        """The levels it renders, from kelurahan up."""
        return tuple(level_name(t) for t in sorted(self.levels, key=lambda t: -t.value))
