"""Scenario schema of the tendon app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Length, Modulus, ScenarioHeader
from ...laws.tendon import DISTRIBUTIONS

__all__ = ["Scenario"]


class Crimp(BaseModel):
    """Distribution of fibril critical (recruitment) strains; the parameters its ``kind`` needs."""

    model_config = STRICT
    kind: Literal["uniform", "triangular", "weibull", "lognormal"]
    lower: Optional[float] = Field(None, ge=0)
    mode: Optional[float] = Field(None, ge=0)
    upper: Optional[float] = Field(None, ge=0)
    location: Optional[float] = Field(None, ge=0)
    scale: Optional[float] = Field(None, gt=0)
    shape: Optional[float] = Field(None, gt=0)
    median: Optional[float] = Field(None, gt=0)
    sigma: Optional[float] = Field(None, gt=0)

    @model_validator(mode="after")
    def _parameters(self):
        needs = DISTRIBUTIONS[self.kind]
        missing = [k for k in needs if getattr(self, k) is None]
        extra = [k for k in type(self).model_fields if k != "kind" and k not in needs and getattr(self, k) is not None]
        if missing or extra:
            raise ValueError(f"kind {self.kind!r} takes {list(needs)}; missing {missing}, not used {extra}")
        if self.kind == "uniform" and not self.lower < self.upper:
            raise ValueError(f"uniform: need lower < upper, got {self.lower} and {self.upper}")
        if self.kind == "triangular" and not (self.lower <= self.mode <= self.upper and self.lower < self.upper):
            raise ValueError(f"triangular: need lower <= mode <= upper, lower < upper; got {self.lower}, "
                             f"{self.mode}, {self.upper}")
        return self

    def parameters(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in DISTRIBUTIONS[self.kind]}


class FibrilModulus(BaseModel):
    """Crosslink-dependent fibril modulus E(n) = E0 + (Einf - E0) n / (n + n_half)."""

    model_config = STRICT
    uncrosslinked: Modulus
    saturated: Modulus
    half_saturation: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.saturated < self.uncrosslinked:
            raise ValueError(f"saturated ({self.saturated:g} Pa) must not be below uncrosslinked "
                             f"({self.uncrosslinked:g} Pa)")
        return self


class Fibrils(BaseModel):
    """The fibril population of a fascicle."""

    model_config = STRICT
    volume_fraction: float = Field(gt=0, le=1)
    crimp: Crimp
    modulus: FibrilModulus
    crosslink_density: float = Field(ge=0)
    crosslink_sweep: list[float] = Field([], max_length=12)
    quadrature_points: int = Field(2000, ge=10, le=200000)
    diameter: Length = 100e-9

    @model_validator(mode="after")
    def _sweep(self):
        if any(n < 0 for n in self.crosslink_sweep):
            raise ValueError(f"crosslink_sweep: densities must be >= 0, got {self.crosslink_sweep}")
        return self


class Loading(BaseModel):
    """Uniaxial strain ramp from 0 to ``max_strain``."""

    model_config = STRICT
    max_strain: float = Field(gt=0, le=0.2)
    points: int = Field(161, ge=5, le=100001)


class Scenario(ScenarioHeader):
    """A tendon fascicle: fibril population -> J-shaped stress-strain curve."""

    app: Literal["tendon"]
    fibrils: Fibrils
    loading: Loading
    fascicle_length: Length = 1e-3
