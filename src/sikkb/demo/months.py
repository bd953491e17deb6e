"""The demo city over consecutive months: :func:`~sikkb.demo.demo_city`, :func:`~sikkb.demo.demo_months`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from sikkb.demo.generator import DEMO_SEED, _check_scale, _Kelurahan, _register, _selected
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.register import Register

__all__ = ["demo_city", "demo_months"]


def demo_city(
    period: Period | str,
    *,
    seed: int = DEMO_SEED,
    scale: float = 1.0,
    kelurahan: Iterable[str] | None = None,
) -> Register:
    """The demo city's register for one month (DATA CONTOH, synthetic).

    Args:
        period: the reporting month (``Period`` or text such as ``"2026-10"``).
        seed: same seed, same register; another seed, another city.
        scale: size relative to Kota Tangerang (1.0 ≈ 400,000 families, 324,000 PUS).
        kelurahan: region codes (dotted or plain) of the kelurahan to generate; a kecamatan or the
            kota stands for all kelurahan below it. Default: all 104. A kelurahan's rows are the
            same whichever others are asked for.

    Returns:
        One register for all the kelurahan asked for, ``source`` = :func:`demo_label`.

    Raises:
        ValueError: ``scale`` is not a positive number.
        UnknownRegionError: a code is not in Kota Tangerang's region table.

    This is the first month of :func:`demo_months` ending at ``period``
    (``demo_months(period, 1)[0]``): every couple's history starts here.
    """
    return demo_months(period, 1, seed=seed, scale=scale, kelurahan=kelurahan)[0]


def demo_months(
    last_period: Period | str,
    months: int = 3,
    *,
    seed: int = DEMO_SEED,
    scale: float = 1.0,
    kelurahan: Iterable[str] | None = None,
) -> list[Register]:
    """Consecutive monthly registers of the demo city, ending at ``last_period``, oldest first.

    The first month is :func:`demo_city` of that month; each next month evolves the same families
    and couples (same ``kode_keluarga`` and ``nik_istri``): some couples start a method (PB), a few
    switch method (not PB), stop, become pregnant or give birth, new couples and families appear,
    and wives who turn 50 leave the ``pus`` table. Records that do not change are shared between
    the months' registers.

    Args:
        last_period: the last reporting month.
        months: how many months (at least 1).
        seed, scale, kelurahan: as for :func:`demo_city`.

    Raises:
        ValueError: ``months`` < 1 or ``scale`` is not a positive number.
        UnknownRegionError: a code is not in Kota Tangerang's region table.
    """
    last = Period.parse(last_period) if isinstance(last_period, str) else last_period
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        raise ValueError(f"months must be a whole number of at least 1, not {months!r}")
    _check_scale(scale)
    table = kota_tangerang()
    dates: dict[int, tuple[str, str, datetime.date]] = {}  # shared by the kelurahan: see _nik
    sims = [
        _Kelurahan(region, table, seed=seed, scale=scale, share=share, dates=dates)
        for region, share in _selected(table, seed, kelurahan)
    ]
    first = last - (months - 1)
    out: list[Register] = []
    for period in first.range_to(last):
        for sim in sims:
            if period == first:
                sim.start(period)
            else:
                sim.advance(period)
        out.append(_register(period, sims, seed, scale))
    return out
