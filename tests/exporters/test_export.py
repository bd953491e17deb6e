"""export(): atomic, never half-written, never overwriting unless asked; bulk export with progress."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sikkb.regions import Tingkat
from sikkb_exporters import (
    Exporter,
    ExportJob,
    OutputExistsError,
    ReportBundle,
    atomic_write,
    hookimpl,
    make_registry,
)


class Boom(RuntimeError):
    pass


def _half_writer(bundle: ReportBundle, stream: IO[bytes]) -> None:
    stream.write(b"half a report")
    raise Boom("disk full")


class Failing:
    @hookimpl
    def sikkb_register_exporters(self) -> list[Exporter]:
        return [Exporter(name="rusak", suffix=".txt", media_type="text/plain", levels=["kelurahan"],
                         write=_half_writer, description=("Rusak", "Broken"))]  # fmt: skip


def test_export_writes_the_file(tmp_path: Path, bundles: dict[Tingkat, ReportBundle]) -> None:
    reg = make_registry(load_entrypoints=False)
    target = tmp_path / "laporan.csv"
    result = reg.export(bundles[Tingkat.KELURAHAN], target, exporter="csv")
    assert result.path == target
    assert result.size == target.stat().st_size > 0
    assert result.exporter == "csv"
    assert os.listdir(tmp_path) == ["laporan.csv"]
    assert target.read_bytes().startswith(b"region,period,item,disaggregation,value")


def test_an_existing_file_is_never_replaced_unless_asked(
    tmp_path: Path, bundles: dict[Tingkat, ReportBundle]
) -> None:
    reg = make_registry(load_entrypoints=False)
    target = tmp_path / "laporan.json"
    target.write_text("punya orang lain")
    with pytest.raises(OutputExistsError) as info:
        reg.export(bundles[Tingkat.KELURAHAN], target, exporter="json")
    assert isinstance(info.value, FileExistsError)
    assert info.value.path == str(target)
    assert target.read_text() == "punya orang lain"
    reg.export(bundles[Tingkat.KELURAHAN], target, exporter="json", overwrite=True)
    assert target.read_text().startswith("{")
    assert sorted(os.listdir(tmp_path)) == ["laporan.json"]


def test_a_failing_exporter_leaves_nothing_behind(
    tmp_path: Path, bundles: dict[Tingkat, ReportBundle]
) -> None:
    reg = make_registry(load_entrypoints=False, plugins=[Failing()])
    with pytest.raises(Boom):
        reg.export(bundles[Tingkat.KELURAHAN], tmp_path / "x.txt", exporter="rusak")
    assert os.listdir(tmp_path) == []
    (tmp_path / "x.txt").write_text("lama")
    with pytest.raises(Boom):
        reg.export(bundles[Tingkat.KELURAHAN], tmp_path / "x.txt", exporter="rusak", overwrite=True)
    assert os.listdir(tmp_path) == ["x.txt"]
    assert (tmp_path / "x.txt").read_text() == "lama"  # the old file survives a failed rewrite


@settings(max_examples=25)
@given(st.binary(max_size=5000), st.booleans())
def test_atomic_write_writes_exactly_the_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, twice: bool
) -> None:
    folder = tmp_path_factory.mktemp("atomic")
    target = folder / "f.bin"
    atomic_write(target, lambda s: s.write(b"old"))
    if twice:
        with pytest.raises(OutputExistsError):
            atomic_write(target, lambda s: s.write(data))
        assert target.read_bytes() == b"old"
    atomic_write(target, lambda s: s.write(data), overwrite=True)
    assert target.read_bytes() == data
    assert os.listdir(folder) == ["f.bin"]


@pytest.mark.parametrize("workers", [1, 2])
def test_export_many_reports_progress(
    tmp_path: Path, bundles: dict[Tingkat, ReportBundle], workers: int
) -> None:
    reg = make_registry(load_entrypoints=False)
    jobs = [
        ExportJob(report=bundles[level], path=tmp_path / f"{level.name}{suffix}", exporter=name)
        for level in Tingkat
        for name, suffix in (("json", ".json"), ("adx", ".adx.xml"), ("bkkbn-xlsx", ".xlsx"))
    ]
    seen: list[tuple[int, int]] = []
    results = reg.export_many(
        jobs, progress=lambda done, total, result: seen.append((done, total)), workers=workers
    )
    assert [r.path for r in results] == [j.path for j in jobs]
    assert seen == [(i, len(jobs)) for i in range(1, len(jobs) + 1)]
    assert all(j.path.stat().st_size > 0 for j in jobs)
    assert {r.exporter for r in results} == {"json", "adx", "bkkbn-xlsx"}
    if workers == 2:  # parallel output equals serial output
        again = tmp_path / "serial.json"
        reg.export(bundles[Tingkat.KOTA], again, exporter="json")
        assert again.read_bytes() == (tmp_path / "KOTA.json").read_bytes()


def test_a_file_the_disk_refuses_fails_alone(
    tmp_path: Path, bundles: dict[Tingkat, ReportBundle]
) -> None:
    """The built-in text exporters' files are stored from threads: a file that cannot be put in
    place (here a folder stands at its path) fails that file only, named, and nothing is left
    half-written; the others are written whole."""
    reg = make_registry(load_entrypoints=False)
    jobs = [
        ExportJob(report=bundles[level], path=tmp_path / f"{level.name}.json", exporter="json")
        for level in Tingkat
    ]
    (tmp_path / "KOTA.json").mkdir()
    run = reg.export_all(jobs, overwrite=True, workers=2)
    assert [f.path for f in run.failures] == [tmp_path / "KOTA.json"]
    assert run.failures[0].exporter == "json"
    assert [r.path for r in run.results] == [j.path for j in jobs if j.path.name != "KOTA.json"]
    for r in run.results:
        assert r.path.stat().st_size == r.size > 0
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
