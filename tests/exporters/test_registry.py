"""The plugin host: validation, duplicates, failing plugins, autoload switch, missing extras."""

from __future__ import annotations

import importlib.metadata
import io
import subprocess
import sys
import types
from typing import ClassVar

import pytest

from sikkb.errors import SikkbError
from sikkb.regions import Tingkat
from sikkb_exporters import (
    AUTOLOAD_ENV,
    DuplicateExporterError,
    Exporter,
    InvalidExporterError,
    MissingExtraError,
    PluginLoadError,
    UnknownExporterError,
    UnsupportedLevelError,
    hookimpl,
    make_registry,
)
from sikkb_exporters import registry as registry_module

BUILTINS = {
    "adx", "bkkbn-pdf", "bkkbn-xlsx", "csv", "json", "kecamatan-pdf", "kecamatan-xlsx",
    "kelurahan-pdf", "kelurahan-xlsx", "kota-pdf", "kota-xlsx",
}  # fmt: skip


def _exporter(name: str = "contoh", **kw: object) -> Exporter:
    fields: dict[str, object] = {
        "name": name,
        "suffix": ".txt",
        "media_type": "text/plain",
        "levels": ["kelurahan"],
        "write": lambda bundle, stream: stream.write(b"x"),
        "description": ("Contoh", "Example"),
    }
    fields.update(kw)
    return Exporter(**fields)  # type: ignore[arg-type]


def _plugin(*exporters: object) -> object:
    class Plugin:
        @hookimpl
        def sikkb_register_exporters(self) -> object:
            return list(exporters)

    return Plugin()


def test_builtins_register_through_the_hook() -> None:
    reg = make_registry(load_entrypoints=False)
    assert set(reg.names()) == BUILTINS
    assert reg.origin("kota-pdf") == "plugin 'sikkb-builtin'"
    assert {e.name for e in reg.for_level(Tingkat.KOTA)} == BUILTINS - {
        "kecamatan-pdf", "kecamatan-xlsx", "kelurahan-pdf", "kelurahan-xlsx",
    }  # fmt: skip
    assert reg.get("kelurahan-pdf").levels == frozenset({Tingkat.KELURAHAN})


def test_each_registry_is_fresh() -> None:
    a = make_registry(load_entrypoints=False, plugins=[_plugin(_exporter())])
    b = make_registry(load_entrypoints=False)
    assert "contoh" in a
    assert "contoh" not in b


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Bad Name"),
        ("name", ""),
        ("suffix", "txt"),
        ("media_type", "plain"),
        ("levels", []),
        ("levels", ["desa-kota"]),
        ("write", "not callable"),
    ],
)
def test_exporter_fields_are_validated(field: str, value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        _exporter(**{field: value})


def test_duplicate_names_are_refused_naming_both_plugins() -> None:
    with pytest.raises(DuplicateExporterError) as info:
        make_registry(load_entrypoints=False, plugins=[_plugin(_exporter("csv"))])
    err = info.value
    assert err.name == "csv"
    assert err.first == "plugin 'sikkb-builtin'"
    assert "Plugin" in err.second
    assert "sikkb-builtin" not in err.second
    assert isinstance(err, SikkbError)
    assert isinstance(err, ValueError)


def test_duplicate_within_third_parties() -> None:
    with pytest.raises(DuplicateExporterError, match="'dua'"):
        make_registry(
            load_entrypoints=False, plugins=[_plugin(_exporter("dua")), _plugin(_exporter("dua"))]
        )


@pytest.mark.parametrize("garbage", [{"name": "x"}, "csv", 42, None.__class__])
def test_garbage_items_are_refused(garbage: object) -> None:
    with pytest.raises(InvalidExporterError, match="expected an Exporter"):
        make_registry(load_entrypoints=False, plugins=[_plugin(garbage)])


def test_a_single_exporter_instead_of_a_list_is_refused() -> None:
    class Plugin:
        @hookimpl
        def sikkb_register_exporters(self) -> object:
            return _exporter()

    with pytest.raises(InvalidExporterError, match="list of Exporter"):
        make_registry(load_entrypoints=False, plugins=[Plugin()])


def test_a_hook_that_raises_is_named() -> None:
    class Broken:
        @hookimpl
        def sikkb_register_exporters(self) -> object:
            raise RuntimeError("boom")

    with pytest.raises(InvalidExporterError, match="boom") as info:
        make_registry(load_entrypoints=False, plugins=[Broken()])
    assert info.value.plugin


def test_unknown_sikkb_hook_is_refused() -> None:
    class Typo:
        @hookimpl
        def sikkb_register_exporter(self) -> list[Exporter]:  # missing "s"
            return []

    with pytest.raises(PluginLoadError, match="sikkb_register_exporter"):
        make_registry(load_entrypoints=False, plugins=[Typo()])


class _FakeDist:
    version = "9.9"
    metadata: ClassVar[dict[str, str]] = {"Name": "sikkb-rusak"}


class _FakeEntryPoint:
    def __init__(self, name: str, target: object) -> None:
        self.name = name
        self.dist = _FakeDist()
        self._target = target

    def load(self) -> object:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, *eps: _FakeEntryPoint) -> None:
    def entry_points(*, group: str) -> list[_FakeEntryPoint]:
        assert group == "sikkb"
        return list(eps)

    monkeypatch.setattr(registry_module.importlib.metadata, "entry_points", entry_points)
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)


def test_plugin_that_fails_to_import_is_named_with_its_distribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_entry_points(monkeypatch, _FakeEntryPoint("rusak", ImportError("no module named foo")))
    with pytest.raises(PluginLoadError) as info:
        make_registry()
    err = info.value
    assert (err.plugin, err.dist) == ("rusak", "sikkb-rusak 9.9")
    assert "sikkb-rusak 9.9" in str(err)
    assert "no module named foo" in str(err)
    assert AUTOLOAD_ENV in str(err)


def test_garbage_from_an_entry_point_plugin_names_the_distribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("fake_plugin")
    module.sikkb_register_exporters = hookimpl(lambda: ["not an exporter"])  # type: ignore[attr-defined]
    _fake_entry_points(monkeypatch, _FakeEntryPoint("sampah", module))
    with pytest.raises(InvalidExporterError, match=r"distribution sikkb-rusak 9\.9"):
        make_registry()


def test_entry_point_exporters_are_registered_with_their_origin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("fake_plugin")
    module.sikkb_register_exporters = hookimpl(lambda: [_exporter("baru")])  # type: ignore[attr-defined]
    _fake_entry_points(monkeypatch, _FakeEntryPoint("baru", module))
    reg = make_registry()
    assert reg.origin("baru") == "plugin 'baru' (distribution sikkb-rusak 9.9)"
    assert reg.loaded_entrypoints


def test_environment_variable_disables_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, _FakeEntryPoint("rusak", ImportError("never loaded")))
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    reg = make_registry()
    assert set(reg.names()) == BUILTINS
    assert not reg.loaded_entrypoints


def test_load_entrypoints_false_skips_them(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, _FakeEntryPoint("rusak", ImportError("never loaded")))
    assert set(make_registry(load_entrypoints=False).names()) == BUILTINS


def test_unknown_exporter_lists_the_known_ones() -> None:
    with pytest.raises(UnknownExporterError, match="known: adx, bkkbn-pdf"):
        make_registry(load_entrypoints=False).get("docx")


def test_unsupported_level_is_refused(bundles: dict[Tingkat, object]) -> None:
    reg = make_registry(load_entrypoints=False)
    with pytest.raises(UnsupportedLevelError, match="renders: kota"):
        reg.render(bundles[Tingkat.KELURAHAN], io.BytesIO(), exporter="kota-xlsx")


@pytest.mark.parametrize(
    ("exporter", "module", "extra"),
    [
        ("kota-xlsx", "openpyxl", "xlsx"),
        ("kota-pdf", "weasyprint", "pdf"),
        ("bkkbn-pdf", "jinja2", "pdf"),
    ],
)
def test_missing_extra_names_it(
    monkeypatch: pytest.MonkeyPatch,
    bundles: dict[Tingkat, object],
    exporter: str,
    module: str,
    extra: str,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes "import module" raise ImportError
    reg = make_registry(load_entrypoints=False)
    with pytest.raises(MissingExtraError) as info:
        reg.render(bundles[Tingkat.KOTA], io.BytesIO(), exporter=exporter)
    assert f"pip install 'sikkb[{extra}]'" in str(info.value)
    assert (info.value.extra, info.value.module) == (extra, module)
    assert isinstance(info.value, ImportError)


def _modules_loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``code``."""
    probe = f"import sys; {code}; print(','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def test_listing_exporters_imports_no_heavy_library() -> None:
    code = (
        "from sikkb_exporters import make_registry; make_registry(load_entrypoints=False).names()"
    )
    assert _modules_loaded_after(code, ("openpyxl", "weasyprint", "jinja2")) == []


def test_importing_sikkb_imports_no_exporter_machinery() -> None:
    heavy = ("pluggy", "sikkb_exporters", "openpyxl", "weasyprint")
    assert _modules_loaded_after("import sikkb, sikkb.report", heavy) == []


def test_entry_point_group_is_the_project_name() -> None:
    names = {ep.name for ep in importlib.metadata.entry_points(group="sikkb")}
    assert isinstance(names, set)  # the group exists or is empty; never raises
    assert registry_module.ENTRY_POINT_GROUP == "sikkb"
