r"""Build the catalysis chain: atoms -> rate constants -> surface -> pellet -> reactor.

``build`` wires the whole model tree without solving anything (the bridging tables
are sampled on first use), so ``scalebridge check`` and ``describe`` are free.
"""

from __future__ import annotations

import numpy as np
from scipy.constants import R as GAS_CONSTANT

from ...core.combinators import chain
from ...coupling.hierarchical import Tabulated
from ...laws.mechanism import Mechanism
from ...laws.transport import effective_diffusivity
from .kmc_study import mean_field_validity_inputs
from .models import MeanFieldSurfaceModel, PackedBedModel, PelletModel, TransitionStateModel
from .scenario import Scenario

__all__ = ["build", "feed_concentration"]


def feed_concentration(scenario: Scenario) -> float:
    """Reactant concentration in the feed, :math:`c = p/(R T)` (ideal gas), mol/m^3."""
    return scenario.conditions.pressures[scenario.reactant] / (GAS_CONSTANT * scenario.conditions.temperature)


def _decades_below(top: float, decades: float, points: int) -> np.ndarray:
    return np.logspace(np.log10(top) - decades, np.log10(top), points)


def build(scenario: Scenario) -> PackedBedModel:
    """The model tree of a scenario: reactor -> pellet table -> pellet -> TOF table -> kinetics.

    The TOF table holds every gas but the reactant at its feed pressure (taken in
    excess) and spans ``tables.decades`` decades of reactant pressure below the
    feed; the pellet table spans the same decades of bulk concentration. With a
    ``kmc`` block the surface model carries the inputs of the mean-field validity
    advisor, so ``run_checks`` reports its verdict.
    """
    s, T = scenario, scenario.conditions.temperature
    mechanism = Mechanism.from_dict(s.mechanism)
    atomistic = TransitionStateModel(mechanism, s.scales.atomistic_length, T)
    validity = None if s.kmc is None else mean_field_validity_inputs(s, mechanism)
    surface = MeanFieldSurfaceModel(mechanism, s.product, s.scales.surface_length, validity)
    kinetics = chain(atomistic, surface, name="kinetics")
    others = {f"pressure_{g}": p for g, p in s.conditions.pressures.items() if g != s.reactant}
    tof_table = Tabulated(kinetics, f"pressure_{s.reactant}",
                          _decades_below(s.conditions.pressures[s.reactant], s.tables.decades, s.tables.points),
                          fixed={"temperature": T, **others}, outputs=["tof"], log_input=True, log_outputs=True,
                          name="TOF(p) table")
    p = s.pellet
    pellet = PelletModel(surface, tof_table, T, p.radius,
                         float(effective_diffusivity(p.pore_diffusivity, p.porosity, p.tortuosity)),
                         p.site_concentration, p.cells)
    pellet_table = Tabulated(pellet, "concentration",
                             _decades_below(feed_concentration(s), s.tables.decades, s.tables.points),
                             outputs=["pellet_rate", "effectiveness_factor", "thiele_modulus"], log_input=True, log_outputs=True, name="pellet rate table")
    r = s.reactor
    return PackedBedModel(pellet, pellet_table, r.length, r.superficial_velocity, r.bed_porosity, r.points)
