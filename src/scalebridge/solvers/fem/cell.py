r"""Finite-element cell (RVE) solvers: apparent conductivity and stiffness under three boundary conditions.

The cell problem: find :math:`u = E\cdot x + w` with :math:`\nabla\cdot(k\nabla u) = 0`
(conductivity) or :math:`\nabla\cdot(C:\varepsilon(u)) = 0` (small-strain
elasticity) in the cell :math:`\Omega`, with :math:`\langle\nabla u\rangle = E` and
one of the boundary conditions of :mod:`.constraints` (periodic, affine, uniform
traction as the minimal kinematic condition). The apparent tensor follows from the
volume averages, :math:`\langle q\rangle = K^{app}\langle g\rangle`, and satisfies
the ordering :math:`K^{traction} \le K^{periodic} \le K^{affine}` (Huet 1990, J. Mech.
Phys. Solids 38, 813; Hazanov & Huet 1994, J. Mech. Phys. Solids 42, 1995).

Linear Lagrange elements on scikit-fem meshes (voxel quads/hexes or any P1/Q1 mesh
with a phase per element); one sparse LU factorisation serves all load cases.
"""

from __future__ import annotations

import time

import numpy as np
import skfem

from ...core.errors import InputError
from ..cell import CellSolution, effective_from_loads, hill_mandel_residual
from ..tensors import MANDEL_PAIRS, from_mandel, mandel_size, to_mandel
from .constraints import (affine_lift, boundary_dofs, dirichlet_condensation, mean_gradient_constraint,
                          periodic_condensation, solve_constrained)
from .mesh import cell_mesh, lagrange_element

__all__ = ["BOUNDARY_CONDITIONS", "solve_conductivity_fe", "solve_elasticity_fe"]

BOUNDARY_CONDITIONS = ("periodic", "affine", "traction")


def solve_conductivity_fe(phases, conductivity, gradients=None, *, boundary_condition: str = "periodic",
                          mesh=None, unit: str = "", return_fields: bool = False) -> CellSolution:
    r"""Apparent conductivity of a cell by linear finite elements.

    Solves :math:`\nabla\cdot(k\nabla u) = 0`, :math:`u = G\cdot x + w`, for every
    imposed mean gradient :math:`G`, and returns :math:`K^{app}` from
    :math:`\langle q\rangle = K^{app} G` with :math:`q = k\nabla u` (sign dropped).

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Voxel phase map of the cell :math:`[0,1]^d` (axis 0 is x); ignored if ``mesh`` is given.
    conductivity : array_like, shape (P,) or (P, d, d)
        Conductivity of every phase (isotropic scalars or symmetric positive-definite
        tensors), in ``unit`` (e.g. W/(m K)).
    gradients : array_like, shape (n_loads, d) or (d,), optional
        Imposed mean gradients (any consistent unit); default the identity (all unit loads).
    boundary_condition : {"periodic", "affine", "traction"}
        Periodic fluctuations; affine (Dirichlet) :math:`u = G\cdot x` on the boundary;
        uniform flux, as the minimal kinematic condition
        :math:`\frac1{|\Omega|}\int_{\partial\Omega} u\,n\,dS = G` (Mesarovic & Padbidri 2005).
    mesh : (skfem.Mesh, ndarray of int), optional
        Any linear triangle/quad/tet/hex mesh with the phase id of each element
        (a box for periodic conditions, with matching nodes on opposite faces).
    unit : str
        Unit of ``conductivity``, carried to the result.
    return_fields : bool
        Add ``fields`` with ``gradient`` and ``flux`` (n_loads, d, n_qp) at the
        quadrature points, their ``weights`` (n_qp,) (volumes, sum :math:`|\Omega|`),
        the ``points`` (d, n_qp) and the nodal ``fluctuation`` (n_loads, n_dofs).

    Returns
    -------
    CellSolution
        ``effective`` the apparent (d, d) tensor; ``iterations`` 0; ``residual`` the
        relative algebraic residual of the direct solve.
    """
    m, element_phases = cell_mesh(phases, mesh)
    d = m.p.shape[0]
    k = np.asarray(conductivity, dtype=float)
    if k.ndim == 1:
        k = k[:, None, None] * np.eye(d)
    tensors = _phase_tensors(k, (d, d), "conductivity", element_phases)
    loads = _loads(gradients, d, "gradients")
    return _solve_cell("conductivity", m, element_phases, tensors, loads, boundary_condition, unit, return_fields)


def solve_elasticity_fe(phases, stiffness, strains=None, *, boundary_condition: str = "periodic",
                        mesh=None, unit: str = "", return_fields: bool = False) -> CellSolution:
    r"""Apparent stiffness of a cell by linear finite elements (small strain, Mandel notation).

    Solves :math:`\nabla\cdot(C:\varepsilon(u)) = 0`, :math:`u = E\cdot x + w`, for
    every imposed mean strain :math:`E`, and returns the Mandel matrix :math:`C^{app}`
    from :math:`\langle\sigma\rangle = C^{app}E`. 2-D is plane strain (m = 3), 3-D m = 6.

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Voxel phase map of the cell :math:`[0,1]^d`; ignored if ``mesh`` is given.
    stiffness : array_like, shape (P, m, m)
        Mandel stiffness of every phase (symmetric positive definite), in ``unit`` (e.g. GPa).
    strains : array_like, shape (n_loads, m) or (m,), optional
        Imposed mean strains (Mandel, dimensionless); default the identity.
    boundary_condition : {"periodic", "affine", "traction"}
        Periodic fluctuations; affine :math:`u = E\cdot x` on the boundary; uniform
        traction as the minimal kinematic condition
        :math:`\frac1{|\Omega|}\int_{\partial\Omega} u\otimes n\,dS = E` plus fixed translations.
    mesh : (skfem.Mesh, ndarray of int), optional
        As in :func:`solve_conductivity_fe`.
    unit : str
        Unit of ``stiffness``.
    return_fields : bool
        Add ``fields`` with ``strain`` and ``stress`` (n_loads, m, n_qp) (also under the
        generic keys ``gradient`` and ``flux``), ``weights``, ``points`` and ``fluctuation``.

    Returns
    -------
    CellSolution
        ``effective`` the apparent (m, m) Mandel stiffness.
    """
    m, element_phases = cell_mesh(phases, mesh)
    d = m.p.shape[0]
    n = mandel_size(d)
    tensors = _phase_tensors(np.asarray(stiffness, dtype=float), (n, n), "stiffness", element_phases)
    loads = _loads(strains, n, "strains")
    return _solve_cell("elasticity", m, element_phases, tensors, loads, boundary_condition, unit, return_fields)


def _phase_tensors(tensors: np.ndarray, shape: tuple[int, int], name: str, element_phases: np.ndarray) -> np.ndarray:
    if tensors.ndim != 3 or tensors.shape[1:] != shape or not np.all(np.isfinite(tensors)):
        raise InputError(f"{name}: expected finite values of shape (P, {shape[0]}, {shape[1]}), got {tensors.shape}")
    if element_phases.max(initial=0) >= tensors.shape[0]:
        raise InputError(f"phases: phase id {element_phases.max()} used but {name} has only {tensors.shape[0]} phases")
    if not np.allclose(tensors, np.swapaxes(tensors, 1, 2), rtol=0.0, atol=1e-12 * np.abs(tensors).max()):
        raise InputError(f"{name}: every phase tensor must be symmetric")
    smallest = np.linalg.eigvalsh(tensors)[:, 0]
    if np.any(smallest <= 0):
        raise InputError(f"{name}: every phase tensor must be positive definite; phase {int(np.argmin(smallest))} "
                         f"has eigenvalue {smallest.min():g}")
    return tensors


def _loads(loads, n: int, name: str) -> np.ndarray:
    if loads is None:
        return np.eye(n)
    arr = np.atleast_2d(np.asarray(loads, dtype=float))
    if arr.ndim != 2 or arr.shape[1] != n or arr.shape[0] == 0 or not np.all(np.isfinite(arr)):
        raise InputError(f"{name}: expected finite values of shape (n_loads, {n}), got {np.shape(loads)}")
    return arr


def _components(field, problem: str) -> np.ndarray:
    """Gradient (d, ...) of a scalar field, or Mandel strain (m, ...) of a vector field."""
    grad = np.asarray(field.grad)
    if problem == "conductivity":
        return grad
    i, j = np.array(MANDEL_PAIRS[grad.shape[0]]).T
    weight = np.where(i == j, 1.0, np.sqrt(2.0)).reshape((-1,) + (1,) * (grad.ndim - 2))
    return 0.5 * weight * (grad[i, j] + grad[j, i])


def _solve_cell(problem, mesh, element_phases, tensors, loads, boundary_condition, unit, return_fields):
    if boundary_condition not in BOUNDARY_CONDITIONS:
        raise InputError(f"boundary_condition: got {boundary_condition!r}, expected one of {BOUNDARY_CONDITIONS}")
    start = time.perf_counter()
    d = mesh.p.shape[0]
    element = lagrange_element(mesh)
    basis = skfem.Basis(mesh, element if problem == "conductivity" else skfem.ElementVector(element), intorder=2)
    n_qp = basis.X.shape[-1]
    D = tensors[element_phases]                                            # (n_el, n, n)
    coefficient = np.broadcast_to(np.moveaxis(D, 0, -1)[..., None], D.shape[1:] + (mesh.nelements, n_qp))

    # the flux D grad(phi) of each basis function is computed once (scikit-fem passes the
    # same basis-function objects for every pair of the local matrix), not once per pair
    flux_of = {}

    @skfem.BilinearForm
    def energy(u, v, w):
        if id(u) not in flux_of:
            flux_of[id(u)] = (u, np.einsum("ij...,j...->i...", w.D, _components(u, problem)))
        return np.sum(flux_of[id(u)][1] * _components(v, problem), axis=0)

    A = energy.assemble(basis, D=coefficient)
    t_assembly = time.perf_counter() - start

    # imposed mean gradient: grad u for conductivity, displacement gradient E (symmetric) for elasticity
    E = loads if problem == "conductivity" else from_mandel(loads)
    corner = int(np.argmin(np.sum(mesh.p - mesh.p.min(axis=1, keepdims=True), axis=0)))
    constraint = values = None
    affine = affine_lift(basis, E)
    if boundary_condition == "affine":  # solve for u itself, with u = E.x on the boundary
        on_boundary = boundary_dofs(basis)
        lift = affine_lift(basis, E, dofs=on_boundary)
        P = dirichlet_condensation(basis, on_boundary)
    else:  # solve for the fluctuation w, u = E.x + w
        lift = affine
        if boundary_condition == "periodic":
            P = periodic_condensation(basis, fixed_node=corner)
        else:
            P = dirichlet_condensation(basis, basis.nodal_dofs[:, corner])
            constraint = mean_gradient_constraint(basis)
            values = E.reshape(len(E), -1).T
    solved = solve_constrained(A, lift, P, constraint, values, iterative=d == 3)
    t_solve = time.perf_counter() - start - t_assembly

    weights = basis.dx.ravel()
    volume = weights.sum()
    gradient = np.stack([_components(basis.interpolate(u), problem).reshape(D.shape[1], -1) for u in solved.u.T])
    flux = np.einsum("eij,ljeq->lieq", D, gradient.reshape(len(loads), D.shape[1], mesh.nelements, n_qp))
    flux = flux.reshape(gradient.shape)
    mean_gradient = gradient @ weights / volume
    mean_flux = flux @ weights / volume
    hill_mandel = hill_mandel_residual(gradient, flux, weights)
    info = {"method": "finite elements (scikit-fem), linear Lagrange elements, sparse LU",
            "element": type(element).__name__, "n_elements": int(mesh.nelements), "n_dofs": int(basis.N),
            "n_unknowns": int(P.shape[1] + (0 if constraint is None else constraint.shape[0])),
            "volume": float(volume), "mean_gradient": mean_gradient,
            "timings": {"assembly": t_assembly, "solve": t_solve, "total": time.perf_counter() - start}}
    if solved.multipliers is not None:
        # stationarity A u = -G^T lambda: the boundary carries the uniform traction -lambda n
        traction = -solved.multipliers.T
        if problem == "elasticity":
            tensor = traction.reshape(len(loads), d, d)
            traction = to_mandel(0.5 * (tensor + np.swapaxes(tensor, 1, 2)))
        info["multiplier_flux"] = traction
    fields = None
    if return_fields:
        fields = {"gradient": gradient, "flux": flux, "weights": weights,
                  "points": basis.global_coordinates().reshape(d, -1), "fluctuation": (solved.u - affine).T}
        if problem == "elasticity":
            fields.update(strain=gradient, stress=flux)
    residual = solved.residual
    return CellSolution(effective=effective_from_loads(loads, mean_flux), unit=unit, problem=problem,
                        boundary_condition=boundary_condition, loads=loads, mean_flux=mean_flux,
                        iterations=np.zeros(len(loads), dtype=int), residual=residual,
                        converged=bool(np.all(np.isfinite(mean_flux)) and np.all(residual < 1e-6)),
                        hill_mandel=hill_mandel, fields=fields, info=info)
