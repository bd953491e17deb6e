"""The conformance helper: built-ins conform, broken exporters are caught; the example plugin."""

from __future__ import annotations

import importlib.metadata
import io
import itertools
import os
from typing import IO

import pytest

from sikkb.regions import Tingkat
from sikkb_exporters import Exporter, ReportBundle, make_registry
from sikkb_exporters.conformance import assert_conforms, check_exporter, sample_bundles

FAST_BUILTINS = [
    "json",
    "csv",
    "adx",
    "bkkbn-xlsx",
    "kota-xlsx",
    "kecamatan-xlsx",
    "kelurahan-xlsx",
]


@pytest.mark.parametrize("name", FAST_BUILTINS)
def test_builtin_exporters_conform(name: str) -> None:
    assert_conforms(make_registry(load_entrypoints=False).get(name))


def test_a_pdf_exporter_conforms() -> None:
    assert check_exporter(make_registry(load_entrypoints=False).get("kelurahan-pdf")) == ()


def _exporter(write: object, levels: tuple[str, ...] = ("kelurahan",)) -> Exporter:
    return Exporter(name="uji", suffix=".txt", media_type="text/plain", levels=levels,
                    write=write, description=("Uji", "Test"))  # type: ignore[arg-type]  # fmt: skip


def test_broken_exporters_are_caught() -> None:
    counter = itertools.count()

    def leaks_nik(bundle: ReportBundle, stream: IO[bytes]) -> None:
        stream.write(b"istri 3671074501900001\n")

    def leaks_name(bundle: ReportBundle, stream: IO[bytes]) -> None:
        stream.write(b"Contoh Istri 000001\n")

    def changes(bundle: ReportBundle, stream: IO[bytes]) -> None:
        stream.write(f"run {next(counter)}".encode())

    def empty(bundle: ReportBundle, stream: IO[bytes]) -> None:
        return None

    def raises(bundle: ReportBundle, stream: IO[bytes]) -> None:
        raise ValueError("lupa")

    def garbage(bundle: ReportBundle, stream: IO[bytes]) -> object:
        stream.write(b"ok")
        return 42

    cases = {
        leaks_nik: "16-digit number", leaks_name: "name from the register",
        changes: "not deterministic", empty: "empty", raises: "raised ValueError: lupa",
        garbage: "must return None or findings",
    }  # fmt: skip
    for write, expected in cases.items():
        problems = check_exporter(_exporter(write))
        assert len(problems) == 1, (write.__name__, problems)
        assert expected in problems[0]
        assert problems[0].startswith("uji [kelurahan]")
    with pytest.raises(AssertionError, match="does not conform"):
        assert_conforms(_exporter(empty))


def test_every_claimed_level_is_rendered() -> None:
    levels: list[Tingkat] = []

    def record(bundle: ReportBundle, stream: IO[bytes]) -> None:
        levels.append(bundle.level)
        stream.write(bundle.region_code.encode())

    assert check_exporter(_exporter(record, ("kelurahan", "kecamatan", "kota", "provinsi"))) == ()
    assert sorted(set(levels), key=lambda t: t.value) == list(Tingkat)


def test_samples_hold_no_personal_data_themselves() -> None:
    for bundle in sample_bundles().values():
        assert "Contoh Istri" not in repr(bundle.report)


# -- the example third-party package (examples/sikkb-example-exporter) ------------------------


def _example_installed() -> bool:
    return any(ep.name == "markdown" for ep in importlib.metadata.entry_points(group="sikkb"))


needs_example = pytest.mark.skipif(
    not _example_installed() and not os.environ.get("CI"),
    reason="install examples/sikkb-example-exporter (CI installs it; see noxfile.py)",
)


@needs_example
def test_the_example_plugin_is_discovered_through_its_entry_point(
    bundles: dict[Tingkat, ReportBundle],
) -> None:
    reg = make_registry()
    assert "markdown" in reg.names()
    assert reg.origin("markdown") == "plugin 'markdown' (distribution sikkb-example-exporter 0.1.0)"
    stream = io.BytesIO()
    reg.render(bundles[Tingkat.KOTA], stream, exporter="markdown")
    text = stream.getvalue().decode()
    pus = bundles[Tingkat.KOTA].report.value("pus")
    assert f"| PUS | {pus:,} |".replace(",", ".") in text
    assert_conforms(reg.get("markdown"))


@needs_example
def test_the_autoload_switch_hides_the_example_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIKKB_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "markdown" not in make_registry().names()
