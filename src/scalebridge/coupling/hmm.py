r"""Heterogeneous multiscale method (HMM) for multiscale elliptic problems (FE-HMM).

The fine problem, with a coefficient oscillating on a scale :math:`\varepsilon \ll 1`,

.. math:: -\nabla\cdot\big(a^\varepsilon(x)\nabla u^\varepsilon\big) = f \text{ in } \Omega,\qquad
          u^\varepsilon = g \text{ on } \partial\Omega,\qquad a^\varepsilon(x) = a(x, x/\varepsilon),

with :math:`a(x, y)` 1-periodic in :math:`y`, is replaced by a macro finite-element
method on a coarse mesh (mesh size :math:`H \gg \varepsilon`) whose missing data, the
effective tensor at each macro quadrature point :math:`x_q`, is computed on the fly by
a micro problem on the sampling domain :math:`K_\delta = x_q + \delta[-\tfrac12,\tfrac12]^d`
(E & Engquist 2003; Abdulle 2005; Abdulle, E, Engquist & Vanden-Eijnden 2012, sec. 3):

.. math::
    B_H(u_H, v_H) = \sum_{K}\sum_{q} \omega_{K,q}\,\nabla v_H(x_q)^T A^0(x_q)\,\nabla u_H(x_q)
                  = \int_\Omega f v_H\,dx,

and, with the periodic micro functions :math:`\chi_k \in W_{per}(K_\delta)` solving
(:math:`e_k` the unit vectors, :math:`z = (x - x_q)/\delta + \tfrac12 \in [0,1]^d`)

.. math::
    \int_{K_\delta} \nabla\phi^T a^\varepsilon(x)\,(e_k + \nabla\chi_k)\,dx = 0
    \quad\forall \phi \in W_{per}(K_\delta),\qquad
    A^0(x_q)\,e_k = \frac1{|K_\delta|}\int_{K_\delta} a^\varepsilon(x)\,(e_k + \nabla\chi_k)\,dx

(flux averaging). The micro coefficient is :math:`a(x, x/\varepsilon)` at
:math:`x = x_q + \delta(z - \tfrac12)`: the slow variable is *not* frozen at :math:`x_q`, so
HMM needs no knowledge of a periodic structure in :math:`x` (Abdulle 2005, sec. 2).
With :math:`\delta = \varepsilon` and a locally periodic coefficient the micro problem
is the classical cell problem up to :math:`O(\varepsilon)`, and (Abdulle 2005,
Thm. 1.1; E, Ming & Zhang 2005, J. Amer. Math. Soc. 18, 121)

.. math:: \|u^0 - u_H\|_{L^2} \le C\big(H^2 + (h/\varepsilon)^2 + \varepsilon\big)

for P1/Q1 macro and micro elements (:math:`h/\varepsilon = 1/n_{micro}` the relative micro mesh size).

Implementation. All micro problems share one structured grid of :math:`[0,1]^d` with
``n_micro`` elements per side (P1 lines, Q1 quads, Q1 hexes), so the local gradients,
quadrature weights and the periodic dof numbering are computed once; the element
matrices of a *batch* of micro problems are formed by one ``einsum`` and assembled into
one block-diagonal sparse matrix (one block per macro point, one periodic corner value
fixed) with cached index arrays, factorised once by sparse LU and solved for the
:math:`d` load cases :math:`e_k` at once. The macro problem is linear, so it is
assembled and solved directly (scikit-fem, P1 on lines/triangles/tets, Q1 on
quads/hexes); :func:`dns_solve` solves the fine problem on a mesh resolving
:math:`\varepsilon`, for validation.

References
----------
E, W. & Engquist, B. (2003). The heterogeneous multiscale methods. Comm. Math. Sci. 1, 87.
Abdulle, A. (2005). On a priori error analysis of fully discrete heterogeneous multiscale
FEM. Multiscale Model. Simul. 4, 447.
Abdulle, A., E, W., Engquist, B. & Vanden-Eijnden, E. (2012). The heterogeneous multiscale
method. Acta Numerica 21, 1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import scipy.sparse as sp
import skfem
from scipy.sparse.linalg import splu

from ..core.errors import ConvergenceError, InputError
from ..solvers.fem.constraints import periodic_node_map

__all__ = ["HMMSolution", "DNSSolution", "hmm_solve", "dns_solve", "micro_effective_tensors", "macro_difference"]

#: Linear Lagrange element and default quadrature order of each supported macro mesh type:
#: one point (barycentre) on simplices, Gauss 2 per direction on lines, quads and hexes.
_MACRO = {skfem.MeshLine1: (skfem.ElementLineP1, 2), skfem.MeshTri1: (skfem.ElementTriP1, 1),
          skfem.MeshQuad1: (skfem.ElementQuad1, 2), skfem.MeshTet1: (skfem.ElementTetP1, 1),
          skfem.MeshHex1: (skfem.ElementHex1, 2)}
_MICRO = {1: (skfem.MeshLine1, skfem.ElementLineP1), 2: (skfem.MeshQuad1, skfem.ElementQuad1),
          3: (skfem.MeshHex1, skfem.ElementHex1)}


@dataclass
class HMMSolution:
    """Result of :func:`hmm_solve`.

    Attributes
    ----------
    u : ndarray, shape (n_dofs,)
        Macro nodal values (P1/Q1).
    basis : skfem.Basis
        Macro basis (its quadrature points are the HMM sampling points).
    A0 : ndarray, shape (n_points, d, d)
        Effective tensor at the macro quadrature points (point ``e * n_qp + k``).
    points : ndarray, shape (n_points, d)
        Macro quadrature points :math:`x_q`.
    weights : ndarray, shape (n_points,)
        Quadrature weights times Jacobians.
    micro_solves : int
        Number of micro (cell) problems solved, one per macro quadrature point
        (each with d right-hand sides).
    timings : dict
        Seconds in ``micro_assembly``, ``micro_solve``, ``macro_assembly``, ``macro_solve``, ``total``.
    info : dict
        ``eps``, ``delta``, ``n_micro``, ``micro_dofs`` (unknowns per micro problem),
        ``batches``, ``macro_dofs``.
    """

    u: np.ndarray
    basis: Any = field(repr=False)
    A0: np.ndarray = field(repr=False)
    points: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    micro_solves: int = 0
    timings: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)


@dataclass
class DNSSolution:
    """Result of :func:`dns_solve`: ``u`` (nodal), ``basis``, ``timings`` and ``info`` (``eps``, ``n_dofs``, ``h``)."""

    u: np.ndarray
    basis: Any = field(repr=False)
    timings: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- inputs

def _positive(value, name: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a positive number, got {value!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise InputError(f"{name}: expected a positive finite number, got {value!r}")
    return value


def _coefficient_values(coefficient: Callable, x: np.ndarray, eps: float) -> np.ndarray:
    """``coefficient(x, x/eps)`` at points x (n, d), validated: (n,) scalars or (n, d, d) SPD tensors."""
    if not callable(coefficient):
        raise InputError(f"coefficient: expected a callable a(x, y) on arrays (n, d), got {type(coefficient).__name__}")
    n, d = x.shape
    a = np.asarray(coefficient(x, x / eps), dtype=float)
    if a.shape == (n, 1) and d == 1:
        a = a[:, 0]
    if a.shape not in ((n,), (n, d, d)):
        raise InputError(f"coefficient: a(x, y) with x of shape {x.shape} returned shape {a.shape}, "
                         f"expected ({n},) or ({n}, {d}, {d})")
    if not np.all(np.isfinite(a)):
        raise InputError("coefficient: a(x, y) returned non-finite values")
    if a.ndim == 1:
        if np.any(a <= 0):
            i = int(np.argmin(a))
            raise InputError(f"coefficient: must be positive; a = {a[i]:g} at x = {x[i]}")
        return a
    if not np.allclose(a, np.swapaxes(a, 1, 2), rtol=1e-12, atol=1e-12 * np.abs(a).max()):
        raise InputError("coefficient: tensors a(x, y) must be symmetric")
    low = np.linalg.eigvalsh(a)[:, 0]
    if np.any(low <= 0):
        i = int(np.argmin(low))
        raise InputError(f"coefficient: must be positive definite; smallest eigenvalue {low[i]:g} at x = {x[i]}")
    return a


def _data(value, x: np.ndarray, name: str) -> np.ndarray:
    """A float or a callable ``value(x)`` on points x (n, d) -> (n,) values."""
    if callable(value):
        out = np.asarray(value(x), dtype=float)
        out = np.broadcast_to(out, (x.shape[0],)) if out.ndim == 0 else out.reshape(-1)
    else:
        try:
            out = np.full(x.shape[0], float(value))
        except (TypeError, ValueError):
            raise InputError(f"{name}: expected a float or a callable x -> values, got {value!r}") from None
    if out.shape != (x.shape[0],) or not np.all(np.isfinite(out)):
        raise InputError(f"{name}: expected {x.shape[0]} finite values, got shape {out.shape}")
    return out


def _macro_basis(mesh, intorder, what: str) -> skfem.Basis:
    spec = _MACRO.get(type(mesh))
    if spec is None:
        raise InputError(f"{what}: got a {type(mesh).__name__}, expected one of "
                         f"{sorted(m.__name__ for m in _MACRO)} (linear lines, triangles, quads, tets or hexes)")
    if intorder is None and spec[1] == 1:  # the barycentre rule of the reference simplex
        d = mesh.p.shape[0]
        return skfem.Basis(mesh, spec[0](), quadrature=(np.full((d, 1), 1.0 / (d + 1)),
                                                         np.array([1.0 / (2.0 if d == 2 else 6.0)])))
    order = spec[1] if intorder is None else int(intorder)
    if order < 1:
        raise InputError(f"intorder: expected an integer >= 1, got {intorder!r}")
    return skfem.Basis(mesh, spec[0](), intorder=order)


# ----------------------------------------------------------------------------- micro problems

@dataclass(frozen=True)
class _MicroGrid:
    """Reference micro grid of [0,1]^d shared by all micro problems, with cached assembly indices."""

    grad: np.ndarray       # (n_loc, d, n_el, n_qp) basis-function gradients
    weights: np.ndarray    # (n_el, n_qp), sum 1
    z: np.ndarray          # (n_el * n_qp, d) quadrature points, centred: z in [-1/2, 1/2]^d
    node: np.ndarray       # (n_loc, n_el) unknown index of each local dof (-1: fixed corner)
    rows: np.ndarray       # (n_kept,) unknown row of each kept (i, j, e) entry
    cols: np.ndarray
    keep: np.ndarray       # (n_loc * n_loc * n_el,) bool mask over (i, j, e)
    n_unknowns: int


def _micro_grid(d: int, n_micro: int) -> _MicroGrid:
    mesh_type, element = _MICRO[d]
    axes = [np.linspace(0.0, 1.0, n_micro + 1)] * d
    mesh = mesh_type.init_tensor(*axes) if d > 1 else skfem.MeshLine(axes[0])
    basis = skfem.Basis(mesh, element(), intorder=2)
    grad = np.stack([np.asarray(b[0].grad) for b in basis.basis])          # (n_loc, d, n_el, n_qp)
    rep = periodic_node_map(mesh.p)
    reps, index = np.unique(rep, return_inverse=True)
    corner = index[int(np.argmin(mesh.p.sum(axis=0)))]
    unknown = np.where(index < corner, index, index - 1)
    unknown[index == corner] = -1                                           # fixes the additive constant
    node = unknown[basis.element_dofs]                                      # (n_loc, n_el)
    n_loc, n_el = node.shape
    r = np.broadcast_to(node[:, None, :], (n_loc, n_loc, n_el)).ravel()
    c = np.broadcast_to(node[None, :, :], (n_loc, n_loc, n_el)).ravel()
    keep = (r >= 0) & (c >= 0)
    z = np.asarray(basis.global_coordinates()).reshape(d, -1).T - 0.5
    return _MicroGrid(grad=grad, weights=basis.dx, z=z, node=node, rows=r[keep], cols=c[keep], keep=keep,
                      n_unknowns=len(reps) - 1)


def micro_effective_tensors(coefficient: Callable, points, eps: float, *, delta: float | None = None,
                            n_micro: int = 16, batch_size: int = 256) -> tuple[np.ndarray, dict]:
    r"""HMM effective tensors :math:`A^0(x_q)` by periodic micro problems on :math:`x_q + \delta[-\frac12,\frac12]^d`.

    For every point, solves the periodic micro problem of the module docstring for the
    d unit gradients :math:`e_k` on an ``n_micro``:sup:`d` grid (P1/Q1) and returns the
    flux average :math:`A^0 e_k = \langle a^\varepsilon(e_k + \nabla\chi_k)\rangle_{K_\delta}`.
    Micro problems are solved in batches of ``batch_size``: one block-diagonal sparse
    matrix (cached sparsity indices), one LU factorisation, d right-hand sides.

    Parameters
    ----------
    coefficient : callable
        ``a(x, y)`` with x, y arrays (n, d), returning (n,) or (n, d, d); 1-periodic in y.
    points : array_like, shape (M, d)
        Sampling centres :math:`x_q`.
    eps : float
        Fine scale :math:`\varepsilon` (the coefficient is evaluated at :math:`y = x/\varepsilon`).
    delta : float, optional
        Sampling-domain size :math:`\delta` (default :math:`\varepsilon`; use an integer
        multiple of :math:`\varepsilon` with periodic micro conditions).
    n_micro : int
        Micro elements per side of the sampling domain (>= 2).
    batch_size : int
        Micro problems per block-diagonal factorisation (memory vs Python overhead).

    Returns
    -------
    A0 : ndarray, shape (M, d, d)
    info : dict
        ``timings`` (``micro_assembly``, ``micro_solve``), ``micro_dofs``, ``batches``.

    Raises
    ------
    InputError
        Bad sizes or a coefficient of the wrong shape, non-positive or non-symmetric.
    ConvergenceError
        Singular or non-finite micro solution.
    """
    eps = _positive(eps, "eps")
    delta = eps if delta is None else _positive(delta, "delta")
    x = np.asarray(points, dtype=float)
    if x.ndim != 2 or x.shape[1] not in (1, 2, 3) or not np.all(np.isfinite(x)):
        raise InputError(f"points: expected finite coordinates of shape (M, d), d <= 3, got {np.shape(points)}")
    if int(n_micro) != n_micro or n_micro < 2:
        raise InputError(f"n_micro: expected an integer >= 2, got {n_micro!r}")
    if int(batch_size) != batch_size or batch_size < 1:
        raise InputError(f"batch_size: expected an integer >= 1, got {batch_size!r}")
    M, d = x.shape
    grid = _micro_grid(d, int(n_micro))
    n_loc, _, n_el, n_qp = grid.grad.shape
    N = grid.n_unknowns
    A0 = np.empty((M, d, d))
    t_assembly = t_solve = 0.0
    batches = 0
    for start in range(0, M, int(batch_size)):
        t0 = time.perf_counter()
        xb = x[start:start + int(batch_size)]
        m = len(xb)
        xm = (xb[:, None, :] + delta * grid.z[None]).reshape(-1, d)          # (m * n_el * n_qp, d)
        a = _coefficient_values(coefficient, xm, eps)
        if a.ndim == 1:
            a = a[:, None, None] * np.eye(d)
        a = a.reshape(m, n_el, n_qp, d, d)
        aw = a * grid.weights[None, :, :, None, None]                        # weighted coefficient
        flux_phi = np.einsum("meqab,jbeq->mjaeq", aw, grid.grad, optimize=True)  # a grad(phi_j), weighted
        local = np.einsum("iaeq,mjaeq->mije", grid.grad, flux_phi, optimize=True)  # (m, n_loc, n_loc, n_el)
        offsets = (np.arange(m) * N)[:, None]
        K = sp.csc_matrix((local.reshape(m, -1)[:, grid.keep].ravel(),
                           ((offsets + grid.rows).ravel(), (offsets + grid.cols).ravel())), shape=(m * N, m * N))
        # right-hand sides -int grad(phi_i) . a e_k, scattered to the periodic unknowns
        rhs_local = -np.einsum("iaeq,meqak->mkie", grid.grad, aw)            # (m, d, n_loc, n_el)
        kept = grid.node >= 0                                                # (n_loc, n_el)
        idx = (offsets + grid.node[kept][None, :]).ravel()                   # (m * n_kept,)
        B = np.stack([np.bincount(idx, weights=rhs_local[:, k][:, kept].ravel(), minlength=m * N)
                      for k in range(d)], axis=1)                            # (m * N, d)
        t1 = time.perf_counter()
        try:
            chi = splu(K).solve(B)                                          # (m * N, d)
        except RuntimeError as exc:
            raise ConvergenceError(f"HMM micro problems {start}..{start + m - 1}: singular micro matrix ({exc})") \
                from None
        if not np.all(np.isfinite(chi)):
            raise ConvergenceError(f"HMM micro problems {start}..{start + m - 1}: non-finite micro solution")
        # nodal fluctuations (fixed corner = 0) -> gradient at the micro quadrature points
        chi_full = np.concatenate([chi.reshape(m, N, d), np.zeros((m, 1, d))], axis=1)
        local_chi = chi_full[:, grid.node, :]                                # (m, n_loc, n_el, d); -1 -> zero row
        grad_chi = np.einsum("miek,iaeq->mkaeq", local_chi, grid.grad)       # (m, k, a, n_el, n_qp)
        # A0[:, :, k] = sum_q w a (e_k + grad chi_k) / |Y|, |Y| = 1
        A0[start:start + m] = (np.einsum("meqak->mak", aw)
                               + np.einsum("meqab,mkbeq->mak", aw, grad_chi))
        t_assembly += t1 - t0
        t_solve += time.perf_counter() - t1
        batches += 1
    return A0, {"timings": {"micro_assembly": t_assembly, "micro_solve": t_solve}, "micro_dofs": N,
                "batches": batches}


# ----------------------------------------------------------------------------- macro problems

@skfem.BilinearForm
def _tensor_stiffness(u, v, w):
    return np.einsum("ij...,j...,i...->...", w.A, u.grad, v.grad)


@skfem.BilinearForm
def _scalar_stiffness(u, v, w):
    return w.a * np.sum(u.grad * v.grad, axis=0)


@skfem.LinearForm
def _load(v, w):
    return w.f * v


def _solve_linear(basis: skfem.Basis, K, source, dirichlet, what: str) -> tuple[np.ndarray, float]:
    """Assemble the load, impose u = g on the whole boundary, sparse LU; returns (u, assembly seconds)."""
    t0 = time.perf_counter()
    d = basis.mesh.p.shape[0]
    X = np.asarray(basis.global_coordinates())
    f = _data(source, X.reshape(d, -1).T, "source").reshape(X.shape[1:])
    b = _load.assemble(basis, f=f)
    D = basis.get_dofs().all()
    u = np.zeros(basis.N)
    u[D] = _data(dirichlet, basis.doflocs[:, D].T, "dirichlet")
    t_assembly = time.perf_counter() - t0
    free = np.setdiff1d(np.arange(basis.N), D)
    if free.size:
        Kc = sp.csc_matrix(K[free][:, free])
        try:
            u[free] = splu(Kc).solve(b[free] - K[free][:, D] @ u[D])
        except RuntimeError as exc:
            raise ConvergenceError(f"{what}: singular stiffness matrix ({exc})") from None
    if not np.all(np.isfinite(u)):
        raise ConvergenceError(f"{what}: non-finite solution")
    return u, t_assembly


def hmm_solve(coefficient: Callable, eps: float, macro_mesh, *, source=1.0, dirichlet=0.0, n_micro: int = 16,
              delta: float | None = None, batch_size: int = 256, intorder: int | None = None) -> HMMSolution:
    r"""FE-HMM solution of :math:`-\nabla\cdot(a(x, x/\varepsilon)\nabla u) = f`, :math:`u = g` on the boundary.

    Macro P1/Q1 finite elements on ``macro_mesh``; at each macro quadrature point the
    effective tensor :math:`A^0(x_q)` from a periodic micro problem on
    :math:`x_q + \delta[-\frac12,\frac12]^d` (:func:`micro_effective_tensors`), then
    :math:`\sum_q \omega_q \nabla v_H^T A^0(x_q)\nabla u_H = \int f v_H` (module docstring;
    Abdulle 2005, eq. 1.5-1.7).

    Parameters
    ----------
    coefficient : callable
        ``a(x, y)``, x and y arrays (n, d) -> (n,) or (n, d, d), 1-periodic in y.
    eps : float
        Fine scale :math:`\varepsilon`.
    macro_mesh : skfem.Mesh
        MeshLine1, MeshTri1, MeshQuad1, MeshTet1 or MeshHex1 (P1/Q1 elements).
    source : float or callable
        :math:`f`; a callable gets points (n, d) and returns (n,).
    dirichlet : float or callable
        :math:`g` on the whole boundary; a callable gets boundary node coordinates (n, d).
    n_micro : int
        Micro elements per side of the sampling domain (micro mesh size :math:`\delta/n_{micro}`).
    delta : float, optional
        Sampling-domain size, default :math:`\varepsilon`.
    batch_size : int
        Micro problems per block-diagonal factorisation.
    intorder : int, optional
        Macro quadrature order (default 1 point on simplices, Gauss 2 per direction on
        lines, quads and hexes); one micro problem per quadrature point.

    Returns
    -------
    HMMSolution
    """
    t0 = time.perf_counter()
    basis = _macro_basis(macro_mesh, intorder, "macro_mesh")
    d = macro_mesh.p.shape[0]
    X = np.asarray(basis.global_coordinates())                                    # (d, n_el, n_qp)
    n_el, n_qp = X.shape[1:]
    points = X.reshape(d, -1).T
    A0, micro = micro_effective_tensors(coefficient, points, eps, delta=delta, n_micro=n_micro,
                                        batch_size=batch_size)
    t1 = time.perf_counter()
    K = _tensor_stiffness.assemble(basis, A=np.moveaxis(A0.reshape(n_el, n_qp, d, d), (2, 3), (0, 1)))
    t2 = time.perf_counter()
    u, t_load = _solve_linear(basis, K, source, dirichlet, "hmm_solve (macro)")
    t3 = time.perf_counter()
    timings = dict(micro["timings"], macro_assembly=t2 - t1 + t_load, macro_solve=t3 - t2 - t_load,
                   total=t3 - t0)
    info = {"eps": float(eps), "delta": float(eps if delta is None else delta), "n_micro": int(n_micro),
            "micro_dofs": micro["micro_dofs"], "batches": micro["batches"], "macro_dofs": int(basis.N)}
    return HMMSolution(u=u, basis=basis, A0=A0, points=points, weights=basis.dx.ravel(), micro_solves=len(points),
                       timings=timings, info=info)


def dns_solve(coefficient: Callable, eps: float, mesh_fine, source=1.0, dirichlet=0.0, *,
              intorder: int | None = None) -> DNSSolution:
    r"""Direct FE solution of :math:`-\nabla\cdot(a(x, x/\varepsilon)\nabla u^\varepsilon) = f` (mesh resolving eps).

    The coefficient is evaluated at the quadrature points (default order 2) of
    ``mesh_fine``; the mesh should have several elements per period :math:`\varepsilon`
    (the error is :math:`O(h/\varepsilon)` in the energy norm). Parameters as in
    :func:`hmm_solve`.
    """
    t0 = time.perf_counter()
    eps = _positive(eps, "eps")
    basis = _macro_basis(mesh_fine, 2 if intorder is None else intorder, "mesh_fine")
    d = mesh_fine.p.shape[0]
    X = np.asarray(basis.global_coordinates())
    a = _coefficient_values(coefficient, X.reshape(d, -1).T, eps)
    if a.ndim == 1:
        K = _scalar_stiffness.assemble(basis, a=a.reshape(X.shape[1:]))
    else:
        K = _tensor_stiffness.assemble(basis, A=np.moveaxis(a.reshape(X.shape[1:] + (d, d)), (2, 3), (0, 1)))
    t1 = time.perf_counter()
    u, t_load = _solve_linear(basis, K, source, dirichlet, "dns_solve")
    t2 = time.perf_counter()
    h = float(np.max(basis.dx.sum(axis=1)) ** (1.0 / d))
    return DNSSolution(u=u, basis=basis, timings={"assembly": t1 - t0 + t_load, "solve": t2 - t1 - t_load,
                                                  "total": t2 - t0},
                       info={"eps": eps, "n_dofs": int(basis.N), "h": h})


def macro_difference(hmm: HMMSolution, dns: DNSSolution) -> dict:
    r"""Macro-scale comparison of an HMM and a DNS solution.

    The DNS field is interpolated at the macro nodes (:math:`I_H u^\varepsilon`, exact
    lookup when the meshes are nested; ``basis.probes`` otherwise) and compared with
    the HMM field on the macro mesh, with the macro mass matrix :math:`M_H`:

    .. math:: e_{L^2} = \frac{\|I_H u^\varepsilon - u_H\|_{L^2}}{\|I_H u^\varepsilon\|_{L^2}},\qquad
              \bar u = \frac1{|\Omega|}\int_\Omega u\,dx

    (the mean on each solution's own mesh). Since :math:`u^\varepsilon - u^0 = O(\varepsilon)`
    and :math:`u^0 - u_H = O(H^2 + (h/\varepsilon)^2 + \varepsilon)`, both decrease with
    :math:`\varepsilon` and :math:`H` (Abdulle 2005, Thm. 1.1).

    Returns
    -------
    dict
        ``l2`` (relative), ``mean_hmm``, ``mean_dns`` and ``mean`` (relative difference of the means).
    """
    coarse, fine = hmm.basis, dns.basis
    if coarse.mesh.p.shape[0] != fine.mesh.p.shape[0]:
        raise InputError("hmm, dns: solutions of different dimensions")
    nodes = coarse.doflocs
    u_i = np.asarray(fine.probes(nodes) @ dns.u)
    mass = skfem.BilinearForm(lambda u, v, w: u * v).assemble(coarse)
    e = u_i - hmm.u
    norm = float(np.sqrt(u_i @ (mass @ u_i)))
    if norm == 0:
        raise InputError("dns: the DNS solution is zero at the macro nodes; the relative difference is undefined")
    mean_c = float(np.sum(np.asarray(coarse.interpolate(hmm.u)) * coarse.dx) / coarse.dx.sum())
    mean_f = float(np.sum(np.asarray(fine.interpolate(dns.u)) * fine.dx) / fine.dx.sum())
    return {"l2": float(np.sqrt(e @ (mass @ e))) / norm, "mean_hmm": mean_c, "mean_dns": mean_f,
            "mean": abs(mean_c - mean_f) / abs(mean_f)}
