r"""Mechanically regulated bone remodelling: cell populations at a material point, density, stiffness.

**Stiffness from density** (Carter & Hayes 1977, J. Bone Joint Surg. 59-A, 954): the
apparent modulus of trabecular bone grows as a power of apparent density,

.. math:: E(\rho) = E_0\,(\rho/\rho_0)^\gamma ,\qquad \gamma \approx 2\text{–}3,

(:math:`E_0 = 3790` MPa at :math:`\rho_0 = 1` g/cm^3, :math:`\gamma = 3` in the original
fit); the Poisson ratio :math:`\nu` is held fixed, so :math:`C(\rho) = E(\rho)\,\tilde C(\nu)`.

**Mechanical stimulus** (Huiskes et al. 1987, J. Biomech. 20, 1135; Weinans, Huiskes &
Grootenboer 1992, J. Biomech. 25, 1425): the strain energy density per unit mass,
:math:`S = U/\rho`, :math:`U = \tfrac12\,\varepsilon : C(\rho) : \varepsilon` (J/kg), compared
with a reference (homeostatic) value :math:`k`; optionally averaged over a
neighbourhood, as osteocytes sense and signal over a distance :math:`D` (Mullender,
Huiskes & Weinans 1994, J. Biomech. 27, 1389),
:math:`\bar S_i = \sum_j w_j e^{-d_{ij}/D} S_j / \sum_j w_j e^{-d_{ij}/D}`.

**Cell populations** (a linearised two-population model in the spirit of Komarova et al.
2003, Bone 33, 206): osteoblasts B and osteoclasts C, relative to their homeostatic
numbers, are recruited towards targets set by the relative stimulus
:math:`\xi = \bar S/k - 1` (formation up, resorption down under overload, the reverse under
disuse) and relax with their lifetimes :math:`\tau_B, \tau_C`; bone is formed at rate
:math:`r B` and resorbed at :math:`r C`,

.. math:: \dot B = \frac{(1+\xi)_+ - B}{\tau_B},\qquad \dot C = \frac{(1-\xi)_+ - C}{\tau_C},\qquad
          \dot\rho = r\,(B - C),\qquad \rho_{min} \le \rho \le \rho_{max}.

At homeostasis (:math:`\xi = 0`) B = C = 1 and formation balances resorption. With fast
cells (:math:`\tau \to 0`) :math:`\dot\rho = 2r\,\xi = (2r/k)(\bar S - k)`: the Huiskes–Weinans
law with :math:`B_H = 2r/k`. Over a time step :math:`\Delta t` at frozen stimulus the cell
equations are integrated exactly (exponential relaxation) and the density by the
trapezoidal rule of the exact cell trajectories (explicit in the stimulus, as in
Weinans et al. 1992).

**Fixed point** under a prescribed stress :math:`\sigma` (uniform field): with
:math:`U = u_1/E(\rho)`, :math:`u_1 = \tfrac12\,\sigma : \tilde C^{-1} : \sigma`,
:math:`\xi = 0` gives the closed form

.. math:: \rho^* = \left(\frac{u_1\,\rho_0^\gamma}{E_0\,k}\right)^{1/(\gamma+1)}

(:func:`homeostatic_density`), stable because :math:`S \propto \rho^{-(\gamma+1)}` at fixed
stress. At fixed *strain* :math:`S \propto \rho^{\gamma-1}` grows with density, so for
:math:`\gamma > 1` load-parallel struts grow (the instability that forms trabecular
patterns along the principal stress directions; Weinans et al. 1992, Mullender et al. 1994).

Units: SI (Pa, kg/m^3, J/kg, s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import scipy.sparse as sp

from ..core.errors import ConvergenceError, InputError
from ..core.model import Evaluation, Port, Scale
from ..solvers.tensors import isotropic_stiffness

__all__ = ["RemodellingParameters", "power_law_modulus", "unit_stiffness", "homeostatic_density",
           "influence_matrix", "advance_cells", "RemodellingMaterial", "structure_tensor_orientation"]


@dataclass(frozen=True)
class RemodellingParameters:
    """Parameters of the remodelling law (SI).

    Attributes
    ----------
    modulus_reference : float
        :math:`E_0` (Pa) at density :math:`\\rho_0`.
    density_reference : float
        :math:`\\rho_0` (kg/m^3).
    exponent : float
        :math:`\\gamma` (Carter & Hayes: 2-3).
    poisson_ratio : float
    reference_stimulus : float
        :math:`k` (J/kg); Weinans et al. (1992): 0.004 J/g = 4 J/kg.
    formation_rate : float
        :math:`r` (kg/m^3/s): formation (= resorption) rate at homeostasis.
    osteoblast_lifetime, osteoclast_lifetime : float
        :math:`\\tau_B, \\tau_C` (s).
    density_min, density_max : float
        Bounds (kg/m^3): no bone below, fully mineralised cortical bone above.
    """

    modulus_reference: float = 3790e6
    density_reference: float = 1000.0
    exponent: float = 3.0
    poisson_ratio: float = 0.3
    reference_stimulus: float = 4.0
    formation_rate: float = 2.0 / 86400.0
    osteoblast_lifetime: float = 10 * 86400.0
    osteoclast_lifetime: float = 5 * 86400.0
    density_min: float = 10.0
    density_max: float = 1740.0

    def __post_init__(self):
        for name in ("modulus_reference", "density_reference", "exponent", "reference_stimulus", "formation_rate",
                     "osteoblast_lifetime", "osteoclast_lifetime", "density_min", "density_max"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"remodelling {name}: got {v!r}, expected a positive finite number")
        if not -1.0 < self.poisson_ratio < 0.5:
            raise InputError(f"remodelling poisson_ratio: got {self.poisson_ratio!r}, expected -1 < nu < 0.5")
        if not self.density_min < self.density_max:
            raise InputError(f"remodelling density bounds: need density_min < density_max, got "
                             f"{self.density_min}, {self.density_max}")


def power_law_modulus(density, p: RemodellingParameters):
    r""":math:`E = E_0 (\rho/\rho_0)^\gamma` (Pa) and :math:`dE/d\rho` (Pa m^3/kg)."""
    rho = np.asarray(density, dtype=float)
    E = p.modulus_reference * (rho / p.density_reference) ** p.exponent
    return E, p.exponent * E / rho


def unit_stiffness(poisson_ratio: float) -> np.ndarray:
    r"""Plane-strain Mandel stiffness :math:`\tilde C` of unit Young's modulus (3x3)."""
    nu = poisson_ratio
    return isotropic_stiffness(1.0 / (3 * (1 - 2 * nu)), 1.0 / (2 * (1 + nu)), dim=2)


def homeostatic_density(stress, p: RemodellingParameters) -> float:
    r"""Closed-form fixed point :math:`\rho^* = (u_1\rho_0^\gamma/(E_0 k))^{1/(\gamma+1)}` under a uniform
    plane-strain stress (Mandel (3,), Pa; in-plane components, :math:`\varepsilon_{zz} = 0`)."""
    s = np.asarray(stress, dtype=float)
    u1 = 0.5 * s @ np.linalg.solve(unit_stiffness(p.poisson_ratio), s)
    return float((u1 * p.density_reference ** p.exponent / (p.modulus_reference * p.reference_stimulus))
                 ** (1.0 / (p.exponent + 1.0)))


def influence_matrix(points: np.ndarray, weights: np.ndarray, distance: float) -> sp.csr_matrix:
    r"""Row-normalised osteocyte influence :math:`W_{ij} \propto w_j e^{-d_{ij}/D}` (cut off at 4D).

    Mullender, Huiskes & Weinans (1994): the stimulus a point feels is a weighted average
    of what osteocytes within a few :math:`D` sense. Rows sum to one, so a uniform
    stimulus is unchanged (the homeostatic fixed point is kept).
    """
    from scipy.spatial import cKDTree

    if not distance > 0:
        raise InputError(f"influence distance: got {distance!r}, expected > 0 m")
    tree = cKDTree(points)
    d = tree.sparse_distance_matrix(tree, 4 * distance, output_type="coo_matrix")
    values = np.exp(-d.data / distance) * weights[d.col]
    W = sp.coo_matrix((values, (d.row, d.col)), shape=(len(points),) * 2).tocsr()
    W = W + sp.diags(weights)  # the point itself (distance 0 is not stored by the kd-tree)
    return sp.diags(1.0 / np.asarray(W.sum(axis=1)).ravel()) @ W


def advance_cells(osteoblasts, osteoclasts, xi, dt: float, p: RemodellingParameters):
    r"""Exact cell relaxation over :math:`\Delta t` at frozen stimulus, and the density increment.

    :math:`B(t) = B_\infty + (B_0 - B_\infty)e^{-t/\tau_B}` (same for C);
    :math:`\Delta\rho = r\int_0^{\Delta t}(B - C)\,dt`, integrated exactly.
    """
    b_inf, c_inf = np.maximum(1.0 + xi, 0.0), np.maximum(1.0 - xi, 0.0)
    eb, ec = math.exp(-dt / p.osteoblast_lifetime), math.exp(-dt / p.osteoclast_lifetime)
    b = b_inf + (osteoblasts - b_inf) * eb
    c = c_inf + (osteoclasts - c_inf) * ec
    formed = b_inf * dt + (osteoblasts - b_inf) * p.osteoblast_lifetime * (1 - eb)
    resorbed = c_inf * dt + (osteoclasts - c_inf) * p.osteoclast_lifetime * (1 - ec)
    return b, c, p.formation_rate * (formed - resorbed)


class RemodellingMaterial:
    r"""A remodelling material point: plane-strain ``strain`` (3,) -> ``stress`` (3,), history in ``state``.

    The stress uses the *committed* density, :math:`\sigma = E(\rho_n)\tilde C\varepsilon`
    (tangent :math:`E(\rho_n)\tilde C`, exact); the returned state is the density and the
    cell populations advanced over one remodelling step :math:`\Delta t` with the
    stimulus of this strain, so a macro solver that commits state at converged steps
    (:func:`~scalebridge.coupling.fe2.fe2_solve`) performs one explicit remodelling
    step per equilibrium solve. ``state`` is a dict of arrays (n,): ``density``,
    ``osteoblasts``, ``osteoclasts``; ``None`` means homeostatic cells at ``initial_density``.

    With ``influence`` (a row-normalised (n, n) matrix from :func:`influence_matrix`) the
    stimulus is averaged over neighbours, so the batch must be all n quadrature points
    of the mesh in the engine's order.
    """

    card = {
        "role": "closure",
        "physics": "osteoblast/osteoclast populations driven by strain energy per mass; d rho/dt = r (B - C); "
                   "E = E0 (rho/rho0)^gamma",
        "assumptions": ["isotropic material, fixed Poisson ratio", "stimulus explicit in time (frozen over a step)",
                        "quasi-static mechanics"],
        "references": ["D. R. Carter, W. C. Hayes (1977), J. Bone Joint Surg. 59-A, 954",
                       "H. Weinans, R. Huiskes, H. J. Grootenboer (1992), J. Biomech. 25, 1425",
                       "M. G. Mullender, R. Huiskes, H. Weinans (1994), J. Biomech. 27, 1389",
                       "S. V. Komarova et al. (2003), Bone 33, 206"],
        "validation": [{"test": "tests/laws/test_bone_remodelling.py", "reference": "closed-form homeostatic "
                        "density; Huiskes-law limit; exact cell relaxation", "status": "passing"},
                       {"test": "tests/apps/test_bone.py", "reference": "FE fixed point under uniform stress; "
                        "pattern follows the principal stress direction", "status": "passing"}],
    }

    def __init__(self, params: RemodellingParameters, dt: float, initial_density: float,
                 influence: sp.spmatrix | None = None, length: float = 2e-4, name: str = "remodelling material point"):
        if not (np.isfinite(dt) and dt > 0):
            raise InputError(f"remodelling time step: got {dt!r}, expected > 0 s")
        if not params.density_min <= initial_density <= params.density_max:
            raise InputError(f"initial_density: {initial_density} kg/m^3 outside [{params.density_min}, "
                             f"{params.density_max}]")
        self.params, self.dt, self.initial_density, self.influence = params, float(dt), float(initial_density), influence
        self.C1 = unit_stiffness(params.poisson_ratio)
        self.name = name
        self.inputs = {"strain": Port("", (3,), "plane-strain Mandel strain")}
        self.outputs = {"stress": Port("Pa", (3,), "Mandel stress at the committed density")}
        self.scale = Scale(length, max(params.osteoblast_lifetime, params.osteoclast_lifetime), "basic multicellular unit")

    def parameters(self) -> dict[str, Any]:
        return {"time_step_s": self.dt, "exponent": self.params.exponent,
                "reference_stimulus_J_kg": self.params.reference_stimulus, "nonlocal": self.influence is not None}

    def initial_state(self, n: int, density=None) -> dict[str, np.ndarray]:
        rho = np.full(n, self.initial_density) if density is None else np.asarray(density, dtype=float).copy()
        return {"density": rho, "osteoblasts": np.ones(n), "osteoclasts": np.ones(n)}

    def sample_inputs(self) -> dict[str, np.ndarray]:
        n = 4 if self.influence is None else self.influence.shape[0]
        rng = np.random.default_rng(0)
        return {"strain": 1e-3 * (np.array([-1.0, 0.3, 0.2]) + 0.2 * rng.standard_normal((n, 3)))}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        eps = np.asarray(inputs["strain"], dtype=float)
        n = len(eps)
        state = self.initial_state(n) if state is None else state
        rho = state["density"]
        if rho.shape != (n,):
            raise InputError(f"{self.name}: state density of shape {rho.shape} for {n} points")
        E, _ = power_law_modulus(rho, self.params)
        tangent = E[:, None, None] * self.C1
        stress = np.einsum("nij,nj->ni", tangent, eps)
        stimulus = 0.5 * np.einsum("ni,ni->n", stress, eps) / rho
        if self.influence is not None:
            if self.influence.shape[0] != n:
                raise InputError(f"{self.name}: the nonlocal stimulus needs all {self.influence.shape[0]} points "
                                 f"in mesh order, got a batch of {n}")
            stimulus = self.influence @ stimulus
        xi = stimulus / self.params.reference_stimulus - 1.0
        b, c, drho = advance_cells(state["osteoblasts"], state["osteoclasts"], xi, self.dt, self.params)
        new_rho = np.clip(rho + drho, self.params.density_min, self.params.density_max)
        if not np.all(np.isfinite(new_rho)):
            raise ConvergenceError(f"{self.name}: non-finite density at {np.flatnonzero(~np.isfinite(new_rho))[:10]}")
        return Evaluation(outputs={"stress": stress}, tangents={("stress", "strain"): tangent},
                          state={"density": new_rho, "osteoblasts": b, "osteoclasts": c},
                          info={"stimulus": stimulus})


def structure_tensor_orientation(image: np.ndarray) -> tuple[float, float]:
    r"""Orientation of the structures of a 2-D field from its gradient structure tensor.

    :math:`T = \sum \nabla\rho\,\nabla\rho^T` (Bigun & Granlund 1987, Proc. ICCV, 433):
    elongated structures (struts) have gradients across them, so their direction is the
    eigenvector of the *smallest* eigenvalue. Returns ``(angle, anisotropy)``: angle in
    degrees from the x axis in [0, 180) (image axis 0 = x), anisotropy
    :math:`1 - \lambda_{min}/\lambda_{max}` in [0, 1].
    """
    gx, gy = np.gradient(np.asarray(image, dtype=float))
    T = np.array([[np.sum(gx * gx), np.sum(gx * gy)], [np.sum(gx * gy), np.sum(gy * gy)]])
    w, v = np.linalg.eigh(T)
    direction = v[:, 0]
    angle = math.degrees(math.atan2(direction[1], direction[0])) % 180.0
    return angle, float(1.0 - w[0] / w[1]) if w[1] > 0 else 0.0
