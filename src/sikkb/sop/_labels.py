"""Indonesian and English labels for the members of a code list, given beside the class."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from sikkb.codes import CodeEnum

E = TypeVar("E", bound=type[CodeEnum])


def with_labels(labels: Mapping[str, tuple[str, str]]) -> Callable[[E], E]:
    """Class decorator: give each member of a :class:`~sikkb.codes.CodeEnum` its labels.

    ``labels`` maps each code to ``(Indonesian, English)``; every member must have one.
    """

    def decorate(cls: E) -> E:
        missing = [m.code for m in cls if m.code not in labels]
        if missing:
            raise ValueError(f"{cls.__name__}: no labels for {', '.join(missing)}")
        table = {m: labels[m.code] for m in cls}
        setattr(cls, "label_id", property(lambda self: table[self][0], doc="Indonesian label."))  # noqa: B010
        setattr(cls, "label_en", property(lambda self: table[self][1], doc="English label."))  # noqa: B010
        return cls

    return decorate
