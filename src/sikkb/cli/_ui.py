"""Terminal output for the command line: bilingual messages, JSON mode, a progress bar."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from sikkb.i18n import Text

__all__ = ["UI", "Progress"]


class UI:
    """Where the command writes: messages on stderr in the chosen language, results on stdout."""

    def __init__(self, *, lang: str = "id", json_mode: bool = False, quiet: bool = False,
                 out: TextIO | None = None, err: TextIO | None = None) -> None:  # fmt: skip
        self.lang = lang
        self.json_mode = json_mode
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def t(self, text: Text, **params: Any) -> str:
        return text.format(**params).get(self.lang) if params else text.get(self.lang)

    def say(self, text: Text, **params: Any) -> None:
        """A progress or status message (stderr; silent with ``--quiet``)."""
        if not self.quiet:
            print(self.t(text, **params), file=self.err)

    def error(self, text: Text, **params: Any) -> None:
        print(self.t(text, **params), file=self.err)

    def result(self, text: str) -> None:
        """A line of the command's result (stdout)."""
        print(text, file=self.out)

    def emit_json(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        self.out.write("\n")

    def progress(self, total: int, label: Text) -> Progress:
        enabled = not self.quiet and not self.json_mode
        return Progress(total, self.t(label), stream=self.err, enabled=enabled)


class Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal, sparse lines otherwise)."""

    def __init__(self, total: int, label: str, *, stream: TextIO, enabled: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.total = max(total, 1)
        self.label = label
        self.stream = stream
        self.enabled = enabled
        self.done = 0
        self._tty = bool(getattr(stream, "isatty", lambda: False)())
        self._clock = clock
        self._start = clock()
        self._last_pct = -1

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.total, self.done + n)
        if not self.enabled:
            return
        pct = self.done * 100 // self.total
        if self._tty:
            width = 30
            filled = width * self.done // self.total
            bar = "█" * filled + "·" * (width - filled)
            elapsed = self._clock() - self._start
            self.stream.write(
                f"\r{self.label} [{bar}] {self.done}/{self.total} {pct:3d}% {elapsed:5.1f}s {note[:30]:<30}"
            )
            self.stream.flush()
        elif pct // 10 != self._last_pct // 10 or self.done == self.total:
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({pct}%)\n")
        self._last_pct = pct

    def close(self) -> None:
        if self.enabled and self._tty:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
