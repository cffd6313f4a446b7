"""``python -m scalebridge``: the command line (see :mod:`scalebridge.cli`)."""

from .cli import entry

entry()
