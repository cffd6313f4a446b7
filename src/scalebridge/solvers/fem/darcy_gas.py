r"""Steady isothermal gas flow through a heterogeneous porous rectangle (macro Darcy FE, Picard).

Mass conservation with Darcy's law for an ideal gas, :math:`\rho = pM/(RT)`, and a
pressure-dependent apparent permeability :math:`k(x)\,f(x, p)` (gas slip):

.. math:: \nabla\cdot\Big(\frac{M}{RT\mu}\,k(x)\,f(x,p)\,p\,\nabla p\Big) = 0 \text{ in } (0,L_x)\times(0,L_y),

with :math:`p = p_{in}` at :math:`x = 0`, :math:`p = p_{out}` at :math:`x = L_x` and no flow
through :math:`y = 0, L_y`. Bilinear (Q1) elements on a tensor mesh, the intrinsic
permeability constant per element, :math:`f` evaluated at the quadrature points; the
nonlinearity is resolved by Picard iteration (the coefficient :math:`k f(p) p` frozen at
the previous iterate) to a relative pressure change below ``rtol``. The mass flow rates
through the two ends (per unit depth, kg/(m s)) are the consistent nodal reactions
:math:`\sum_{i \in \Gamma} (K p)_i`, so their sum vanishes to round-off (discrete
conservation) whatever the mesh.

For :math:`f = 1` the problem is linear in :math:`p^2` (Muskat 1937); for Klinkenberg slip
:math:`f = 1 + b/p` it is linear in :math:`\Phi = p^2/2 + b p`: in 1-D the mass flux is
:math:`\frac{M}{RT\mu}(\Phi_{in} - \Phi_{out})/\int_0^{L} dx/k`, and for any :math:`f(p)` in a
uniform medium :math:`\frac{M k}{RT\mu L}\int_{p_{out}}^{p_{in}} f(p)\,p\,dp` (Kirchhoff transform).

References
----------
Muskat, M. (1937). The Flow of Homogeneous Fluids through Porous Media, McGraw-Hill, ch. 3.
Klinkenberg, L. J. (1941). API Drilling and Production Practice, 200-213.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import skfem
from scipy.constants import R as GAS_CONSTANT
from scipy.sparse.linalg import splu

from ...core.errors import ConvergenceError, InputError

__all__ = ["GasFlowSolution", "solve_gas_darcy"]


@dataclass
class GasFlowSolution:
    """Result of :func:`solve_gas_darcy`.

    Attributes
    ----------
    pressure : ndarray, shape (n_nodes,)
        Nodal pressures (Pa).
    mass_flow_in, mass_flow_out : float
        Mass flow rates per unit depth through the inlet (x = 0) and out of the outlet (kg/(m s)).
    imbalance : float
        :math:`|\\dot m_{in} - \\dot m_{out}| / \\dot m_{in}`.
    iterations : int
        Picard iterations.
    basis : skfem.Basis
    """

    pressure: np.ndarray
    mass_flow_in: float
    mass_flow_out: float
    imbalance: float
    iterations: int
    basis: object = field(default=None, repr=False)


@skfem.BilinearForm
def _stiffness(u, v, w):
    return w.a * (u.grad[0] * v.grad[0] + u.grad[1] * v.grad[1])


def solve_gas_darcy(length: float, width: float, permeability: np.ndarray, *, inlet_pressure: float,
                    outlet_pressure: float, viscosity: float, temperature: float, molar_mass: float,
                    slip: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                    rtol: float = 1e-10, max_iterations: int = 200) -> GasFlowSolution:
    r"""Steady gas flow through a rectangle with element-wise permeability (module docstring).

    Parameters
    ----------
    length, width : float
        :math:`L_x, L_y` (m).
    permeability : ndarray, shape (nx, ny)
        Intrinsic permeability of each element (m^2); element (i, j) spans
        :math:`[i, i+1] L_x/n_x \times [j, j+1] L_y/n_y`.
    inlet_pressure, outlet_pressure : float
        Pa, both positive.
    viscosity, temperature, molar_mass : float
        Pa s, K, kg/mol.
    slip : callable, optional
        ``slip(pressure, element) -> f``: the slip factor at quadrature-point pressures
        (n_el, n_qp) of elements ``element`` (n_el,) (indices into ``permeability.ravel()``);
        None for no slip (:math:`f = 1`).
    rtol : float
        Picard tolerance on :math:`\max|p^{n+1} - p^n| / p_{in}`.

    Raises
    ------
    InputError
        Non-positive sizes, pressures or permeabilities.
    ConvergenceError
        Picard iteration not converged or a non-finite solution.
    """
    k = np.asarray(permeability, dtype=float)
    if k.ndim != 2 or not np.all(np.isfinite(k)) or np.any(k <= 0):
        raise InputError(f"permeability: expected a positive finite (nx, ny) array, got shape {k.shape}")
    for name, v in (("length", length), ("width", width), ("inlet_pressure", inlet_pressure),
                    ("outlet_pressure", outlet_pressure), ("viscosity", viscosity), ("temperature", temperature),
                    ("molar_mass", molar_mass)):
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"{name}: expected a positive finite number (SI), got {v!r}")
    nx, ny = k.shape
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0.0, length, nx + 1), np.linspace(0.0, width, ny + 1))
    basis = skfem.Basis(mesh, skfem.ElementQuad1(), intorder=2)
    # element ordering of init_tensor: recover (i, j) of every element from its centroid
    centre = mesh.p[:, mesh.t].mean(axis=1)
    i = np.clip((centre[0] / length * nx).astype(int), 0, nx - 1)
    j = np.clip((centre[1] / width * ny).astype(int), 0, ny - 1)
    element = i * ny + j
    k_el = k.ravel()[element][:, None]
    x = mesh.p[0]
    inlet, outlet = np.flatnonzero(np.isclose(x, 0.0)), np.flatnonzero(np.isclose(x, length))
    fixed = np.concatenate([inlet, outlet])
    free = np.setdiff1d(np.arange(basis.N), fixed)
    p = inlet_pressure + (outlet_pressure - inlet_pressure) * x / length
    scale = molar_mass / (GAS_CONSTANT * temperature * viscosity)
    for iteration in range(1, max_iterations + 1):
        pq = np.asarray(basis.interpolate(p))                   # (n_el, n_qp)
        f = 1.0 if slip is None else np.asarray(slip(pq, element), dtype=float)
        K = _stiffness.assemble(basis, a=scale * k_el * f * pq)
        new = p.copy()
        try:
            new[free] = splu(K[free][:, free].tocsc()).solve(-K[free][:, fixed] @ p[fixed])
        except RuntimeError as exc:
            raise ConvergenceError(f"solve_gas_darcy: singular stiffness matrix ({exc})") from None
        if not np.all(np.isfinite(new)):
            raise ConvergenceError(f"solve_gas_darcy: non-finite pressure at Picard iteration {iteration}")
        change = float(np.max(np.abs(new - p)) / inlet_pressure)
        p = new
        if change < rtol:
            break
    else:
        raise ConvergenceError(f"solve_gas_darcy: Picard iteration not converged in {max_iterations} iterations "
                               f"(last relative change {change:.1e} > rtol {rtol:g})")
    pq = np.asarray(basis.interpolate(p))
    f = 1.0 if slip is None else np.asarray(slip(pq, element), dtype=float)
    reaction = _stiffness.assemble(basis, a=scale * k_el * f * pq) @ p
    m_in, m_out = float(reaction[inlet].sum()), float(-reaction[outlet].sum())
    return GasFlowSolution(pressure=p, mass_flow_in=m_in, mass_flow_out=m_out,
                           imbalance=abs(m_in - m_out) / abs(m_in), iterations=iteration, basis=basis)
