"""Scenario schema of the plasma-wall app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field, model_validator

from ...core.fields import (STRICT, Duration, HeatCapacity, HeatFlux, Length, MassDensity, quantity, ScenarioHeader,
                            Temperature)

__all__ = ["Scenario"]

Conductivity = quantity("W/(m*K)", positive=True)
FilmCoefficient = quantity("W/(m^2*K)", positive=True)


class Material(BaseModel):
    """Armour material (constant properties: linear conduction, so closed forms apply)."""

    model_config = STRICT
    name: str = "tungsten"
    conductivity: Conductivity
    density: MassDensity
    heat_capacity: HeatCapacity
    melting_temperature: Temperature
    recrystallisation_temperature: Optional[Temperature] = None


class Armour(BaseModel):
    """Plasma-facing armour: thickness to the cooled face, coolant and film coefficient."""

    model_config = STRICT
    thickness: Length
    coolant_temperature: Temperature
    heat_transfer_coefficient: FilmCoefficient


class Component(BaseModel):
    """The coarse component model: its characteristic length (the target plate)."""

    model_config = STRICT
    length: Length


class Loading(BaseModel):
    """Heat load: a steady flux held for ``duration``, or an ELM pulse on a steady background.

    ``duration`` is the time scale the component model resolves: the flat-top of a
    steady discharge, or the ELM energy-deposition time.
    """

    model_config = STRICT
    kind: Literal["steady", "elm"]
    heat_flux: HeatFlux
    duration: Duration
    background_heat_flux: HeatFlux = 0.0
    times: int = Field(41, ge=4, le=2001)

    @model_validator(mode="after")
    def _background(self):
        if self.kind == "steady" and self.background_heat_flux:
            raise ValueError("background_heat_flux is only for kind 'elm' (a steady load is heat_flux)")
        return self


class Fine(BaseModel):
    """The fine near-surface conduction model: the zone it resolves and its mesh."""

    model_config = STRICT
    surface_zone: Length
    cells: int = Field(200, ge=20, le=2000)
    first_cell: Length = 1e-7


class Table(BaseModel):
    """Grid of the tabulated (hierarchical) bridging law T_s(q)."""

    model_config = STRICT
    points: int = Field(21, ge=4, le=2001)


class Scenario(ScenarioHeader):
    """A plasma-facing wall under a heat load: the coupling is chosen by the scale-separation check."""

    app: Literal["plasma_wall"]
    material: Material
    armour: Armour
    component: Component
    loading: Loading
    fine: Fine
    coupling: Literal["auto", "hierarchical", "concurrent"] = "auto"
    table: Table = Table()

    @model_validator(mode="after")
    def _zone_inside_armour(self):
        if self.fine.surface_zone >= self.armour.thickness:
            raise ValueError(f"fine.surface_zone ({self.fine.surface_zone:g} m) must be thinner than "
                             f"armour.thickness ({self.armour.thickness:g} m)")
        if self.fine.first_cell * 10 > self.fine.surface_zone:
            raise ValueError("fine.first_cell must be at most a tenth of fine.surface_zone")
        return self
