"""Fixtures of the exporter tests: a small demo city, its reports, and each PDF rendered once."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from sikkb.demo import demo_months
from sikkb.periods import Period
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb_exporters import Logo, ReportBundle, ReportConfig, Signer, make_registry
from sikkb_exporters.registry import Registry

PERIOD = Period(2026, 10)


@pytest.fixture(scope="session")
def city() -> dict[str, object]:
    """The whole demo city at a small scale, three months: village reports and every recap."""
    table = kota_tangerang()
    months = []
    for reg in demo_months(PERIOD, 3, scale=0.004):
        reports = VillageReport.all_from_register(reg, exclude_invalid=True)
        months.append((reports, Recap.build_tree("36", reg.period, reports, table)))
    reports, tree = months[-1]
    return {
        "village": reports,
        "tree": tree,
        "history": [t["36.71"] for _, t in months[:-1]],
        "history_kec": [t["36.71.01"] for _, t in months[:-1]],
        "history_kel": [r[0] for r, _ in months[:-1]],
    }


@pytest.fixture(scope="session")
def config() -> ReportConfig:
    return ReportConfig(
        alamat="Jl. Contoh No. 1, Tangerang",
        logo=Logo.asset("logo-default.svg"),
        kepala_dinas=Signer(nama="Dr. Contoh Kepala Dinas, M.Si", nip="19700101 199503 1 001",
                            jabatan="Kepala Dinas", sk_nomor="800/12-BKPSDM/2025"),
        pkb={"36.71.01": Signer(nama="Contoh PKB Tangerang", nip="19800202 200501 2 002")},
        ppkbd={"36.71.01.1001": Signer(nama="Contoh PPKBD Sukarasa")},
    )  # fmt: skip


@pytest.fixture(scope="session")
def bundles(city: dict[str, object], config: ReportConfig) -> dict[Tingkat, ReportBundle]:
    """One bundle per level, with configuration and history (the first kelurahan of 36.71.01)."""
    tree = city["tree"]
    village = city["village"]
    assert isinstance(tree, dict)
    assert isinstance(village, tuple)
    return {
        Tingkat.KELURAHAN: ReportBundle(
            report=village[0],
            config=config,
            history=city["history_kel"],  # type: ignore[arg-type]
        ),
        Tingkat.KECAMATAN: ReportBundle(
            report=tree["36.71.01"],
            config=config,
            history=city["history_kec"],  # type: ignore[arg-type]
        ),
        Tingkat.KOTA: ReportBundle(
            report=tree["36.71"],
            config=config,
            history=city["history"],  # type: ignore[arg-type]
        ),
        Tingkat.PROVINSI: ReportBundle(report=tree["36"], config=config),
    }


@pytest.fixture(scope="session")
def registry() -> Registry:
    return make_registry(load_entrypoints=False)


@pytest.fixture(scope="session")
def render(registry: Registry) -> Callable[[ReportBundle, str], bytes]:
    """``render(bundle, exporter)`` → bytes, cached for the session (PDF rendering is slow)."""
    cache: dict[tuple[int, str], bytes] = {}

    def _render(bundle: ReportBundle, exporter: str) -> bytes:
        key = (id(bundle), exporter)
        if key not in cache:
            stream = io.BytesIO()
            registry.render(bundle, stream, exporter=exporter)
            cache[key] = stream.getvalue()
        return cache[key]

    return _render
