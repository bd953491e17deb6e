"""Test parameters shared by the exporter tests."""

from __future__ import annotations

from sikkb.regions import Tingkat

#: Every (exporter, level) the built-ins claim, as test parameters.
DOCUMENT_CASES = [
    ("bkkbn", Tingkat.KELURAHAN),
    ("bkkbn", Tingkat.KECAMATAN),
    ("bkkbn", Tingkat.KOTA),
    ("bkkbn", Tingkat.PROVINSI),
    ("kota", Tingkat.KOTA),
    ("kecamatan", Tingkat.KECAMATAN),
    ("kelurahan", Tingkat.KELURAHAN),
]
