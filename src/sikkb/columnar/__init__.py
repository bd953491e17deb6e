"""The columnar engine: registers as Polars tables, rules as column expressions, reports as group-bys.

Beside the record engine (:mod:`sikkb.register`, :mod:`sikkb.rules.register`,
:meth:`VillageReport.from_register <sikkb.report.VillageReport.from_register>`), which stays the
reference, this engine computes the same :class:`~sikkb.rules.Findings`, village reports and
recaps from a :class:`~sikkb.columnar.tables.ColumnarRegister` without one Python object per row. It needs the ``polars``
extra (``pip install sikkb[polars]``, part of ``all``); importing this package itself does not
import polars, its modules do.

Engines are chosen with ``engine="columnar" | "records"`` in
:func:`sikkb.io.read_register` and :func:`sikkb.pipeline.build_month` and ``--engine`` on the
command line; :func:`default_engine` is ``"columnar"`` wherever polars is installed. A hypothesis
property (``tests/columnar``) holds both engines to identical results, findings included.
"""

from __future__ import annotations

import importlib.util
from typing import Literal

__all__ = ["ENGINES", "Engine", "available", "default_engine", "resolve_engine"]

Engine = Literal["columnar", "records"]
ENGINES: tuple[Engine, ...] = ("columnar", "records")


def available() -> bool:
    """Whether the columnar engine can run (polars is installed)."""
    return importlib.util.find_spec("polars") is not None


def default_engine() -> Engine:
    """``"columnar"`` where polars is installed, else ``"records"``."""
    return "columnar" if available() else "records"


def resolve_engine(engine: str | None) -> Engine:
    """Check an engine name (``None``: :func:`default_engine`).

    Raises:
        ValueError: an unknown name, or ``"columnar"`` without polars installed.
    """
    if engine is None:
        return default_engine()
    if engine == "records":
        return "records"
    if engine == "columnar":
        if not available():
            raise ValueError(
                "the columnar engine needs polars: pip install 'sikkb[polars]' (or use the "
                "records engine)"
            )
        return "columnar"
    raise ValueError(f"engine must be 'columnar' or 'records', not {engine!r}")
