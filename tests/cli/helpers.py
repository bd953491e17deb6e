"""Shared helpers of the command-line tests."""

from __future__ import annotations

import pytest

from sikkb.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``sikkb ARGV`` in this process: exit code, stdout, stderr (never a traceback)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err
