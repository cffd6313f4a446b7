r"""Quantitative systems pharmacology: target binding, occupancy-driven cell kill, drug-combination synergy.

**Target binding** (law of mass action; Langmuir 1918, Hill 1910; target in excess of
no drug, so free drug = the driving concentration): the fraction of target occupied
by drug d,

.. math:: \dot o_d = k_{on,d}\,c_d\,(1 - o_\text{free}) - k_{off,d}\,o_d,

with :math:`1 - o_\text{free} = 1 - \sum_e o_e` when all drugs compete for one target
(``mechanism="shared_target"``) and :math:`1 - o_d` when each has its own
(``"independent_targets"``). At constant concentration the steady state is the Emax
(hyperbolic) occupancy :math:`o = c/(c + K_D)`, :math:`K_D = k_{off}/k_{on}`, and for
competitors :math:`o_d = (c_d/K_d)/(1 + \sum_e c_e/K_e)` (Gaddum 1937).

**Effect**: the fractional kill-rate effect is a Hill function of occupancy (the
operational model of Black & Leff 1983, Proc. R. Soc. B 220, 141),
:math:`E(o) = o^h/(o_{50}^h + o^h)`, of the total occupancy for a shared target and
combined by Bliss independence for independent targets,
:math:`E = 1 - \prod_d (1 - E_d(o_d))` (Bliss 1939, Ann. Appl. Biol. 26, 585).

**Tumour**: exponential growth and first-order kill, :math:`\dot N = (k_g - k_{max} E(t))\,N`
(the log-kill hypothesis, Skipper, Schabel & Wilcox 1964, Cancer Chemother. Rep. 35, 1;
integrated as :math:`\ln N`).

**Synergy**: Loewe additivity (Loewe & Muischnek 1926; Berenbaum 1989, Pharmacol. Rev.
41, 93): a combination :math:`(c_1, c_2)` producing effect E has combination index
:math:`CI = c_1/C_1(E) + c_2/C_2(E)`, with :math:`C_d(E)` the concentration of drug d
alone giving E (the inverse of its concentration–effect curve); CI < 1 synergy, = 1
additivity, > 1 antagonism (Chou & Talalay 1984, Adv. Enzyme Regul. 22, 27). A drug
combined with itself (sham combination) gives CI = 1 exactly. Bliss excess is
:math:`E_{12} - (E_1 + E_2 - E_1E_2)`.

Units: concentrations in mol/m^3 (= mM), rate constants k_on in m^3/(mol s), k_off and
k_g, k_max in 1/s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import PchipInterpolator

from ..core.errors import ConvergenceError, InputError

__all__ = ["BindingParameters", "hill_effect", "inverse_hill_effect", "steady_state_occupancy", "combined_effect",
           "steady_state_effect", "single_drug_concentration_for_effect", "loewe_combination_index",
           "bliss_excess", "simulate_qsp", "QSPSolution", "MECHANISMS"]

MECHANISMS = ("shared_target", "independent_targets")


@dataclass(frozen=True)
class BindingParameters:
    """Target binding and effect of one drug: k_on (m^3/(mol s)), k_off (1/s), o50 and Hill h of the effect."""

    kon: float
    koff: float
    occupancy_50: float = 0.5
    hill: float = 1.0

    def __post_init__(self):
        for k in ("kon", "koff", "occupancy_50", "hill"):
            v = getattr(self, k)
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"binding {k}: got {v!r}, expected a positive finite number")

    @property
    def kd(self) -> float:
        """Dissociation constant :math:`K_D = k_{off}/k_{on}` (mol/m^3)."""
        return self.koff / self.kon


def _mechanism(mechanism: str) -> str:
    if mechanism not in MECHANISMS:
        raise InputError(f"mechanism: got {mechanism!r}, expected one of {MECHANISMS}")
    return mechanism


def hill_effect(occupancy, occupancy_50: float, hill: float):
    r""":math:`E = o^h/(o_{50}^h + o^h)` (dimensionless)."""
    o = np.clip(np.asarray(occupancy, dtype=float), 0.0, None)
    return o ** hill / (occupancy_50 ** hill + o ** hill)


def inverse_hill_effect(effect, occupancy_50: float, hill: float):
    r"""Occupancy giving effect E: :math:`o = o_{50}\,(E/(1-E))^{1/h}`, 0 <= E < 1."""
    e = np.asarray(effect, dtype=float)
    return occupancy_50 * (e / (1.0 - e)) ** (1.0 / hill)


def steady_state_occupancy(concentrations, drugs: Sequence[BindingParameters], mechanism: str):
    r"""Steady occupancy of each drug at constant concentrations (..., n_drugs) in mol/m^3.

    Independent targets: :math:`c/(c + K_D)`; shared target: :math:`(c_d/K_d)/(1 + \sum_e c_e/K_e)`.
    """
    c = np.asarray(concentrations, dtype=float)
    x = c / np.array([d.kd for d in drugs])
    if _mechanism(mechanism) == "independent_targets":
        return x / (1.0 + x)
    return x / (1.0 + x.sum(axis=-1, keepdims=True))


def combined_effect(occupancy, drugs: Sequence[BindingParameters], mechanism: str):
    """Fractional effect from occupancies (..., n_drugs): Hill of the total (shared) or Bliss of the parts."""
    o = np.asarray(occupancy, dtype=float)
    if _mechanism(mechanism) == "shared_target":
        d = drugs[0]
        if any((e.occupancy_50, e.hill) != (d.occupancy_50, d.hill) for e in drugs):
            raise InputError("shared_target: every drug acts through the same target, so occupancy_50 and hill must "
                             "be equal for all drugs")
        return hill_effect(o.sum(axis=-1), d.occupancy_50, d.hill)
    effects = np.stack([hill_effect(o[..., k], d.occupancy_50, d.hill) for k, d in enumerate(drugs)], axis=-1)
    return 1.0 - np.prod(1.0 - effects, axis=-1)


def steady_state_effect(concentrations, drugs: Sequence[BindingParameters], mechanism: str):
    """Effect at constant concentrations (..., n_drugs): the steady-state concentration-effect surface."""
    return combined_effect(steady_state_occupancy(concentrations, drugs, mechanism), drugs, mechanism)


def single_drug_concentration_for_effect(effect, drug: BindingParameters):
    r"""Concentration of one drug alone giving effect E: :math:`c = K_D\,o/(1-o)`, :math:`o = E^{-1}(E)`.

    ``inf`` where E is beyond the drug's maximal effect :math:`E(o=1)`; 0 at E = 0.
    """
    o = inverse_hill_effect(effect, drug.occupancy_50, drug.hill)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o < 1.0, drug.kd * o / (1.0 - o), np.inf)


def loewe_combination_index(c1, c2, effect, drug1: BindingParameters, drug2: BindingParameters):
    r"""Loewe combination index :math:`CI = c_1/C_1(E) + c_2/C_2(E)` of a combination with effect E.

    ``nan`` where it is undefined: E = 0 (no effect to compare) or E beyond the maximal
    effect :math:`E(o=1)` of either drug alone (no single-drug concentration reaches it;
    Loewe additivity has no reference there, Greco, Bravo & Parsons 1995, Pharmacol. Rev.
    47, 331).
    """
    e = np.asarray(effect, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        C1 = single_drug_concentration_for_effect(e, drug1)
        C2 = single_drug_concentration_for_effect(e, drug2)
        ci = np.asarray(c1) / C1 + np.asarray(c2) / C2
    return np.where((e > 0) & np.isfinite(C1) & np.isfinite(C2), ci, np.nan)


def bliss_excess(effect_combination, effect_1, effect_2):
    r"""Bliss excess :math:`E_{12} - (E_1 + E_2 - E_1 E_2)` (> 0 synergy)."""
    e1, e2 = np.asarray(effect_1), np.asarray(effect_2)
    return np.asarray(effect_combination) - (e1 + e2 - e1 * e2)


@dataclass(frozen=True)
class QSPSolution:
    """Occupancy (arms, drugs, times), effect (arms, times) and tumour cells N/N0 (arms, times)."""

    times: np.ndarray
    occupancy: np.ndarray
    effect: np.ndarray
    tumour: np.ndarray
    evaluations: int


def simulate_qsp(times, concentrations, drugs: Sequence[BindingParameters], mechanism: str, growth_rate: float,
                 max_kill_rate: float, rtol: float = 1e-7, atol: float = 1e-10) -> QSPSolution:
    r"""Integrate binding and tumour kinetics driven by concentration time courses.

    Parameters
    ----------
    times : ndarray (n_t,)
        Output times (s), the grid on which concentrations are given (linear in between).
    concentrations : ndarray (n_arms, n_drugs, n_t)
        Driving (free target-site) concentrations in mol/m^3 of every treatment arm.
    drugs : sequence of BindingParameters
    mechanism : {"shared_target", "independent_targets"}
    growth_rate, max_kill_rate : float
        :math:`k_g` and :math:`k_{max}` in 1/s.

    Between grid times the concentrations are interpolated by monotone cubic Hermite
    splines (PCHIP: continuous slope, no overshoot below zero; Fritsch & Carlson 1980,
    SIAM J. Numer. Anal. 17, 238), so the error control sees a smooth forcing. The
    arms are integrated as one system with LSODA (switches to BDF when binding is much
    faster than growth; Petzold 1983, SIAM J. Sci. Stat. Comput. 4, 136).
    """
    t = np.asarray(times, dtype=float)
    c = np.asarray(concentrations, dtype=float)
    n_arms, n_drugs = c.shape[:2]
    if c.ndim != 3 or c.shape[1] != len(drugs) or c.shape[2] != t.size or np.any(c < 0) or not np.all(np.isfinite(c)):
        raise InputError(f"concentrations: expected finite values >= 0 of shape (arms, {len(drugs)}, {t.size}), "
                         f"got {c.shape}")
    shared = _mechanism(mechanism) == "shared_target"
    kon = np.array([d.kon for d in drugs])
    koff = np.array([d.koff for d in drugs])

    forcing = PchipInterpolator(t, c, axis=2)  # C1, positivity-preserving: c(t) between grid times
    n_occ = n_arms * n_drugs

    def rhs(time, y):
        o = y[:n_occ].reshape(n_arms, n_drugs)
        ct = forcing(time)
        free = 1.0 - (o.sum(axis=1, keepdims=True) if shared else o)
        do = kon * ct * free - koff * o
        dlog = growth_rate - max_kill_rate * combined_effect(o, drugs, mechanism)
        return np.concatenate([do.ravel(), dlog])

    sol = solve_ivp(rhs, (t[0], t[-1]), np.zeros(n_occ + n_arms), method="LSODA", t_eval=t, rtol=rtol, atol=atol)
    if not sol.success or not np.all(np.isfinite(sol.y)):
        raise ConvergenceError(f"simulate_qsp: integration failed: {sol.message}")
    y, evaluations = sol.y.T, sol.nfev
    o = y[:, :n_occ].reshape(t.size, n_arms, n_drugs).transpose(1, 2, 0)
    effect = combined_effect(o.transpose(0, 2, 1), drugs, mechanism)
    return QSPSolution(t, o, effect, np.exp(y[:, n_occ:].T), int(evaluations))
