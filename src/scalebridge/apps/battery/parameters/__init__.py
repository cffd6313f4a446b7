"""Published parameter sets of lithium-ion cells, one plain module per source.

A set is a dict ``PARAMETERS`` of keys with units in brackets (``"... [m]"``) to numbers
or functions; :func:`parameter_set` returns a fresh copy to modify.

* ``Chen2020``: LG M50 21700, NMC 811 / graphite-SiOx (:mod:`.chen2020`).
"""

from __future__ import annotations

import importlib

from ....core.errors import InputError

__all__ = ["PARAMETER_SETS", "parameter_set"]

#: Name -> module of the shipped parameter sets.
PARAMETER_SETS = {"Chen2020": "scalebridge.apps.battery.parameters.chen2020"}


def parameter_set(name: str) -> dict:
    """A copy of the shipped parameter set ``name`` (e.g. ``"Chen2020"``), to modify freely."""
    try:
        module = importlib.import_module(PARAMETER_SETS[name])
    except KeyError:
        raise InputError(f"parameter set: got {name!r}, expected one of {sorted(PARAMETER_SETS)}") from None
    return dict(module.PARAMETERS)
