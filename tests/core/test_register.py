"""Register records: what they refuse, what they normalise, and the register's lookups."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from tests.strategies import registers, shuffled

from sikkb.codes import Metode, Poktan, TahapanKS, TempatPelayanan
from sikkb.errors import InvalidRecordError, SikkbError
from sikkb.periods import Period
from sikkb.register import TABLES, Institusi, Kegiatan, Keluarga, Pus, Register

BORN = datetime.date(1995, 8, 5)
K = {"kode_keluarga": "KK-1", "kode_wilayah": "3671071003", "rw": 1, "rt": 2}
P = {"kode_keluarga": "KK-1", "nik_istri": "3671074508950001", "tanggal_lahir_istri": BORN,
     "status_kb": "SUNTIK", "tempat_pelayanan": "SWASTA"}  # fmt: skip
I = {"kode_institusi": "BKB-1", "jenis": "BKB", "kode_wilayah": "3671071003"}  # noqa: E741
G = {"kode_wilayah": "3671071003"}


def test_records_normalise_codes_and_text() -> None:
    k = Keluarga(**{**K, "kode_keluarga": " KK-1 ", "tahapan_ks": "ks_iii+", "anggota": ["bkb"]})
    assert (k.kode_keluarga, k.kode_wilayah, k.tahapan_ks) == (
        "KK-1",
        "36.71.07.1003",
        TahapanKS.KS3_PLUS,
    )
    assert k.anggota == frozenset({Poktan.BKB})
    p = Pus(**{**P, "status_kb": "suntikan", "tempat_pelayanan": " pem ", "nama_istri": "  "})
    assert (p.status_kb, p.tempat_pelayanan, p.nama_istri) == (
        Metode.SUNTIK,
        TempatPelayanan.PEMERINTAH,
        None,
    )
    assert p.is_peserta_aktif
    assert p.metode is Metode.SUNTIK
    assert p.alasan is None
    assert attrs.evolve(p) == p  # converters are idempotent


def test_personal_data_is_not_in_the_repr() -> None:
    p = Pus(**{**P, "nama_istri": "Siti Aminah", "nik_suami": "3671070101900001"})
    assert "3671074508950001" not in repr(p)
    assert "Siti" not in repr(p)
    assert "3671070101900001" not in repr(p)


@pytest.mark.parametrize(
    ("cls", "base", "field", "value"),
    [
        (Keluarga, K, "kode_keluarga", "  "),
        (Keluarga, K, "kode_wilayah", "36-71-07"),
        (Keluarga, K, "rw", "3"),
        (Keluarga, K, "rt", True),
        (Keluarga, K, "tahapan_ks", "KS9"),
        (Keluarga, K, "anggota", ["BKX"]),
        (Keluarga, K, "row", 1),
        (Pus, P, "status_kb", "SUNTK"),
        (Pus, P, "tempat_pelayanan", "RUMAH"),
        (Pus, P, "tanggal_lahir_istri", "1995-08-05"),
        (Pus, P, "peserta_baru", "Y"),
        (Pus, P, "jumlah_anak", -1),
        (Pus, P, "nik_istri", None),
        (Institusi, I, "jenis", "ARISAN"),
        (Institusi, I, "jumlah_pertemuan", -2),
        (Institusi, I, "lapor", 1),
        (Kegiatan, G, "rakor", -1),
        (Kegiatan, G, "penyuluhan", 2.5),
    ],
)
def test_invalid_values_are_refused_naming_field_and_value(
    cls: type[Any], base: dict[str, Any], field: str, value: Any
) -> None:
    with pytest.raises(InvalidRecordError) as e:
        cls(**{**base, field: value})
    assert isinstance(e.value, SikkbError)
    assert isinstance(e.value, ValueError)
    assert e.value.record == cls.__name__
    assert e.value.field == field
    assert f"{cls.__name__}.{field}" in str(e.value)


def test_uppka_has_no_target_families() -> None:
    with pytest.raises(InvalidRecordError) as e:
        Keluarga(**{**K, "sasaran": ["UPPKA"]})
    assert (e.value.field, e.value.value) == ("sasaran", "UPPKA")


def test_unknown_status_suggests() -> None:
    with pytest.raises(InvalidRecordError) as e:
        Pus(**{**P, "status_kb": "SUNTK"})
    assert e.value.value == "SUNTK"
    assert "SUNTIK" in e.value.suggestions


def test_register_lookups_worked_by_hand() -> None:
    a, b = "36.71.07.1003", "36.71.09.1006"
    reg = Register(
        period=Period(2026, 10),
        keluarga=[
            Keluarga(**{**K, "kode_keluarga": "KK-1", "kode_wilayah": a}, row=2),
            Keluarga(**{**K, "kode_keluarga": "KK-2", "kode_wilayah": b}, row=3),
            Keluarga(**{**K, "kode_keluarga": "KK-3", "kode_wilayah": a}, row=4),
        ],
        pus=[
            Pus(**{**P, "kode_keluarga": "KK-1"}, row=2),
            Pus(**{**P, "kode_keluarga": "KK-3", "nik_istri": "3671074508950002"}, row=3),
            Pus(**{**P, "kode_keluarga": "KK-3", "nik_istri": "3671074508950003"}, row=4),
            Pus(**{**P, "kode_keluarga": "KK-9", "nik_istri": "3671074508950004"}, row=5),
        ],
        institusi=[Institusi(**{**I, "kode_wilayah": b}, row=2)],
        kegiatan=[Kegiatan(kode_wilayah=a, rakor=2, row=2)],
    )
    assert reg.kelurahan_codes == (a, b)
    assert [k.kode_keluarga for k in reg.keluarga_by_kelurahan[a]] == ["KK-1", "KK-3"]
    assert [p.row for p in reg.pus_by_keluarga["KK-3"]] == [3, 4]
    assert [p.row for p in reg.pus_by_kelurahan[a]] == [2, 3, 4]  # KK-9 has no family: nowhere
    assert b not in reg.pus_by_kelurahan
    assert reg.kegiatan_by_kelurahan[a].rakor == 2
    part = reg.for_kelurahan("3671071003")
    assert (len(part.keluarga), len(part.pus), len(part.institusi), len(part.kegiatan)) == (
        2,
        3,
        0,
        1,
    )
    smaller = reg.without_rows({"pus": [3, 5], "keluarga": [3]})
    assert [p.row for p in smaller.pus] == [2, 4]
    assert [k.row for k in smaller.keluarga] == [2, 4]
    assert reg.table("pus") is reg.pus
    with pytest.raises(KeyError):
        reg.table("anggota")


@settings(max_examples=25)  # whole registers: heavy to draw
@given(registers())
def test_for_kelurahan_parts_merge_back_to_the_register(reg: Register) -> None:
    parts = [reg.for_kelurahan(code) for code in reg.kelurahan_codes]
    merged = Register.merge(parts)
    for name in TABLES:
        assert sorted(r.row for r in merged.table(name)) == sorted(r.row for r in reg.table(name))


@settings(max_examples=25)  # whole registers: heavy to draw
@given(registers().flatmap(lambda r: shuffled(r).map(lambda s: (r, s))))
def test_lookups_do_not_depend_on_row_order(pair: tuple[Register, Register]) -> None:
    reg, mixed = pair
    assert set(reg.kelurahan_codes) == set(mixed.kelurahan_codes)
    for code in reg.kelurahan_codes:
        a, b = reg.for_kelurahan(code), mixed.for_kelurahan(code)
        for name in TABLES:
            assert sorted(r.row for r in a.table(name)) == sorted(r.row for r in b.table(name))


def test_merge_refuses_different_periods() -> None:
    with pytest.raises(ValueError, match="different periods"):
        Register.merge([Register(period=Period(2026, 9)), Register(period=Period(2026, 10))])
