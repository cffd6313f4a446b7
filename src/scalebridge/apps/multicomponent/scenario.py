"""Scenario schema of the multicomponent-diffusion app (strict: unknown keys are errors)."""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, Field, model_validator

from ...core.fields import STRICT, Diffusivity, Duration, Length, quantity, ScenarioHeader, Temperature

__all__ = ["Scenario"]

Volume = quantity("m^3", positive=True)
PositivePressure = quantity("Pa", positive=True)


class Apparatus(BaseModel):
    """Two bulbs joined by a capillary."""

    model_config = STRICT
    bulb1_volume: Volume
    bulb2_volume: Volume
    capillary_length: Length
    capillary_diameter: Length


class Scenario(ScenarioHeader):
    """Ideal-gas diffusion in a two-bulb cell: Maxwell–Stefan vs Fick, against the published experiment.

    ``diffusivities`` maps every pair ``"A-B"`` of ``species`` to its binary
    Maxwell–Stefan diffusivity, or is ``kinetic_theory`` (Chapman–Enskog with
    Lennard-Jones parameters). ``bulb1``/``bulb2`` give every species' initial mole
    fraction (each summing to 1). ``capillary_cells: 0`` uses the quasi-steady capillary.
    """

    app: Literal["multicomponent"]
    species: list[str] = Field(min_length=2, max_length=8)
    temperature: Temperature
    pressure: PositivePressure
    diffusivities: Union[Literal["kinetic_theory"], dict[str, Diffusivity]]
    apparatus: Apparatus
    bulb1: dict[str, float]
    bulb2: dict[str, float]
    duration: Duration
    outputs: int = Field(401, ge=11, le=100001)
    capillary_cells: int = Field(20, ge=0, le=2000)
    compare_with: Literal["duncan_toor_1962", "none"] = "none"

    @model_validator(mode="after")
    def _consistent(self):
        sp = self.species
        if len(set(sp)) != len(sp):
            raise ValueError(f"species: names must be unique, got {sp}")
        for key in ("bulb1", "bulb2"):
            comp = getattr(self, key)
            unknown, missing = sorted(set(comp) - set(sp)), sorted(set(sp) - set(comp))
            if unknown or missing:
                raise ValueError(f"{key}: unknown species {unknown}, missing {missing}; give every species of {sp}")
            if any(not 0 <= v <= 1 for v in comp.values()) or abs(sum(comp.values()) - 1) > 1e-6:
                raise ValueError(f"{key}: mole fractions must lie in [0, 1] and sum to 1, got {comp}")
        if isinstance(self.diffusivities, dict):
            pairs = {f"{a}-{b}" for i, a in enumerate(sp) for b in sp[i + 1:]}
            given = {k if k in pairs else "-".join(reversed(k.split("-", 1))) for k in self.diffusivities}
            unknown = sorted(k for k in self.diffusivities
                             if k not in pairs and "-".join(reversed(k.split("-", 1))) not in pairs)
            if unknown or len(given) != len(self.diffusivities) or given != pairs:
                raise ValueError(f"diffusivities: give each pair of {sp} once as 'A-B'; unknown {unknown}, "
                                 f"missing {sorted(pairs - given)}")
        elif any(s not in _lj_species() for s in sp):
            raise ValueError(f"diffusivities: kinetic_theory needs Lennard-Jones parameters of every species; "
                             f"known: {sorted(_lj_species())}")
        if self.compare_with == "duncan_toor_1962" and sp != ["H2", "N2", "CO2"]:
            raise ValueError("compare_with: duncan_toor_1962 needs species [H2, N2, CO2] in this order")
        return self


def _lj_species():
    from ...laws.maxwell_stefan import LENNARD_JONES

    return LENNARD_JONES
