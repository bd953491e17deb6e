"""Records to JSON-ready data and back, with cattrs: round trip is the identity.

Serialisation belongs to a converter built by :func:`make_converter`, never to the records, and
there is no global mutable converter: every call builds a fresh one, which the caller may extend.

What the core converter writes:

- :class:`~sikkb.periods.Period` as ``"2026-10"``, :class:`~sikkb.periods.Quarter` as ``"2026Q4"``;
- dates (and date-times) in ISO 8601;
- every code enumeration (:class:`~sikkb.codes.CodeEnum`, :class:`~sikkb.rules.Severity`) by its
  code, and ``status_kb`` (a :class:`~sikkb.codes.Metode` or an
  :class:`~sikkb.codes.AlasanBukanPeserta`) by its code as well;
- frozensets as lists, sorted (code lists in form order);
- tuples as lists; :class:`~sikkb.nik.NIK` as its 16-digit string;
- every attrs record (register tables, :class:`~sikkb.register.Register`, regions, findings,
  bilingual :class:`~sikkb.i18n.Text`, ...) as an object of its fields, generically.

:class:`~sikkb.rules.Rule` and :class:`~sikkb.rules.Hit` are not serialised (a rule holds a
function): serialise the findings a run produced.

Extending. An attrs record needs nothing: cattrs builds its hooks from the field types, using the
hooks above for the fields. A module whose records hold some other special type writes a function
that registers its hooks and passes it to :func:`make_converter`::

    def configure(converter: cattrs.Converter) -> None:
        converter.register_unstructure_hook(Money, str)
        converter.register_structure_hook(Money, lambda v, _: Money.parse(v))

    converter = make_converter(configure)

The function is applied after the core hooks, so it may also override them. Keep the special cases
of the core in ``_configure_core``, in one place.

Canonical JSON (:func:`to_json`) has sorted keys, no insignificant spaces and raw UTF-8 text, so
the same value always gives the same bytes; exporters and content hashes rely on it.

Example:
    >>> import datetime, json
    >>> from sikkb.periods import Period
    >>> from sikkb.register import Pus
    >>> p = Pus(kode_keluarga="KK-1", nik_istri="3671074508950001",
    ...         tanggal_lahir_istri=datetime.date(1995, 8, 5), status_kb="SUNTIK",
    ...         tempat_pelayanan="SWASTA", row=2)
    >>> text = to_json(p)
    >>> data = json.loads(text)
    >>> data["status_kb"], data["tanggal_lahir_istri"], data["row"], text.startswith('{"jumlah_anak":null,')
    ('SUNTIK', '1995-08-05', 2, True)
    >>> from_json(text, Pus) == p, to_json(Period(2026, 10))
    (True, '"2026-10"')
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import cattrs

from sikkb.codes import StatusKB, parse_status_kb
from sikkb.errors import InvalidCodeError, InvalidPeriodError
from sikkb.nik import NIK
from sikkb.periods import Period, Quarter

__all__ = ["Configure", "from_json", "make_converter", "to_json"]

T = TypeVar("T")

#: A function that registers hooks on a converter (see "Extending" above).
Configure = Callable[[cattrs.Converter], None]

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def make_converter(*configure: Configure) -> cattrs.Converter:
    """A fresh converter for every sikkb record, extended by ``configure`` functions in order.

    Unknown keys are refused when structuring, so a misspelt field in stored data is an error
    rather than a silently dropped value.
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    _configure_core(converter)
    for fn in configure:
        fn(converter)
    return converter


def _configure_core(c: cattrs.Converter) -> None:
    """Every special case of the core, in one place."""
    c.register_unstructure_hook(Period, str)
    c.register_structure_hook(Period, _structure_period)
    c.register_unstructure_hook(Quarter, str)
    c.register_structure_hook(Quarter, _structure_quarter)
    c.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    c.register_structure_hook(datetime.date, _structure_date)
    c.register_unstructure_hook(datetime.datetime, datetime.datetime.isoformat)
    c.register_structure_hook(datetime.datetime, _structure_datetime)
    c.register_unstructure_hook(NIK, str)
    c.register_structure_hook(NIK, lambda value, _: NIK(_expect(str, value, "NIK")))
    # Enumerations by code (their value): strict, no aliases, so the round trip is exact.
    c.register_unstructure_hook_func(_is_code_enum, _unstructure_enum)
    c.register_structure_hook_func(_is_code_enum, _structure_enum)
    c.register_structure_hook_func(lambda t: t == StatusKB, _structure_status_kb)
    c.register_unstructure_hook_factory(_is_set, functools.partial(_set_hook, c))
    c.register_unstructure_hook_factory(_is_tuple, functools.partial(_tuple_hook, c))


def _expect(kind: type[T], value: Any, what: str) -> T:
    if not isinstance(value, kind):
        raise TypeError(f"{what}: expected {kind.__name__}, got {value!r}")
    return value


def _structure_period(value: Any, _: Any) -> Period:
    text = _expect(str, value, "Period")
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        raise InvalidPeriodError(value, "expected YYYY-MM, for example '2026-10'")
    return Period.parse(text)


def _structure_quarter(value: Any, _: Any) -> Quarter:
    m = _QUARTER.match(_expect(str, value, "Quarter"))
    if m is None:
        raise InvalidPeriodError(value, "expected YYYYQn, for example '2026Q4'")
    return Quarter(int(m[1]), int(m[2]))


def _structure_date(value: Any, _: Any) -> datetime.date:
    return datetime.date.fromisoformat(_expect(str, value, "date"))


def _structure_datetime(value: Any, _: Any) -> datetime.datetime:
    return datetime.datetime.fromisoformat(_expect(str, value, "datetime"))


def _is_code_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _unstructure_enum(member: enum.Enum) -> Any:
    return member.value


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        raise InvalidCodeError(cls.__name__, value, [str(m.value) for m in cls]) from None


def _structure_status_kb(value: Any, _: Any) -> StatusKB:
    text = _expect(str, value, "status_kb")
    status = parse_status_kb(text)
    if status.value != text:  # an alias or another case: not what this converter writes
        raise InvalidCodeError("status_kb", value, [status.code])
    return status


def _is_set(t: Any) -> bool:
    return t in (frozenset, set) or typing.get_origin(t) in (frozenset, set)


def _set_order(item: Any) -> tuple[int, Any]:
    if isinstance(item, enum.Enum):
        return (list(type(item)).index(item), "")  # code lists in form order
    return (0, item)


def _item_hook(c: cattrs.Converter, t: Any) -> Callable[[Any], Any]:
    """The hook for the items of ``t`` (``frozenset[Poktan]``, ``tuple[Pus, ...]``)."""
    args = typing.get_args(t)
    if len(args) == 1 or (len(args) == 2 and args[1] is Ellipsis):
        return c.get_unstructure_hook(args[0])
    return c.unstructure  # by each item's runtime type


def _set_hook(c: cattrs.Converter, t: Any) -> Callable[[Iterable[Any]], list[Any]]:
    item = _item_hook(c, t)

    def unstructure(items: Iterable[Any]) -> list[Any]:
        return [item(x) for x in sorted(items, key=_set_order)]

    return unstructure


def _is_tuple(t: Any) -> bool:
    return t is tuple or typing.get_origin(t) is tuple


def _tuple_hook(c: cattrs.Converter, t: Any) -> Callable[[Iterable[Any]], list[Any]]:
    args = typing.get_args(t)
    if args and not (len(args) == 2 and args[1] is Ellipsis):  # tuple[int, str]: per position
        hooks = [c.get_unstructure_hook(a) for a in args]
        return lambda items: [h(x) for h, x in zip(hooks, items, strict=True)]
    item = _item_hook(c, t)
    return lambda items: [item(x) for x in items]


@functools.lru_cache(maxsize=1)
def _shared() -> cattrs.Converter:
    # Private and never extended: the helpers below reuse its generated hooks for speed.
    return make_converter()


def to_json(obj: Any, *, converter: cattrs.Converter | None = None) -> str:
    """Canonical JSON of a record: sorted keys, ``,``/``:`` separators, UTF-8 text unescaped.

    The same value always gives the same text (byte-stable), so it can be hashed.
    """
    data = (converter or _shared()).unstructure(obj)
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def from_json(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """The record of type ``cls`` that :func:`to_json` wrote as ``text``."""
    result: T = (converter or _shared()).structure(json.loads(text), cls)
    return result
