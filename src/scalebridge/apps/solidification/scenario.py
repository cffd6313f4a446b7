"""Scenario schema of the solidification app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Diffusivity, Length, ScenarioHeader, quantity

__all__ = ["Scenario"]

Undercooling = quantity("K", positive=True)
KineticCoefficient = quantity("m/(s*K)", positive=True)
Speed = quantity("m/s", positive=True)


class Material(BaseModel):
    """A pure melt: unit undercooling L/c_p, capillary length d0, melt diffusivity, kinetics."""

    model_config = STRICT
    name: str
    unit_undercooling: Undercooling
    capillary_length: Length
    diffusivity: Diffusivity
    kinetic_coefficient: Optional[KineticCoefficient] = None


class Sweep(BaseModel):
    """Undercoolings of the tabulated bridging law V(dT), R(dT) (log-spaced)."""

    model_config = STRICT
    start: Undercooling
    stop: Undercooling
    points: int = Field(41, ge=4, le=2001)

    @model_validator(mode="after")
    def _ordered(self):
        if self.stop <= self.start:
            raise ValueError(f"stop ({self.stop} K) must exceed start ({self.start} K)")
        return self


class Measured(BaseModel):
    """A measured selection constant sigma* = 2 d0 alpha / (R^2 V), with its citation."""

    model_config = STRICT
    value: float = Field(gt=0)
    uncertainty: float = Field(0.0, ge=0)
    reference: str


class Measurement(BaseModel):
    """One measured tip: undercooling and velocity (and radius), cited in ``reference``."""

    model_config = STRICT
    undercooling: Undercooling
    velocity: Speed
    radius: Optional[Length] = None


class Scenario(ScenarioHeader):
    """Free dendritic growth of a pure undercooled melt: tip selection as a bridging law."""

    app: Literal["solidification"]
    material: Material
    selection_constant: Union[Literal["marginal_stability"], float] = "marginal_stability"
    undercooling: Sweep
    operating_undercooling: Undercooling
    sample_length: Length
    measured_selection: Optional[Measured] = None
    measurements: list[Measurement] = []
    measurements_reference: str = ""

    @model_validator(mode="after")
    def _checks(self):
        if isinstance(self.selection_constant, float) and self.selection_constant <= 0:
            raise ValueError("selection_constant must be 'marginal_stability' or a positive number")
        if not self.undercooling.start <= self.operating_undercooling <= self.undercooling.stop:
            raise ValueError("operating_undercooling must lie inside the undercooling sweep")
        if self.undercooling.stop >= self.material.unit_undercooling:
            raise ValueError("undercooling.stop must be below material.unit_undercooling (hypercooling)")
        if self.measurements and not self.measurements_reference:
            raise ValueError("measurements need a measurements_reference (their citation)")
        return self
