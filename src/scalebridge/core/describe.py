"""A model tree as a machine-readable document (JSON), without running it."""

from __future__ import annotations

import json
from typing import Any

from .model import Model, Port, Scale

__all__ = ["describe", "describe_json"]


def _port(p: Port) -> dict[str, Any]:
    return {"unit": p.unit or "dimensionless", "shape": list(p.shape), "description": p.description}


def _scale(s: Scale) -> dict[str, Any]:
    return {"name": s.name, "length_m": s.length_si, "time_s": s.time_si}


def describe(model: Model) -> dict[str, Any]:
    """The model tree as plain data: models, ports with units, scales, couplings.

    Each node has ``name``, ``type`` (class name), ``inputs``/``outputs`` (unit,
    item shape, description), ``scale``, ``children`` and ``couplings``. A node
    may add its own parameters through a ``parameters()`` method returning
    JSON-serialisable data.
    """
    doc = {
        "name": model.name,
        "type": type(model).__name__,
        "inputs": {k: _port(p) for k, p in model.inputs.items()},
        "outputs": {k: _port(p) for k, p in model.outputs.items()},
        "scale": _scale(model.scale),
    }
    if callable(getattr(model, "parameters", None)):
        doc["parameters"] = model.parameters()
    if getattr(model, "coupling", None):
        doc["coupling"] = model.coupling
    couplings = getattr(model, "couplings", ())
    if couplings:
        doc["couplings"] = [{"from": f"{c.source}.{c.output}", "to": f"{c.target}.{c.input}",
                             "unit": c.output_port.unit or "dimensionless", "kind": c.kind}
                            for c in couplings]
    children = getattr(model, "children", ())
    if children:
        doc["children"] = [describe(c) for c in children]
    return doc


def describe_json(model: Model, indent: int = 2) -> str:
    """:func:`describe` as a JSON string."""
    return json.dumps(describe(model), indent=indent)
