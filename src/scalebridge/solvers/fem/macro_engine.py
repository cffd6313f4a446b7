r"""Engine internals of :mod:`.macro`: quadrature-point assembly and the batched material call.

The residual and Jacobian are scikit-fem forms fed with quadrature-point data
(arrays of shape (..., n_elements, n_qp) passed through ``w``):

.. math:: f_{int} = \int_\Omega B^T q\,dV, \qquad
          K = \int_\Omega B^T C\,B\,dV + \int_\Omega B^T C_u N\,dV,

with :math:`B` the gradient (conduction) or Mandel strain (mechanics) operator of
:func:`scalebridge.solvers.fem.cell._components`, so the ordering of the Mandel
components is that of :mod:`scalebridge.solvers.tensors`. The material sees the
points of all elements as one batch, point index ``e * n_qp + k`` (element e,
quadrature point k).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import skfem

from ...core.errors import ConvergenceError, InputError
from ..tensors import mandel_size
from .cell import _components
from .mesh import lagrange_element

__all__ = ["PROBLEMS", "MacroStep", "StepFailed", "Engine"]

PROBLEMS = ("conduction", "mechanics")


@dataclass(frozen=True)
class MacroStep:
    """What the engine tells the material at every call (third argument ``step``).

    Attributes
    ----------
    index : int
        Number of load steps converged so far (the step being solved, from 0).
    load_factor : float
        Load factor :math:`\\lambda` being solved for.
    iteration : int
        Newton iteration (0: start of the step; line-search trials share the number).
    x : ndarray, shape (n_points, d)
        Coordinates of the quadrature points (same order as the gradients).
    u : ndarray, shape (n_points, c)
        Field value at the quadrature points (c = 1 conduction, d mechanics).
    """

    index: int
    load_factor: float
    iteration: int
    x: np.ndarray
    u: np.ndarray


class StepFailed(Exception):
    """A load step did not converge; the caller cuts the increment back."""


def _forms(kind: str):
    """Tangent, field-tangent and internal-force forms of a problem kind (quadrature-point data via ``w``)."""

    def strain(field):
        return _components(field, kind)

    @skfem.BilinearForm
    def tangent(u, v, w):
        return np.einsum("ij...,j...,i...->...", w.C, strain(u), strain(v))

    @skfem.BilinearForm
    def field_tangent(u, v, w):
        value = np.asarray(u)
        value = value if value.ndim == 3 else value[None]
        return np.einsum("ic...,c...,i...->...", w.Cu, value, strain(v))

    @skfem.LinearForm
    def internal_force(v, w):
        return np.einsum("i...,i...->...", w.q, strain(v))

    return tangent, field_tangent, internal_force


class Engine:
    """Assembly and material evaluation of one mesh/problem (internal)."""

    def __init__(self, mesh, problem, material):
        if problem not in PROBLEMS:
            raise InputError(f"problem: got {problem!r}, expected one of {PROBLEMS}")
        element = lagrange_element(mesh)
        self.d = mesh.p.shape[0]
        self.kind = "conductivity" if problem == "conduction" else "elasticity"
        self.n = self.d if problem == "conduction" else mandel_size(self.d)
        self.n_comp = 1 if problem == "conduction" else self.d
        self.basis = skfem.Basis(mesh, element if problem == "conduction" else skfem.ElementVector(element),
                                 intorder=2)
        self.shape_qp = self.basis.dx.shape                       # (n_elements, n_qp)
        self.n_points = int(np.prod(self.shape_qp))
        self.weights = self.basis.dx.ravel()
        self.x = np.asarray(self.basis.global_coordinates()).reshape(self.d, -1).T
        self.material = material
        self.forms = _forms(self.kind)
        self.timings = {"material": 0.0, "assembly": 0.0, "solve": 0.0, "material_calls": 0}

    def _qp(self, a):
        """(n_points, ...) batch -> (..., n_elements, n_qp) scikit-fem layout."""
        return np.moveaxis(a, 0, -1).reshape(a.shape[1:] + self.shape_qp)

    def fields(self, u):
        f = self.basis.interpolate(u)
        g = _components(f, self.kind).reshape(self.n, -1).T
        value = np.asarray(f).reshape(self.n_comp, -1).T
        return g, value

    def evaluate(self, u, state, step_index, load_factor, iteration):
        """Material at all points: (g, q, C, Cu or None, new_state); StepFailed on non-finite output
        or when the material raises :class:`ConvergenceError`."""
        g, value = self.fields(u)
        start = time.perf_counter()
        try:
            out = self.material(g, state, MacroStep(step_index, load_factor, iteration, self.x, value))
        except ConvergenceError as exc:  # e.g. a micro Newton: fail the step, so it is cut back
            raise StepFailed(f"material did not converge: {exc}") from None
        finally:
            self.timings["material"] += time.perf_counter() - start
        self.timings["material_calls"] += 1
        if not isinstance(out, tuple) or len(out) not in (3, 4):
            raise InputError("material: expected a tuple (flux, tangent, new_state[, field_tangent]), got "
                             f"{type(out).__name__}{'' if not isinstance(out, tuple) else f' of length {len(out)}'}")
        q = self._checked(out[0], (self.n_points, self.n), "flux")
        C = self._checked(out[1], (self.n_points, self.n, self.n), "tangent")
        Cu = None
        if len(out) == 4 and out[3] is not None:
            Cu = np.asarray(out[3], dtype=float)
            Cu = Cu[..., None] if self.n_comp == 1 and Cu.ndim == 2 else Cu
            Cu = self._checked(Cu, (self.n_points, self.n, self.n_comp), "field_tangent")
        bad = ~np.isfinite(q).all(axis=1) | ~np.isfinite(C).all(axis=(1, 2))
        if Cu is not None:
            bad |= ~np.isfinite(Cu).all(axis=(1, 2))
        if bad.any():
            index = np.flatnonzero(bad)
            raise StepFailed(f"non-finite material output at {index.size} point(s), batch indices "
                              f"{index[:20].tolist()}{' ...' if index.size > 20 else ''}")
        return g, q, C, Cu, out[2]

    def _checked(self, a, shape, name):
        a = np.asarray(a, dtype=float)
        if a.shape != shape:
            raise InputError(f"material {name}: expected shape {shape} (n_points, ...), got {a.shape}")
        return a

    def internal_force(self, q):
        start = time.perf_counter()
        f = self.forms[2].assemble(self.basis, q=self._qp(q))
        self.timings["assembly"] += time.perf_counter() - start
        return f

    def jacobian(self, C, Cu):
        start = time.perf_counter()
        K = self.forms[0].assemble(self.basis, C=self._qp(C))
        if Cu is not None:
            K = K + self.forms[1].assemble(self.basis, Cu=self._qp(Cu))
        self.timings["assembly"] += time.perf_counter() - start
        return sp.csc_matrix(K)
