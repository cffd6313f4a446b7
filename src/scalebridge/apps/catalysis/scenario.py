"""Scenario schema of the catalysis chain (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator, model_validator

from ...core.fields import (STRICT, Concentration, Diffusivity, Energy, Length, Pressure, ScenarioHeader, Temperature,
                            Velocity, energy, quantity)
from ...laws.mechanism import Mechanism

__all__ = ["Scenario"]

#: Signed pair energy (J, eV or kJ/mol), stored in J.
PairEnergy = energy()



class Conditions(BaseModel):
    """Operating point: temperature and feed partial pressures (every gas of the mechanism)."""

    model_config = STRICT
    temperature: Temperature
    pressures: dict[str, Pressure]


class Sweep(BaseModel):
    """Temperature sweep of the surface kinetics (coverages and TOF vs T)."""

    model_config = STRICT
    start: Temperature
    stop: Temperature
    points: int = Field(31, ge=2, le=2001)

    @model_validator(mode="after")
    def _ordered(self):
        if self.stop <= self.start:
            raise ValueError(f"stop ({self.stop} K) must exceed start ({self.start} K)")
        return self


class Scales(BaseModel):
    """Characteristic lengths of the atomistic and surface models."""

    model_config = STRICT
    atomistic_length: Length = 2.8e-10
    surface_length: Length = 5e-8


class Pellet(BaseModel):
    """Spherical catalyst pellet."""

    model_config = STRICT
    radius: Length
    pore_diffusivity: Diffusivity
    porosity: float = Field(gt=0, le=1)
    tortuosity: Optional[float] = Field(None, ge=1)
    site_concentration: Concentration
    cells: int = Field(200, ge=10, le=20000)


class Reactor(BaseModel):
    """Isothermal packed-bed plug-flow reactor."""

    model_config = STRICT
    length: Length
    superficial_velocity: Velocity
    bed_porosity: float = Field(gt=0, lt=1)
    points: int = Field(201, ge=2, le=100001)


class Tables(BaseModel):
    """Bridging tables: points and how many decades below the feed they reach."""

    model_config = STRICT
    points: int = Field(41, ge=8, le=2001)
    decades: float = Field(8.0, gt=0, le=16)


class BarrierError(BaseModel):
    """Epistemic error of one activation barrier (e.g. the DFT functional error): +- half_width."""

    model_config = STRICT
    step: str
    direction: Literal["forward", "reverse"] = "forward"
    half_width: Energy


class SiteEnergy(BaseModel):
    """Aleatoric spread of the binding energy over sites: raises the desorption barrier of ``step``."""

    model_config = STRICT
    step: str
    std: Energy


class Uncertainty(BaseModel):
    """Nested uncertainty study of the surface and pellet (see :mod:`.uncertainty`)."""

    model_config = STRICT
    barrier_errors: list[BarrierError] = Field(min_length=1)
    site_energy: SiteEnergy
    sites: list[int] = Field([1, 16], min_length=1)
    samples: int = Field(256, ge=16, le=65536)

    @field_validator("sites")
    @classmethod
    def _positive(cls, value):
        if any(n < 1 or n > 256 for n in value):
            raise ValueError(f"sites: every patch size must be in 1..256, got {value}")
        return value


class LateralInteraction(BaseModel):
    """Nearest-neighbour pair energy of two adsorbates (J, eV or kJ/mol; < 0 attractive)."""

    model_config = STRICT
    species: tuple[str, str] = Field(strict=False)  # a YAML list of two names
    energy: PairEnergy


class KmcSweep(BaseModel):
    """The swept parameter, from ``start`` to ``stop`` in ``points`` points.

    ``parameter: temperature``: K, a linear grid at the feed pressures; ``parameter:``
    a gas of the mechanism: its partial pressure in Pa, a geometric grid at the
    operating temperature.
    """

    model_config = STRICT
    parameter: str
    start: float
    stop: float
    points: int = Field(7, ge=2, le=101)

    @model_validator(mode="before")
    @classmethod
    def _to_si(cls, data):
        if isinstance(data, dict):
            unit = "K" if data.get("parameter") == "temperature" else "Pa"
            adapter = TypeAdapter(quantity(unit, positive=True))
            for key in ("start", "stop"):
                if key in data:
                    try:
                        data = {**data, key: adapter.validate_python(data[key])}
                    except ValidationError as e:
                        raise ValueError(f"{key} ({unit} for parameter {data.get('parameter')!r}): "
                                         f"{e.errors()[0]['msg']}") from None
        return data

    @model_validator(mode="after")
    def _ordered(self):
        if self.stop <= self.start:
            raise ValueError(f"stop ({self.stop:g}) must exceed start ({self.start:g})")
        return self


class Kmc(BaseModel):
    """Mean field vs lattice kMC of the same mechanism at the operating temperature (see :mod:`.kmc_study`).

    ``hop_rate`` is the total hop rate of an isolated adsorbate (1/s); ``events``
    the kMC events per sweep point (a fifth of them warm-up); ``n_sigma`` how many
    standard errors mark a disagreement. A run with a record (``scalebridge run``)
    checkpoints the study after every sweep point and, within a point, every
    ``checkpoint_every_events`` events, so ``scalebridge run --resume`` continues a
    killed run (see ``docs/fault_tolerance.md``).
    """

    model_config = STRICT
    lattice_size: int = Field(24, ge=4, le=1024)
    sweep: KmcSweep
    hop_rate: quantity("1/s", positive=True)
    interactions: list[LateralInteraction] = []
    events: int = Field(1_000_000, ge=1000, le=10**11)
    n_sigma: float = Field(3.0, gt=0)
    seed: int = 0
    checkpoint_every_events: int = Field(1_000_000, ge=1000, le=10**11)


class Scenario(ScenarioHeader):
    """A catalysis scenario: mechanism, conditions, pellet and reactor (optionally uncertainty and kMC studies).

    ``mechanism`` uses the layout of
    :meth:`scalebridge.laws.mechanism.Mechanism.from_dict`; ``reactant`` is the
    gas transported through pellet and reactor (the others are taken in excess and
    held at their feed pressures); ``product`` defines the turnover frequency.
    """

    app: Literal["catalysis"]
    mechanism: dict[str, Any]
    reactant: str
    product: str
    conditions: Conditions
    sweep: Sweep
    scales: Scales = Scales()
    pellet: Pellet
    reactor: Reactor
    tables: Tables = Tables()
    uncertainty: Optional[Uncertainty] = None
    kmc: Optional[Kmc] = None

    @field_validator("mechanism")
    @classmethod
    def _mechanism_is_valid(cls, value):
        Mechanism.from_dict(value)  # raises InputError (a ValueError) naming the step and key
        return value

    @model_validator(mode="after")
    def _species_known(self):
        gases = Mechanism.from_dict(self.mechanism).gases
        for key in ("reactant", "product"):
            if getattr(self, key) not in gases:
                raise ValueError(f"{key}: {getattr(self, key)!r} is not a gas of the mechanism {gases}")
        missing, unknown = set(gases) - set(self.conditions.pressures), set(self.conditions.pressures) - set(gases)
        if missing or unknown:
            raise ValueError(f"conditions.pressures: missing {sorted(missing)}, unknown {sorted(unknown)}; "
                             f"give the partial pressure of every gas {gases}")
        if self.conditions.pressures[self.reactant] <= 0:
            raise ValueError(f"conditions.pressures.{self.reactant}: the reactant's feed pressure must be positive")
        if self.uncertainty is not None:
            steps = Mechanism.from_dict(self.mechanism).step_names
            for where, step in [(f"barrier_errors[{i}]", e.step) for i, e in enumerate(self.uncertainty.barrier_errors)] \
                    + [("site_energy", self.uncertainty.site_energy.step)]:
                if step not in steps:
                    raise ValueError(f"uncertainty.{where}.step: {step!r} is not a step of the mechanism {steps}")
        if self.kmc is not None:
            mech = Mechanism.from_dict(self.mechanism)
            if self.kmc.sweep.parameter not in ["temperature", *mech.gases]:
                raise ValueError(f"kmc.sweep.parameter: {self.kmc.sweep.parameter!r} is neither 'temperature' nor a "
                                 f"gas of the mechanism {mech.gases}")
            for i, pair in enumerate(self.kmc.interactions):
                unknown = [sp for sp in pair.species if sp not in mech.surface_species[1:]]
                if unknown:
                    raise ValueError(f"kmc.interactions[{i}].species: {unknown} are not adsorbates of the mechanism "
                                     f"{mech.surface_species[1:]}")
        return self
