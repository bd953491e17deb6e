"""A conformance check plugin authors run against their exporter.

:func:`check_exporter` renders every report level the exporter claims from sample bundles (by
default :func:`sample_bundles`, built from the synthetic demo city) and returns the problems found:

- ``write()`` raised, or returned something that is not a list of findings;
- the output is empty;
- the output differs between two renderings of the same report (not deterministic);
- the output holds personal data: a 16-digit NIK, or a name from the register the sample reports
  were made from (XLSX/ZIP members are unpacked, PDF text is extracted when pypdf is installed).

:func:`assert_conforms` is the pytest-friendly form: it raises ``AssertionError`` listing them.

Example (in a plugin's test suite)::

    from sikkb_exporters.conformance import assert_conforms
    from my_plugin import MY_EXPORTER

    def test_conforms():
        assert_conforms(MY_EXPORTER)
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterable, Mapping

from sikkb.periods import Period
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.rules.engine import Finding
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.exporter import Exporter, level_name

__all__ = ["PERSONAL_MARKERS", "assert_conforms", "check_exporter", "sample_bundles"]

#: Text that must never appear in an aggregate export (the demo register's names all start so).
PERSONAL_MARKERS = ("Contoh Istri", "Contoh Suami", "Contoh Kepala")
_NIK = re.compile(rb"(?<![\d.])\d{16}(?![\d.])")
SAMPLE_PERIOD = Period(2026, 10)
SAMPLE_KECAMATAN = "36.71.01"


def sample_bundles() -> dict[Tingkat, ReportBundle]:
    """One sample bundle per level, from the synthetic demo city (DATA CONTOH).

    The kelurahan of one kecamatan report; the city and province recaps show the other kecamatan
    as not reported. The kota bundle carries two earlier months, for trends. Built once per
    process; each call returns a new dict.
    """
    return dict(_samples())


@functools.cache
def _samples() -> tuple[tuple[Tingkat, ReportBundle], ...]:
    from sikkb.demo import demo_months
    from sikkb.report import Recap, VillageReport

    table = kota_tangerang()
    kel = [r.code for r in table.kelurahan(SAMPLE_KECAMATAN)]
    registers = demo_months(SAMPLE_PERIOD, 3, scale=0.004, kelurahan=kel)
    trees = []
    for reg in registers:
        reports = VillageReport.all_from_register(reg, exclude_invalid=True)
        trees.append((reports, Recap.build_tree("36", reg.period, reports, table)))
    reports, tree = trees[-1]
    history = [t["36.71"] for _, t in trees[:-1]]
    return (
        (Tingkat.KELURAHAN, ReportBundle(report=reports[0])),
        (Tingkat.KECAMATAN, ReportBundle(report=tree[SAMPLE_KECAMATAN])),
        (Tingkat.KOTA, ReportBundle(report=tree["36.71"], history=history)),
        (Tingkat.PROVINSI, ReportBundle(report=tree["36"])),
    )


def _texts(data: bytes) -> Iterable[bytes]:
    yield data
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    yield z.read(name)
        except zipfile.BadZipFile:
            pass
    if data[:5] == b"%PDF-":
        try:
            import pypdf
        except ImportError:
            return
        reader = pypdf.PdfReader(io.BytesIO(data))
        yield "\n".join(page.extract_text() for page in reader.pages).encode("utf-8")


def _render(exporter: Exporter, bundle: ReportBundle) -> tuple[bytes, object]:
    stream = io.BytesIO()
    returned = exporter.write(bundle, stream)
    return stream.getvalue(), returned


def check_exporter(
    exporter: Exporter, samples: Mapping[Tingkat, ReportBundle] | None = None
) -> tuple[str, ...]:
    """The problems of ``exporter`` on ``samples`` (default :func:`sample_bundles`); empty = conforms."""
    samples = sample_bundles() if samples is None else samples
    problems: list[str] = []
    for level in sorted(exporter.levels, key=lambda t: -t.value):
        where = f"{exporter.name} [{level_name(level)}]"
        bundle = samples.get(level)
        if bundle is None:
            problems.append(f"{where}: no sample bundle for this level")
            continue
        try:
            first, returned = _render(exporter, bundle)
            second, _ = _render(exporter, bundle)
        except Exception as e:
            problems.append(f"{where}: write() raised {type(e).__name__}: {e}")
            continue
        if returned is not None and (
            not isinstance(returned, Iterable) or not all(isinstance(f, Finding) for f in returned)
        ):
            problems.append(f"{where}: write() must return None or findings, not {returned!r:.60}")
        if not first:
            problems.append(f"{where}: the output is empty")
        if first != second:
            problems.append(
                f"{where}: two renderings of the same report differ (not deterministic)"
            )
        for text in _texts(first):
            if _NIK.search(text):
                problems.append(f"{where}: the output holds a 16-digit number (a NIK?)")
                break
            if any(m.encode() in text for m in PERSONAL_MARKERS):
                problems.append(f"{where}: the output holds a name from the register")
                break
    return tuple(problems)


def assert_conforms(
    exporter: Exporter, samples: Mapping[Tingkat, ReportBundle] | None = None
) -> None:
    """``check_exporter`` for pytest: raises ``AssertionError`` listing every problem."""
    problems = check_exporter(exporter, samples)
    if problems:
        raise AssertionError(
            f"exporter {exporter.name!r} does not conform:\n"
            + "\n".join(f"- {p}" for p in problems)
        )
