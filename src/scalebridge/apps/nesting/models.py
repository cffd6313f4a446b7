r"""The nesting chain as a model tree: the coarse run, the nest it drives, and their configuration checks.

The two solvers are time-stepping (``Dynamics``-like) models coupled through boundary
*histories*, so the tree exists for ``check`` and ``describe``: it states both scales and
how they talk, and checks what can be checked before solving:

* the cell Péclet number :math:`|u|\Delta x/D \le 2` of each grid (central fluxes stay
  monotone; LeVeque 2002, sec. 4.8; Hundsdorfer & Verwer 2003, sec. I.3);
* the coarse Courant number :math:`|u|\Delta t/\Delta x \le 1`, so that the linear time
  interpolation of the nest's boundary values spans no more than one coarse cell of
  transport per coarse step;
* the nest is wider than a few coarse cells (boundary interpolation needs neighbours).
"""

from __future__ import annotations

from ...core.checks import CheckResult
from ...core.model import Scale

__all__ = ["CoarseTransport", "NestTransport", "NestedTransport"]


class _Transport:
    inputs: dict = {}
    outputs: dict = {}

    def __init__(self, name, length, cells, step, velocity, diffusivity):
        self.name, self.cells = name, cells
        self.dx, self.dt = length / cells, step
        self.velocity, self.diffusivity = velocity, diffusivity
        self.scale = Scale(length, step, name)

    def parameters(self):
        return {"cells": self.cells, "dx_m": self.dx, "dt_s": self.dt,
                "cell_peclet": abs(self.velocity) * self.dx / self.diffusivity,
                "courant": abs(self.velocity) * self.dt / self.dx}


class CoarseTransport(_Transport):
    """Advection–diffusion over the whole domain (conservative FV, Crank–Nicolson)."""

    card = {"role": "solver", "physics": "dc/dt + d(u c - D dc/dx)/dx = q on the whole domain, coarse grid",
            "assumptions": ["uniform velocity and diffusivity", "sources narrower than a cell are smeared"],
            "references": ["R. J. LeVeque (2002), Finite Volume Methods for Hyperbolic Problems, ch. 4"],
            "validation": [{"test": "tests/apps/test_nesting.py", "reference": "moving Gaussian pulse, closed form "
                            "(Crank 1975, sec. 2.2)", "status": "passing"}]}


class NestTransport(_Transport):
    """The same equation on the nest, finer in space and time, driven by the coarse boundary histories."""

    card = {"role": "solver", "physics": "the coarse equation on [a, b]: Dirichlet values from the coarse run, "
                                         "linear in space between coarse centres and in time between coarse steps",
            "assumptions": ["one-way: the nest does not feed back", "inflow information is the coarse model's"],
            "references": ["N. A. Phillips, J. Shukla (1973), J. Appl. Meteor. 12, 697",
                           "H. C. Davies (1976), Q. J. R. Meteorol. Soc. 102, 405"],
            "validation": [{"test": "tests/apps/test_nesting.py", "reference": "whole-domain fine run; content "
                            "balance at the nest boundary", "status": "passing"}]}


class NestedTransport:
    """The coarse run with the nest inside it (one-way); ``self_checks`` judge the configuration without solving."""

    coupling = "concurrent"
    inputs: dict = {}
    outputs: dict = {}

    def __init__(self, coarse: CoarseTransport, nest: NestTransport):
        self.name = "one-way nesting"
        self.children = [coarse, nest]
        self.scale = coarse.scale

    def self_checks(self) -> list:
        results = []
        for model in self.children:
            p = model.parameters()
            results.append(CheckResult(f"cell Peclet {model.name}", p["cell_peclet"] <= 2.0 + 1e-12,
                                       f"|u| dx / D = {p['cell_peclet']:.3g} (central fluxes monotone up to 2)",
                                       {"model": model.name, **p}))
        coarse, nest = self.children
        c = coarse.parameters()["courant"]
        results.append(CheckResult(f"time interpolation {coarse.name} -> {nest.name}", c <= 1.0 + 1e-12,
                                   f"coarse Courant number {c:.3g} (<= 1: boundary values move at most one coarse "
                                   "cell between the coarse steps they are interpolated from)",
                                   {"model": coarse.name, "courant": c}))
        width = nest.scale.length_si / coarse.dx
        results.append(CheckResult(f"nest width {nest.name}", width >= 4,
                                   f"the nest spans {width:.3g} coarse cells (>= 4)", {"coarse_cells": width}))
        return results
