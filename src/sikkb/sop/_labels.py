"""A code list whose members carry Indonesian and English labels, registered beside the class."""

from __future__ import annotations

from collections.abc import Mapping

from sikkb.codes import CodeEnum


class LabelledCode(CodeEnum):
    """A :class:`~sikkb.codes.CodeEnum` whose labels come from :func:`register_labels`."""

    @property
    def label_id(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[LabelledCode, tuple[str, str]] = {}


def register_labels(labels: Mapping[LabelledCode, tuple[str, str]]) -> None:
    """Give members their ``(Indonesian, English)`` labels; every member of a class must have one."""
    for cls in {type(m) for m in labels}:
        missing = [m.code for m in cls if m not in labels]
        if missing:
            raise ValueError(f"{cls.__name__}: no labels for {', '.join(missing)}")
    _LABELS.update(labels)
