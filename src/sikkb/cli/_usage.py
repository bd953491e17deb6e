"""A command line refused as given (a missing or contradictory option), said in both languages."""

from __future__ import annotations

from sikkb.errors import SikkbError
from sikkb.i18n import Text

__all__ = ["UsageError"]


class UsageError(SikkbError, ValueError):
    """Options that cannot work together or a required input that is missing.

    Attributes:
        text: what is wrong and how to fix it, Indonesian and English.
    """

    def __init__(self, id_: str, en: str) -> None:
        self.text = Text(id_, en)
        super().__init__(en)
