"""``python -m sikkb``: the command line."""

from sikkb.cli import main

raise SystemExit(main())
