r"""The four scales of the catalysis chain as ``Model`` s.

atomistic (TST rate constants) -> surface (mean-field steady state, TOF) ->
pellet (reaction-diffusion, effectiveness factor) -> reactor (plug flow, conversion).

Each coarse model holds the fine model under it as ``fine`` and reaches it through
a :class:`~scalebridge.coupling.hierarchical.Tabulated` bridging law, so the fine
model is solved once on a grid, not at every coarse evaluation.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
from scipy.constants import R as GAS_CONSTANT
from scipy.constants import h, k as k_B

from ...core.checks import check_mean_field_validity
from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...coupling.hierarchical import Tabulated
from ...laws.mechanism import Mechanism
from ...laws.transport import generalized_thiele_modulus, volume_to_surface_ratio
from ...solvers.fv import solve_spherical_pellet
from ...solvers.ode import plug_flow_reactor

__all__ = ["TransitionStateModel", "MeanFieldSurfaceModel", "PelletModel", "PackedBedModel",
           "rate_with_low_end_closure"]


def _rate_unit(gas_order: float) -> str:
    return "1/s" if gas_order == 0 else f"1/(s*Pa**{gas_order:g})"


class TransitionStateModel:
    r"""Atomistic scale: rate constants of every step from transition-state theory.

    Inputs ``temperature`` (K); outputs ``kf_<step>`` and ``kr_<step>`` in
    1/s Pa\ :sup:`-n` (n: gas molecules reacting in that direction; kr = 0 for
    irreversible steps). The characteristic time is the TST attempt period
    :math:`h/(k_B T)` at the operating temperature; the length is an interatomic
    distance.
    """

    card = {
        "role": "bridging law",
        "physics": "rate constants from transition-state theory (Eyring, harmonic TST), Arrhenius laws and "
                   "collision theory: k = (k_B T/h) exp(-dG/(k_B T))",
        "assumptions": ["a quasi-equilibrium between initial and transition state", "no tunnelling or recrossing",
                        "rate constants independent of coverage (no lateral interactions)"],
        "references": ["H. Eyring (1935), J. Chem. Phys. 3, 107", "G. H. Vineyard (1957), J. Phys. Chem. Solids 3, 121"],
        "validation": [{"test": "tests/laws/test_kinetics.py", "reference": "hand evaluation; direct level sum; "
                        "Vineyard classical limit", "status": "passing"}],
    }

    def __init__(self, mechanism: Mechanism, length: float, temperature: float):
        self.mechanism = mechanism
        self.name = "atomistic (TST)"
        self.inputs = {"temperature": Port("K", description="temperature")}
        self.outputs = {}
        for j, step in enumerate(mechanism.steps):
            self.outputs[f"kf_{step.name}"] = Port(_rate_unit(mechanism.gas_reactant_orders[j].sum()),
                                                   description=f"forward rate constant of {step.equation}")
            self.outputs[f"kr_{step.name}"] = Port(_rate_unit(mechanism.gas_product_orders[j].sum()),
                                                   description=f"reverse rate constant of {step.equation}")
        self.scale = Scale(length, h / (k_B * temperature), "atomistic")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        kf, kr = self.mechanism.rate_constants(inputs["temperature"])
        out = {}
        for j, step in enumerate(self.mechanism.steps):
            out[f"kf_{step.name}"], out[f"kr_{step.name}"] = kf[:, j], kr[:, j]
        return Evaluation(outputs=out)


class MeanFieldSurfaceModel:
    r"""Surface scale: mean-field steady state from rate constants and partial pressures.

    Inputs: the rate constants of :class:`TransitionStateModel` and
    ``pressure_<gas>`` (Pa). Outputs: ``tof`` (net production of ``product``, 1/s per
    site) and ``coverage_<species>``. Pressures are folded into the rate constants,
    :math:`k_\mathrm{eff} = k \prod_g p_g^{\nu_g}`, then the batched steady-state
    engine solves :math:`d\theta/dt = 0` with the site balance exact.

    ``validity`` (optional): the arguments of
    :func:`~scalebridge.core.checks.check_mean_field_validity` (lateral interaction
    energy / k_B T, reaction and hop rates of the lattice); the model then reports
    the advisor's verdict among its :meth:`fidelity_checks`, read by ``run_checks``.
    """

    card = {
        "role": "closure",
        "physics": "mean-field microkinetics: steady coverages from sum_j nu_sj k_j prod theta^nu = 0 and the "
                   "site balance; turnover frequency of the product",
        "assumptions": ["well-mixed adsorbate layer (no correlations)", "one kind of site",
                        "isothermal surface"],
        "references": ["J. A. Dumesic et al. (1993), The Microkinetics of Heterogeneous Catalysis, ACS",
                       "C. T. Campbell (2001), J. Catal. 204, 520 (degree of rate control)"],
        "validation": [{"test": "tests/laws/test_microkinetics.py", "reference": "closed-form steady state of an "
                        "analytic mechanism; degrees of rate control sum to one", "status": "passing"},
                       {"test": "tests/apps/test_catalysis_kmc.py", "reference": "lattice kMC of the same "
                        "mechanism (agreement when well mixed)", "status": "passing"}],
    }

    def __init__(self, mechanism: Mechanism, product: str, length: float, validity: Mapping[str, float] | None = None):
        if product not in mechanism.gases:
            raise InputError(f"product: {product!r} is not a gas of the mechanism; gases are {mechanism.gases}")
        self.mechanism, self.product = mechanism, product
        self.name = "surface (mean field)"
        atoms = {k: p for k, p in TransitionStateModel(mechanism, length, 300.0).outputs.items()}
        self.inputs = {**atoms, **{f"pressure_{g}": Port("Pa", description=f"partial pressure of {g}")
                                   for g in mechanism.gases}}
        self.outputs = {"tof": Port("1/s", description=f"turnover frequency of {product} per site"),
                        **{f"coverage_{s}": Port("", description=f"fractional coverage of {s}")
                           for s in mechanism.surface_species}}
        self.scale = Scale(length, math.inf, "surface")
        self.validity = None if validity is None else dict(validity)

    def fidelity_checks(self) -> list:
        """Is the mean-field closure valid? The advisor's verdict when ``validity`` is known (no solve)."""
        return [] if self.validity is None else [check_mean_field_validity(**self.validity)]

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        mech = self.mechanism
        kf = np.stack([inputs[f"kf_{s.name}"] for s in mech.steps], axis=-1)
        kr = np.stack([inputs[f"kr_{s.name}"] for s in mech.steps], axis=-1)
        p = np.stack([inputs[f"pressure_{g}"] for g in mech.gases], axis=-1)
        fold = lambda nu: np.prod(p[:, None, :] ** nu, axis=-1)  # noqa: E731  (0**0 = 1)
        result = mech.network.steady_state(kf * fold(mech.gas_reactant_orders), kr * fold(mech.gas_product_orders))
        stoich = mech.gas_product_orders - mech.gas_reactant_orders
        tof = result.net_rates @ stoich[:, mech.gases.index(self.product)]
        out = {"tof": tof, **{f"coverage_{s}": result.coverages[:, i] for i, s in enumerate(mech.surface_species)}}
        return Evaluation(outputs=out, info={"residual": float(np.max(result.residual)),
                                                               "newton_iterations": result.newton_iterations})


def rate_with_low_end_closure(table: Tabulated, output: str, factor: float):
    r"""A rate law ``c -> (R, dR/dc)`` from a log-log table, first order below it.

    :math:`R(c) = f\,y(c)` with ``y`` the tabulated ``output``. Below the table
    (:math:`c < c_\min`) the rate is continued linearly to zero,
    :math:`R = R(c_\min)\,c/c_\min` (the low-coverage, first-order limit of
    Langmuir–Hinshelwood kinetics); above it, Newton iterates are clamped to the
    table's end. Tables span many decades below the operating point, so the
    closure only touches negligible rates.
    """
    lo, hi = table.range

    def rate(c):
        c = np.asarray(c, dtype=float)
        x = np.clip(c, lo, hi)
        ev = table.evaluate({table.input: x.ravel()})
        y = ev[output].reshape(c.shape)
        dy = ev.tangents[(output, table.input)].reshape(c.shape)
        low = c < lo
        r = np.where(low, factor * table.table[output][0] * np.maximum(c, 0.0) / lo, factor * y)
        dr = np.where(low, factor * table.table[output][0] / lo, np.where(c > hi, 0.0, factor * dy))
        return r, dr

    return rate


class PelletModel:
    r"""Pellet scale: steady reaction–diffusion of the reactant in a porous sphere.

    .. math:: D_\mathrm{eff}\,\frac{1}{r^2}\frac{d}{dr}\Big(r^2\frac{dc}{dr}\Big)
              = \rho_s\,\mathrm{TOF}(c\,R_g T), \qquad c(R_p) = c_s

    with :math:`\rho_s` the active-site concentration (mol/m^3 of pellet) and the
    TOF from the surface model, tabulated over the reactant's partial pressure
    (ideal gas in the pores, :math:`p = c R_g T`). Input ``concentration`` (c_s,
    mol/m^3); outputs ``effectiveness_factor``, ``pellet_rate`` (mol/(m^3 s) of
    pellet) and ``thiele_modulus`` (generalized, Aris–Bischoff, for which
    :math:`\eta \to 1/\phi` at strong diffusion limitation).
    """

    card = {
        "role": "solver",
        "physics": "steady reaction-diffusion in a porous sphere, D_eff (1/r^2)(r^2 c')' = rho_s TOF(c R T)",
        "assumptions": ["isothermal pellet", "effective (Fickian) pore diffusion D_eff = D eps/tau",
                        "ideal gas in the pores"],
        "references": ["R. Aris (1975), The Mathematical Theory of Diffusion and Reaction in Permeable Catalysts",
                       "K. B. Bischoff (1965), AIChE J. 11, 351"],
        "validation": [{"test": "tests/solvers/test_fv.py", "reference": "Thiele closed form (first order), "
                        "scipy solve_bvp (Langmuir-Hinshelwood)", "status": "passing"}],
    }

    def __init__(self, surface: MeanFieldSurfaceModel, surface_table: Tabulated, temperature: float,
                 radius: float, diffusivity: float, site_concentration: float, n_cells: int = 200):
        self.name = "pellet"
        self.fine, self.children = surface, [surface_table]
        self.temperature, self.radius, self.diffusivity = temperature, radius, diffusivity
        self.n_cells = n_cells
        self.inputs = {"concentration": Port("mol/m^3", description="reactant concentration at the pellet surface")}
        self.outputs = {"effectiveness_factor": Port("", description="volume-averaged over surface rate"),
                        "pellet_rate": Port("mol/(m^3*s)", description="observed rate per pellet volume"),
                        "thiele_modulus": Port("", description="generalized Thiele modulus")}
        self.scale = Scale(radius, math.inf, "pellet")
        self._rate_of_pressure = rate_with_low_end_closure(surface_table, "tof", site_concentration)

    def rate(self, c):
        """Consumption rate per pellet volume and its derivative, ``(R(c), dR/dc)``."""
        RT = GAS_CONSTANT * self.temperature
        r, dr_dp = self._rate_of_pressure(np.asarray(c, dtype=float) * RT)
        return r, dr_dp * RT

    def solve(self, surface_concentration):
        """The pellet profile(s): a :class:`~scalebridge.solvers.fv.PelletSolution`."""
        return solve_spherical_pellet(self.rate, self.radius, self.diffusivity, surface_concentration,
                                      n_cells=self.n_cells)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        c_s = np.asarray(inputs["concentration"], dtype=float)
        sol = self.solve(c_s)
        eta = np.atleast_1d(sol.effectiveness_factor)
        phi = np.atleast_1d(generalized_thiele_modulus(self.rate, c_s, self.diffusivity,
                                                       volume_to_surface_ratio(self.radius, "sphere")))
        return Evaluation(outputs={"effectiveness_factor": eta, "pellet_rate": eta * self.rate(c_s)[0],
                                   "thiele_modulus": phi},
                          info={"newton_iterations": sol.iterations, "residual": sol.residual_norm})

    def parameters(self) -> dict[str, Any]:
        return {"radius_m": self.radius, "effective_diffusivity_m2_s": self.diffusivity,
                "temperature_K": self.temperature, "cells": self.n_cells}


class PackedBedModel:
    r"""Reactor scale: isothermal plug flow through a bed of pellets.

    .. math:: u\,\frac{dC}{dz} = -(1-\varepsilon_b)\,\eta(C)\,R(C), \qquad
              X(z) = 1 - C(z)/C_\mathrm{in}

    with the pellet's observed rate :math:`\eta R` tabulated over the bulk
    concentration (external film resistance neglected: :math:`c_s = C`). Input
    ``inlet_concentration`` (mol/m^3); output ``outlet_conversion``.
    """

    card = {
        "role": "solver",
        "physics": "isothermal plug flow, u dC/dz = -(1 - eps_b) eta R(C)",
        "assumptions": ["plug flow (no axial dispersion)", "no external film resistance", "isothermal bed"],
        "references": ["O. Levenspiel (1999), Chemical Reaction Engineering, 3rd ed., ch. 18"],
        "validation": [{"test": "tests/solvers/test_ode.py", "reference": "closed-form first-order conversion",
                        "status": "passing"}],
    }

    def __init__(self, pellet: PelletModel, pellet_table: Tabulated, length: float, velocity: float,
                 bed_porosity: float, n_points: int = 201):
        self.name = "reactor (plug flow)"
        self.fine, self.children = pellet, [pellet_table]
        self.length, self.velocity, self.bed_porosity, self.n_points = length, velocity, bed_porosity, n_points
        self.inputs = {"inlet_concentration": Port("mol/m^3", description="reactant concentration at the inlet")}
        self.outputs = {"outlet_conversion": Port("", description="reactant conversion at the outlet")}
        self.scale = Scale(length, math.inf, "reactor")
        self._rate = rate_with_low_end_closure(pellet_table, "pellet_rate", 1.0 - bed_porosity)

    def profile(self, inlet_concentration):
        """Concentration and conversion along the bed: a :class:`~scalebridge.solvers.ode.PlugFlowSolution`."""
        return plug_flow_reactor(lambda C: self._rate(C)[0], inlet_concentration, self.velocity, self.length,
                                 n_points=self.n_points, rate_derivative=lambda C: self._rate(C)[1])

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        sol = self.profile(np.asarray(inputs["inlet_concentration"], dtype=float))
        return Evaluation(outputs={"outlet_conversion": np.atleast_2d(sol.conversion)[:, -1]})

    def parameters(self) -> dict[str, Any]:
        return {"length_m": self.length, "superficial_velocity_m_s": self.velocity,
                "bed_porosity": self.bed_porosity}
