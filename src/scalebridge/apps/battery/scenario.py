"""Scenario schema of the battery chain (strict: unknown keys are errors).

Sections: ``parameters`` (a shipped set and overrides written with units), ``mesh``,
``microstructure`` (optional, per region: a generated sphere packing or a ``.npy``
image), ``protocol`` (C-rates or a drive cycle), ``thermal`` (``none``, ``lumped`` or
``x-resolved``), ``mechanics`` (per electrode) and ``pressure_study`` (optional). A
scenario needs a ``protocol``, a ``pressure_study`` or both.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, Field, field_validator, model_validator

from ...core.errors import InputError
from ...core.fields import (STRICT, Duration, HeatTransferCoefficient, Length, Modulus, quantity, ScenarioHeader,
                            Temperature)
from ...core.units import to_si
from .parameters import PARAMETER_SETS, parameter_set

__all__ = ["Scenario", "parameter_unit", "convert_override"]

Voltage = quantity("V", positive=True)
Current = quantity("A")
MolarVolume = quantity("m^3/mol", positive=True)
ActivationVolume = quantity("m^3/mol")
TimePoint = quantity("s", nonnegative=True)
TemperatureChange = quantity("K", positive=True)
HeatCapacity = quantity("J/K", positive=True)
Conductance = quantity("W/K", positive=True)
Conductivity = quantity("W/(m*K)", positive=True)
VolumetricHeatCapacity = quantity("J/(m^3*K)", positive=True)
Stress = quantity("Pa", positive=True)
Toughness = quantity("Pa*m^0.5", positive=True)
GaugePressure = quantity("Pa", nonnegative=True)

_KEY_UNIT = re.compile(r"\[([^\]]+)\]\s*$")
_TOKEN = re.compile(r"^([A-Za-z]+)(-?\d+)?$")


def parameter_unit(key: str) -> str | None:
    """The pint unit of a parameter key's bracket (``"[m2.s-1]"`` -> ``"m**2*s**-1"``), None if dimensionless."""
    m = _KEY_UNIT.search(key)
    if m is None:
        return None
    parts = []
    for token in m.group(1).split("."):
        t = _TOKEN.match(token)
        if t is None:
            raise InputError(f"parameters.overrides: cannot read the unit [{m.group(1)}] of key {key!r}")
        parts.append(t.group(1) + (f"**{t.group(2)}" if t.group(2) else ""))
    return "*".join(parts)


def convert_override(key: str, value: Any) -> float:
    """An override value in the unit of its key: a plain number as is, a quantity string converted.

    ``"17 kJ/mol"`` for ``"... activation energy [J.mol-1]"`` gives 17000.0;
    ``"5 A*h"`` for ``"Nominal cell capacity [A.h]"`` gives 5.0.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{key!r}: expected a number or a quantity string, got {value!r}")
    unit = parameter_unit(key)
    if isinstance(value, (int, float)):
        v = float(value)
    elif unit is None:
        v = float(to_si(value, "dimensionless", key))
    else:
        v = float(to_si(value, unit, key)) / float(to_si(f"1 {unit}", unit, key))
    if not np.isfinite(v):
        raise ValueError(f"{key!r}: must be finite, got {value!r}")
    return v


class Parameters(BaseModel):
    """A shipped parameter set (``set``) and ``overrides``: key (exactly as in the set) -> value with units."""

    model_config = STRICT
    set: str = "Chen2020"
    overrides: dict[str, Union[float, int, str]] = {}

    @field_validator("set")
    @classmethod
    def _known(cls, value):
        if value not in PARAMETER_SETS:
            raise ValueError(f"unknown parameter set {value!r}; shipped: {sorted(PARAMETER_SETS)}")
        return value

    @model_validator(mode="after")
    def _convert(self):
        base = parameter_set(self.set)
        converted = {}
        for key, value in self.overrides.items():
            if key not in base:
                close = [k for k in base if k.split(" [")[0].lower() == key.split(" [")[0].lower()]
                raise ValueError(f"overrides: {key!r} is not a key of {self.set}"
                                 + (f" (did you mean {close[0]!r}?)" if close else ""))
            try:
                converted[key] = convert_override(key, value)
            except InputError as exc:
                raise ValueError(f"overrides: {exc}") from None
        object.__setattr__(self, "overrides", converted)
        return self

    def values(self) -> dict:
        """The parameter set with the overrides applied (numbers in the units of the keys)."""
        p = parameter_set(self.set)
        p.update(self.overrides)
        return p


class MeshSpec(BaseModel):
    """Finite-volume cells per region and per particle (see :class:`~.base.Mesh`)."""

    model_config = STRICT
    negative: int = Field(10, ge=2, le=200)
    separator: int = Field(5, ge=2, le=200)
    positive: int = Field(10, ge=2, le=200)
    particle: int = Field(10, ge=2, le=200)


class Packing(BaseModel):
    """A generated periodic sphere packing (:func:`~.microstructure.sphere_packing`).

    ``solid_fraction`` defaults to 1 - the region's porosity in the parameter set;
    ``sphere_radius`` is in voxels; ``seed`` defaults to the scenario's seed.
    """

    model_config = STRICT
    voxels: int = Field(40, ge=16, le=160)
    sphere_radius: float = Field(5.0, ge=2.0)
    solid_fraction: Optional[float] = Field(None, gt=0, lt=1)
    overlapping: bool = True
    seed: Optional[int] = None

    @model_validator(mode="after")
    def _fits(self):
        if self.sphere_radius >= self.voxels / 2:
            raise ValueError(f"sphere_radius: {self.sphere_radius} voxels does not fit a {self.voxels}-voxel cube "
                             "(expected < voxels/2)")
        return self


class RegionMicrostructure(BaseModel):
    """The microstructure of one region: ``packing`` or ``image`` (a ``.npy`` file of phase ids).

    ``voxel_size`` defaults, for a packing of an electrode, to the particle radius of the
    parameter set over ``sphere_radius`` (so the spheres are the cell's particles); an
    image needs it. ``feature_length`` (the microstructural length of the scale check)
    defaults to the sphere diameter (packing) or the particle diameter (image of an electrode).
    """

    model_config = STRICT
    packing: Optional[Packing] = None
    image: Optional[str] = None
    solid_phase: int = Field(1, ge=0)
    voxel_size: Optional[Length] = None
    feature_length: Optional[Length] = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.packing is None) == (self.image is None):
            raise ValueError("give exactly one of 'packing' (generated) or 'image' (path of a .npy file)")
        if self.image is not None and self.voxel_size is None:
            raise ValueError("voxel_size: an image needs its voxel edge length (e.g. '0.5 um')")
        return self


class Microstructure(BaseModel):
    """Microstructures replacing the Bruggeman transport of regions; ``axis``: the through-thickness axis."""

    model_config = STRICT
    negative: Optional[RegionMicrostructure] = None
    separator: Optional[RegionMicrostructure] = None
    positive: Optional[RegionMicrostructure] = None
    axis: int = Field(0, ge=0, le=2)

    @model_validator(mode="after")
    def _some(self):
        if not self.regions():
            raise ValueError("give at least one region: negative, separator or positive")
        if self.separator is not None and self.separator.packing is not None and \
                self.separator.voxel_size is None:
            raise ValueError("separator.voxel_size: a generated separator needs its voxel edge length")
        return self

    def regions(self) -> dict[str, RegionMicrostructure]:
        return {r: getattr(self, r) for r in ("negative", "separator", "positive") if getattr(self, r) is not None}


class DriveCycleSpec(BaseModel):
    """A current-time series (A, positive on discharge), linearly interpolated, played ``repeats`` times."""

    model_config = STRICT
    times: list[TimePoint] = Field(min_length=2)
    currents: list[Current] = Field(min_length=2)
    repeats: int = Field(1, ge=1, le=1000)

    @model_validator(mode="after")
    def _shapes(self):
        if len(self.times) != len(self.currents):
            raise ValueError(f"times ({len(self.times)}) and currents ({len(self.currents)}) differ in length")
        if np.any(np.diff(self.times) <= 0):
            raise ValueError("times: expected strictly increasing times")
        return self


class ProtocolSpec(BaseModel):
    """Constant-current discharges at ``c_rates`` (1/h, positive: discharge), or a ``drive_cycle``.

    Each run starts from the parameter set's initial state and ends at the lower
    (``lower_cutoff``) or upper (``upper_cutoff``) cut-off voltage or at the end of
    the profile. ``output_interval`` is the largest spacing of stored outputs.
    """

    model_config = STRICT
    c_rates: Optional[list[float]] = Field(None, min_length=1, max_length=8)
    drive_cycle: Optional[DriveCycleSpec] = None
    lower_cutoff: Optional[Voltage] = None
    upper_cutoff: Optional[Voltage] = None
    output_interval: Duration = 30.0

    @model_validator(mode="after")
    def _one(self):
        if (self.c_rates is None) == (self.drive_cycle is None):
            raise ValueError("give exactly one of 'c_rates' or 'drive_cycle'")
        if self.c_rates is not None:
            bad = [c for c in self.c_rates if not (np.isfinite(c) and 0 < abs(c) <= 10)]
            if bad:
                raise ValueError(f"c_rates: got {bad}; expected C-rates with 0 < |C| <= 10 (positive: discharge)")
        if self.lower_cutoff and self.upper_cutoff and self.lower_cutoff >= self.upper_cutoff:
            raise ValueError("lower_cutoff must be below upper_cutoff")
        return self


class _ThermalBase(BaseModel):
    model_config = STRICT
    ambient_temperature: Optional[Temperature] = None


class NoThermal(_ThermalBase):
    """Isothermal runs at the ambient temperature (default: the parameter set's)."""

    model: Literal["none"] = "none"


class _Coupled(_ThermalBase):
    """Staggered two-way coupling: ``window`` (s); ``coupling_tolerance`` (K) bounds the
    end-temperature change when the window is halved (the coupling-error check);
    ``compare_isothermal`` also runs every C-rate isothermally at ambient."""

    window: Duration = 60.0
    coupling_tolerance: TemperatureChange = 0.5
    compare_isothermal: bool = True


class LumpedSpec(_Coupled):
    """Lumped energy balance: ``heat_capacity`` m c_p (J/K), ``heat_transfer`` hA (W/K)."""

    model: Literal["lumped"]
    heat_capacity: HeatCapacity
    heat_transfer: Conductance


class RegionValues(BaseModel):
    """One value per region of the sandwich."""

    model_config = STRICT
    negative: float
    separator: float
    positive: float


class Collector(BaseModel):
    """A current-collector layer (no heat source) outside an electrode."""

    model_config = STRICT
    thickness: Length
    conductivity: Conductivity
    volumetric_heat_capacity: VolumetricHeatCapacity


class XResolvedSpec(_Coupled):
    """Through-thickness energy balance on the DFN x-mesh (+ collectors).

    ``heat_transfer`` (W/(m^2 K)) is per unit electrode area at each face of the
    sandwich; ``conductivity`` (W/(m K)) and ``volumetric_heat_capacity`` (J/(m^3 K))
    by region.
    """

    model: Literal["x-resolved"]
    heat_transfer: HeatTransferCoefficient
    conductivity: RegionValues
    volumetric_heat_capacity: RegionValues
    negative_collector: Optional[Collector] = None
    positive_collector: Optional[Collector] = None

    @field_validator("conductivity", "volumetric_heat_capacity")
    @classmethod
    def _positive(cls, value):
        if min(value.negative, value.separator, value.positive) <= 0:
            raise ValueError("every region's value must be positive (SI: W/(m K), J/(m^3 K))")
        return value


Thermal = Annotated[Union[NoThermal, LumpedSpec, XResolvedSpec], Field(discriminator="model")]


class ElectrodeMechanics(BaseModel):
    """Elastic constants and strength of an electrode's particles (Zhang, Shyy & Sastry 2007)."""

    model_config = STRICT
    youngs_modulus: Modulus
    poisson_ratio: float = Field(gt=-1, lt=0.5)
    partial_molar_volume: MolarVolume
    fracture_strength: Stress
    fracture_toughness: Optional[Toughness] = None


class Mechanics(BaseModel):
    """Particle stress after each run, per electrode."""

    model_config = STRICT
    negative: Optional[ElectrodeMechanics] = None
    positive: Optional[ElectrodeMechanics] = None

    @model_validator(mode="after")
    def _some(self):
        if self.negative is None and self.positive is None:
            raise ValueError("give at least one electrode: negative or positive")
        return self


class PressureStudySpec(BaseModel):
    """Fastest charge of a negative-electrode particle vs pressure (:func:`~.pressure.pressure_study`).

    Radius, diffusivity, maximum concentration, electrolyte concentration and
    temperature come from the parameter set (negative electrode, ambient).
    """

    model_config = STRICT
    pressures: list[GaugePressure] = Field(min_length=2, max_length=40)
    activation_volume_diffusion: ActivationVolume = 4e-6
    activation_volume_kinetics: ActivationVolume = 1e-6
    initial_stoichiometry: float = Field(0.2, gt=0, lt=1)
    target_stoichiometry: float = Field(0.8, gt=0, lt=1)
    max_overpotential: Voltage = 0.1
    rtol: float = Field(0.03, ge=1e-4, le=0.2)
    steps: int = Field(80, ge=20, le=2000)

    @model_validator(mode="after")
    def _ordered(self):
        if np.any(np.diff(self.pressures) <= 0):
            raise ValueError("pressures: expected strictly increasing pressures")
        if self.target_stoichiometry <= self.initial_stoichiometry:
            raise ValueError("target_stoichiometry must exceed initial_stoichiometry")
        return self


class Scenario(ScenarioHeader):
    """A battery scenario: cell parameters and mesh, optional microstructure, protocol, thermal coupling,
    particle mechanics and pressure study."""

    app: Literal["battery"]
    parameters: Parameters = Parameters()
    mesh: MeshSpec = MeshSpec()
    microstructure: Optional[Microstructure] = None
    protocol: Optional[ProtocolSpec] = None
    thermal: Thermal = NoThermal()
    mechanics: Optional[Mechanics] = None
    pressure_study: Optional[PressureStudySpec] = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.protocol is None and self.pressure_study is None:
            raise ValueError("give a 'protocol' (cell runs), a 'pressure_study', or both")
        if self.protocol is None:
            for key in ("microstructure", "mechanics"):
                if getattr(self, key) is not None:
                    raise ValueError(f"{key}: needs a 'protocol' (it acts on the cell runs)")
            if self.thermal.model != "none":
                raise ValueError("thermal: needs a 'protocol' (it couples to the cell runs)")
        p = self.parameters.values()
        if self.pressure_study is not None:
            xs = 0.9014  # saturation stoichiometry of the default particle (pressure.ChargingParticle)
            if self.pressure_study.target_stoichiometry >= xs:
                raise ValueError(f"pressure_study.target_stoichiometry: must be below the saturation "
                                 f"stoichiometry {xs}")
        if self.microstructure is not None:
            for region, spec in self.microstructure.regions().items():
                if region != "separator" and spec.packing is not None and spec.packing.solid_fraction is None:
                    prefix = "Negative" if region == "negative" else "Positive"
                    if not 0 < float(p[f"{prefix} electrode porosity"]) < 1:
                        raise ValueError(f"microstructure.{region}.packing.solid_fraction: the porosity of the "
                                         "parameter set is not in (0, 1); give the solid fraction")
        return self
