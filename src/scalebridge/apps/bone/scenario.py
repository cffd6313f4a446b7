"""Scenario schema of the bone-remodelling app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Duration, Length, MassDensity, Modulus, quantity, ScenarioHeader

__all__ = ["Scenario"]

Stress = quantity("Pa")
Stimulus = quantity("J/kg", positive=True)
DensityRate = quantity("kg/(m^3*s)", positive=True)


class Region(BaseModel):
    """A square bone region (plane strain) meshed with elements x elements bilinear quads."""

    model_config = STRICT
    size: Length
    elements: int = Field(20, ge=4, le=80)


class Material(BaseModel):
    """MassDensity -> stiffness power law E = E0 (rho/rho0)^gamma and the homeostatic stimulus."""

    model_config = STRICT
    modulus_reference: Modulus = 3790e6
    density_reference: MassDensity = 1000.0
    exponent: float = Field(3.0, ge=1.0, le=4.0)
    poisson_ratio: float = Field(0.3, gt=-1.0, lt=0.5)
    reference_stimulus: Stimulus = 4.0
    density_min: MassDensity = 10.0
    density_max: MassDensity = 1740.0


class Cells(BaseModel):
    """Osteoblast/osteoclast dynamics: formation rate at homeostasis and lifetimes."""

    model_config = STRICT
    formation_rate: DensityRate
    osteoblast_lifetime: Duration
    osteoclast_lifetime: Duration


class Load(BaseModel):
    """A uniform far-field stress (principal values, direction of the first from x) held for ``steps``."""

    model_config = STRICT
    principal_stresses: tuple[Stress, Stress] = Field(strict=False)
    angle_degrees: float = Field(ge=-360, le=360)
    steps: int = Field(ge=1, le=5000)


class Initial(BaseModel):
    """Initial density: the homeostatic value of the first load, or a given one; relative noise (seeded)."""

    model_config = STRICT
    density: Union[Literal["homeostatic"], MassDensity] = "homeostatic"
    noise: float = Field(0.05, ge=0, lt=0.5)


class Scenario(ScenarioHeader):
    """Concurrent remodelling: macro FE of a bone region, a cell-population material point per quadrature point."""

    app: Literal["bone"]
    region: Region
    material: Material = Material()
    cells: Cells
    influence_distance: Optional[Length] = None
    time_step: Duration
    initial: Initial = Initial()
    loads: list[Load] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _checks(self):
        m = self.material
        if not m.density_min < m.density_max:
            raise ValueError(f"material: density_min ({m.density_min}) must be below density_max ({m.density_max})")
        if self.initial.density != "homeostatic" and not m.density_min <= self.initial.density <= m.density_max:
            raise ValueError("initial.density: outside [material.density_min, material.density_max]")
        for i, load in enumerate(self.loads):
            if not any(load.principal_stresses):
                raise ValueError(f"loads.{i}.principal_stresses: at least one must be non-zero")
        if sum(load.steps for load in self.loads) > 5000:
            raise ValueError("loads: more than 5000 remodelling steps in total")
        return self
