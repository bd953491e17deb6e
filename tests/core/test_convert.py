"""The cattrs converter: the round trip is the identity, and the JSON is canonical."""

from __future__ import annotations

import datetime
import json
from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import (
    any_registers,
    institusis,
    kegiatans,
    keluargas,
    niks,
    periods,
    puses,
    quarters,
    registers,
)

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode, Poktan, StatusKB, TahapanKS
from sikkb.convert import from_json, make_converter, to_json
from sikkb.i18n import Text
from sikkb.nik import NIK
from sikkb.periods import Period, Quarter
from sikkb.regions import Region, RegionTable, kota_tangerang
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.rules import Finding, Findings, Location, Severity, validate_register

CONVERTER = make_converter()  # built once: building hooks per example would be slow


def _round_trip(value: Any, cls: Any) -> None:
    c = CONVERTER
    data = c.unstructure(value)
    assert json.loads(json.dumps(data)) == data  # JSON-ready: no tuples, sets, dates, enums
    assert c.structure(data, cls) == value
    text = to_json(value)
    assert from_json(text, cls) == value
    assert to_json(from_json(text, cls)) == text


@given(periods())
def test_period_round_trip(p: Period) -> None:
    _round_trip(p, Period)
    assert make_converter().unstructure(p) == p.iso


@given(quarters())
def test_quarter_round_trip(q: Quarter) -> None:
    _round_trip(q, Quarter)
    assert make_converter().unstructure(q) == f"{q.year}Q{q.number}"


@given(niks())
def test_nik_round_trip(value: str) -> None:
    _round_trip(NIK(value), NIK)
    assert make_converter().unstructure(NIK(value)) == value


@given(keluargas())
def test_keluarga_round_trip(k: Keluarga) -> None:
    _round_trip(k, Keluarga)


@given(puses())
def test_pus_round_trip(p: Pus) -> None:
    _round_trip(p, Pus)


@given(institusis())
def test_institusi_round_trip(i: Institusi) -> None:
    _round_trip(i, Institusi)


@given(kegiatans())
def test_kegiatan_round_trip(g: Kegiatan) -> None:
    _round_trip(g, Kegiatan)


@given(registers())
def test_register_round_trip(reg: Register) -> None:
    _round_trip(reg, Register)


@given(any_registers())
def test_findings_round_trip(reg: Register) -> None:
    findings = validate_register(reg)
    _round_trip(findings, Findings)
    for f in findings.items[:3]:
        _round_trip(f, Finding)


@given(st.sampled_from([*Metode, *AlasanBukanPeserta]))
def test_status_kb_is_written_by_its_code(status: StatusKB) -> None:
    c = make_converter()
    assert c.unstructure(status) == status.code
    assert c.structure(status.code, StatusKB) is status  # type: ignore[arg-type]


def test_region_table_round_trip() -> None:
    table = kota_tangerang()
    _round_trip(table, RegionTable)
    _round_trip(table["3671091006"], Region)
    again = from_json(to_json(table), RegionTable)
    assert again["3671091006"].name == "Jatiuwung"  # the lookups are rebuilt


def test_shapes_worked_by_hand() -> None:
    k = Keluarga(
        kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2, tahapan_ks="KS3+",
        sasaran=["BKL", "BKB"], anggota=["UPPKA", "BKL", "BKB"], row=2,
    )  # fmt: skip
    data = make_converter().unstructure(k)
    assert data == {
        "kode_keluarga": "KK-1",
        "kode_wilayah": "36.71.07.1003",
        "rw": 1,
        "rt": 2,
        "nama_kepala_keluarga": None,
        "tahapan_ks": "KS3+",
        "sasaran": ["BKB", "BKL"],  # form order
        "anggota": ["BKB", "BKL", "UPPKA"],
        "row": 2,
    }
    loc = Location(table="pus", row=3, period=Period(2026, 10))
    assert make_converter().unstructure(loc)["period"] == "2026-10"
    assert make_converter().unstructure(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert make_converter().unstructure(Severity.WARNING) == "WARNING"
    assert make_converter().unstructure(Text("Halo", "Hello")) == {"id": "Halo", "en": "Hello"}


def test_canonical_json_is_byte_stable() -> None:
    text = to_json(Text("Kelurahan Panunggangan Barat — é", "x"))
    assert (
        text == '{"en":"x","id":"Kelurahan Panunggangan Barat — é"}'
    )  # sorted, raw UTF-8, no spaces
    reg = Register(period=Period(2026, 10), keluarga=[Keluarga(
        kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=2, anggota=["BKL", "BKB"], row=2)])  # fmt: skip
    same = Register(period=Period(2026, 10), keluarga=[Keluarga(
        kode_keluarga="KK-1", kode_wilayah="36.71.07.1003", rw=1, rt=2, anggota=["BKB", "BKL"], row=2)])  # fmt: skip
    assert to_json(reg) == to_json(same)
    assert to_json(reg).encode() == to_json(from_json(to_json(reg), Register)).encode()


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ("2026-13", Period),
        ("Oktober 2026", Period),  # only what the converter writes is read back
        ("2026Q5", Quarter),
        ("suntik", Metode),
        ("SUNTIKAN", StatusKB),
        (202610, Period),
        ("3671074508950000", NIK),
    ],
)
def test_structure_refuses_what_it_does_not_write(data: Any, cls: Any) -> None:
    with pytest.raises(Exception):  # noqa: B017, PT011 - cattrs wraps the cause
        make_converter().structure(data, cls)


def test_unknown_keys_are_refused() -> None:
    data = make_converter().unstructure(Kegiatan(kode_wilayah="3671071003"))
    data["rakorr"] = 1
    with pytest.raises(cattrs.ClassValidationError) as e:
        make_converter().structure(data, Kegiatan)
    (cause,) = e.value.exceptions
    assert isinstance(cause, cattrs.ForbiddenExtraKeysError)
    assert cause.extra_fields == {"rakorr"}


@attrs.frozen
class Money:
    sen: int


@attrs.frozen(kw_only=True)
class Budget:
    period: Period
    jenis: JenisInstitusi
    amount: Money
    poktan: frozenset[Poktan]
    tahapan: TahapanKS | None = None


def test_converters_are_fresh_and_extensible() -> None:
    def configure(c: cattrs.Converter) -> None:
        c.register_unstructure_hook(Money, lambda m: f"Rp{m.sen}")
        c.register_structure_hook(Money, lambda v, _: Money(int(v.removeprefix("Rp"))))

    extended = make_converter(configure)
    b = Budget(
        period=Period(2026, 10),
        jenis=JenisInstitusi.BKB,
        amount=Money(1500),
        poktan=frozenset({Poktan.UPPKA, Poktan.BKB}),
    )
    data = extended.unstructure(b)
    assert data == {
        "period": "2026-10",
        "jenis": "BKB",
        "amount": "Rp1500",
        "poktan": ["BKB", "UPPKA"],
        "tahapan": None,
    }
    assert extended.structure(data, Budget) == b
    # the extension did not leak into other converters
    assert make_converter().unstructure(Money(1)) == {"sen": 1}
    assert make_converter() is not make_converter()
