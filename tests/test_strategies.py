"""The shared strategies draw what they promise (other tests rely on it)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from tests.strategies import STATUS_MIX, registers, shuffled

from sikkb.codes import AlasanBukanPeserta, JenisInstitusi, Metode
from sikkb.register import TABLES, Register


@settings(max_examples=25)  # whole registers: heavy to draw
@given(registers())
def test_registers_number_rows_from_2_and_hold_every_jenis(reg: Register) -> None:
    for name in TABLES:
        assert [r.row for r in reg.table(name)] == list(range(2, len(reg.table(name)) + 2))
    assert {i.jenis for i in reg.institusi} == set(JenisInstitusi)
    for p in reg.pus:
        assert p.kode_keluarga in reg.keluarga_by_kode
        assert (p.tempat_pelayanan is None) == (p.metode is None or not p.metode.needs_place)
        assert not (p.peserta_baru and p.alasan is not None)


def test_the_status_mix_is_realistic() -> None:
    counts = Counter(STATUS_MIX)
    assert set(counts) == {*Metode, *AlasanBukanPeserta}  # every status occurs
    top = [status for status, _ in counts.most_common(3)]
    assert top == [Metode.SUNTIK, Metode.PIL, Metode.IMPLAN]
    users = sum(n for status, n in counts.items() if isinstance(status, Metode))
    assert users > 3 * (len(STATUS_MIX) - users)  # PA is most common


@settings(max_examples=25)  # whole registers: heavy to draw
@given(registers().flatmap(lambda r: shuffled(r).map(lambda s: (r, s))))
def test_shuffled_keeps_every_row(pair: tuple[Register, Register]) -> None:
    reg, mixed = pair
    for name in TABLES:
        assert sorted(r.row for r in mixed.table(name)) == sorted(r.row for r in reg.table(name))
    assert mixed.period == reg.period
