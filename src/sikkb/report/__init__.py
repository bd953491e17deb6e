"""Reports: the village report F/I/Dal, its recaps, indicators and series.

The report model is DHIS2-like: every number is an :class:`Item` (data element × disaggregation) of
the :data:`CATALOGUE`; reports store ``(item key, value)`` pairs; cells are three-valued
(:class:`Cell`). See ``docs/reports.md``.
"""

from sikkb.report.cells import Cell, CellStatus, Ratio
from sikkb.report.indicators import Indicators, recap_indicators
from sikkb.report.items import (
    BOUNDS,
    CATALOGUE,
    TANPA_TEMPAT,
    Bound,
    Item,
    Kind,
    Section,
    item,
    item_key,
    items,
    not_applicable_keys,
    split_key,
)
from sikkb.report.recap import Coverage, Recap, RecapRow
from sikkb.report.series import Change, PeriodView, PPMTarget, PPMTargets, Series, SeriesPoint
from sikkb.report.village import SourceKind, VillageReport, derive_totals, detail_keys

__all__ = [
    "BOUNDS",
    "CATALOGUE",
    "TANPA_TEMPAT",
    "Bound",
    "Cell",
    "CellStatus",
    "Change",
    "Coverage",
    "Indicators",
    "Item",
    "Kind",
    "PPMTarget",
    "PPMTargets",
    "PeriodView",
    "Ratio",
    "Recap",
    "RecapRow",
    "Section",
    "Series",
    "SeriesPoint",
    "SourceKind",
    "VillageReport",
    "derive_totals",
    "detail_keys",
    "item",
    "item_key",
    "items",
    "not_applicable_keys",
    "recap_indicators",
    "split_key",
]
