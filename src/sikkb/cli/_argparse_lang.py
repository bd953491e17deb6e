"""argparse in the user's language: its own messages ("invalid choice", "unrecognized arguments",
"usage:") in Indonesian when the command line runs in Indonesian.

argparse looks its messages up through the module-level ``gettext`` functions ``_`` and
``ngettext`` each time it builds a parser or reports an error; :func:`argparse_language` swaps
them for a lookup in :data:`ARGPARSE_ID` while the command line parses its arguments, and puts
them back afterwards. A message missing from the table stays English.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence

__all__ = ["ARGPARSE_ID", "argparse_language", "language_of"]

#: argparse's messages (Python 3.11-3.13) in Indonesian.
ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "argumen eksplisit %r diabaikan",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "ambiguous option: %(option)s could match %(matches)s":
        "opsi %(option)s ambigu: bisa berarti %(matches)s",
    "unexpected option string: %s": "opsi tak terduga: %s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak valid: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan %(value)r tidak valid (pilih salah satu: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
}  # fmt: skip


def language_of(argv: Sequence[str], default: str) -> str:
    """The ``--lang`` given anywhere in ``argv`` (``--lang en`` or ``--lang=en``), else ``default``.

    Known before parsing, so that argparse's own messages can follow it.

    >>> language_of(["--lang", "en", "schedule"], "id"), language_of(["status", "--lang=en"], "id")
    ('en', 'en')
    >>> language_of(["schedule", "--"], "id"), language_of(["--lang"], "en")
    ('id', 'en')
    """
    lang = default
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return "en" if lang == "en" else "id"


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse speaks ``lang`` (``"id"`` or ``"en"``) inside the ``with`` block."""
    if lang == "en":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return ARGPARSE_ID.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
