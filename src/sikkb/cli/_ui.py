"""Terminal output for the command line: bilingual messages, JSON mode, a progress bar."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from sikkb.i18n import Text, angka

__all__ = ["UI", "Count", "Progress", "percent_done"]


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
        """``text`` in the UI's language; whole numbers among ``params`` become :class:`Count`."""
        if not params:
            return text.get(self.lang)
        counts = {
            k: Count(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in params.items()
        }
        return text.format(**counts).get(self.lang)

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


class Count:
    """A whole number in a message: ``{n}`` prints it the Indonesian way (``12.345``) in either
    language, ``{n:row|rows}`` picks the singular or plural word (English messages)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self.n == 1 else many
        return angka(self.n)


def percent_done(done: int, total: int) -> int:
    """Rounded percentage of work done (5 of 12 → 42); 100 only when everything is done."""
    if done >= total:
        return 100
    return min(99, (done * 200 + total) // (2 * total))


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
        pct = percent_done(self.done, self.total)
        counted = f"{angka(self.done)}/{angka(self.total)}"
        if self._tty:
            width = 30
            filled = width * self.done // self.total
            bar = "█" * filled + "·" * (width - filled)
            elapsed = angka(self._clock() - self._start, 1)
            self.stream.write(
                f"\r{self.label} [{bar}] {counted} {pct:3d} % {elapsed:>5} s {note[:30]:<30}"
            )
            self.stream.flush()
        elif pct // 10 != self._last_pct // 10 or self.done == self.total:
            self.stream.write(f"{self.label}: {counted} ({pct} %)\n")
        self._last_pct = pct

    def close(self) -> None:
        if self.enabled and self._tty:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
