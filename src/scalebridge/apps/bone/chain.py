r"""Build the bone chain: macro FE of the region (concurrent) -> remodelling material point per quadrature point.

``build`` returns the region model with its material point under it, without solving:
``scalebridge check`` reports the scale separation (region vs basic multicellular
unit) and the material tangent against finite differences.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import skfem

from ...core.model import Evaluation, Port, Scale
from ...laws.bone_remodelling import RemodellingMaterial, RemodellingParameters, homeostatic_density, \
    influence_matrix
from ...solvers.tensors import to_mandel
from .scenario import Scenario

__all__ = ["build", "parameters", "mesh_and_points", "stress_tensor", "RemodellingRegion"]


def parameters(s: Scenario) -> RemodellingParameters:
    m, c = s.material, s.cells
    return RemodellingParameters(m.modulus_reference, m.density_reference, m.exponent, m.poisson_ratio,
                                 m.reference_stimulus, c.formation_rate, c.osteoblast_lifetime,
                                 c.osteoclast_lifetime, m.density_min, m.density_max)


def mesh_and_points(s: Scenario):
    """The macro mesh and its quadrature points/weights in the engine's order (intorder 2)."""
    axis = np.linspace(0.0, s.region.size, s.region.elements + 1)
    mesh = skfem.MeshQuad.init_tensor(axis, axis)
    basis = skfem.Basis(mesh, skfem.ElementQuad1(), intorder=2)
    return mesh, np.asarray(basis.global_coordinates()).reshape(2, -1).T, basis.dx.ravel()


def stress_tensor(load) -> np.ndarray:
    """:math:`\\sigma = R(\\theta)\\,\\mathrm{diag}(\\sigma_1, \\sigma_2)\\,R(\\theta)^T` (Pa, 2x2)."""
    t = math.radians(load.angle_degrees)
    R = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    return R @ np.diag(load.principal_stresses) @ R.T


def initial_density(s: Scenario) -> float:
    if s.initial.density == "homeostatic":
        rho = homeostatic_density(to_mandel(stress_tensor(s.loads[0])), parameters(s))
        return float(np.clip(rho, s.material.density_min, s.material.density_max))
    return float(s.initial.density)


class RemodellingRegion:
    """Coarse scale: the bone region under a far-field stress, remodelled over time (macro FE, concurrent).

    ``evaluate`` runs the whole remodelling history for each batch item (a scale of
    the scenario's loads) and returns the final mean density; the app's ``run`` does
    the same with the full record.
    """

    coupling = "concurrent"
    card = {
        "role": "solver",
        "physics": "2-D plane-strain macro FE (solve_macro) whose material is the remodelling point model; "
                   "one explicit remodelling step per converged equilibrium",
        "assumptions": ["quasi-static equilibrium at every remodelling step", "uniform far-field traction"],
        "references": ["H. Weinans, R. Huiskes, H. J. Grootenboer (1992), J. Biomech. 25, 1425"],
        "validation": [{"test": "tests/apps/test_bone.py", "reference": "closed-form homeostatic density; "
                        "pattern orientation follows the principal stress", "status": "passing"}],
    }

    def __init__(self, scenario: Scenario, material: RemodellingMaterial, mesh, points, weights):
        self.scenario, self.fine, self.mesh, self.points, self.weights = scenario, material, mesh, points, weights
        self.children = [material]
        self.name = "bone region (macro FE)"
        self.inputs = {"load_scale": Port("", description="multiplier of the scenario's far-field stresses")}
        self.outputs = {"mean_density": Port("kg/m^3", description="volume-averaged density at the end")}
        total = scenario.time_step * sum(load.steps for load in scenario.loads)
        self.scale = Scale(scenario.region.size, total, "bone region")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        from .run import remodel

        out = [remodel(self.scenario, self, float(k))["history"]["mean_density"][-1] for k in inputs["load_scale"]]
        return Evaluation(outputs={"mean_density": np.array(out)})


def build(s: Scenario) -> RemodellingRegion:
    """The region with its remodelling material point (nonlocal if ``influence_distance`` is set)."""
    mesh, points, weights = mesh_and_points(s)
    W = None if s.influence_distance is None else influence_matrix(points, weights, s.influence_distance)
    material = RemodellingMaterial(parameters(s), s.time_step, initial_density(s), W,
                                   length=2e-4 if s.influence_distance is None else s.influence_distance)
    return RemodellingRegion(s, material, mesh, points, weights)
