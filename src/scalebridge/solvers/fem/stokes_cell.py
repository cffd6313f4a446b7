r"""Stokes flow in a periodic 2-D pore-scale cell: the permeability tensor of a cylinder array.

The cell is the unit square :math:`Y = [0, 1]^2` (side :math:`\ell`, scaled out) minus a
centred solid disc of radius :math:`a` (fraction of the side). A unit body force
:math:`e_k` drives a periodic creeping flow through the pore space :math:`Y_f`
(the cell problem of homogenisation; Sanchez-Palencia 1980, ch. 7; Hornung 1997, ch. 1):

.. math::
    -\mu\nabla^2 w_k + \nabla \pi_k = e_k,\qquad \nabla\cdot w_k = 0 \text{ in } Y_f,\qquad
    w_k = 0 \text{ on the disc},\qquad w_k, \pi_k \text{ periodic},

and the permeability tensor is the cell average of the velocity (Darcy's law
:math:`\bar u = -(K/\mu)\nabla p` with the body force standing for :math:`-\nabla p`):

.. math:: K_{ik} = \frac{\ell^2}{|Y|}\int_{Y_f} w_{k,i}\,dy \qquad(\mu = 1 \text{ in the cell}).

Discretisation: Taylor–Hood P2/P1 triangles (inf-sup stable; Taylor & Hood 1973) on a
mesh whose disc boundary follows element edges
(:func:`~scalebridge.solvers.fem.mesh.circular_inclusion_mesh`, solid elements removed);
periodicity and the no-slip wall by sparse condensation of the dofs
(:func:`~scalebridge.solvers.fem.constraints.condensation_matrix`), one pressure dof
fixed; the saddle-point system is factorised once (sparse LU) for both load cases.
The disc is the polygon of the mesh's wall nodes; :attr:`StokesCellSolution.solid_fraction`
is the area of that polygon (use it when comparing with closed forms in the solid fraction).

Validation (tests/solvers/test_stokes_cell.py): the dilute square-array permeability of
Sangani & Acrivos (1982, Int. J. Multiphase Flow 8, 193, eq. 24) and Drummond & Tahir
(1984, Int. J. Multiphase Flow 10, 515, eq. 52),

.. math:: \frac{K}{a^2} = \frac{1}{8c}\Big(-\ln c - 1.476 + 2c - 1.774c^2 + 4.076c^3\Big),\qquad c = \pi a^2,

and the lubrication limit of Gebart (1992, J. Compos. Mater. 26, 1100, eq. 36),
:math:`K/a^2 = \tfrac{16}{9\pi\sqrt2}\,(\sqrt{c_{max}/c} - 1)^{5/2}`, :math:`c_{max} = \pi/4`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import skfem
from scipy.sparse.linalg import splu

from ...core.errors import ConvergenceError, InputError
from .constraints import condensation_matrix, periodic_node_map
from .mesh import circular_inclusion_mesh

__all__ = ["StokesCellSolution", "stokes_cell_mesh", "solve_stokes_cell", "cylinder_array_permeability",
           "drummond_tahir_permeability", "gebart_permeability"]


@dataclass
class StokesCellSolution:
    """Result of :func:`solve_stokes_cell` (cell side 1, viscosity 1).

    Attributes
    ----------
    permeability : ndarray, shape (2, 2)
        :math:`K/\\ell^2`: the permeability tensor in units of the squared cell side.
    solid_fraction : float
        Area of the meshed (polygonal) disc, :math:`c`.
    radius : float
        Requested disc radius (fraction of the side).
    velocity : ndarray, shape (2, 2, n_dofs)
        P2 nodal velocities :math:`w_{k,i}` (load case k, component i).
    pressure : ndarray, shape (2, n_p)
        P1 nodal pressures :math:`\\pi_k`.
    divergence : float
        :math:`\\max_k \\|\\nabla\\cdot w_k\\|_{L^2(Y_f)}` (zero up to round-off on P1-tested
        pressures; reported for checking).
    basis : skfem.Basis
        The P2 velocity basis.
    info : dict
        ``n_velocity_dofs``, ``n_pressure_dofs``, ``n_elements``, ``n``.
    """

    permeability: np.ndarray
    solid_fraction: float
    radius: float
    velocity: np.ndarray = field(repr=False)
    pressure: np.ndarray = field(repr=False)
    divergence: float = 0.0
    basis: object = field(default=None, repr=False)
    info: dict = field(default_factory=dict)


def stokes_cell_mesh(n: int, radius: float) -> skfem.MeshTri1:
    """Triangle mesh of the pore space of the unit cell with a centred disc (``n`` elements per side)."""
    mesh, phases = circular_inclusion_mesh(n, radius, triangles=True)
    return mesh.remove_elements(np.flatnonzero(phases == 1))


@skfem.BilinearForm
def _viscous(u, v, w):
    return u.grad[0] * v.grad[0] + u.grad[1] * v.grad[1]


@skfem.BilinearForm
def _ddx(u, q, w):
    return u.grad[0] * q


@skfem.BilinearForm
def _ddy(u, q, w):
    return u.grad[1] * q


@skfem.LinearForm
def _unit(v, w):
    return v


def solve_stokes_cell(radius: float, n: int = 32) -> StokesCellSolution:
    r"""Periodic Stokes cell problem around a disc: permeability tensor :math:`K/\ell^2` (see module docstring).

    Parameters
    ----------
    radius : float
        Disc radius as a fraction of the cell side, 0 < radius < 1/2.
    n : int
        Grid elements per cell side (even, >= 8); the mesh has about :math:`n^2(1 - c)`
        triangle pairs.

    Raises
    ------
    InputError
        A radius outside (0, 1/2) or a bad ``n``.
    ConvergenceError
        A singular or non-finite solve.
    """
    if not (np.isfinite(radius) and 0.0 < radius < 0.5):
        raise InputError(f"radius: expected 0 < radius < 0.5 (fraction of the cell side), got {radius!r}")
    if int(n) != n or n < 8 or n % 2:
        raise InputError(f"n: expected an even number of elements per side >= 8, got {n!r}")
    mesh = stokes_cell_mesh(int(n), float(radius))
    Vu = skfem.Basis(mesh, skfem.ElementTriP2(), intorder=4)
    Vp = skfem.Basis(mesh, skfem.ElementTriP1(), quadrature=Vu.quadrature)
    A = _viscous.assemble(Vu)
    Dx, Dy = _ddx.assemble(Vu, Vp), _ddy.assemble(Vu, Vp)       # (n_p, n_u): rows test q, columns u
    m = _unit.assemble(Vu)                                     # integrals of the P2 shape functions

    # wall: boundary facets not on the outer square
    facets = mesh.boundary_facets()
    mid = mesh.p[:, mesh.facets[:, facets]].mean(axis=1)
    on_box = np.any((mid < 1e-9) | (mid > 1 - 1e-9), axis=0)
    wall = Vu.get_dofs(facets[~on_box]).all()
    Pu = condensation_matrix(Vu.N, periodic_node_map(Vu.doflocs), wall)
    rep_p = periodic_node_map(Vp.doflocs)
    Pp = condensation_matrix(Vp.N, rep_p, np.array([rep_p[0]]))
    Af = (Pu.T @ A @ Pu).tocsc()
    Bx, By = (Pp.T @ Dx @ Pu).tocsc(), (Pp.T @ Dy @ Pu).tocsc()
    K = sp.bmat([[Af, None, -Bx.T], [None, Af, -By.T], [-Bx, -By, None]], format="csc")
    nu, npr = Af.shape[0], Bx.shape[0]
    f = Pu.T @ m
    rhs = np.zeros((2 * nu + npr, 2))
    rhs[:nu, 0] = f
    rhs[nu:2 * nu, 1] = f
    try:
        # a fill-reducing ordering of A + A^T and mild diagonal pivoting suit the saddle-point structure
        sol = splu(K, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=1e-3).solve(rhs)
    except RuntimeError as exc:
        raise ConvergenceError(f"solve_stokes_cell(radius={radius}): singular saddle-point matrix ({exc})") from None
    residual = np.linalg.norm(K @ sol - rhs) / np.linalg.norm(rhs)
    if not np.all(np.isfinite(sol)) or residual > 1e-8:
        raise ConvergenceError(f"solve_stokes_cell(radius={radius}): non-finite or inaccurate solution "
                               f"(relative residual {residual:.1e})")
    velocity = np.stack([np.stack([Pu @ sol[:nu, k], Pu @ sol[nu:2 * nu, k]]) for k in range(2)])  # (k, i, N)
    pressure = np.stack([Pp @ sol[2 * nu:, k] for k in range(2)])
    perm = np.einsum("kin,n->ik", velocity, m)                   # cell area 1
    div = []
    for k in range(2):
        divergence = Vu.interpolate(velocity[k, 0]).grad[0] + Vu.interpolate(velocity[k, 1]).grad[1]
        div.append(float(np.sqrt(np.sum(divergence ** 2 * Vu.dx))))
    solid = 1.0 - float(Vu.dx.sum())
    return StokesCellSolution(permeability=perm, solid_fraction=solid, radius=float(radius), velocity=velocity,
                              pressure=pressure, divergence=max(div), basis=Vu,
                              info={"n_velocity_dofs": 2 * int(nu), "n_pressure_dofs": int(npr),
                                    "n_elements": int(mesh.t.shape[1]), "n": int(n), "residual": float(residual)})


def cylinder_array_permeability(radii, n: int = 32) -> tuple[np.ndarray, np.ndarray]:
    r"""Scalar permeability :math:`K_{xx}/\ell^2` and meshed solid fraction for each disc radius.

    One :func:`solve_stokes_cell` per radius (each geometry has its own mesh); the
    square array is isotropic, :math:`K = K_{xx} I`.

    Returns
    -------
    permeability, solid_fraction : ndarray, shape (len(radii),)
    """
    radii = np.atleast_1d(np.asarray(radii, dtype=float))
    sols = [solve_stokes_cell(float(a), n) for a in radii]
    return np.array([s.permeability[0, 0] for s in sols]), np.array([s.solid_fraction for s in sols])


def drummond_tahir_permeability(solid_fraction) -> np.ndarray:
    r"""Dilute square-array permeability :math:`K/\ell^2` (flow across the cylinders).

    .. math:: \frac{K}{\ell^2} = \frac{1}{8\pi}\Big(-\ln c - 1.476 + 2c - 1.774c^2 + 4.076c^3\Big)

    (Sangani & Acrivos 1982, eq. 24; Drummond & Tahir 1984, eq. 52; :math:`K/a^2` times
    :math:`a^2/\ell^2 = c/\pi`). Accurate to about 1 % for :math:`c \lesssim 0.3`.
    """
    c = np.asarray(solid_fraction, dtype=float)
    if np.any((c <= 0) | (c >= np.pi / 4)):
        raise InputError(f"solid_fraction: expected 0 < c < pi/4, got {solid_fraction!r}")
    return (-np.log(c) - 1.476 + 2 * c - 1.774 * c ** 2 + 4.076 * c ** 3) / (8 * np.pi)


def gebart_permeability(solid_fraction) -> np.ndarray:
    r"""Gebart (1992, eq. 36) square-array permeability across the fibres, :math:`K/\ell^2`.

    .. math:: \frac{K}{a^2} = \frac{16}{9\pi\sqrt2}\Big(\sqrt{\frac{c_{max}}{c}} - 1\Big)^{5/2},
              \qquad c_{max} = \frac{\pi}{4},

    the lubrication (narrow-gap) asymptote, accurate near close packing.
    """
    c = np.asarray(solid_fraction, dtype=float)
    if np.any((c <= 0) | (c >= np.pi / 4)):
        raise InputError(f"solid_fraction: expected 0 < c < pi/4, got {solid_fraction!r}")
    return 16 / (9 * np.pi * np.sqrt(2)) * (np.sqrt(np.pi / 4 / c) - 1) ** 2.5 * c / np.pi
