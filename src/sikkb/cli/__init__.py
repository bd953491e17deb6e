"""The ``sikkb`` command line (also ``python -m sikkb``).

Exit codes:

====  ==========================================================================================
0     done; no finding at ERROR level
1     done, but the register has findings at ERROR level (``validate``), or reports were refused
      because rows carry errors (``report`` without ``--exclude-invalid``)
2     usage or input error: a bad option, a file that cannot be read, an unknown region or exporter
3     internal error (a bug in sikkb or a plugin); ``--debug`` shows the traceback
141   the reader of standard output went away (``sikkb ... | head``): stopped quietly
====  ==========================================================================================

Messages are Indonesian by default; ``--lang en`` switches to English. ``--json`` prints the result
as JSON on standard output for other programs.
"""

from __future__ import annotations

from sikkb.cli.main import EXIT_ERRORS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, main, run

__all__ = ["EXIT_ERRORS", "EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "main", "run"]
