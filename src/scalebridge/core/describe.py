"""A model tree as a machine-readable document (JSON), without running it.

Every node says what it is (name, class, scale), what it takes and gives (ports with
unit and quantity kind), how it couples to the nodes under it, and, when the model
declares a ``card`` mapping, its role (bridging law, closure, solver, surrogate,
strategy), the physics in one line, its assumptions, references and validation:

.. code-block:: python

    class TransitionStateModel:
        card = {"role": "bridging law", "physics": "k = (k_B T/h) exp(-dG/k_B T)",
                "assumptions": ["harmonic transition state"], "references": ["Eyring 1935"],
                "validation": [{"test": "tests/laws/test_kinetics.py", "reference": "..."}]}

The document is plain JSON (infinite scales become ``null``); the model card of
:mod:`scalebridge.model_card` turns it into JSON-LD and a MODA-style Markdown page.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .model import Model, Port, Scale
from .units import ureg

__all__ = ["describe", "describe_json", "quantity_kind", "CARD_KEYS"]

#: Keys a model's ``card`` may hold.
CARD_KEYS = ("role", "physics", "assumptions", "references", "validation")

# quantity kinds by dimension, named as in the QUDT quantity-kind vocabulary
_KINDS = {
    "": "Dimensionless", "K": "Temperature", "Pa": "Pressure", "m": "Length", "s": "Time", "1/s": "Frequency",
    "J": "Energy", "J/mol": "MolarEnergy", "mol/m^3": "AmountOfSubstanceConcentration", "m^2/s": "Diffusivity",
    "W/(m*K)": "ThermalConductivity", "mol/(m^3*s)": "ReactionRate", "m/s": "Velocity", "kg": "Mass",
    "m^2": "Area", "S/m": "Conductivity", "V": "Voltage", "A/m^2": "CurrentDensity", "A": "ElectricCurrent",
    "1/m": "InverseLength", "mol/(m^2*s)": "MolarFlux", "W/m^3": "PowerDensity",
}
_BY_DIMENSION = {ureg(u or "dimensionless").dimensionality: kind for u, kind in _KINDS.items()}


def quantity_kind(unit: str) -> str:
    """Name of the quantity kind of ``unit`` (QUDT-style, e.g. ``"Pressure"``), else its dimension."""
    dim = ureg(unit or "dimensionless").dimensionality
    return _BY_DIMENSION.get(dim, str(dim))


def _port(p: Port) -> dict[str, Any]:
    return {"unit": p.unit or "dimensionless", "quantity_kind": quantity_kind(p.unit), "shape": list(p.shape),
            "description": p.description}


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _scale(s: Scale) -> dict[str, Any]:
    return {"name": s.name, "length_m": _finite(s.length_si), "time_s": _finite(s.time_si)}


def describe(model: Model) -> dict[str, Any]:
    """The model tree as plain data: models, ports with units, scales, couplings, cards.

    Each node has ``name``, ``type`` (class name), ``inputs``/``outputs`` (unit,
    quantity kind, item shape, description), ``scale`` (``null`` for an infinite
    time), ``children`` and ``couplings``; a strategy node says ``coupling``
    (hierarchical or concurrent). A node may add its own parameters through a
    ``parameters()`` method and its model card through a ``card`` mapping (keys
    :data:`CARD_KEYS`).
    """
    doc = {
        "name": model.name,
        "type": type(model).__name__,
        "inputs": {k: _port(p) for k, p in model.inputs.items()},
        "outputs": {k: _port(p) for k, p in model.outputs.items()},
        "scale": _scale(model.scale),
    }
    card = getattr(model, "card", None)
    if card:
        doc["card"] = {k: card[k] for k in CARD_KEYS if k in card}
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
    """:func:`describe` as a JSON string (strict JSON: no ``Infinity``)."""
    return json.dumps(describe(model), indent=indent, allow_nan=False)
