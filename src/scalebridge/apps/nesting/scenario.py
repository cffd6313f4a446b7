"""Scenario schema of the one-way nesting app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Diffusivity, Duration, Length, quantity, ScenarioHeader

__all__ = ["Scenario"]

SignedVelocity = quantity("m/s")
MassPerArea = quantity("kg/m^2", positive=True)
RatePerArea = quantity("kg/(m^2*s)", nonnegative=True)


class Domain(BaseModel):
    """The coarse model's domain: ``length`` split into ``coarse_cells``."""

    model_config = STRICT
    length: Length
    coarse_cells: int = Field(ge=8, le=100_000)


class Flow(BaseModel):
    """Uniform velocity and diffusivity of the carrier."""

    model_config = STRICT
    velocity: SignedVelocity
    diffusivity: Diffusivity


class Plume(BaseModel):
    """A Gaussian pulse entering from upstream: ``mass`` per unit cross-section, centre and width at t = 0."""

    model_config = STRICT
    mass: MassPerArea
    centre: Length
    width: Length


class Source(BaseModel):
    """A narrow steady source inside the nest: ``rate`` per unit cross-section, Gaussian of ``width``."""

    model_config = STRICT
    rate: RatePerArea
    position: Length
    width: Length


class Nest(BaseModel):
    """The fine sub-region ``[start, stop]`` (on coarse cell faces) and its refinement in space and time."""

    model_config = STRICT
    start: Length
    stop: Length
    refinement: int = Field(ge=1, le=1000)
    time_refinement: int = Field(ge=1, le=1000)

    @model_validator(mode="after")
    def _ordered(self):
        if self.stop <= self.start:
            raise ValueError(f"stop ({self.stop:g} m) must exceed start ({self.start:g} m)")
        return self


class Timing(BaseModel):
    """Run ``duration`` in coarse steps of ``coarse_step``; ``outputs`` snapshots."""

    model_config = STRICT
    duration: Duration
    coarse_step: Duration
    outputs: int = Field(12, ge=1, le=1000)


class Scenario(ScenarioHeader):
    """A plume carried through a nested sub-region that holds a narrow source (see :mod:`.nest`)."""

    app: Literal["nesting"]
    domain: Domain
    flow: Flow
    plume: Plume
    source: Source
    nest: Nest
    time: Timing

    @model_validator(mode="after")
    def _consistent(self):
        L, dx = self.domain.length, self.domain.length / self.domain.coarse_cells
        if not 0 < self.nest.start < self.nest.stop < L:
            raise ValueError(f"nest: [{self.nest.start:g}, {self.nest.stop:g}] m must lie inside the domain (0, {L:g}) m")
        for key in ("start", "stop"):
            k = getattr(self.nest, key) / dx
            if abs(k - round(k)) > 1e-9:
                raise ValueError(f"nest.{key}: {getattr(self.nest, key):g} m is not on a coarse cell face "
                                 f"(a multiple of {dx:g} m)")
        if not self.nest.start < self.source.position < self.nest.stop:
            raise ValueError("source.position must lie inside the nest")
        steps = self.time.duration / self.time.coarse_step
        if abs(steps - round(steps)) > 1e-9 or round(steps) % self.time.outputs:
            raise ValueError(f"time: duration/coarse_step = {steps:g} must be a whole number divisible by outputs "
                             f"= {self.time.outputs}")
        return self
