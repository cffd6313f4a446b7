"""Scenario schema of the composites app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, ScenarioHeader, Length, Modulus
from ...core.fields import ThermalConductivity as Conductivity

__all__ = ["Scenario"]


class Phase(BaseModel):
    """One isotropic phase: a conductivity, or bulk and shear moduli."""

    model_config = STRICT
    name: str
    conductivity: Optional[Conductivity] = None
    bulk_modulus: Optional[Modulus] = None
    shear_modulus: Optional[Modulus] = None


class Microstructure(BaseModel):
    """A generated voxel microstructure (see ``scalebridge.homogenization.microstructure``)."""

    model_config = STRICT
    kind: Literal["laminate", "checkerboard", "periodic_inclusion", "random_inclusions"]
    voxels: int = Field(ge=8, le=1024)
    dim: Literal[2, 3] = 2
    volume_fraction: Optional[float] = Field(None, gt=0, lt=1)
    radius: Optional[float] = Field(None, gt=0, lt=0.5)

    @model_validator(mode="after")
    def _parameters(self):
        needs = {"laminate": ["volume_fraction"], "periodic_inclusion": ["volume_fraction"],
                 "random_inclusions": ["volume_fraction", "radius"], "checkerboard": []}[self.kind]
        missing = [k for k in needs if getattr(self, k) is None]
        if missing:
            raise ValueError(f"kind {self.kind!r} needs {missing}")
        return self


class Scales(BaseModel):
    """Size of the cell (RVE) and of the component it describes."""

    model_config = STRICT
    cell_size: Length
    component_size: Length


class Solvers(BaseModel):
    """Cell solvers to run; FE runs every listed boundary condition."""

    model_config = STRICT
    fft_operator: Literal["discrete", "spectral"] = "discrete"
    fe_boundary_conditions: list[Literal["affine", "periodic", "traction"]] = ["affine", "periodic", "traction"]


class Scenario(ScenarioHeader):
    """A composite: phases, microstructure, scales; effective properties by every method."""

    app: Literal["composites"]
    problem: Literal["conductivity", "elasticity"]
    phases: list[Phase] = Field(min_length=2, max_length=2)
    microstructure: Microstructure
    scales: Scales
    solvers: Solvers = Solvers()

    @model_validator(mode="after")
    def _properties_match_problem(self):
        keys = ["conductivity"] if self.problem == "conductivity" else ["bulk_modulus", "shear_modulus"]
        for i, p in enumerate(self.phases):
            missing = [k for k in keys if getattr(p, k) is None]
            if missing:
                raise ValueError(f"phases.{i} ({p.name}): problem {self.problem!r} needs {missing}")
        return self
