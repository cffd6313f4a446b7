"""Build the tendon chain: crimp distribution and crosslinks -> fibril population -> fascicle law.

``build`` returns the fascicle law (an ``upscale`` of the fibril population) without
evaluating it, so ``scalebridge check`` reports the fibril/fascicle scale separation and
the tangent of the law against finite differences.
"""

from __future__ import annotations

from ...laws.tendon import CrimpDistribution, crosslinked_fibril_modulus, fascicle_model
from .scenario import Scenario

__all__ = ["build", "distribution", "fibril_modulus"]


def distribution(s: Scenario) -> CrimpDistribution:
    """The crimp (critical-strain) distribution of the scenario."""
    return CrimpDistribution(s.fibrils.crimp.kind, s.fibrils.crimp.parameters())


def fibril_modulus(s: Scenario, crosslink_density: float | None = None) -> float:
    """Fibril modulus (Pa) at the scenario's (or the given) crosslink density."""
    m = s.fibrils.modulus
    n = s.fibrils.crosslink_density if crosslink_density is None else crosslink_density
    return float(crosslinked_fibril_modulus(n, m.uncrosslinked, m.saturated, m.half_saturation))


def build(s: Scenario, crosslink_density: float | None = None):
    """The fascicle law: upscale(fibril population) with quantile-placed fibrils."""
    f = s.fibrils
    n = f.crosslink_density if crosslink_density is None else crosslink_density
    return fascicle_model(distribution(s), fibril_modulus(s, n), f.volume_fraction, f.quadrature_points,
                          length=s.fascicle_length, fibril_diameter=f.diameter,
                          name=f"fascicle (fibril recruitment, {n:g} crosslinks/molecule)")
