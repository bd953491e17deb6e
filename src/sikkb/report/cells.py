"""Three-valued cells and ratios that may be undefined.

A report cell is a value, *not reported* (the unit did not send it: never zero), or *not applicable*
(the form greys the cell out). A total cell also says how many children it covers out of how many
were expected. A ratio whose denominator is zero or missing is *undefined*, never 0 and never an
exception.

Example:
    >>> Cell.of(12, covers=3, expected=4).complete, Cell.NOT_REPORTED.value
    (False, None)
    >>> Ratio.of(3, 4).percent, Ratio.of(3, 0).defined, Ratio.of(None, 5).percent
    (75.0, False, None)
"""

from __future__ import annotations

import enum
import math
from typing import ClassVar

import attrs

__all__ = ["Cell", "CellStatus", "Ratio"]


class CellStatus(enum.Enum):
    """What a cell holds."""

    VALUE = "VALUE"
    NOT_REPORTED = "NOT_REPORTED"
    NOT_APPLICABLE = "NOT_APPLICABLE"

    @property
    def label_id(self) -> str:
        return {"VALUE": "nilai", "NOT_REPORTED": "tidak lapor", "NOT_APPLICABLE": "tidak berlaku"}[
            self.value
        ]

    @property
    def label_en(self) -> str:
        return {
            "VALUE": "value",
            "NOT_REPORTED": "not reported",
            "NOT_APPLICABLE": "not applicable",
        }[self.value]


def _check_count(
    instance: object, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"Cell.{attribute.name} must be a whole number ≥ 0 or None, not {value!r}")


@attrs.frozen(kw_only=True)
class Cell:
    """One cell of a report or recap.

    Attributes:
        status: value, not reported or not applicable.
        value: the number when ``status`` is VALUE, else ``None``.
        covers: for a total: how many children have a value in it (``None`` for a plain cell).
        expected: for a total: how many children were expected.
    """

    status: CellStatus
    value: int | None = attrs.field(default=None, validator=_check_count)
    covers: int | None = attrs.field(default=None, validator=_check_count)
    expected: int | None = attrs.field(default=None, validator=_check_count)

    NOT_REPORTED: ClassVar[Cell]
    NOT_APPLICABLE: ClassVar[Cell]

    def __attrs_post_init__(self) -> None:
        if (self.status is CellStatus.VALUE) != (self.value is not None):
            raise ValueError(f"a {self.status.name} cell cannot hold the value {self.value!r}")

    @classmethod
    def of(
        cls, value: int | None, *, covers: int | None = None, expected: int | None = None
    ) -> Cell:
        """A value cell, or a not-reported one when ``value`` is ``None``."""
        status = CellStatus.NOT_REPORTED if value is None else CellStatus.VALUE
        return cls(status=status, value=value, covers=covers, expected=expected)

    @property
    def is_value(self) -> bool:
        return self.status is CellStatus.VALUE

    @property
    def complete(self) -> bool:
        """Every expected child is covered (always true for a plain cell)."""
        if self.covers is None or self.expected is None:
            return self.is_value
        return self.is_value and self.covers == self.expected

    def display(self, lang: str = "id") -> str:
        """The number, ``-`` when not reported, ``x`` when not applicable (as on paper forms)."""
        if self.value is not None:
            return str(self.value)
        return "-" if self.status is CellStatus.NOT_REPORTED else "x"


Cell.NOT_REPORTED = Cell(status=CellStatus.NOT_REPORTED)
Cell.NOT_APPLICABLE = Cell(status=CellStatus.NOT_APPLICABLE)


@attrs.frozen(kw_only=True)
class Ratio:
    """``numerator / denominator``, shown as a percentage; undefined when it cannot be computed.

    Attributes:
        numerator: ``None`` when not reported.
        denominator: ``None`` when not reported; zero makes the ratio undefined.
    """

    numerator: int | None
    denominator: int | None

    @classmethod
    def of(cls, numerator: int | None, denominator: int | None) -> Ratio:
        return cls(numerator=numerator, denominator=denominator)

    @property
    def defined(self) -> bool:
        return self.numerator is not None and self.denominator is not None and self.denominator != 0

    @property
    def value(self) -> float | None:
        """The plain ratio (0.75), or ``None`` when undefined."""
        if self.numerator is None or self.denominator is None or self.denominator == 0:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        """The ratio × 100 (75.0), or ``None`` when undefined."""
        v = self.value
        return None if v is None else v * 100

    def _repr_html_(self) -> str:
        """Notebook view: the percentage with its numerator and denominator."""
        from sikkb.views.display import ratio_html

        return ratio_html(self)

    def __float__(self) -> float:
        """The plain ratio as a float (``float(Ratio.of(3, 4)) == 0.75``); NaN when undefined.

        For numpy, pandas and plotting, where a missing number is NaN. Everywhere else an
        undefined ratio stays ``None`` (:attr:`value`, :attr:`percent`), never 0.

        >>> float(Ratio.of(3, 4)), float(Ratio.of(3, 0))
        (0.75, nan)
        """
        v = self.value
        return math.nan if v is None else v

    def display(self, digits: int = 1, lang: str = "id") -> str:
        """``75,0%`` in Indonesian (decimal comma), ``75.0%`` in English; ``-`` when undefined."""
        p = self.percent
        if p is None:
            return "-"
        text = f"{p:.{digits}f}%"
        return text.replace(".", ",") if lang != "en" else text
