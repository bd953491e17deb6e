"""Every sikkb exception survives pickling and compares equal to its copy.

A worker process that raises one hands it to the main process by pickling; before, 18 classes failed
``pickle.loads(pickle.dumps(e))`` and every export failure turned into ``BrokenProcessPool``.
"""

from __future__ import annotations

import inspect
import pickle
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sikkb
import sikkb.io.files
import sikkb.rules.engine
import sikkb_exporters
from sikkb.errors import SikkbError


def _all(cls: type[SikkbError]) -> Iterator[type[SikkbError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _all(sub)


CLASSES = sorted(set(_all(SikkbError)), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_the_walk_finds_the_classes_of_both_packages() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {"RegisterRowsError", "ReportRefusedError", "UnknownRuleError", "MissingExtraError",
            "PluginLoadError", "ExportFailedError", "OutputExistsError", "InputFileError"} <= names  # fmt: skip
    assert len(CLASSES) >= 30


_TEXT = st.text(max_size=20)


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is str:
        return _TEXT
    if hint is int:
        return st.integers()
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return st.one_of(*(_strategy(a) for a in args))
    if hint is type(None):
        return st.none()
    if origin is dict:
        return st.dictionaries(_TEXT, st.integers(0, 99), max_size=3)
    if origin in (list, tuple) or (origin is not None and "Sequence" in str(origin)):
        return st.lists(_TEXT, max_size=3)
    if "Iterable" in str(origin):
        return st.lists(_TEXT, max_size=3)
    return st.one_of(_TEXT, st.integers(), st.none())  # Any


def _instances(cls: type[SikkbError]) -> st.SearchStrategy[SikkbError]:
    init = cls.__init__
    if init is Exception.__init__ or init is object.__init__:
        return st.builds(cls, _TEXT)
    hints = typing.get_type_hints(init)
    kwargs = {}
    for name, p in inspect.signature(init).parameters.items():
        if name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        kwargs[name] = _strategy(hints.get(name, Any))
    return st.fixed_dictionaries(kwargs).map(lambda kw: cls(**kw))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_every_exception_pickles_and_unpickles_equal(
    cls: type[SikkbError], data: st.DataObject
) -> None:
    e = data.draw(_instances(cls))
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is cls
    assert copy == e
    assert str(copy) == str(e)
    assert copy.__dict__ == e.__dict__
    if isinstance(e, ImportError):
        assert copy.name == e.name


def test_modules_are_imported() -> None:  # keeps the imports above meaningful for the walk
    assert sikkb.io.files and sikkb.rules.engine and sikkb_exporters
