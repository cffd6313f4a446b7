r"""A nonlinear, history-dependent RVE as a ``Model``: the micro model of concurrent FE².

:class:`NonlinearCellModel` wraps :func:`~scalebridge.solvers.fem.nonlinear_cell.solve_nonlinear_cell`:
at every macro (integration) point the macro strain :math:`E` is imposed on a periodic
cell whose phases are linear elastic or J2 elastoplastic (or a nonlinear conductor),
the cell is solved by Newton from the last *committed* state, and the model returns

* the mean stress :math:`\Sigma = \langle\sigma\rangle` (port ``stress``, Mandel),
* the condensed consistent macro tangent :math:`d\Sigma/dE` (tangent ``("stress", "strain")``),
* the NEW internal state (plastic strain, hardening variable and fluctuation at every
  micro quadrature point, a dict of arrays with the batch axis first).

The model never commits: the macro solver passes the committed state at every
macro Newton iteration and keeps the returned state only when the macro step has
converged (Kouznetsova, Brekelmans & Baaijens 2001, Comput. Mech. 27, 37; Miehe &
Koch 2002, Arch. Appl. Mech. 72, 300). The object holds only arrays, strings and
numbers (no lambdas, no cached meshes in its pickle), so
:class:`~scalebridge.coupling.on_the_fly.OnTheFly` can ship it to process or dask workers.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.errors import InputError
from ..core.model import Evaluation, Port, Scale
from ..solvers.fem.nonlinear_cell import PROBLEMS, discretise_cell, initial_cell_state, solve_nonlinear_cell
from ..solvers.tensors import mandel_size

__all__ = ["NonlinearCellModel"]


class NonlinearCellModel:
    r"""A nonlinear periodic voxel cell as a history-dependent ``Model`` (strain -> stress, gradient -> flux).

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Voxel phase map of the cell (2-D is plane strain).
    materials : sequence of dict
        One per phase, as in :func:`~scalebridge.solvers.fem.nonlinear_cell.solve_nonlinear_cell`
        (``{"stiffness": ...}``, J2 ``{"bulk_modulus", "shear_modulus", "yield_stress",
        "hardening_modulus"}`` in Pa, or ``{"conductivity", "nonlinearity"}``).
    problem : {"mechanics", "conduction"}
        Ports ``strain`` (m,) -> ``stress`` (m,) [``stress_unit``], or ``gradient`` (d,)
        [K/m] -> ``flux`` (d,) [W/m^2].
    cell_size : quantity or str
        Edge length of the cell (for scale-separation checks).
    boundary_condition : {"periodic", "affine"}
    tol, max_iter, line_search
        Micro Newton settings.
    stress_unit : str
        Unit of the material moduli and of the output stress (default Pa).
    """

    def __init__(self, phases, materials, problem: str = "mechanics", *, cell_size: Any = "10 um",
                 boundary_condition: str = "periodic", tol: float = 1e-10, max_iter: int = 30,
                 line_search: bool = True, stress_unit: str = "Pa", name: str = "nonlinear RVE"):
        if problem not in PROBLEMS:
            raise InputError(f"{name}: problem {problem!r}, expected one of {PROBLEMS}")
        self.phases = np.asarray(phases).astype(int)
        if self.phases.ndim not in (2, 3):
            raise InputError(f"{name}: phases must be a 2-D or 3-D voxel map, got shape {self.phases.shape}")
        self.materials = [dict(m) for m in materials]
        self.problem, self.name, self.boundary_condition = problem, name, boundary_condition
        self.tol, self.max_iter, self.line_search = float(tol), int(max_iter), bool(line_search)
        dim = self.phases.ndim
        if problem == "mechanics":
            n, self._names = mandel_size(dim), ("strain", "stress")
            units = ("", stress_unit)
        else:
            n, self._names = dim, ("gradient", "flux")
            units = ("K/m", "W/m**2")
        g, q = self._names
        self.inputs = {g: Port(units[0], (n,), f"macroscopic mean {g}" + (" (Mandel)" if n != dim else ""))}
        self.outputs = {q: Port(units[1], (n,), f"volume-averaged {q}")}
        self.scale = Scale(cell_size, np.inf, name)
        discretise_cell(self.phases, problem=problem, boundary_condition=boundary_condition)  # validates

    def _cell(self):
        return discretise_cell(self.phases, problem=self.problem, boundary_condition=self.boundary_condition)

    def initial_state(self, n_points: int) -> dict[str, np.ndarray]:
        """Virgin state of ``n_points`` macro points (dict of zero arrays, batch axis first)."""
        return initial_cell_state(self._cell(), int(n_points))

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        """Solve the cell at every macro point from the committed ``state``; return the new state uncommitted."""
        g, q = self._names
        if g not in inputs:
            raise InputError(f"{self.name}: missing input {g!r}; expected inputs {list(self.inputs)}")
        result = solve_nonlinear_cell(self.phases, self.materials, np.asarray(inputs[g], dtype=float), state,
                                      problem=self.problem, boundary_condition=self.boundary_condition,
                                      tol=self.tol, max_iter=self.max_iter, line_search=self.line_search)
        return Evaluation(outputs={q: result.mean_flux}, tangents={(q, g): result.tangent}, state=result.state,
                          info={"iterations": result.iterations, "hill_mandel": float(np.max(result.hill_mandel)),
                                "residual": np.array([h[-1] for h in result.residual_history])})

    def parameters(self) -> dict[str, Any]:
        return {"grid": list(self.phases.shape), "phases": len(self.materials), "problem": self.problem,
                "boundary_condition": self.boundary_condition, "tol": self.tol, "max_iter": self.max_iter}
