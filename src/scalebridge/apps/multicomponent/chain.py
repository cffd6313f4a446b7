r"""Build the multicomponent chain: kinetic theory (binary Ð) -> two-bulb Maxwell–Stefan diffusion.

The molecular scale (mean free path, collision time) gives the binary diffusivities,
published (``diffusivities:`` a mapping) or from Chapman–Enskog theory
(``kinetic_theory``); the apparatus scale (capillary length, bulb relaxation time of
hours) integrates the Maxwell–Stefan equations. ``build`` solves nothing.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
from scipy.constants import R as GAS_CONSTANT
from scipy.constants import k as k_B

from ...core.combinators import chain
from ...core.model import Evaluation, Port, Scale
from ...laws.maxwell_stefan import LENNARD_JONES, chapman_enskog_diffusivity, diffusivity_matrix, fick_matrix, \
    mixture_averaged_diffusivity
from ...solvers.maxwell_stefan import two_bulb_diffusion
from .scenario import Scenario

__all__ = ["BinaryDiffusivityModel", "TwoBulbModel", "build", "pairs", "initial_compositions"]


def pairs(species) -> list[tuple[str, str]]:
    """Every pair (A, B) of distinct species, in order."""
    return [(a, b) for i, a in enumerate(species) for b in species[i + 1:]]


def _port_name(a: str, b: str) -> str:
    return f"diffusivity_{a}_{b}"


def initial_compositions(s: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Initial mole fractions (n,) of bulbs 1 and 2, in the order of ``species``."""
    return (np.array([s.bulb1[sp] for sp in s.species]), np.array([s.bulb2[sp] for sp in s.species]))


class BinaryDiffusivityModel:
    r"""Molecular scale: binary Maxwell–Stefan diffusivities of every pair at (T, p).

    ``source="published"``: the given values, scaled as :math:`Ð \propto T^{3/2}/p` from the
    reference state (T0, p0); ``"kinetic_theory"``: Chapman–Enskog with Lennard-Jones
    parameters (:func:`~scalebridge.laws.maxwell_stefan.chapman_enskog_diffusivity`).
    """

    card = {
        "role": "bridging law",
        "physics": "binary diffusivities of dilute gases: Chapman-Enskog theory with the Lennard-Jones potential "
                   "(or published values)",
        "assumptions": ["ideal gas at low density", "binary Ð independent of composition"],
        "references": ["J. O. Hirschfelder, C. F. Curtiss & R. B. Bird (1954), Molecular Theory of Gases and "
                       "Liquids, Wiley", "B. E. Poling, J. M. Prausnitz & J. P. O'Connell (2001), The Properties "
                       "of Gases and Liquids, ch. 11"],
        "validation": [{"test": "tests/laws/test_maxwell_stefan.py", "reference": "Duncan & Toor (1962) "
                        "diffusivities within 6 %", "status": "passing"}],
    }

    def __init__(self, species, values: Mapping[str, float] | None, temperature: float, pressure: float):
        self.species, self.values = list(species), None if values is None else dict(values)
        self.T0, self.p0 = float(temperature), float(pressure)
        self.name = "molecular (binary diffusivities)"
        self.inputs = {"temperature": Port("K", description="temperature"),
                       "pressure": Port("Pa", description="total pressure")}
        self.outputs = {_port_name(a, b): Port("m^2/s", description=f"binary MS diffusivity {a}-{b}")
                        for a, b in pairs(self.species)}
        sigma = np.mean([LENNARD_JONES.get(sp, (3.5e-10,))[0] for sp in self.species])
        mfp = k_B * temperature / (math.sqrt(2) * math.pi * sigma ** 2 * pressure)
        speed = math.sqrt(8 * k_B * temperature / (math.pi * 28e-3 / 6.02214076e23))
        self.scale = Scale(mfp, mfp / speed, "molecular (mean free path)")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        T = np.asarray(inputs["temperature"], dtype=float)
        p = np.asarray(inputs["pressure"], dtype=float)
        out = {}
        for a, b in pairs(self.species):
            if self.values is None:
                out[_port_name(a, b)] = np.asarray(chapman_enskog_diffusivity(T, p, a, b)) * np.ones_like(T)
            else:
                v = self.values.get(f"{a}-{b}", self.values.get(f"{b}-{a}"))
                out[_port_name(a, b)] = v * (T / self.T0) ** 1.5 * (self.p0 / p)
        return Evaluation(outputs=out)


class TwoBulbModel:
    r"""Apparatus scale: two bulbs and a capillary, Maxwell–Stefan diffusion (resolved capillary, BDF).

    Inputs: ``diffusivity_A_B`` (m^2/s) of every pair, ``temperature``, ``pressure``;
    outputs: the bulb compositions at the end (``x_bulb1_<species>``, ``x_bulb2_<species>``)
    and ``conservation_error`` (max relative drift of any species' moles).
    Characteristic time: the slowest bulb relaxation, :math:`1/(\beta\lambda_{min})` with
    :math:`\beta = A(1/V_1 + 1/V_2)/\ell` and :math:`\lambda_{min}` the smallest binary Ð.
    """

    card = {
        "role": "solver",
        "physics": "-grad x_i = sum_j (x_j J_i - x_i J_j)/(c_t Ð_ij), sum J = 0: Maxwell-Stefan diffusion through "
                   "the capillary (finite volumes) between two well-mixed bulbs",
        "assumptions": ["ideal gas, uniform T and p", "well-mixed bulbs", "no viscous (pressure) flow"],
        "references": ["J. B. Duncan & H. L. Toor (1962), AIChE J. 8, 38",
                       "R. Taylor & R. Krishna (1993), Multicomponent Mass Transfer, ch. 2, 5"],
        "validation": [{"test": "tests/apps/test_multicomponent.py", "reference": "Duncan & Toor (1962) measured "
                        "bulb compositions; conservation of every species", "status": "passing"}],
    }

    def __init__(self, s: Scenario):
        self.s = s
        self.species = list(s.species)
        a = s.apparatus
        self.area = math.pi * a.capillary_diameter ** 2 / 4
        self.name = "apparatus (two-bulb Maxwell-Stefan)"
        self.inputs = {"temperature": Port("K"), "pressure": Port("Pa"),
                       **{_port_name(x, y): Port("m^2/s", description=f"binary MS diffusivity {x}-{y}")
                          for x, y in pairs(self.species)}}
        self.outputs = {**{f"x_bulb{k}_{sp}": Port("", description=f"mole fraction of {sp} in bulb {k} at the end")
                           for k in (1, 2) for sp in self.species},
                        "conservation_error": Port("", description="max relative drift of any species' moles")}
        beta = self.area * (1 / a.bulb1_volume + 1 / a.bulb2_volume) / a.capillary_length
        D_min = 1e-5 if not isinstance(s.diffusivities, dict) else min(s.diffusivities.values())
        self.scale = Scale(a.capillary_length, 1.0 / (beta * D_min), "apparatus")

    def matrix(self, inputs: Mapping[str, float]) -> np.ndarray:
        """Binary diffusivity matrix (n, n) from the diffusivity inputs of one batch item."""
        return diffusivity_matrix({f"{a}-{b}": float(inputs[_port_name(a, b)]) for a, b in pairs(self.species)},
                                  self.species)

    def solve(self, D: np.ndarray, temperature: float, pressure: float, law: str = "maxwell_stefan",
              cells: int | None = None, times=None):
        """The two-bulb solution (:class:`~scalebridge.solvers.maxwell_stefan.TwoBulbSolution`)."""
        s, a = self.s, self.s.apparatus
        x1, x2 = initial_compositions(s)
        t = np.linspace(0.0, s.duration, s.outputs) if times is None else times
        fick = None
        if law == "fick":   # constant effective diffusivities at the mean initial composition
            fick = mixture_averaged_diffusivity(0.5 * (x1 + x2), D)[:-1]
        return two_bulb_diffusion(x1, x2, volume1=a.bulb1_volume, volume2=a.bulb2_volume, area=self.area,
                                  length=a.capillary_length, diffusivities=D,
                                  total_concentration=pressure / (GAS_CONSTANT * temperature), times=t,
                                  capillary_cells=s.capillary_cells if cells is None else cells, law=law,
                                  fick_diffusivities=fick)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        n = len(np.asarray(inputs["temperature"]))
        out = {k: np.empty(n) for k in self.outputs}
        for b in range(n):
            item = {k: np.asarray(v)[b] for k, v in inputs.items()}
            sol = self.solve(self.matrix(item), float(item["temperature"]), float(item["pressure"]))
            for k, sp in enumerate(self.species):
                out[f"x_bulb1_{sp}"][b], out[f"x_bulb2_{sp}"][b] = sol.bulb1[-1, k], sol.bulb2[-1, k]
            out["conservation_error"][b] = np.max(np.abs(sol.moles - sol.moles[0])) / sol.moles[0].sum()
        return Evaluation(outputs=out)


def fick_matrix_at(s: Scenario, D: np.ndarray) -> np.ndarray:
    """Fick matrix [B]^-1 (m^2/s) at the mean initial composition (shows the cross terms)."""
    x1, x2 = initial_compositions(s)
    return fick_matrix(0.5 * (x1 + x2), D)


def build(s: Scenario):
    """Binary diffusivities (molecular) -> two-bulb Maxwell–Stefan apparatus."""
    values = s.diffusivities if isinstance(s.diffusivities, dict) else None
    molecular = BinaryDiffusivityModel(s.species, values, s.temperature, s.pressure)
    return chain(molecular, TwoBulbModel(s), name="multicomponent diffusion")
