r"""Nonlinear, history-dependent finite-element cells (RVEs) for FE²: Newton on the fluctuation.

The cell problem of first-order computational homogenization with a nonlinear
material: given the macro strain :math:`E` (or macro gradient) and the committed
internal state :math:`h_n` of every quadrature point, find the periodic fluctuation
:math:`w` with

.. math::
    u = E\cdot x + w, \qquad
    r(z) = P^T\sum_q w_q\,B_q^T\,\sigma\big(E + B_q P z;\,h_n\big) = 0, \qquad w = P z,

by Newton's method, :math:`K_{ff}\,\Delta z = -r`, with the consistent stiffness
:math:`K_{ff} = P^T\sum_q w_q B_q^T \mathbb D_q B_q P`, :math:`\mathbb D_q = \partial\sigma/\partial\varepsilon`
the algorithmic tangent of the material update (:mod:`..plasticity`). The answers are
the mean stress :math:`\Sigma = \langle\sigma\rangle` and the *condensed* macro tangent

.. math::
    \mathbb C = \frac{d\Sigma}{dE} = \langle\mathbb D\rangle
    - \frac{1}{|\Omega|}K_{Ef}\,K_{ff}^{-1}\,K_{fE}, \qquad
    K_{fE} = P^T\sum_q w_q B_q^T\mathbb D_q, \quad K_{Ef} = \sum_q w_q\mathbb D_q B_q P,

obtained by static condensation with the final Newton factorisation (one multi-RHS
solve; Miehe & Koch 2002, Arch. Appl. Mech. 72, 300, §4; Kouznetsova, Brekelmans &
Baaijens 2001, Comput. Mech. 27, 37, §4). The conduction problem is the same with
the macro gradient, the flux :math:`q = k(|g|)\,g` (sign dropped, as in
:func:`~.cell.solve_conductivity_fe`) and :math:`k(|g|) = k_0(1 + a|g|^2)`.

Q1 (or P1) Lagrange elements; the basis, the strain-displacement matrices :math:`B_q`
and the sparse-assembly index arrays are built once per cell (:func:`discretise_cell`,
cached for voxel maps) and reused across macro points and Newton iterations.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import skfem
from scipy.sparse.linalg import splu

from ...core.errors import ConvergenceError, InputError
from ..cell import hill_mandel_residual
from ..plasticity import j2_return_mapping
from ..tensors import from_mandel
from .cell import _components
from .constraints import affine_lift, dirichlet_condensation, periodic_condensation
from .mesh import cell_mesh, lagrange_element

__all__ = ["PROBLEMS", "CellDiscretisation", "discretise_cell", "NonlinearCellResult", "solve_nonlinear_cell",
           "initial_cell_state"]

PROBLEMS = ("mechanics", "conduction")
_CONDITIONS = ("periodic", "affine")
_J2_KEYS = ("bulk_modulus", "shear_modulus", "yield_stress", "hardening_modulus")


class CellDiscretisation:
    r"""Everything about a cell mesh that does not change with the load: built once, reused.

    Attributes
    ----------
    B : ndarray, shape (n_elements, n_qp_per_element, m, n_local)
        Strain-displacement (Mandel) or gradient matrices at the quadrature points.
    weights : ndarray, shape (n_elements, n_qp_per_element)
        Quadrature weights times Jacobians (sum :math:`|\Omega|`).
    n_free : int
        Unknowns of the condensed fluctuation :math:`z`.
    point_phases : ndarray of int, shape (n_points,)
        Phase of every quadrature point (element-major order, ``n_points = n_elements * n_qp``).
    """

    def __init__(self, mesh: skfem.Mesh, element_phases: np.ndarray, problem: str, boundary_condition: str):
        if problem not in PROBLEMS:
            raise InputError(f"problem: got {problem!r}, expected one of {PROBLEMS}")
        if boundary_condition not in _CONDITIONS:
            raise InputError(f"boundary_condition: got {boundary_condition!r}; the nonlinear cell supports "
                             f"{_CONDITIONS}")
        element = lagrange_element(mesh)
        vector = problem == "mechanics"
        basis = skfem.Basis(mesh, skfem.ElementVector(element) if vector else element, intorder=2)
        kind = "elasticity" if vector else "conductivity"
        B = np.stack([_components(basis.basis[i][0], kind) for i in range(basis.Nbfun)], axis=-1)
        self.problem, self.boundary_condition, self.basis, self.mesh = problem, boundary_condition, basis, mesh
        self.dim = mesh.p.shape[0]
        self.m = B.shape[0]
        self.B = np.ascontiguousarray(np.moveaxis(B, 0, 2))                 # (n_el, n_q, m, n_loc)
        self._BT = np.ascontiguousarray(np.swapaxes(self.B, 2, 3))
        self.weights = np.asarray(basis.dx)                                 # (n_el, n_q)
        self.volume = float(self.weights.sum())
        self.n_points = self.weights.size
        self.point_phases = np.repeat(np.asarray(element_phases, dtype=int), self.weights.shape[1])
        if boundary_condition == "periodic":
            corner = int(np.argmin(np.sum(mesh.p - mesh.p.min(axis=1, keepdims=True), axis=0)))
            P = periodic_condensation(basis, fixed_node=corner).tocoo()
        else:
            P = dirichlet_condensation(basis).tocoo()
        self.n_free = int(P.shape[1])
        self.elastic_operators: dict = {}  # per material set, see _elastic_operator
        reduced = np.full(basis.N, -1)
        reduced[P.row] = P.col
        self.local = reduced[basis.element_dofs.T]                          # (n_el, n_loc), -1 if fixed
        # residual scatter: element vectors -> condensed dofs
        self._vec_mask = (self.local >= 0).ravel()
        self._vec_index = self.local.ravel()[self._vec_mask]
        # matrix scatter: element matrices -> condensed CSC data (pattern built once)
        rows = np.broadcast_to(self.local[:, :, None], self.local.shape + (self.local.shape[1],)).ravel()
        cols = np.broadcast_to(self.local[:, None, :], self.local.shape + (self.local.shape[1],)).ravel()
        self._mat_mask = (rows >= 0) & (cols >= 0)
        keys = cols[self._mat_mask].astype(np.int64) * self.n_free + rows[self._mat_mask]
        unique, self._mat_index = np.unique(keys, return_inverse=True)
        self._indices = (unique % self.n_free).astype(np.int32)
        self._indptr = np.concatenate([[0], np.cumsum(np.bincount(unique // self.n_free, minlength=self.n_free))])
        self._nnz = unique.size

    def strain(self, E: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Strain (gradient) at every point, shape (n_points, m): :math:`E + B_q P z`."""
        w_local = np.append(z, 0.0)[self.local]                             # fixed dofs read the 0
        return (E + np.einsum("eqai,ei->eqa", self.B, w_local)).reshape(-1, self.m)

    def scatter_vector(self, element_vectors: np.ndarray) -> np.ndarray:
        """Condensed assembly :math:`P^T\\sum_e f_e` of element vectors (n_el, n_loc[, k])."""
        flat = element_vectors.reshape(self._vec_mask.size, -1)[self._vec_mask]
        return np.stack([np.bincount(self._vec_index, col, minlength=self.n_free) for col in flat.T], axis=-1)

    def internal_force(self, stress: np.ndarray) -> np.ndarray:
        """Element internal forces :math:`\\sum_q w_q B_q^T\\sigma_q`, shape (n_el, n_loc)."""
        s = stress.reshape(self.weights.shape + (self.m,)) * self.weights[..., None]
        return np.einsum("eqai,eqa->ei", self.B, s)

    def stiffness(self, tangent: np.ndarray) -> sp.csc_matrix:
        """Condensed consistent stiffness :math:`K_{ff}` (CSC) from the point tangents (n_points, m, m)."""
        D = tangent.reshape(self.weights.shape + (self.m, self.m)) * self.weights[..., None, None]
        Ke = (self._BT @ (D @ self.B)).sum(axis=1).ravel()[self._mat_mask]
        data = np.bincount(self._mat_index, Ke, minlength=self._nnz)
        return sp.csc_matrix((data, self._indices, self._indptr), shape=(self.n_free, self.n_free))

    def coupling(self, tangent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:math:`K_{fE}` (n_free, m) and :math:`K_{Ef}` (m, n_free) of the condensed macro tangent."""
        D = tangent.reshape(self.weights.shape + (self.m, self.m)) * self.weights[..., None, None]
        K_fE = self.scatter_vector(np.einsum("eqai,eqab->eib", self.B, D))
        K_Ef = self.scatter_vector(np.einsum("eqab,eqbi->eia", D, self.B)).T
        return K_fE, K_Ef


@functools.lru_cache(maxsize=8)
def _voxel_discretisation(key: bytes, shape: tuple, dtype: str, problem: str, boundary_condition: str):
    phases = np.frombuffer(key, dtype=dtype).reshape(shape)
    mesh, element_phases = cell_mesh(phases, None)
    return CellDiscretisation(mesh, element_phases, problem, boundary_condition)


def discretise_cell(phases=None, *, problem: str = "mechanics", boundary_condition: str = "periodic",
                    mesh=None) -> CellDiscretisation:
    """The :class:`CellDiscretisation` of a voxel map (cached per process) or of ``mesh=(mesh, element_phases)``.

    A ready :class:`CellDiscretisation` passed as ``mesh`` is returned as is.
    """
    if isinstance(mesh, CellDiscretisation):
        return mesh
    if mesh is None:
        arr = np.ascontiguousarray(np.asarray(phases))
        cell_mesh(arr, None)  # validate before caching
        arr = arr.astype(int)
        return _voxel_discretisation(arr.tobytes(), arr.shape, arr.dtype.str, problem, boundary_condition)
    m, element_phases = cell_mesh(phases, mesh)
    return CellDiscretisation(m, element_phases, problem, boundary_condition)


class _Law:
    """Per-point constitutive law of a cell, vectorised over points (built from the phase materials)."""

    def __init__(self, materials, cell: CellDiscretisation):
        n_phases = int(cell.point_phases.max()) + 1
        if len(materials) < n_phases:
            raise InputError(f"materials: phase id {n_phases - 1} used but only {len(materials)} materials given")
        self.cell, self.m = cell, cell.m
        kinds = [self._kind(i, mat, cell) for i, mat in enumerate(materials)]
        self.key = tuple(tuple((k, np.asarray(v, dtype=float).tobytes()) for k, v in sorted(mat.items()))
                         for mat in materials)
        ph = cell.point_phases
        self.j2 = np.flatnonzero(np.isin(ph, [i for i, k in enumerate(kinds) if k == "j2"]))
        self.linear = np.flatnonzero(np.isin(ph, [i for i, k in enumerate(kinds) if k == "elastic"]))
        self.conductor = np.flatnonzero(np.isin(ph, [i for i, k in enumerate(kinds) if k == "conductor"]))
        if self.j2.size:
            self.j2_parameters = {k: np.array([float(materials[p].get(k, 0.0)) for p in range(len(materials))])[
                ph[self.j2]] for k in _J2_KEYS}
        if self.linear.size:
            stiff = np.zeros((len(materials), self.m, self.m))
            for p, k in enumerate(kinds):
                if k == "elastic":
                    stiff[p] = materials[p]["stiffness"]
            self.stiffness = stiff[ph[self.linear]]
        if self.conductor.size:
            self.k0 = np.array([float(mat.get("conductivity", 0.0)) for mat in materials])[ph[self.conductor]]
            self.a = np.array([float(mat.get("nonlinearity", 0.0)) for mat in materials])[ph[self.conductor]]

    @staticmethod
    def _kind(i: int, mat, cell) -> str:
        if not isinstance(mat, dict):
            raise InputError(f"materials[{i}]: expected a dict, got {type(mat).__name__}")
        if cell.problem == "conduction":
            if "conductivity" not in mat or float(mat["conductivity"]) <= 0:
                raise InputError(f"materials[{i}]: conduction needs a positive 'conductivity' (k0) and optionally "
                                 f"'nonlinearity' (a >= 0), got keys {sorted(mat)}")
            if float(mat.get("nonlinearity", 0.0)) < 0:
                raise InputError(f"materials[{i}]: 'nonlinearity' must be >= 0, got {mat['nonlinearity']}")
            return "conductor"
        if "stiffness" in mat:
            C = np.asarray(mat["stiffness"], dtype=float)
            if C.shape != (cell.m, cell.m) or not np.allclose(C, C.T) or np.linalg.eigvalsh(C)[0] <= 0:
                raise InputError(f"materials[{i}]: 'stiffness' must be a symmetric positive-definite "
                                 f"({cell.m}, {cell.m}) Mandel matrix, got shape {C.shape}")
            return "elastic"
        missing = [k for k in _J2_KEYS if k not in mat]
        if missing:
            raise InputError(f"materials[{i}]: expected 'stiffness' (linear elastic) or the J2 parameters "
                             f"{_J2_KEYS}; missing {missing}")
        if min(float(mat[k]) for k in _J2_KEYS[:3]) <= 0 or float(mat["hardening_modulus"]) < 0:
            raise InputError(f"materials[{i}]: J2 moduli and yield stress must be positive, hardening >= 0, got {mat}")
        return "j2"

    def __call__(self, strain: np.ndarray, plastic_strain: np.ndarray | None, alpha: np.ndarray | None):
        n = strain.shape[0]
        stress = np.empty((n, self.m))
        tangent = np.empty((n, self.m, self.m))
        new_plastic = None if plastic_strain is None else plastic_strain.copy()
        new_alpha = None if alpha is None else alpha.copy()
        if self.linear.size:
            tangent[self.linear] = self.stiffness
            stress[self.linear] = np.einsum("pab,pb->pa", self.stiffness, strain[self.linear])
        if self.j2.size:
            s, D, ep, a = j2_return_mapping(strain[self.j2], plastic_strain[self.j2], alpha[self.j2],
                                            plane_strain=self.cell.dim == 2, **self.j2_parameters)
            stress[self.j2], tangent[self.j2], new_plastic[self.j2], new_alpha[self.j2] = s, D, ep, a
        if self.conductor.size:
            g = strain[self.conductor]
            g2 = np.einsum("pa,pa->p", g, g)
            k = self.k0 * (1.0 + self.a * g2)
            stress[self.conductor] = k[:, None] * g
            tangent[self.conductor] = (k[:, None, None] * np.eye(self.m)
                                       + (2.0 * self.k0 * self.a)[:, None, None] * g[:, :, None] * g[:, None, :])
        return stress, tangent, new_plastic, new_alpha


@dataclass(frozen=True)
class _ElasticOperator:
    """Factorised elastic stiffness of a cell and its condensed elastic tangent (see :func:`_elastic_operator`)."""

    lu: Any
    tangent: np.ndarray


def _elastic_operator(cell: CellDiscretisation, law: _Law) -> _ElasticOperator:
    r"""The elastic :math:`K_{ff}` (factorised) and :math:`\mathbb C^{el}`, once per cell and material set.

    A mechanics step that stays elastic at every micro point is linear: one solve with
    the elastic :math:`K_{ff}` from the committed fluctuation is exact, and the
    consistent tangent is the elastic one, :math:`\mathbb D_q = \mathbb C_q`, so the
    condensed macro tangent is the constant :math:`\mathbb C^{el}`.
    """
    if law.key not in cell.elastic_operators:
        zero = np.zeros((cell.n_points, cell.m))
        _, D, _, _ = law(zero, np.zeros((cell.n_points, 6)), np.zeros(cell.n_points))  # f < 0: elastic
        lu = splu(cell.stiffness(D), permc_spec="MMD_AT_PLUS_A", options={"SymmetricMode": True})
        K_fE, K_Ef = cell.coupling(D)
        tangent = (np.einsum("p,pab->ab", cell.weights.ravel(), D) - K_Ef @ lu.solve(K_fE)) / cell.volume
        cell.elastic_operators[law.key] = _ElasticOperator(lu, tangent)
    return cell.elastic_operators[law.key]


def initial_cell_state(cell: CellDiscretisation, n_points: int) -> dict[str, np.ndarray]:
    """Virgin state of ``n_points`` macro points: zero plastic strain, hardening and fluctuation.

    Keys: ``fluctuation`` (B, n_free) (Newton warm start, the last converged :math:`z`)
    and, for mechanics, ``plastic_strain`` (B, n_qp, 6) and ``alpha`` (B, n_qp).
    """
    state = {"fluctuation": np.zeros((n_points, cell.n_free))}
    if cell.problem == "mechanics":
        state["plastic_strain"] = np.zeros((n_points, cell.n_points, 6))
        state["alpha"] = np.zeros((n_points, cell.n_points))
    return state


@dataclass(frozen=True)
class NonlinearCellResult:
    """Outcome of :func:`solve_nonlinear_cell` for a batch of macro points.

    Attributes
    ----------
    mean_flux : ndarray, shape (B, m)
        Volume-averaged stress (Mandel, Pa) or flux (W/m^2 for k in W/(m K)); also ``mean_stress``.
    tangent : ndarray, shape (B, m, m)
        Condensed consistent macro tangent :math:`d\\Sigma/dE`.
    state : dict of ndarray
        The NEW state (leading axis B); the caller commits it at converged macro steps.
    iterations : ndarray of int, shape (B,)
        Newton corrections per point.
    residual_history : list of ndarray
        Relative residual :math:`\\|r\\|/\\|f_{int}\\|` after every iteration, per point.
    hill_mandel : ndarray, shape (B,)
        :func:`~scalebridge.solvers.cell.hill_mandel_residual` of the converged fields.
    fields : list of dict, optional
        Per point: ``strain``/``stress`` (m, n_qp) (``gradient``/``flux`` too), ``weights``,
        ``points``, nodal ``fluctuation``, and ``plastic_strain``/``alpha`` for mechanics.
    info : dict
    """

    mean_flux: np.ndarray
    tangent: np.ndarray
    state: dict
    iterations: np.ndarray
    residual_history: list
    hill_mandel: np.ndarray
    fields: list | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def mean_stress(self) -> np.ndarray:
        return self.mean_flux


def solve_nonlinear_cell(phases, materials, macro_load, state=None, *, problem: str = "mechanics",
                         boundary_condition: str = "periodic", tol: float = 1e-10, max_iter: int = 30,
                         line_search: bool = True, mesh=None, return_fields: bool = False) -> NonlinearCellResult:
    r"""Solve a nonlinear cell at a batch of macro points (Newton on the fluctuation, see module docstring).

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Voxel phase map of the cell :math:`[0,1]^d` (2-D is plane strain); ignored if ``mesh`` is given.
    materials : sequence of dict, one per phase
        Mechanics: ``{"stiffness": (m, m)}`` (linear elastic, Mandel, Pa) or J2 elastoplastic
        ``{"bulk_modulus", "shear_modulus", "yield_stress", "hardening_modulus"}`` (Pa; see
        :func:`~scalebridge.solvers.plasticity.j2_return_mapping`). Conduction:
        ``{"conductivity": k0, "nonlinearity": a}``, :math:`k = k_0(1 + a|g|^2)` (a in 1/|g|^2).
    macro_load : array_like, shape (B, m) or (m,)
        Macro strains (Mandel, dimensionless) or macro gradients (K/m), one row per macro point.
    state : dict of ndarray, optional
        The last COMMITTED state, as :func:`initial_cell_state` (virgin if omitted). Never modified.
    problem : {"mechanics", "conduction"}
    boundary_condition : {"periodic", "affine"}
        Periodic fluctuation (default), or :math:`w = 0` on the boundary.
    tol : float
        Newton stops when :math:`\|r\| \le` tol :math:`\|f_{int}\|` (unconstrained internal forces).
    max_iter : int
        Newton corrections allowed per point.
    line_search : bool
        Backtrack (halving, up to 8 times) when a full step increases :math:`\|r\|` (default;
        a full step that decreases it is always taken, so quadratic convergence is kept).
    mesh : (skfem.Mesh, ndarray of int) or CellDiscretisation, optional
    return_fields : bool

    Raises
    ------
    ConvergenceError
        Naming the macro point whose Newton iteration failed.
    """
    cell = discretise_cell(phases, problem=problem, boundary_condition=boundary_condition, mesh=mesh)
    law = _Law(materials, cell)
    E = np.atleast_2d(np.asarray(macro_load, dtype=float))
    if E.ndim != 2 or E.shape[1] != cell.m or not np.all(np.isfinite(E)):
        raise InputError(f"macro_load: expected finite values of shape (B, {cell.m}), got {np.shape(macro_load)}")
    n_batch = E.shape[0]
    old = initial_cell_state(cell, n_batch) if state is None else state
    for key, arr in initial_cell_state(cell, 1).items():
        if key not in old or np.shape(old[key]) != (n_batch,) + arr.shape[1:]:
            raise InputError(f"state[{key!r}]: expected shape {(n_batch,) + arr.shape[1:]}, "
                             f"got {None if key not in old else np.shape(old[key])}")
    new_state = {k: np.empty_like(np.asarray(v, dtype=float)) for k, v in old.items()}
    mean, tangent = np.empty((n_batch, cell.m)), np.empty((n_batch, cell.m, cell.m))
    iterations, history, hill_mandel = np.zeros(n_batch, dtype=int), [], np.empty(n_batch)
    fields = [] if return_fields else None
    w = cell.weights.ravel()
    elastic = _elastic_operator(cell, law) if cell.problem == "mechanics" else None
    for b in range(n_batch):  # independent nonlinear solves, one per macro point
        plastic = None if cell.problem == "conduction" else np.asarray(old["plastic_strain"][b], dtype=float)
        alpha = None if cell.problem == "conduction" else np.asarray(old["alpha"][b], dtype=float)
        z, it, hist, lu, evaluated = _newton(cell, law, E[b], np.array(old["fluctuation"][b], dtype=float),
                                             plastic, alpha, tol, max_iter, line_search, b, elastic)
        strain, stress, D, new_plastic, new_alpha = evaluated
        mean[b] = w @ stress / cell.volume
        if lu is None:  # the step stayed elastic everywhere
            tangent[b] = elastic.tangent
        else:
            K_fE, K_Ef = cell.coupling(D)
            tangent[b] = (np.einsum("p,pab->ab", w, D) - K_Ef @ lu.solve(K_fE)) / cell.volume
        iterations[b], hill_mandel[b] = it, hill_mandel_residual(strain.T[None], stress.T[None], w)[0]
        history.append(np.array(hist))
        new_state["fluctuation"][b] = z
        if cell.problem == "mechanics":
            new_state["plastic_strain"][b], new_state["alpha"][b] = new_plastic, new_alpha
        if return_fields:
            fields.append(_fields(cell, E[b], z, strain, stress, new_plastic, new_alpha))
    info = {"method": "Newton on the periodic fluctuation, consistent tangent, sparse LU; condensed macro tangent",
            "n_free": cell.n_free, "n_points": cell.n_points, "boundary_condition": cell.boundary_condition,
            "problem": cell.problem}
    return NonlinearCellResult(mean, tangent, new_state, iterations, history, hill_mandel, fields, info)


def _newton(cell, law, E, z, plastic, alpha, tol, max_iter, line_search, index, elastic=None):
    """Newton from the committed fluctuation ``z``; returns (z, iterations, history, lu, evaluated).

    Mechanics first tries the elastic predictor (one solve with the cached elastic
    factorisation): if the step stays elastic at every point it is exact and ``lu`` is
    None (the caller uses the elastic condensed tangent); otherwise Newton continues
    from the better of the two starts.
    """
    def evaluate(z):
        strain = cell.strain(E, z)
        stress, D, ep, a = law(strain, plastic, alpha)
        f = cell.internal_force(stress)
        r = cell.scatter_vector(f)[:, 0]
        reference = np.linalg.norm(f)  # unconstrained internal forces: the scale of the problem
        norm = np.linalg.norm(r)
        if not np.isfinite(norm):
            raise ConvergenceError(f"solve_nonlinear_cell: macro point {index}: non-finite residual")
        return r, norm / reference if reference > 0 else norm, (strain, stress, D, ep, a)

    r, relative, evaluated = evaluate(z)
    history = [relative]
    if elastic is not None:
        if relative > tol:
            z_elastic = z - elastic.lu.solve(r)
            trial = evaluate(z_elastic)
            if trial[1] < relative:
                z, (r, relative, evaluated) = z_elastic, trial
                history.append(relative)
        if relative <= tol and np.array_equal(evaluated[4], alpha):  # no point yielded in this step
            return z, len(history) - 1, history, None, evaluated
    for it in range(max_iter + 1):
        try:
            lu = splu(cell.stiffness(evaluated[2]), permc_spec="MMD_AT_PLUS_A",
                      options={"SymmetricMode": True})
        except RuntimeError as exc:
            raise ConvergenceError(f"solve_nonlinear_cell: macro point {index}: singular cell stiffness at "
                                   f"Newton iteration {it} ({exc})") from exc
        if relative <= tol:
            return z, len(history) - 1, history, lu, evaluated
        if it == max_iter:
            break
        dz = lu.solve(-r)
        step = 1.0
        trial = evaluate(z + dz)
        if line_search:
            for _ in range(8):
                if np.linalg.norm(trial[0]) <= np.linalg.norm(r):
                    break
                step *= 0.5
                trial = evaluate(z + step * dz)
        z = z + step * dz
        r, relative, evaluated = trial
        history.append(relative)
    raise ConvergenceError(f"solve_nonlinear_cell: macro point {index} did not converge in {max_iter} Newton "
                           f"iterations (relative residual {relative:.3e} > tol {tol:g}; history "
                           f"{', '.join(f'{h:.1e}' for h in history)}); reduce the macro load step or raise max_iter")


def _fields(cell, E, z, strain, stress, plastic, alpha) -> dict:
    basis = cell.basis
    nodal = np.zeros(basis.N)
    mask = np.zeros(basis.N, dtype=bool)
    dofs = basis.element_dofs.T.ravel()
    nodal[dofs] = np.append(z, 0.0)[cell.local.ravel()]
    mask[dofs] = True
    out = {"strain": strain.T, "stress": stress.T, "gradient": strain.T, "flux": stress.T,
           "weights": cell.weights.ravel(), "points": basis.global_coordinates().reshape(cell.dim, -1),
           "fluctuation": nodal}
    if cell.problem == "mechanics":
        out.update(plastic_strain=plastic, alpha=alpha,
                   displacement=affine_lift(basis, from_mandel(E[None]))[:, 0] + nodal)
    else:
        out["temperature"] = affine_lift(basis, E[None])[:, 0] + nodal
    return out

