"""NIK: parse, sex and birth date, masking."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import make_nik, niks

from sikkb.errors import InvalidNIKError, SikkbError
from sikkb.nik import NIK, mask_nik, nik_problem

BIRTH = st.dates(datetime.date(1940, 1, 1), datetime.date(2012, 12, 31))


def test_worked_example() -> None:
    n = NIK.parse(" 3671074508950001 ")
    assert (n.female, n.birth_day, n.birth_month, n.birth_yy) == (True, 5, 8, 95)
    assert n.region_prefix == "36.71.07"
    assert n.serial == "0001"
    assert n.birth_date(on_or_before=datetime.date(2026, 10, 31)) == datetime.date(1995, 8, 5)
    assert n.birth_date(on_or_before=datetime.date(1990, 1, 1)) == datetime.date(1895, 8, 5)
    assert not NIK("3671070508950001").female


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("367107450895001", "16 digits, this one has 15"),
        ("36710745O8950001", "only digits"),
        ("9971074508950001", "99 is not a province code"),
        ("3600074508950001", "kab/kota"),
        ("3671004508950001", "kecamatan"),
        ("3671074513950001", "month 13"),
        ("3671073208950001", "birth day 32"),
        ("3671077208950001", "birth day 72"),
        ("3671077102950001", "birth day 71 does not exist in month 02"),
        ("3671074508950000", "serial"),
    ],
)
def test_problems_are_named(value: str, reason: str) -> None:
    problem = nik_problem(value)
    assert problem is not None
    assert reason in problem
    with pytest.raises(InvalidNIKError) as e:
        NIK.parse(value)
    assert isinstance(e.value, SikkbError)
    assert isinstance(e.value, ValueError)
    assert value not in str(e.value)  # the message shows the NIK masked


def test_29_february_is_allowed_the_century_is_unknown() -> None:
    # 29-02-01 exists in no century, but the shape check does not guess the century
    assert nik_problem("3671076902010001") is None
    n = NIK("3671076902000001")
    assert n.birth_date(on_or_before=datetime.date(2026, 1, 1)) == datetime.date(2000, 2, 29)


@given(niks())
def test_generated_niks_parse(value: str) -> None:
    assert nik_problem(value) is None
    assert NIK.parse(value).value == value


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_nik_problem_and_nik_agree(value: str) -> None:
    problem = nik_problem(value)
    if problem is None:
        assert str(NIK(value)) == value
    else:
        with pytest.raises(InvalidNIKError):
            NIK(value)


@given(BIRTH, st.booleans(), st.integers(1, 9999))
def test_sex_and_birth_date_round_trip(born: datetime.date, female: bool, serial: int) -> None:
    n = NIK(make_nik("367107", born, female=female, serial=serial))
    assert n.female is female
    assert n.matches_birth_date(born)
    assert n.birth_date(on_or_before=datetime.date(2026, 12, 31)) == born
    assert int(n.serial) == serial
    assert not n.matches_birth_date(born + datetime.timedelta(days=1))


@given(niks())
def test_masking_keeps_region_and_serial_only(value: str) -> None:
    masked = mask_nik(value)
    assert masked == value[:6] + "******" + value[12:]
    assert len(masked) == 16
    assert value[6:12] not in masked[6:12]
    assert NIK(value).masked == masked
    assert value not in repr(NIK(value))


@given(st.text(max_size=30))
def test_masking_never_reveals_the_middle_of_anything(value: str) -> None:
    masked = mask_nik(value)
    stripped = value.strip()
    if len(stripped) == 16:
        assert masked[6:12] == "******"
        assert masked[:6] + masked[12:] == stripped[:6] + stripped[12:]
    else:
        assert set(masked) <= {"*"}
        assert len(masked) == len(stripped)
