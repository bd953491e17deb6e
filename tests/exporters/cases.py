"""Test parameters shared by the exporter tests."""

from __future__ import annotations

from sikkb.regions import Tingkat

#: Every (exporter, level) the built-ins claim, as test parameters.
DOCUMENT_CASES = [
    ("bkkbn", Tingkat.KELURAHAN),
    ("bkkbn", Tingkat.KECAMATAN),
    ("bkkbn", Tingkat.KABKOTA),
    ("bkkbn", Tingkat.PROVINSI),
    ("kota", Tingkat.KABKOTA),
    ("kecamatan", Tingkat.KECAMATAN),
    ("kelurahan", Tingkat.KELURAHAN),
]
