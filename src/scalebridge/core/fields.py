"""Pydantic field types for quantities written with units in scenario files.

``Annotated`` types that accept ``"550 K"``, ``"1.2 eV"`` or a plain SI number,
check the dimension and the sign, and store the SI ``float``. Apps build their
scenario schemas from them, so a wrong unit is reported with the key's path.

Examples
--------
>>> from pydantic import BaseModel
>>> class Conditions(BaseModel):
...     temperature: quantity("K", positive=True)
>>> Conditions(temperature="25 degC").temperature
298.15
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict

from .units import energy_per_particle, to_si

__all__ = ["quantity", "energy", "STRICT", "ScenarioHeader", "Temperature", "Pressure", "Length", "Velocity", "Diffusivity",
           "Concentration", "ThermalConductivity", "Modulus", "Duration", "MassDensity", "HeatFlux", "HeatCapacity",
           "HeatTransferCoefficient"]

#: Model config for scenario schemas: unknown keys are errors, not silently ignored, and no type is
#: coerced (``true`` is not a count, ``"3"`` is not a number); quantity fields convert their strings first.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


def _converter(unit: str, positive: bool, nonnegative: bool, convert=None):
    def convert_value(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) and not hasattr(value, "units"):
            raise ValueError(f"expected a number or a quantity string such as '1 {unit}', got {value!r}")
        v = convert(value) if convert else to_si(value, unit)
        if not np.isfinite(v):
            raise ValueError(f"must be finite, got {value!r}")
        if positive and v <= 0:
            raise ValueError(f"must be positive, got {value!r}")
        if nonnegative and v < 0:
            raise ValueError(f"must not be negative, got {value!r}")
        return float(v)
    return convert_value


def quantity(unit: str, *, positive: bool = False, nonnegative: bool = False):
    """A scenario field holding a quantity of ``unit``'s dimension, stored in SI."""
    return Annotated[float, BeforeValidator(_converter(unit, positive, nonnegative))]


def energy(*, positive: bool = False, nonnegative: bool = False):
    """A scenario field holding an energy per particle (J, eV or kJ/mol), stored in J."""
    return Annotated[float, BeforeValidator(_converter("J", positive, nonnegative, energy_per_particle))]


#: Common scenario fields (SI floats after validation).
Temperature = quantity("K", positive=True)
Pressure = quantity("Pa", nonnegative=True)
Length = quantity("m", positive=True)
Velocity = quantity("m/s", positive=True)
Diffusivity = quantity("m^2/s", positive=True)
Concentration = quantity("mol/m^3", positive=True)
ThermalConductivity = quantity("W/(m*K)", nonnegative=True)
Modulus = quantity("Pa", positive=True)
Duration = quantity("s", positive=True)
MassDensity = quantity("kg/m^3", positive=True)
HeatFlux = quantity("W/m^2", nonnegative=True)
HeatCapacity = quantity("J/(kg*K)", positive=True)
HeatTransferCoefficient = quantity("W/(m^2*K)", nonnegative=True)
Energy = energy(positive=True)


class ScenarioHeader(BaseModel):
    """Fields every scenario file has; an app's schema subclasses it and adds ``app``."""

    model_config = STRICT
    name: str = "scenario"
    description: str = ""
    references: list[str] = []
    seed: int = 0
