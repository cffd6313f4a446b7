"""Build the solidification chain: tip model -> table V(dT), R(dT) -> undercooled sample.

The tip law is sampled once on a log grid of undercoolings (hierarchical: the tip radius
is micrometres, the sample centimetres). ``build`` samples nothing.
"""

from __future__ import annotations

import numpy as np

from ...core.model import Scale
from ...coupling.hierarchical import Tabulated
from ...laws.solidification import MARGINAL_STABILITY_CONSTANT
from .models import DendriteTipModel, UndercooledSample
from .scenario import Scenario

__all__ = ["build", "tip_model", "selection_constant"]


def selection_constant(s: Scenario) -> float:
    """sigma* of the scenario: 1/(4 pi^2) for ``marginal_stability``, else the number given."""
    return MARGINAL_STABILITY_CONSTANT if s.selection_constant == "marginal_stability" else float(s.selection_constant)


def tip_model(s: Scenario, sigma: float | None = None) -> DendriteTipModel:
    """The tip model of the scenario (optionally with another selection constant)."""
    m = s.material
    mu = np.inf if m.kinetic_coefficient is None else m.kinetic_coefficient
    return DendriteTipModel(m.unit_undercooling, m.capillary_length, m.diffusivity, mu,
                            selection_constant(s) if sigma is None else sigma, s.operating_undercooling)


def build(s: Scenario) -> UndercooledSample:
    """The sample over the tabulated tip law (log-log cubic spline in undercooling)."""
    tip = tip_model(s)
    grid = np.logspace(np.log10(s.undercooling.start), np.log10(s.undercooling.stop), s.undercooling.points)
    table = Tabulated(tip, "undercooling", grid, outputs=["velocity", "radius", "peclet"], log_input=True,
                      log_outputs=True, name="tip law V(dT), R(dT) (table)")
    V = float(tip.evaluate({"undercooling": np.array([s.operating_undercooling])})["velocity"][0])
    return UndercooledSample(table, s.sample_length, Scale(s.sample_length, s.sample_length / V, "sample"))
