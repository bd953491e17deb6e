"""Safety limits for reading register files.

A register comes from outside: it may be damaged, or built to hurt (a zip bomb that inflates to
gigabytes, a sheet with millions of rows, a cell holding a novel). :class:`Limits` bounds the work
the reader does; a file over a limit is refused or reported, never read until memory runs out.

Example:
    >>> Limits().max_rows
    1000000
    >>> Limits(max_rows=10).max_rows
    10
"""

from __future__ import annotations

import attrs

__all__ = ["Limits"]


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"Limits.{attribute.name} must be a whole number of at least 1: {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """How much a register file may hold before the reader refuses it.

    Attributes:
        max_rows: data rows per table (sheet or CSV file); a table over it is not read and gets an
            ERROR finding ``baca-batas-baris``.
        max_columns: columns read per table; cells further right are ignored.
        max_cell_chars: characters per cell; a longer cell gets an ERROR finding
            ``baca-sel-terlalu-panjang`` and its row is not typed.
        max_decompressed_bytes: total uncompressed size of an XLSX workbook's parts; over it the
            workbook is refused (:class:`~sikkb.errors.RegisterFileError`). Sheets are streamed,
            so this bounds time more than memory: a whole city's register (400,000 families) unpacks
            to about 450 MB.
        max_csv_bytes: size of one CSV file (read into memory whole); over it the file is refused.
        max_ratio: largest uncompressed / compressed ratio of any part of an XLSX workbook larger
            than ``ratio_threshold_bytes``; over it the workbook is refused as a zip bomb. Real
            registers compress 5-30 times; a bomb compresses a thousand times or more.
        ratio_threshold_bytes: parts smaller than this are not ratio-checked (tiny parts compress
            oddly and cannot hurt).
        max_zip_members: parts in an XLSX workbook (a real one has a few dozen).
    """

    max_rows: int = attrs.field(default=1_000_000, validator=_positive)
    max_columns: int = attrs.field(default=200, validator=_positive)
    max_cell_chars: int = attrs.field(default=1_000, validator=_positive)
    max_decompressed_bytes: int = attrs.field(default=1024 * 1024 * 1024, validator=_positive)
    max_csv_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    max_ratio: int = attrs.field(default=100, validator=_positive)
    ratio_threshold_bytes: int = attrs.field(default=1024 * 1024, validator=_positive)
    max_zip_members: int = attrs.field(default=10_000, validator=_positive)

    @classmethod
    def for_engine(cls, engine: str) -> Limits:
        """The default limits of an engine (``"records"`` or ``"columnar"``).

        The record engine holds one Python object per row and reads a CSV file into memory whole,
        so its defaults stop at a city's size. The columnar engine holds a register as columns
        (a CSV is parsed at about its own size in memory), so it reads a province: up to
        100 million rows per table and 4 GiB per CSV file (a whole country is read from Parquet,
        which has no byte limit). The XLSX limits, which guard against zip bombs, are the same.

        >>> Limits.for_engine("columnar").max_rows, Limits.for_engine("records") == Limits()
        (100000000, True)
        """
        if engine == "columnar":
            return cls(max_rows=100_000_000, max_csv_bytes=4 * 1024**3)
        return cls()
