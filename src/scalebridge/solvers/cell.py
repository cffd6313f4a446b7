r"""The result every cell (RVE) solver returns, and the Hill–Mandel residual.

Conventions shared by the FFT and finite-element cell solvers:

* conductivity-type problems: the *gradient* g is imposed on average, the *flux* is
  q = k g (sign dropped), the effective tensor K satisfies <q> = K <g>;
* elasticity (small strain): strains and stresses in Mandel notation
  (:mod:`scalebridge.solvers.tensors`), <sigma> = C <epsilon>;
* fields are arrays ``(n_loads, n_components, *points)`` with volume weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CellSolution", "hill_mandel_residual", "effective_from_loads"]


def hill_mandel_residual(gradient: np.ndarray, flux: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    r"""Relative Hill–Mandel residual per load case.

    .. math:: r = \frac{|\langle q\cdot g\rangle - \langle q\rangle\cdot\langle g\rangle|}
                      {|\langle q\rangle\cdot\langle g\rangle|}

    (``q`` a flux or stress, ``g`` a gradient or strain, Mandel components), which is
    zero when the boundary conditions are energetically consistent (Hill 1963, J. Mech.
    Phys. Solids 11, 357). Periodic, affine and uniform-traction conditions all give 0
    up to discretisation and solver tolerance.

    Parameters
    ----------
    gradient, flux : ndarray, shape (n_loads, n_components, n_points) or (n_loads, n_components, *grid)
    weights : ndarray, shape (n_points,) or grid, optional
        Volume weights (uniform voxels if omitted); normalised to sum 1.
    """
    g = np.asarray(gradient, dtype=float)
    q = np.asarray(flux, dtype=float)
    n_loads, n_comp = g.shape[:2]
    g = g.reshape(n_loads, n_comp, -1)
    q = q.reshape(n_loads, n_comp, -1)
    w = np.full(g.shape[-1], 1.0 / g.shape[-1]) if weights is None else np.ravel(weights) / np.sum(weights)
    mean_of_product = np.einsum("lcp,lcp,p->l", q, g, w)
    product_of_means = np.einsum("lc,lc->l", q @ w, g @ w)
    scale = np.maximum(np.abs(product_of_means), np.finfo(float).tiny)
    return np.abs(mean_of_product - product_of_means) / scale


@dataclass(frozen=True)
class CellSolution:
    """Outcome of a cell problem for all requested load cases.

    Attributes
    ----------
    effective : ndarray
        Effective (or apparent) tensor: (d, d) for conductivity, (m, m) Mandel stiffness
        for elasticity; only complete when the loads span the space (the default).
    unit : str
        Unit of ``effective``: the unit of the phase properties the caller passed.
    problem : str
        ``"conductivity"`` or ``"elasticity"``.
    boundary_condition : str
        ``"periodic"``, ``"affine"`` or ``"traction"``.
    loads, mean_flux : ndarray, shape (n_loads, n_components)
        Imposed mean gradients/strains and resulting mean fluxes/stresses.
    iterations : ndarray of int, shape (n_loads,)
    residual : ndarray, shape (n_loads,)
        Final relative residual of the iterative solver (0 for direct solvers).
    converged : bool
    hill_mandel : ndarray, shape (n_loads,)
        :func:`hill_mandel_residual` of the solved fields.
    fields : dict, optional
        ``{"gradient": ..., "flux": ...}`` arrays (n_loads, n_components, ...), if requested.
    info : dict
        Method details (operator, scheme, grid, tolerance, timings).
    """

    effective: np.ndarray
    unit: str
    problem: str
    boundary_condition: str
    loads: np.ndarray
    mean_flux: np.ndarray
    iterations: np.ndarray
    residual: np.ndarray
    converged: bool
    hill_mandel: np.ndarray
    fields: dict[str, np.ndarray] | None = None
    info: dict[str, Any] = field(default_factory=dict)


def effective_from_loads(loads: np.ndarray, mean_flux: np.ndarray) -> np.ndarray:
    r"""Least-squares effective tensor from load cases: :math:`\langle q\rangle_l = K \langle g\rangle_l`.

    With the identity loads (the default of the solvers) this is exact: K = <q>^T.
    """
    sol, *_ = np.linalg.lstsq(np.asarray(loads, float), np.asarray(mean_flux, float), rcond=None)
    return sol.T

