"""A broken third-party plugin for the tests: its exporter ``rusak`` fails as ``$RUSAK_MODE`` says.

Found through the ``sikkb`` entry-point group of the ``sikkb-rusak`` distribution beside it
(``sikkb_rusak-0.1.dist-info``), when this folder is on ``sys.path``.
"""

from __future__ import annotations

import os
import signal
from typing import IO, Any

from sikkb_exporters import Exporter, MissingExtraError, ReportBundle, hookimpl

if os.environ.get("RUSAK_MODE") == "load":
    raise RuntimeError("the plugin cannot start: its configuration is missing")


def write(bundle: ReportBundle, stream: IO[bytes]) -> Any:
    mode = os.environ.get("RUSAK_MODE", "raise")
    stream.write(b"half a report")
    if mode == "raise":
        raise ValueError("the template has no table for this level")
    if mode == "exit":
        raise SystemExit(0)
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "return":
        return 42
    if mode == "extra":
        raise MissingExtraError("rusak", "grafik", "matplotlib")
    return None


@hookimpl
def sikkb_register_exporters() -> list[Exporter]:
    return [
        Exporter(
            name="rusak",
            suffix=".txt",
            media_type="text/plain",
            levels=["kelurahan", "kecamatan", "kota"],
            write=write,
            description=("Eksporter rusak (uji)", "Broken exporter (test)"),
        )
    ]
