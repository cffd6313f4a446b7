r"""Build the fracture chain: interatomic potential -> C_ij, γ_s, γ_us -> K_Ic, K_Ie -> verdict.

``build`` wires the model tree without any atomistic calculation (the engines run in
``evaluate``), so ``scalebridge check`` and ``describe`` are free::

    bulk crystal (a, C11, C12, C44) ──┬─> surface energy (γ_s) ───────┐
                                      ├─> stacking fault (γ_us, γ_isf) ┼─> crack tip (K_Ic, K_Ie, ratio)
                                      └────────────────────────────────┘

The atomistic models sit at ``scales.atomistic_length`` and the crack-tip criterion at
``scales.k_field_length`` (the K-dominant zone), so every chain connection from the
atoms to the crack tip is a bridge whose scale separation the checks report.
"""

from __future__ import annotations

from ...core.combinators import Chain, chain
from .models import (BulkCrystalModel, FractureCriterionModel, StackingFaultModel, SurfaceEnergyModel,
                     engine_factory, lattice_constant_guess, potential_label)
from .scenario import Scenario

__all__ = ["build"]


def build(scenario: Scenario) -> Chain:
    """The model tree of a scenario: bulk crystal -> surface energy, stacking fault -> crack tip."""
    s = scenario
    make = engine_factory(s.material)
    geometry = s.crack.resolved()
    atoms = s.scales.atomistic_length
    bulk = BulkCrystalModel(make, lambda: lattice_constant_guess(s.material), s.material.lattice_constant,
                            s.atomistic.strain, atoms, potential_label(s.material))
    surface = SurfaceEnergyModel(make, geometry.cleavage_family, s.atomistic, atoms)
    fault = StackingFaultModel(make, s.atomistic, atoms)
    tip = FractureCriterionModel(geometry, s.crack.anisotropic, s.scales.k_field_length)
    return chain(bulk, surface, fault, tip, name=f"fracture of {s.material.name}: atoms -> crack tip")
