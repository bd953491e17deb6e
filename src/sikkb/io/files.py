"""Only regular files are read: a FIFO, a device or a socket given as an input is refused at once.

Opening a FIFO blocks until something writes to it, and reading ``/dev/zero`` never ends: neither is
a register, a form, an event log or a configuration. :func:`not_regular` says why a path is not a
regular file (following symbolic links, without opening it); :func:`require_regular` raises
:class:`~sikkb.errors.InputFileError` with that reason.

Example:
    >>> import sikkb
    >>> from sikkb.io.files import not_regular
    >>> not_regular("/dev/null")
    ('a character device, not a regular file', 'perangkat karakter, bukan berkas biasa')
    >>> not_regular(sikkb.__file__) is None
    True
"""

from __future__ import annotations

import os
import stat

from sikkb.errors import InputFileError

__all__ = ["not_regular", "require_regular"]

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)", "pipa bernama (FIFO)"),
    (stat.S_ISCHR, "a character device", "perangkat karakter"),
    (stat.S_ISBLK, "a block device", "perangkat blok"),
    (stat.S_ISSOCK, "a socket", "soket"),
    (stat.S_ISDIR, "a folder", "folder"),
)


def not_regular(path: str | os.PathLike[str]) -> tuple[str, str] | None:
    """Why ``path`` is not a regular file, in English and Indonesian; ``None`` when it is one.

    A path that does not exist gives ``None``: opening it raises the usual ``FileNotFoundError``.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    for test, en, id_ in _KINDS:
        if test(mode):
            return f"{en}, not a regular file", f"{id_}, bukan berkas biasa"
    return "not a regular file", "bukan berkas biasa"


def require_regular(path: str | os.PathLike[str], *, what: str, what_id: str) -> None:
    """Raise :class:`~sikkb.errors.InputFileError` when ``path`` exists but is not a regular file.

    Args:
        path: the input.
        what: what it should be, in English (``"event log"``).
        what_id: the same in Indonesian (``"log peristiwa"``).
    """
    why = not_regular(path)
    if why is not None:
        raise InputFileError(
            str(path),
            f"the {what} is {why[0]}",
            reason_id=f"{what_id} adalah {why[1]}",
            hint="give the path of a file saved on disk",
            hint_id="berikan berkas yang tersimpan di disk",
        )
