r"""The thermal block benchmark of reduced basis methods, assembled with scikit-fem.

The unit square :math:`\Omega = (0, 1)^2` is split into :math:`b \times b` equal blocks
:math:`\Omega_q`; block q has the (dimensionless) conductivity :math:`\mu_q`:

.. math::
    -\nabla\cdot\Big(\sum_{q=1}^{b^2} \mu_q\,\chi_{\Omega_q}\nabla u\Big) = 1 \ \text{in } \Omega,
    \qquad u = 0 \ \text{on } \partial\Omega,

the variant with homogeneous Dirichlet data and a unit source used by pyMOR (Milk, Rave
& Schindler 2016, "pyMOR — generic algorithms and interfaces for model order
reduction", SIAM J. Sci. Comput. 38, S194; the benchmark itself is from Patera &
Rozza 2007). With P1 triangles the stiffness matrix is exactly affine,
:math:`A(\mu) = \sum_q \mu_q A_q` with :math:`A_q = \int_{\Omega_q} \nabla\phi_j\cdot\nabla\phi_i`,
each :math:`A_q` symmetric positive semidefinite, so the energy product at
:math:`\mu_{ref} = (1, \dots, 1)` (the plain Dirichlet Laplacian) gives the min-theta
coercivity bound :math:`\alpha_{LB}(\mu) = \min_q \mu_q`.
"""

from __future__ import annotations

import numpy as np
import skfem
from skfem.models.poisson import laplace, unit_load

from ..core.errors import InputError
from .affine import AffineProblem

__all__ = ["thermal_block"]


def _conductivities(mu: np.ndarray) -> np.ndarray:
    """theta_q(mu) = mu_q (one affine term per block)."""
    return np.array(mu, dtype=float)


def _unit_source(mu: np.ndarray) -> np.ndarray:
    """phi(mu) = 1 (parameter-independent load)."""
    return np.ones((len(mu), 1))


def thermal_block(blocks: int = 3, cells: int = 48, mu_range=(0.1, 1.0)) -> AffineProblem:
    r"""Thermal block problem with ``blocks`` x ``blocks`` conductivities on a P1 triangle mesh.

    Parameters
    ----------
    blocks : int
        Blocks per side b (P = b^2 parameters); block q covers
        :math:`[i/b, (i+1)/b] \times [j/b, (j+1)/b]` with q = i + b j (i along x).
    cells : int
        Mesh cells per side, a multiple of ``blocks`` (``MeshTri.init_tensor``, each
        square cell split into two triangles); the problem has (cells - 1)^2 unknowns
        (e.g. 144 -> 20,449).
    mu_range : (float, float)
        Bounds of every conductivity, 0 < low <= high (dimensionless, default [0.1, 1]).

    Returns
    -------
    AffineProblem
        Operators :math:`A_q` (Dirichlet dofs eliminated), the unit load, parameter box
        ``mu_range``^P, :math:`\mu_{ref} = 1`, the scikit-fem basis in ``basis``.

    Raises
    ------
    InputError
        ``blocks`` < 1, ``cells`` not a positive multiple of ``blocks``, a bad ``mu_range``.
    """
    if int(blocks) != blocks or blocks < 1:
        raise InputError(f"blocks: expected an integer >= 1, got {blocks!r}")
    if int(cells) != cells or cells < 2 or cells % blocks:
        raise InputError(f"cells: expected an integer >= 2 and a multiple of blocks = {blocks}, got {cells!r}")
    low, high = (float(v) for v in mu_range)
    if not 0 < low <= high < np.inf:
        raise InputError(f"mu_range: expected 0 < low <= high < inf, got {tuple(mu_range)!r}")
    b, x = int(blocks), np.linspace(0.0, 1.0, int(cells) + 1)
    mesh = skfem.MeshTri.init_tensor(x, x)
    element = skfem.ElementTriP1()
    basis = skfem.Basis(mesh, element)
    centroid = mesh.p[:, mesh.t].mean(axis=1)
    ij = np.minimum((centroid * b).astype(int), b - 1)
    block = ij[0] + b * ij[1]
    free = basis.complement_dofs(basis.get_dofs())
    operators = []
    for q in range(b * b):
        a_q = skfem.asm(laplace, skfem.Basis(mesh, element, elements=np.flatnonzero(block == q)))
        operators.append(a_q.tocsr()[free][:, free])
    rhs = skfem.asm(unit_load, basis)[free][None, :]
    return AffineProblem(operators, rhs, _conductivities, _unit_source, bounds=np.tile([low, high], (b * b, 1)),
                         mu_ref=np.ones(b * b), parameter_names=[f"mu_{q}" for q in range(b * b)],
                         free_dofs=free, n_total=basis.N, basis=basis)
