r"""The two scales of the pharmacology chain as ``Model``\ s: whole-body PBPK and target-site QSP.

Both are batched maps over *treatment arms*: the PBPK model of drug d takes
``dose_scale_<d>`` (a multiple of the scenario's regimen; 0 = not given) and returns the
driving concentration time course at the target site; the QSP model takes those time
courses and returns occupancy, effect and tumour burden. Linear pharmacokinetics makes
the dose scale a factor, so each PBPK model is solved once (exactly, by matrix
exponentials) and reused.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any, Mapping, Sequence

import numpy as np

from ...core.model import Evaluation, Port, Scale
from ...laws.pharmacodynamics import BindingParameters, simulate_qsp
from ...laws.pharmacokinetics import Dose, DrugDisposition, Physiology, pbpk_system, simulate_linear, \
    well_stirred_clearance

__all__ = ["PBPKModel", "QSPModel"]


class PBPKModel:
    r"""Whole-body PBPK of one drug under its regimen: ``dose_scale_<d>`` -> ``concentration_<d>`` (n_t,).

    The driving concentration is the free concentration at the target, taken as the
    concentration of blood leaving the target tissue, :math:`C_i/K_{p,i}` (flow-limited
    tissue), in mol/m^3. Also returns the arterial concentration (kg/m^3).
    Characteristic time: :math:`V_{ss}/CL`, the mean residence time of an IV bolus.
    """

    card = {
        "role": "solver",
        "physics": "flow-limited, well-stirred organ compartments (venous -> lung -> arterial -> organs), "
                   "well-stirred hepatic/renal clearance, first-order oral absorption; exact linear propagation",
        "assumptions": ["perfusion-limited tissues", "linear (dose-proportional) kinetics",
                        "free concentration at the target = C_tissue / K_p"],
        "references": ["M. Rowland, L. Z. Benet, G. G. Graham (1973), J. Pharmacokinet. Biopharm. 1, 123",
                       "ICRP Publication 89 (2002), Ann. ICRP 32", "R. P. Brown et al. (1997), Toxicol. Ind. Health 13, 407"],
        "validation": [{"test": "tests/laws/test_pbpk.py", "reference": "mass balance; one-compartment closed form; "
                        "Css = R/CL (well-stirred clearance)", "status": "passing"}],
    }

    def __init__(self, name: str, physiology: Physiology, drug: DrugDisposition, doses: Sequence[Dose],
                 times: np.ndarray, target: str, molar_mass: float):
        self.drug_name, self.physiology, self.drug = name, physiology, drug
        self.doses, self.times, self.target, self.molar_mass = list(doses), np.asarray(times), target, molar_mass
        self.system = pbpk_system(physiology, drug)
        self.system.index(target)
        n = self.times.size
        self.name = f"PBPK {name}"
        self.inputs = {f"dose_scale_{name}": Port("", description=f"multiple of the regimen of {name} (0: not given)")}
        self.outputs = {f"concentration_{name}": Port("mol/m^3", (n,), f"free {name} at the target ({target})"),
                        f"arterial_concentration_{name}": Port("kg/m^3", (n,), f"arterial blood {name}")}
        self.scale = Scale(1.0, self.mean_residence_time, "whole body")

    @property
    def clearance(self) -> float:
        """Total blood clearance :math:`\\sum_i Q_i CL_{int,i}/(Q_i + CL_{int,i})` (m^3/s)."""
        return float(sum(well_stirred_clearance(self.physiology.organ_flows[o], c)
                         for o, c in self.drug.intrinsic_clearance.items()))

    @property
    def steady_state_volume(self) -> float:
        """:math:`V_{ss} = V_a + V_v + K_{p,lu}V_{lu} + \\sum_i K_{p,i}V_i` (m^3)."""
        p = self.physiology
        return p.arterial_volume + p.venous_volume + self.drug.partition["lung"] * p.lung_volume + \
            sum(self.drug.partition[o] * v for o, v in p.organ_volumes.items())

    @property
    def mean_residence_time(self) -> float:
        return self.steady_state_volume / self.clearance

    @cached_property
    def solution(self):
        """The PK solution at dose scale 1 (computed once)."""
        return simulate_linear(self.system, self.doses, self.times)

    def parameters(self) -> dict[str, Any]:
        return {"clearance_m3_s": self.clearance, "steady_state_volume_m3": self.steady_state_volume,
                "target": self.target, "doses": len(self.doses)}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        scale = np.asarray(inputs[f"dose_scale_{self.drug_name}"], dtype=float)[:, None]
        sol = self.solution
        target = sol.outflow_concentration(self.target) / self.molar_mass
        return Evaluation(outputs={f"concentration_{self.drug_name}": scale * target,
                                   f"arterial_concentration_{self.drug_name}": scale * sol.concentration("arterial")},
                          info={"mass_balance_error": float(sol.mass_balance_error.max())})


class QSPModel:
    r"""Target binding -> effect -> tumour kill, driven by concentration time courses (one arm per batch item).

    Inputs ``concentration_<d>`` (n_t,) mol/m^3; outputs ``occupancy_<d>``, ``effect`` and
    ``tumour_cells`` (N/N0), all (n_t,). Characteristic length: a cell; time: the slowest
    of binding relaxation (1/k_off) and tumour doubling.
    """

    card = {
        "role": "solver",
        "physics": "mass-action target binding (shared or independent targets), Hill effect of occupancy, "
                   "Bliss-independent combination, exponential growth with log-kill",
        "assumptions": ["free drug in excess of target (no target-mediated depletion)", "one-way: the target does "
                        "not change the pharmacokinetics", "homogeneous tumour cell population"],
        "references": ["J. W. Black, P. Leff (1983), Proc. R. Soc. B 220, 141",
                       "C. I. Bliss (1939), Ann. Appl. Biol. 26, 585",
                       "H. E. Skipper, F. M. Schabel, W. S. Wilcox (1964), Cancer Chemother. Rep. 35, 1"],
        "validation": [{"test": "tests/laws/test_pbpk.py", "reference": "steady-state Emax occupancy c/(c+K_D); "
                        "sham combination CI = 1 (Loewe)", "status": "passing"}],
    }

    def __init__(self, names: Sequence[str], binding: Sequence[BindingParameters], mechanism: str,
                 times: np.ndarray, growth_rate: float, max_kill_rate: float):
        self.names, self.binding, self.mechanism = list(names), list(binding), mechanism
        self.times, self.growth_rate, self.max_kill_rate = np.asarray(times), growth_rate, max_kill_rate
        n = self.times.size
        self.name = "QSP target and tumour"
        self.inputs = {f"concentration_{d}": Port("mol/m^3", (n,), f"free {d} at the target") for d in self.names}
        self.outputs = {**{f"occupancy_{d}": Port("", (n,), f"fraction of target bound by {d}") for d in self.names},
                        "effect": Port("", (n,), "fractional kill effect"),
                        "tumour_cells": Port("", (n,), "tumour cells relative to the start, N/N0")}
        slowest = max(max(1.0 / b.koff for b in self.binding), math.log(2) / growth_rate)
        self.scale = Scale(1e-5, slowest, "target site (cells)")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        c = np.stack([np.asarray(inputs[f"concentration_{d}"], dtype=float) for d in self.names], axis=1)
        sol = simulate_qsp(self.times, c, self.binding, self.mechanism, self.growth_rate, self.max_kill_rate)
        return Evaluation(outputs={**{f"occupancy_{d}": sol.occupancy[:, k] for k, d in enumerate(self.names)},
                                   "effect": sol.effect, "tumour_cells": sol.tumour},
                          info={"rhs_evaluations": sol.evaluations})
