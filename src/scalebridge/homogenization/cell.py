r"""One front door to the cell solvers, and the RVE as a ``Model``.

``homogenize(phases, properties, problem, method, boundary_condition)`` dispatches to
the FFT solver (:mod:`scalebridge.solvers.fft`, periodic) or the finite-element solver
(:mod:`scalebridge.solvers.fem`, periodic / affine / traction) and returns their
:class:`~scalebridge.solvers.cell.CellSolution`; :func:`effective_tensor` gives the
effective tensor as a pint quantity.

:func:`rve_model` puts a cell behind :func:`~scalebridge.core.combinators.upscale`: a
coarse model whose input is the macroscopic gradient (or strain) at a batch of
material points and whose output is the mean flux (or stress), with the effective
tensor as its consistent tangent. For a linear cell the tensor is computed once, on
first use (hierarchical coupling); nonlinear cells (issue 4) solve per point.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from ..core.combinators import upscale
from ..core.consistency import check_hill_mandel
from ..core.errors import InputError
from ..core.model import Evaluation, Port, Scale
from ..core.units import Quantity
from ..solvers.cell import CellSolution
from ..solvers.tensors import mandel_size

__all__ = ["METHODS", "homogenize", "effective_tensor", "CellModel", "rve_model"]


def _fft():
    from ..solvers import fft

    return {"conductivity": fft.solve_conductivity, "elasticity": fft.solve_elasticity}


def _fe():
    from ..solvers import fem

    return {"conductivity": fem.solve_conductivity_fe, "elasticity": fem.solve_elasticity_fe}


#: Cell solvers by name, and the boundary conditions each supports.
METHODS: dict[str, tuple[Callable[[], dict], tuple[str, ...]]] = {
    "fft": (_fft, ("periodic",)),
    "fe": (_fe, ("periodic", "affine", "traction")),
}
PROBLEMS = ("conductivity", "elasticity")


def homogenize(phases, properties, problem: str = "conductivity", *, method: str = "fft",
               boundary_condition: str = "periodic", loads=None, unit: str = "", **options) -> CellSolution:
    r"""Effective (or apparent) tensor of a voxel cell.

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Phase id per voxel of a periodic unit cell.
    properties : ndarray
        Per phase: conductivities (P,) or (P, d, d), or Mandel stiffnesses (P, m, m).
    problem : {"conductivity", "elasticity"}
        Conductivity-type (heat, electric, diffusion: <q> = K <g>) or small-strain
        linear elasticity (<sigma> = C <epsilon>, Mandel notation; 2-D is plane strain).
    method : {"fft", "fe"}
    boundary_condition : {"periodic", "affine", "traction"}
        ``"fft"`` supports periodic only.
    loads : ndarray, optional
        Imposed mean gradients (n, d) or strains (n, m); default: all unit load cases.
    unit : str
        Unit of ``properties`` (carried to the result, e.g. ``"W/(m*K)"``, ``"GPa"``).
    **options
        Passed to the solver (``operator``, ``scheme``, ``tol``, ``return_fields`` ...).
    """
    if problem not in PROBLEMS:
        raise InputError(f"problem: got {problem!r}, expected one of {PROBLEMS}")
    if method not in METHODS:
        raise InputError(f"method: got {method!r}, expected one of {sorted(METHODS)}")
    solvers, conditions = METHODS[method]
    if boundary_condition not in conditions:
        raise InputError(f"boundary_condition {boundary_condition!r} is not available with method "
                         f"{method!r}; it supports {conditions}")
    if method == "fe":
        options["boundary_condition"] = boundary_condition
    return solvers()[problem](phases, properties, loads, unit=unit, **options)


def effective_tensor(solution: CellSolution) -> Quantity:
    """The effective tensor of a solution as a pint quantity in its unit."""
    return Quantity(solution.effective, solution.unit or "dimensionless")


class CellModel:
    r"""A linear cell as a ``Model``: mean gradient (strain) in, mean flux (stress) out.

    Inputs ``gradient`` (d,) [``gradient_unit``] or ``strain`` (m,) Mandel; outputs
    ``flux`` (d,) or ``stress`` (m,) in ``flux_unit``; tangents
    d(flux)/d(gradient) = the effective tensor at every point. The effective tensor
    is computed by one :func:`homogenize` call (all load cases) on first use.

    With ``per_point=True`` every evaluation solves the cell again with the batch of
    macroscopic gradients as its load cases (true FE² for a linear cell: one cell solve
    per macro point) and returns the volume-averaged fluxes of those solves.
    """

    card = {
        "role": "bridging law",
        "physics": "effective tensor of a periodic (or affine/traction) cell problem: <sigma> = C_eff <eps>, "
                   "by FFT (Fourier-Galerkin CG) or finite elements",
        "assumptions": ["scale separation (cell << macro length)", "linear phases", "the cell is representative"],
        "references": ["H. Moulinec, P. Suquet (1998), Comput. Methods Appl. Mech. Eng. 157, 69",
                       "F. Willot (2015), C. R. Mécanique 343, 232", "R. Hill (1963), J. Mech. Phys. Solids 11, 357"],
        "validation": [{"test": "tests/solvers/test_fft.py", "reference": "laminate means, checkerboard "
                        "(Keller 1964), Perrins et al. (1979) table, Hashin-Shtrikman bounds", "status": "passing"},
                       {"test": "tests/homogenization/test_fft_vs_fe.py", "reference": "FE cell solver",
                        "status": "passing"}],
    }

    def __init__(self, phases, properties, problem: str = "conductivity", *, method: str = "fft",
                 boundary_condition: str = "periodic", cell_size: Any = "10 um", property_unit: str = "",
                 gradient_unit: str = "", name: str = "RVE", per_point: bool = False, **options):
        self.phases = np.asarray(phases)
        self.properties = np.asarray(properties, dtype=float)
        if problem not in PROBLEMS:
            raise InputError(f"problem: got {problem!r}, expected one of {PROBLEMS}")
        dim = self.phases.ndim
        n = dim if problem == "conductivity" else mandel_size(dim)
        g, q = ("gradient", "flux") if problem == "conductivity" else ("strain", "stress")
        flux_unit = (f"({property_unit})*({gradient_unit})" if gradient_unit else property_unit) or ""
        self.problem, self.name, self._names = problem, name, (g, q)
        self.inputs = {g: Port(gradient_unit, (n,), f"macroscopic mean {g}")}
        self.outputs = {q: Port(flux_unit, (n,), f"volume-averaged {q}")}
        self.scale = Scale(cell_size, np.inf, name)
        self.method, self.boundary_condition, self.property_unit = method, boundary_condition, property_unit
        self.options, self.per_point = options, per_point
        self._solution: CellSolution | None = None

    @property
    def solution(self) -> CellSolution:
        """The cell solution (all unit load cases), computed on first use."""
        if self._solution is None:
            self._solution = homogenize(self.phases, self.properties, self.problem, method=self.method,
                                        boundary_condition=self.boundary_condition, unit=self.property_unit,
                                        **self.options)
        return self._solution

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        g, q = self._names
        K = self.solution.effective
        grad = np.asarray(inputs[g], dtype=float)
        if self.per_point:
            solved = homogenize(self.phases, self.properties, self.problem, method=self.method,
                                boundary_condition=self.boundary_condition, loads=grad, unit=self.property_unit,
                                **self.options)
            flux = solved.mean_flux
        else:
            flux = grad @ K.T
        tangent = np.broadcast_to(K, (len(grad),) + K.shape)
        return Evaluation(outputs={q: flux}, tangents={(q, g): tangent},
                          info={"hill_mandel": float(np.max(self.solution.hill_mandel))})

    def sample_inputs(self) -> dict[str, np.ndarray]:
        """Two fixed mean gradients (strains) of unit size, for the tangent check of ``run_checks``."""
        g = self._names[0]
        n = self.inputs[g].shape[0]
        return {g: np.stack([np.linspace(1.0, 0.5, n), np.linspace(-0.3, 0.8, n)])}

    def self_checks(self) -> list:
        """The Hill–Mandel residual of the cell's boundary conditions over its unit load cases."""
        return [check_hill_mandel(self.solution.hill_mandel, name=f"{self.name} ({self.boundary_condition})")]

    def parameters(self) -> dict[str, Any]:
        return {"grid": list(self.phases.shape), "phases": int(self.properties.shape[0]), "problem": self.problem,
                "method": self.method, "boundary_condition": self.boundary_condition, "per_point": self.per_point}


def rve_model(cell: CellModel, *, scale: Scale, name: str = "material point") -> Any:
    """The cell behind :func:`~scalebridge.core.combinators.upscale` at the macroscopic ``scale``.

    The coarse gradient (strain) is lifted unchanged to the cell (first-order
    homogenization: the macroscopic gradient is the cell's mean gradient) and the
    mean flux (stress) is restricted unchanged; ``scalebridge check`` then reports the
    scale separation between the macro scale and the cell size.
    """
    g, q = cell._names

    def restrict(ev: Evaluation, coarse):
        return {q: ev[q]}, {(q, g): ev.tangents[(q, g)]}

    return upscale(cell, lift=lambda coarse: {g: coarse[g]}, restrict=restrict,
                   inputs=dict(cell.inputs), outputs=dict(cell.outputs), scale=scale, name=name)
