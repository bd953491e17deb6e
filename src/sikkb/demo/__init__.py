"""The demo city: a deterministic synthetic register of all 104 kelurahan of Kota Tangerang.

Everything here is **DATA CONTOH (sintetis)**, invented from a seed: no row describes a real
family. Names say so (``Contoh Istri 000123``) and ``Register.source`` says so
(:data:`~sikkb.demo.generator.DEMO_LABEL`). The numbers are shaped like the city's: about 400,000 families and
320,000-330,000 PUS (about 17 % of 1.9 million people) at ``scale=1``; a CPR of 60-75 % varying by
kelurahan; injectables the most common method, then pills and implants; a few percent each of
HAMIL, IAS, IAT and TIAL; Poktan membership and welfare stages in plausible shares; about 6,000
institutions (a PPKBD per kelurahan, a Sub-PPKBD per RW, Kelompok KB in a subset of the RT, BKB,
BKR, BKL, UPPKA and PIK-R groups) of which about 90 % report each month.

The generator is pure: no files, no clock. Each kelurahan draws from its own
:class:`random.Random` seeded from ``(seed, kode_wilayah)``, so a kelurahan's rows do not depend on
which other kelurahan are asked for. :func:`demo_months` lets the same couples evolve over
consecutive months (new participants every month, a few method switches, pregnancies and births,
new couples, wives turning 50 leave the PUS table), so trends and PB year-to-date show.
:func:`demo_ppm` gives the yearly PB targets (PPM) per kelurahan.

``scale`` multiplies the families, couples and activity groups (not the RW/RT layout, nor the one
PPKBD per kelurahan and Sub-PPKBD per RW); ``scale=0.01`` gives about 4,000 families for fast
tests, ``scale=4`` about 1.6 million for benchmarks.

The package's modules: :mod:`sikkb.demo.generator` (the city's shape and each kelurahan's simulated
population, PPM targets, population), :mod:`sikkb.demo.months` (:func:`demo_city`,
:func:`demo_months`) and :mod:`sikkb.demo.events` (:func:`demo_events`).

Example:
    >>> reg = demo_city("2026-10", scale=0.002, kelurahan=["36.71.07.1003"])
    >>> reg.source
    'DATA CONTOH (sintetis) seed=2026 scale=0.002 — bukan data nyata / synthetic, not real people'
    >>> reg.kelurahan_codes
    ('36.71.07.1003',)
    >>> reg == demo_city("2026-10", scale=0.002, kelurahan=["3671071003"])
    True
    >>> [r.period.iso for r in demo_months("2026-10", 3, scale=0.002, kelurahan=["36.71.07.1003"])]
    ['2026-08', '2026-09', '2026-10']
"""

from __future__ import annotations

from sikkb.demo.events import demo_events
from sikkb.demo.generator import DEMO_LABEL, DEMO_SEED, demo_label, demo_population, demo_ppm
from sikkb.demo.months import demo_city, demo_months

__all__ = [
    "DEMO_LABEL",
    "DEMO_SEED",
    "demo_city",
    "demo_events",
    "demo_label",
    "demo_months",
    "demo_population",
    "demo_ppm",
]
