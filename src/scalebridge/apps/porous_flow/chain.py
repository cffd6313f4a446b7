r"""Build the porous-flow chain: Stokes cells -> permeability table -> gas slip -> macro Darcy.

Three scales: the pore-scale cell (a square array of cylinders of period :math:`\ell`,
Stokes flow, FE), the gas (mean free path, Knudsen number of the cell's pores, slip
law) and the rock (a rectangle whose cylinder radius varies in space; steady
compressible Darcy flow, FE). The cell is solved on a grid of radii once and
tabulated (a hierarchical HMM: every macro element reads its permeability from the
table at its own radius); ``build`` wires the tree without solving anything.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...coupling.hierarchical import Tabulated
from ...laws.gas_slip import klinkenberg_coefficient, knudsen_number, mean_free_path, slip_factor
from ...solvers.fem.darcy_gas import solve_gas_darcy
from ...solvers.fem.stokes_cell import solve_stokes_cell
from .scenario import Scenario

__all__ = ["StokesCellModel", "GasDarcyModel", "build", "radius_field", "pore_radius"]


def pore_radius(radius_fraction, cell_size: float):
    r"""Equivalent pore radius of the cell, twice the hydraulic radius: :math:`r = 2A_f/P = (1 - c)\ell/(\pi a)`.

    :math:`A_f = (1 - \pi a^2)\ell^2` the pore area and :math:`P = 2\pi a\ell` the wetted perimeter
    of a cell with a cylinder of radius :math:`a\ell` (a tube of radius r has :math:`2A/P = r`).
    """
    a = np.asarray(radius_fraction, dtype=float)
    return (1.0 - np.pi * a ** 2) * cell_size / (np.pi * a)


def radius_field(s: Scenario) -> np.ndarray:
    """Cylinder radius (fraction of the cell) at the centre of every macro element, shape (nx, ny).

    A sum of ``modes`` plane waves with random directions and phases (seeded) and
    wavelength ``correlation_length``, rescaled to span ``mean +- amplitude``.
    """
    f, d = s.radius_field, s.domain
    nx, ny = d.elements
    x = (np.arange(nx) + 0.5) * d.length / nx
    y = (np.arange(ny) + 0.5) * d.width / ny
    X, Y = np.meshgrid(x, y, indexing="ij")
    rng = np.random.default_rng(s.seed)
    angle = rng.uniform(0, 2 * np.pi, f.modes)
    phase = rng.uniform(0, 2 * np.pi, f.modes)
    kw = 2 * np.pi / f.correlation_length
    g = np.sum(np.cos(kw * (np.cos(angle) * X[..., None] + np.sin(angle) * Y[..., None]) + phase), axis=-1)
    span = g.max() - g.min()
    g = np.zeros_like(g) if span == 0 else 2 * (g - g.min()) / span - 1
    return f.mean + f.amplitude * g


class StokesCellModel:
    r"""Pore scale: intrinsic permeability of a square array of cylinders from periodic Stokes flow.

    Input ``inclusion_radius`` (dimensionless, fraction of the cell period :math:`\ell`);
    outputs ``permeability`` (:math:`K_{xx}`, m^2; the array is isotropic),
    ``solid_fraction`` and ``pore_radius`` (m, :func:`pore_radius`). One Taylor–Hood FE
    solve per batch item (:func:`scalebridge.solvers.fem.stokes_cell.solve_stokes_cell`).
    """

    card = {
        "role": "solver",
        "physics": "periodic Stokes cell problem around a cylinder (Taylor-Hood P2/P1 FE); K = l^2 <w>",
        "assumptions": ["creeping (Stokes) flow in the pores", "no slip at the solid (slip enters at the gas scale)",
                        "square periodic array, flow across the cylinders"],
        "references": ["A. S. Sangani & A. Acrivos (1982), Int. J. Multiphase Flow 8, 193",
                       "J. E. Drummond & M. I. Tahir (1984), Int. J. Multiphase Flow 10, 515",
                       "B. R. Gebart (1992), J. Compos. Mater. 26, 1100"],
        "validation": [{"test": "tests/solvers/test_stokes_cell.py", "reference": "Drummond-Tahir dilute series; "
                        "Gebart lubrication limit", "status": "passing"}],
    }

    def __init__(self, cell_size: float, n: int = 32, name: str = "pore cell (Stokes FE)"):
        self.cell_size, self.n, self.name = float(cell_size), int(n), name
        self.inputs = {"inclusion_radius": Port("", description="cylinder radius / cell period")}
        self.outputs = {"permeability": Port("m^2", description="intrinsic permeability K_xx"),
                        "solid_fraction": Port("", description="solid area fraction of the meshed cell"),
                        "pore_radius": Port("m", description="equivalent pore radius 2 A_f / P")}
        self.scale = Scale(self.cell_size, math.inf, "pore cell")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        a = np.asarray(inputs["inclusion_radius"], dtype=float)
        sols = [solve_stokes_cell(float(r), self.n) for r in a]
        return Evaluation(outputs={
            "permeability": np.array([s.permeability[0, 0] for s in sols]) * self.cell_size ** 2,
            "solid_fraction": np.array([s.solid_fraction for s in sols]),
            "pore_radius": pore_radius(a, self.cell_size)})


class GasDarcyModel:
    r"""Rock scale: steady gas flow through the heterogeneous rectangle (Darcy, FE), slip from kinetic theory.

    Inputs ``inlet_pressure``, ``outlet_pressure`` (Pa); outputs ``mass_flow_rate``
    (kg/(m s), per unit depth, through the outlet) and ``conservation_imbalance``. The
    intrinsic permeability of every element comes from the Stokes-cell table at the
    element's cylinder radius; the slip factor :math:`f(\mathrm{Kn})`, :math:`\mathrm{Kn} = \lambda(p)/r`,
    at every quadrature point from the local pressure and the element's pore radius.
    """

    coupling = "hierarchical"
    card = {
        "role": "solver",
        "physics": "div(rho k f(Kn) / mu grad p) = 0, rho = pM/(RT): compressible Darcy flow with gas slip (Q1 FE, "
                   "Picard)",
        "assumptions": ["isothermal ideal gas", "steady flow", "permeability local (scale separation cell/rock)",
                        "slip law of the pore's equivalent radius"],
        "references": ["L. J. Klinkenberg (1941), API Drilling and Production Practice, 200",
                       "A. Beskok & G. E. Karniadakis (1999), Microscale Thermophys. Eng. 3, 43",
                       "F. Civan (2010), Transp. Porous Media 82, 375"],
        "validation": [{"test": "tests/apps/test_porous_flow.py", "reference": "Muskat/Klinkenberg closed forms "
                        "in 1-D; discrete mass conservation", "status": "passing"}],
    }

    def __init__(self, table: Tabulated, radii: np.ndarray, length: float, width: float, gas, slip: str):
        self.table, self.radii = table, np.asarray(radii, dtype=float)
        self.length, self.width, self.gas, self.slip = float(length), float(width), gas, slip
        self.name = "rock (gas Darcy FE)"
        self.inputs = {"inlet_pressure": Port("Pa", description="pressure at x = 0"),
                       "outlet_pressure": Port("Pa", description="pressure at x = L")}
        self.outputs = {"mass_flow_rate": Port("kg/(m*s)", description="mass flow per unit depth out of x = L"),
                        "conservation_imbalance": Port("", description="|m_in - m_out| / m_in")}
        self.scale = Scale(self.length, math.inf, "rock")
        self.children = [table]
        self.fine = table

    def cell_properties(self) -> dict[str, np.ndarray]:
        """Permeability (m^2) and pore radius (m) of every element, from the table, shape (nx, ny)."""
        ev = self.table.evaluate({"inclusion_radius": self.radii.ravel()})
        return {k: np.asarray(ev[k]).reshape(self.radii.shape) for k in ("permeability", "pore_radius")}

    def slip_function(self, pore: np.ndarray, law: str | None = None):
        """``slip(p, element) -> f`` for :func:`solve_gas_darcy`, or None for no slip."""
        law = self.slip if law is None else law
        g = self.gas
        r = pore.ravel()
        if law == "none":
            return None
        if law == "klinkenberg":
            b = np.asarray(klinkenberg_coefficient(g.viscosity, g.temperature, g.molar_mass, r))
            return lambda p, e: 1.0 + b[e][:, None] / p
        if law not in ("beskok_karniadakis", "civan"):
            raise InputError(f"slip: got {law!r}, expected none, klinkenberg, beskok_karniadakis or civan")
        lam_p = float(mean_free_path(g.viscosity, 1.0, g.temperature, g.molar_mass))
        return lambda p, e: np.asarray(slip_factor(lam_p / p / r[e][:, None], law))

    def solve(self, inlet: float, outlet: float, law: str | None = None):
        """The full macro solution (:class:`~scalebridge.solvers.fem.darcy_gas.GasFlowSolution`)."""
        props = self.cell_properties()
        g = self.gas
        return solve_gas_darcy(self.length, self.width, props["permeability"], inlet_pressure=inlet,
                               outlet_pressure=outlet, viscosity=g.viscosity, temperature=g.temperature,
                               molar_mass=g.molar_mass, slip=self.slip_function(props["pore_radius"], law))

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        pin = np.asarray(inputs["inlet_pressure"], dtype=float)
        pout = np.asarray(inputs["outlet_pressure"], dtype=float)
        sols = [self.solve(float(a), float(b)) for a, b in zip(pin, pout)]
        return Evaluation(outputs={"mass_flow_rate": np.array([s.mass_flow_out for s in sols]),
                                   "conservation_imbalance": np.array([s.imbalance for s in sols])},
                          info={"iterations": [s.iterations for s in sols]})


def knudsen_of_pressure(s: Scenario, pressure, pore: float):
    """Knudsen number of a pore of radius ``pore`` (m) at ``pressure`` (Pa) for the scenario's gas."""
    g = s.gas
    return knudsen_number(mean_free_path(g.viscosity, pressure, g.temperature, g.molar_mass), pore)


def build(s: Scenario) -> GasDarcyModel:
    """Rock (Darcy FE) -> Stokes-cell permeability table over the radius range of the field -> Stokes FE."""
    radii = radius_field(s)
    cell = StokesCellModel(s.cell.size, s.cell.mesh)
    lo, hi = float(radii.min()), float(radii.max())
    if hi - lo < 1e-6:                      # a uniform rock: a small table around its radius
        lo, hi = lo - 0.01, hi + 0.01
    table = Tabulated(cell, "inclusion_radius", np.linspace(lo, hi, s.table_points),
                      outputs=["permeability", "pore_radius", "solid_fraction"], log_outputs=True,
                      name="permeability table K(a)")
    return GasDarcyModel(table, radii, s.domain.length, s.domain.width, s.gas, s.slip)
