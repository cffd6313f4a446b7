"""Scenario files: YAML in, a validated app configuration out.

A scenario is a YAML mapping with an ``app`` key naming the worked chain and the
app's own sections, quantities written with units (``"550 K"``, ``"1.2 eV"``).
Validation is done by the app's pydantic schema; every problem is reported as one
:class:`~scalebridge.core.errors.InputError` listing each offending key path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from pydantic import ValidationError

from .apps import load_app
from .core.errors import InputError

__all__ = ["LoadedScenario", "load_scenario", "format_validation_error"]


@dataclass(frozen=True)
class LoadedScenario:
    """A parsed and validated scenario."""

    path: Path
    app: ModuleType
    config: Any
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return self.raw.get("name") or self.path.stem


def format_validation_error(error: ValidationError, where: str) -> str:
    """One readable message from a pydantic error: one line per offending key path."""
    lines = [f"{where}: {error.error_count()} problem(s)"]
    for e in error.errors():
        path = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key"
        elif e["type"] == "missing":
            msg = "missing required key"
        lines.append(f"  {path}: {msg}")
    return "\n".join(lines)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Read, parse and validate a scenario file.

    Raises
    ------
    InputError
        If the file is missing or not YAML, names no known app, or fails the app's
        schema (unknown key, wrong unit dimension, out-of-range value, missing item).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read scenario file {str(path)!r}: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"scenario file {str(path)!r} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or "app" not in raw:
        raise InputError(f"scenario file {str(path)!r} must be a mapping with an 'app' key")
    app = load_app(raw["app"])
    try:
        config = app.Scenario.model_validate(raw)
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, f"scenario {str(path)!r}")) from None
    return LoadedScenario(path, app, config, raw)
