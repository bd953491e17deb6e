"""Region codes and tables: Kota Tangerang's shipped table, another Dinas's CSV, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import region_codes

from sikkb.errors import InvalidCodeError, InvalidRegionTableError, SikkbError, UnknownRegionError
from sikkb.regions import RegionTable, Tingkat, kota_tangerang, parse_region_code

# A small table in the same CSV shape, as Kabupaten Bogor's Dinas might load it: BOM, semicolons,
# columns in another order, a kabupaten with desa and kelurahan.
BOGOR = (
    "\ufeffnama;kode;level\n"
    "Jawa Barat;32;provinsi\n"
    "Kabupaten Bogor;32.01;kabupaten\n"
    "Cibinong;32.01.01;kecamatan\n"
    "Cibinong;32.01.01.1001;kelurahan\n"
    "Pakansari;3201011006;kelurahan\n"
    "Gunung Putri;32.01.02;kecamatan\n"
    "Wanaherang;32.01.02.2001;desa\n"
)


def test_kota_tangerang_table_worked_by_hand() -> None:
    t = kota_tangerang()
    assert len(t) == 1 + 1 + 13 + 104
    assert len(t.kecamatan()) == 13
    assert len(t.kelurahan()) == 104
    assert t["36.71"].name == "Kota Tangerang"
    assert [r.code for r in t.ancestors("3671071003")] == ["36.71.07", "36.71", "36"]
    assert t.ancestor_at("36.71.07.1003", Tingkat.KECAMATAN).name == "Karawaci"


def test_jatiuwung_the_name_is_not_unique_the_code_is() -> None:
    t = kota_tangerang()
    found = t.search("jatiuwung")
    assert [(r.code, r.tingkat) for r in found] == [
        ("36.71.02", Tingkat.KECAMATAN),
        ("36.71.09.1006", Tingkat.KELURAHAN),
    ]
    # kelurahan Jatiuwung lies in kecamatan Cibodas, not in kecamatan Jatiuwung
    assert t.parent("36.71.09.1006").name == "Cibodas"  # type: ignore[union-attr]
    assert "36.71.09.1006" not in {r.code for r in t.kelurahan("36.71.02")}


def test_dotted_and_plain_codes_are_the_same_code() -> None:
    assert parse_region_code("3671071003") == "36.71.07.1003"
    assert parse_region_code(" 36.71.07 ") == "36.71.07"
    assert parse_region_code(3671) == "36.71"
    for bad in ["367107100", "36-71", "36.71.7", "", None, "3671071003x"]:
        with pytest.raises(InvalidCodeError):
            parse_region_code(bad)


@given(region_codes(plain=st.booleans()))
def test_every_kelurahan_code_looks_up_dotted_or_plain(code: str) -> None:
    t = kota_tangerang()
    region = t[code]
    assert region.is_kelurahan
    assert region.code == parse_region_code(code)
    assert region in t.children(region.parent_code)
    assert t.ancestors(code)[-1].code == "36"


def test_unknown_code_is_an_error_with_the_nearest_codes() -> None:
    with pytest.raises(UnknownRegionError) as e:
        kota_tangerang().get("3671071099")
    assert isinstance(e.value, SikkbError)
    assert isinstance(e.value, LookupError)
    assert e.value.code == "36.71.07.1099"
    assert len(e.value.suggestions) == 3
    assert all(s.startswith("36.71.07.") for s in e.value.suggestions)  # same kecamatan first
    assert "36.71.07.1016" in str(e.value)


def test_suggestions_for_an_unknown_kecamatan_are_kecamatan() -> None:
    suggestions = kota_tangerang().suggest("36.71.14")
    assert suggestions[0].startswith("36.71.13 ")
    assert all(s.split()[0].count(".") == 2 for s in suggestions)


def test_another_dinas_loads_its_own_table() -> None:
    t = RegionTable.from_csv_text(BOGOR, source="bogor.csv")
    assert len(t) == 7
    assert t["3201011006"].name == "Pakansari"
    assert [r.code for r in t.kelurahan()] == ["32.01.01.1001", "32.01.01.1006", "32.01.02.2001"]
    assert t["32.01.02.2001"].kind == "desa"
    assert t["32.01.02.2001"].is_kelurahan
    assert t.search("cibinong") == (t["32.01.01"], t["32.01.01.1001"])


def _problems(text: str) -> tuple[str, ...]:
    with pytest.raises(InvalidRegionTableError) as e:
        RegionTable.from_csv_text(text, source="dinas.csv")
    assert isinstance(e.value, SikkbError)
    return e.value.problems


def test_invalid_table_missing_parent_names_the_code() -> None:
    text = "kode,nama,level\n32,Jawa Barat,provinsi\n32.01.01,Cibinong,kecamatan\n"
    (problem,) = _problems(text)
    assert "32.01.01" in problem
    assert "parent 32.01" in problem
    assert "dinas.csv" in problem


def test_invalid_table_code_shape_against_level_names_the_row() -> None:
    text = (
        "kode,nama,level\n32,Jawa Barat,provinsi\n32.01,Kabupaten Bogor,kabupaten\n"
        "32.01.01,Cibinong,kelurahan\n"
    )
    (problem,) = _problems(text)
    assert "row 4" in problem
    assert "32.01.01" in problem


def test_invalid_table_duplicates_name_the_code() -> None:
    text = (
        "kode,nama,level\n32,Jawa Barat,provinsi\n32.01,Kabupaten Bogor,kabupaten\n"
        "32.01,Kab. Bogor,kabupaten\n"
    )
    (problem,) = _problems(text)
    assert "32.01" in problem
    assert "duplicate" in problem


def test_invalid_table_lists_every_bad_row_at_once() -> None:
    text = "kode,nama,level\n32,Jawa Barat,provinsi\n32.01.1,X,kecamatan\n32.01,Y,planet\n"
    problems = _problems(text)
    assert len(problems) == 2
    assert "row 3" in problems[0]
    assert "row 4" in problems[1]


def test_missing_columns_are_named() -> None:
    (problem,) = _problems("code,name\n32,Jawa Barat\n")
    assert "kode" in problem
    assert "level" in problem


@given(st.lists(region_codes(tingkat=Tingkat.KELURAHAN), min_size=1, max_size=5))
def test_subset_keeps_the_codes_and_their_ancestors(codes: list[str]) -> None:
    sub = kota_tangerang().subset(codes)
    assert {r.code for r in sub.kelurahan()} == set(codes)
    assert "36.71" in sub
    assert all(r.parent_code is None or r.parent_code in sub for r in sub)
