"""Scenario schema of the porous-flow app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Length, Pressure, ScenarioHeader, Temperature, quantity

__all__ = ["Scenario"]

Viscosity = quantity("Pa*s", positive=True)
MolarMass = quantity("kg/mol", positive=True)
PositivePressure = quantity("Pa", positive=True)


class Gas(BaseModel):
    """The flowing gas: constant viscosity, molar mass, temperature (isothermal ideal gas)."""

    model_config = STRICT
    name: str = "gas"
    viscosity: Viscosity
    molar_mass: MolarMass
    temperature: Temperature


class Cell(BaseModel):
    """Pore-scale cell: a square array of solid cylinders of period ``size``; FE grid ``mesh`` per side."""

    model_config = STRICT
    size: Length
    mesh: int = Field(32, ge=8, le=128)


class RadiusField(BaseModel):
    """Cylinder radius (fraction of the cell size) over the rock: mean +- amplitude, smooth random field.

    The field is a sum of ``modes`` random Fourier modes of wavelength about
    ``correlation_length`` (seeded by the scenario ``seed``), scaled to span exactly
    ``mean - amplitude`` .. ``mean + amplitude``.
    """

    model_config = STRICT
    mean: float = Field(gt=0.05, lt=0.47)
    amplitude: float = Field(ge=0, lt=0.3)
    correlation_length: Length
    modes: int = Field(8, ge=1, le=64)

    @model_validator(mode="after")
    def _inside_cell(self):
        if not (0.05 <= self.mean - self.amplitude and self.mean + self.amplitude <= 0.47):
            raise ValueError(f"mean +- amplitude must stay in [0.05, 0.47] (cylinders inside the cell, a pore "
                             f"throat left open); got {self.mean - self.amplitude:g} .. {self.mean + self.amplitude:g}")
        return self


class Domain(BaseModel):
    """The macro rectangle (flow along x) and its Q1 mesh."""

    model_config = STRICT
    length: Length
    width: Length
    elements: tuple[int, int] = Field((40, 20), strict=False)

    @model_validator(mode="after")
    def _elements(self):
        if not all(2 <= n <= 400 for n in self.elements):
            raise ValueError(f"elements: each count must be in 2..400, got {list(self.elements)}")
        return self


class Pressures(BaseModel):
    """Inlet and outlet pressures of the macro problem."""

    model_config = STRICT
    inlet: Pressure
    outlet: Pressure

    @model_validator(mode="after")
    def _drop(self):
        if not 0 < self.outlet < self.inlet:
            raise ValueError(f"need 0 < outlet < inlet, got inlet {self.inlet:g} Pa, outlet {self.outlet:g} Pa")
        return self


class Sweep(BaseModel):
    """Pressures of the apparent-permeability curve k_app(p) of the mean cell."""

    model_config = STRICT
    start: PositivePressure
    stop: PositivePressure
    points: int = Field(60, ge=4, le=2000)

    @model_validator(mode="after")
    def _ordered(self):
        if self.stop <= self.start:
            raise ValueError(f"stop ({self.stop:g} Pa) must exceed start ({self.start:g} Pa)")
        return self


class Scenario(ScenarioHeader):
    """Gas flow in tight rock: Stokes cells -> permeability table -> slip law -> macro Darcy FE."""

    app: Literal["porous_flow"]
    gas: Gas
    cell: Cell
    radius_field: RadiusField
    domain: Domain
    pressures: Pressures
    slip: Literal["none", "klinkenberg", "beskok_karniadakis", "civan"] = "beskok_karniadakis"
    table_points: int = Field(12, ge=4, le=200)
    sweep: Sweep
