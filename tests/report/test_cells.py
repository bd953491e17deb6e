"""Cells are three-valued; the catalogue is consistent."""

from __future__ import annotations

import pytest

from sikkb.codes import Metode
from sikkb.errors import UnknownItemError
from sikkb.report import (
    BOUNDS,
    CATALOGUE,
    TANPA_TEMPAT,
    Cell,
    CellStatus,
    Kind,
    Section,
    item,
    items,
    not_applicable_keys,
    split_key,
)


def test_cell_states() -> None:
    assert Cell.of(0).is_value
    assert Cell.of(0).display() == "0"
    assert Cell.NOT_REPORTED.display() == "-"
    assert Cell.NOT_APPLICABLE.display() == "x"
    assert Cell.of(None) == Cell.NOT_REPORTED
    assert Cell.of(4, covers=2, expected=2).complete
    assert not Cell.of(4, covers=1, expected=2).complete
    assert not Cell.NOT_REPORTED.complete
    with pytest.raises(ValueError, match="NOT_REPORTED"):
        Cell(status=CellStatus.NOT_REPORTED, value=3)
    with pytest.raises(ValueError, match="VALUE"):
        Cell(status=CellStatus.VALUE)
    with pytest.raises(ValueError, match="covers"):
        Cell.of(1, covers=-1)


def test_catalogue_shape() -> None:
    keys = [it.key for it in CATALOGUE]
    assert len(keys) == len(set(keys)) == 91
    assert [it.order for it in CATALOGUE] == list(range(len(CATALOGUE)))
    assert [it.section for it in CATALOGUE] == sorted(
        (it.section for it in CATALOGUE), key=list(Section).index
    )
    # every part of every total and both sides of every bound are in the catalogue
    for it in CATALOGUE:
        for parts in it.sums:
            assert all(item(p).kind is it.kind for p in parts)
    for b in BOUNDS:
        item(b.lesser)
        item(b.greater)
    assert len(list(items(Section.I))) == 16


def test_no_place_column_only_for_mal_and_tradisional() -> None:
    assert item("pa", TANPA_TEMPAT).sums == (
        ("pa.MAL.TANPA_TEMPAT", "pa.TRADISIONAL.TANPA_TEMPAT"),
    )
    for m in Metode:
        key = f"pa.{m.code}.{TANPA_TEMPAT}"
        assert (key in not_applicable_keys()) == m.needs_place
        if m.needs_place:
            with pytest.raises(UnknownItemError):
                item(key)


def test_stock_and_flow() -> None:
    flows = {it.element for it in CATALOGUE if it.kind is Kind.FLOW}
    assert flows == {"rakor", "penyuluhan", "kie_kit", "pertemuan", "pb"}
    assert item("tokoh_aktif").kind is Kind.STOCK


def test_keys() -> None:
    assert split_key("pus") == ("pus", "")
    assert item("pa", "SUNTIK.SWASTA") is item("pa.SUNTIK.SWASTA")
    assert item("pa.SUNTIK.SWASTA").label.id == "Peserta KB aktif Suntik, Swasta"
    with pytest.raises(UnknownItemError) as e:
        item("bukan_peserta.HAMl")
    assert "bukan_peserta.HAMIL" in e.value.suggestions
