"""``python -m sikkb``: the command line."""

from sikkb.cli import run

run()
