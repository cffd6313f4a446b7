"""Worked multiscale chains, one package per field.

An app package exposes

* ``Scenario``: a pydantic schema of its scenario files (strict: unknown keys are errors);
* ``build(scenario) -> Model``: the model tree, for checks and ``describe`` without solving;
* ``run(scenario, record, progress) -> dict``: solve, fill the run record, return a summary;
* ``SCENARIOS``: the shipped scenario files, by name.

Apps register here by name so the command line can find them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..core.errors import InputError

__all__ = ["APPS", "load_app"]

#: App name -> importable module.
APPS = {name: f"scalebridge.apps.{name}" for name in (
    "catalysis", "composites", "fracture", "battery", "porous_flow", "multicomponent", "nesting",
    "solidification", "climate", "plasma_wall", "bone", "pharmacology", "tendon")}


def load_app(name: str) -> ModuleType:
    """The app module registered as ``name``."""
    try:
        return importlib.import_module(APPS[name])
    except (KeyError, TypeError):
        raise InputError(f"unknown app {name!r}; available apps: {sorted(APPS)}") from None
