"""Scenario schema of the climate (melt-pond parameterisation) app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, HeatFlux, HeatTransferCoefficient, Length, quantity, ScenarioHeader, Temperature

__all__ = ["Scenario"]

Depth = quantity("m", nonnegative=True)
TemperatureDifference = quantity("K")
Seepage = quantity("m/s", positive=True)


class Ponds(BaseModel):
    """Pond model parameters (see ``scalebridge.laws.melt_pond``)."""

    model_config = STRICT
    relief: Length = 0.2
    seepage_velocity: Seepage = 0.08 / 86400.0
    retained_fraction: float = Field(0.6, ge=0, le=1)
    patch_depth: Length = 0.02
    emissivity: float = Field(0.85, gt=0, le=1)
    sensible_coefficient: HeatTransferCoefficient = 8.0
    ocean_heat_flux: HeatFlux = 5.0
    pond_size: Length = 10.0


class Column(BaseModel):
    """One grid cell's melt season: air temperature T_mean + T_amp sin(pi t/season), shortwave peak, snow."""

    model_config = STRICT
    name: str
    air_temperature_mean: Temperature
    air_temperature_amplitude: TemperatureDifference = 0.0
    shortwave_peak: HeatFlux
    snow_depth: Depth
    ice_thickness: Length


class Season(BaseModel):
    """Length of the melt season (from 1 June), time steps of the resolved and the coarse models."""

    model_config = STRICT
    days: float = Field(92.0, gt=1, le=200)
    solstice_day: float = 20.0
    resolved_step_days: float = Field(0.05, gt=0, le=1)
    coarse_step_days: float = Field(0.5, gt=0, le=5)


class Training(BaseModel):
    """Design of conditions for the parameterisation: bounds, points, surrogate, folds.

    ``restarts``: extra random starts of the GP's hyperparameter optimisation (a single
    start can stop in a poor local optimum of the marginal likelihood); ``degree``: the PCE's.
    """

    model_config = STRICT
    air_temperature: list[Temperature] = Field(min_length=2, max_length=2)
    shortwave: list[HeatFlux] = Field(min_length=2, max_length=2)
    snow_depth: list[Depth] = Field(min_length=2, max_length=2)
    points: int = Field(128, ge=16, le=4096)
    held_out: int = Field(64, ge=0, le=4096)
    surrogate: Literal["gp", "pce"] = "gp"
    restarts: int = Field(3, ge=0, le=20)
    degree: int = Field(5, ge=1, le=10)
    folds: int = Field(5, ge=2, le=20)
    relax_days: float = Field(8.0, gt=0)

    @model_validator(mode="after")
    def _ordered(self):
        for key in ("air_temperature", "shortwave", "snow_depth"):
            lo, hi = getattr(self, key)
            if not hi > lo:
                raise ValueError(f"{key}: upper bound must exceed lower bound, got {lo}, {hi}")
        return self


class Tolerances(BaseModel):
    """Stated agreement of the parameterised coarse model with the resolved process model:
    RMS of the daily albedo difference, and end-of-season ice thickness difference as a
    fraction of the initial thickness."""

    model_config = STRICT
    albedo_rms: float = Field(0.03, gt=0)
    ice_thickness_relative: float = Field(0.1, gt=0)


class Scenario(ScenarioHeader):
    """Melt ponds learned as a grid-cell albedo parameterisation, used in a coarse column model."""

    app: Literal["climate"]
    ponds: Ponds = Ponds()
    columns: list[Column] = Field(min_length=1, max_length=64)
    season: Season = Season()
    training: Training
    tolerances: Tolerances = Tolerances()
    grid_cell_size: Length = 1e5

    @model_validator(mode="after")
    def _columns_inside_training_box(self):
        t = self.training
        for i, c in enumerate(self.columns):
            lo = c.air_temperature_mean - abs(c.air_temperature_amplitude)
            hi = c.air_temperature_mean + abs(c.air_temperature_amplitude)
            if lo < t.air_temperature[0] or hi > t.air_temperature[1]:
                raise ValueError(f"columns.{i} ({c.name}): air temperatures {lo:.2f}-{hi:.2f} K leave the training "
                                 f"box {t.air_temperature}")
            if c.shortwave_peak > t.shortwave[1] or c.snow_depth > t.snow_depth[1]:
                raise ValueError(f"columns.{i} ({c.name}): shortwave_peak or snow_depth above the training box")
        return self
