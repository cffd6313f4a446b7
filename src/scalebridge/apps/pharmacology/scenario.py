"""Scenario schema of the pharmacology app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Duration, quantity, ScenarioHeader
from ...laws.pharmacodynamics import MECHANISMS
from ...laws.pharmacokinetics import REFERENCE_MAN

__all__ = ["Scenario", "ORGANS"]

#: Organs of the minimal PBPK model (the reference man's), and the lung (in series).
ORGANS = tuple(REFERENCE_MAN["organs"])

Time = quantity("s", nonnegative=True)
Mass = quantity("kg", positive=True)
MassRate = quantity("kg/s", positive=True)
Flow = quantity("m^3/s", nonnegative=True)
Rate = quantity("1/s", positive=True)
AssociationRate = quantity("m^3/(mol*s)", positive=True)
MolarMass = quantity("kg/mol", positive=True)


class DoseSpec(BaseModel):
    """One dosing line: ``iv_bolus`` / ``oral`` (``amount``) or ``infusion`` (``rate``, ``duration``),
    from ``start``, repeated ``count`` times every ``interval``."""

    model_config = STRICT
    route: Literal["iv_bolus", "oral", "infusion"]
    amount: Optional[Mass] = None
    rate: Optional[MassRate] = None
    duration: Optional[Duration] = None
    start: Time = 0.0
    interval: Optional[Duration] = None
    count: int = Field(1, ge=1, le=10000)

    @model_validator(mode="after")
    def _route_fields(self):
        if self.route == "infusion":
            if self.rate is None or self.duration is None or self.amount is not None:
                raise ValueError("route 'infusion' takes rate and duration (no amount)")
        elif self.amount is None or self.rate is not None or self.duration is not None:
            raise ValueError(f"route {self.route!r} takes amount (no rate or duration)")
        if self.count > 1 and self.interval is None:
            raise ValueError(f"count {self.count} needs an interval")
        if self.route == "infusion" and self.count > 1 and self.duration > self.interval:
            raise ValueError("infusion duration exceeds the dosing interval")
        return self


class Binding(BaseModel):
    """Target binding (k_on, k_off) and the Hill occupancy-effect relation of one drug."""

    model_config = STRICT
    kon: AssociationRate
    koff: Rate
    occupancy_50: float = Field(0.5, gt=0)
    hill: float = Field(1.0, gt=0)


class Drug(BaseModel):
    """A drug: PBPK disposition, target binding and its dosing schedule."""

    model_config = STRICT
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    molar_mass: MolarMass
    partition: dict[str, float]
    intrinsic_clearance: dict[str, Flow]
    absorption_rate: Rate = 1.0 / 3600.0
    bioavailability: float = Field(1.0, gt=0, le=1)
    binding: Binding
    doses: list[DoseSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _organs(self):
        need = set(ORGANS) | {"lung"}
        missing, unknown = sorted(need - set(self.partition)), sorted(set(self.partition) - need)
        if missing or unknown:
            raise ValueError(f"partition: missing {missing}, unknown {unknown}; give K_p of {sorted(need)}")
        bad = [k for k, v in self.partition.items() if not v > 0]
        if bad:
            raise ValueError(f"partition: K_p must be > 0, not for {bad}")
        unknown = sorted(set(self.intrinsic_clearance) - set(ORGANS))
        if unknown:
            raise ValueError(f"intrinsic_clearance: unknown organ(s) {unknown}; organs are {list(ORGANS)}")
        if not any(v > 0 for v in self.intrinsic_clearance.values()):
            raise ValueError("intrinsic_clearance: at least one organ must clear the drug")
        return self


class Tumour(BaseModel):
    """Exponential tumour growth (doubling time) and the maximal kill rate at full effect."""

    model_config = STRICT
    doubling_time: Duration
    max_kill_rate: Rate


class QSP(BaseModel):
    """The pharmacodynamic model: where the drugs act, how they combine, what they kill."""

    model_config = STRICT
    target_tissue: str = "rest"
    mechanism: Literal[MECHANISMS]
    tumour: Tumour

    @model_validator(mode="after")
    def _tissue(self):
        if self.target_tissue not in (*ORGANS, "arterial", "venous"):
            raise ValueError(f"target_tissue: {self.target_tissue!r} is not one of {[*ORGANS, 'arterial', 'venous']}")
        return self


class Synergy(BaseModel):
    """Steady-state response surface: a grid up to ``max_over_kd`` times each drug's K_D."""

    model_config = STRICT
    grid: int = Field(21, ge=3, le=201)
    max_over_kd: float = Field(10.0, gt=0)


class Scenario(ScenarioHeader):
    """PBPK of one or two drugs in the reference man, driving a QSP target/tumour model."""

    app: Literal["pharmacology"]
    duration: Duration
    output_interval: Duration
    drugs: list[Drug] = Field(min_length=1, max_length=2)
    qsp: QSP
    synergy: Synergy = Synergy()

    @model_validator(mode="after")
    def _grid(self):
        if self.duration / self.output_interval > 100000:
            raise ValueError("output_interval: more than 100000 output times; coarsen it")
        names = [d.name for d in self.drugs]
        if len(set(names)) != len(names):
            raise ValueError(f"drugs: names must be unique, got {names}")
        if self.qsp.mechanism == "shared_target" and len(self.drugs) == 2:
            a, b = (d.binding for d in self.drugs)
            if (a.occupancy_50, a.hill) != (b.occupancy_50, b.hill):
                raise ValueError("qsp.mechanism shared_target: both drugs act through one target, so "
                                 "binding.occupancy_50 and binding.hill must be equal")
        return self
