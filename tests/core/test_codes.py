"""Code lists: form order, properties as data, parsing with aliases and suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sikkb.codes import (
    AlasanBukanPeserta,
    JenisInstitusi,
    Metode,
    Poktan,
    TahapanKS,
    TempatPelayanan,
    parse_status_kb,
)
from sikkb.errors import InvalidCodeError, SikkbError

ENUMS = [Metode, AlasanBukanPeserta, TempatPelayanan, JenisInstitusi, Poktan, TahapanKS]


def test_methods_are_in_form_order() -> None:
    assert Metode.codes() == [
        "IUD", "MOW", "MOP", "KONDOM", "IMPLAN", "SUNTIK", "PIL", "MAL", "TRADISIONAL"
    ]  # fmt: skip
    assert AlasanBukanPeserta.codes() == ["HAMIL", "IAS", "IAT", "TIAL"]
    assert JenisInstitusi.codes() == [
        "PPKBD", "SUB_PPKBD", "KELOMPOK_KB", "BKB", "BKR", "BKL", "UPPKA", "PIKR"
    ]  # fmt: skip


def test_method_properties_as_in_the_primer() -> None:
    assert {m.code for m in Metode if m.mkjp} == {"IUD", "MOW", "MOP", "IMPLAN"}
    assert {m.code for m in Metode if m.pria} == {"MOP", "KONDOM"}
    assert {m.code for m in Metode if not m.modern} == {"TRADISIONAL"}
    assert {m.code for m in Metode if not m.needs_place} == {"MAL", "TRADISIONAL"}
    assert {a.code for a in AlasanBukanPeserta if a.unmet_need} == {"IAT", "TIAL"}
    assert {j.code for j in JenisInstitusi if j.is_poktan} == {"BKB", "BKR", "BKL", "UPPKA", "PIKR"}
    assert not Poktan.UPPKA.has_sasaran
    assert Poktan.BKB.jenis is JenisInstitusi.BKB
    assert {t.code for t in TahapanKS if t.kps_ks1} == {"KPS", "KS1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" suntikan ", Metode.SUNTIK),
        ("implant", Metode.IMPLAN),
        ("AKDR", Metode.IUD),
        ("hamil", AlasanBukanPeserta.HAMIL),
        ("Tial", AlasanBukanPeserta.TIAL),
    ],
)
def test_status_kb_accepts_case_and_documented_aliases(text: str, expected: object) -> None:
    assert parse_status_kb(text) is expected


def test_unknown_code_suggests_the_nearest() -> None:
    with pytest.raises(InvalidCodeError) as e:
        parse_status_kb("SUNTK")
    assert isinstance(e.value, SikkbError)
    assert e.value.kind == "status_kb"
    assert e.value.suggestions[0] == "SUNTIK"
    assert "SUNTK" in str(e.value)


@given(st.sampled_from(ENUMS).flatmap(lambda cls: st.sampled_from(list(cls))))
def test_every_code_parses_to_itself_in_any_case(member: object) -> None:
    cls = type(member)
    code = member.code  # type: ignore[attr-defined]
    assert cls.parse(code) is member  # type: ignore[attr-defined]
    assert cls.parse(f"  {code.lower()} ") is member  # type: ignore[attr-defined]
    assert member.label_id
    assert member.label_en


@given(st.text(max_size=12))
def test_parse_status_kb_returns_a_code_or_raises_the_project_error(text: str) -> None:
    error: InvalidCodeError | None = None
    try:
        status = parse_status_kb(text)
    except InvalidCodeError as e:
        error = e
    if error is None:
        assert isinstance(status, Metode | AlasanBukanPeserta)
    else:
        assert error.value == text
        assert error.kind == "status_kb"
