r"""The Ziff–Gulari–Barshad (ZGB) lattice model of CO oxidation.

The standard random-sequential algorithm (Ziff, Gulari & Barshad 1986, Phys. Rev.
Lett. 56, 2553): pick a site at random; with probability y a CO molecule arrives,
otherwise an O2 molecule arrives.

* CO adsorbs if the site is empty; if a neighbour holds O (one picked at random
  among them), the two react at once, CO2 leaves and both sites empty.
* O2 needs the site and one randomly chosen neighbour empty; it dissociates onto
  both, and each O reacts at once with a random CO neighbour, if any.

Time is counted in Monte Carlo steps (MCS), one attempt per site. The surface
poisons with O for y < y1 and with CO for y > y2: y1 = 0.3874(2) (continuous;
Jensen, Fogedby & Dickman 1990, Phys. Rev. A 41, 3411) and y2 = 0.52560(1)
(first order; Brosilow & Ziff 1992, Phys. Rev. A 46, 4534); the original paper
gave y1 ≈ 0.389 and y2 ≈ 0.525. It is the limit of infinitely fast
Langmuir–Hinshelwood reaction of the mechanism CO_g + * -> CO*, O2_g + 2* -> 2O*,
CO* + O* -> CO2_g + 2*, with impingement rates y and 1 - y per site.

Mean field (site approximation) misses the O-poisoning transition
-------------------------------------------------------------------
With the same rates and an infinitely fast reaction, the uncorrelated (mean-field)
rate equations are

.. math:: \dot\theta_\mathrm{CO} = y\,\theta_* - r, \qquad
          \dot\theta_\mathrm{O} = 2(1-y)\,\theta_*^2 - r,

(r the reaction rate). Their reactive steady state has
:math:`y\theta_* = 2(1-y)\theta_*^2`, :math:`\theta_* = y / [2(1-y)]`,
TOF :math:`= y\theta_* > 0`, for every :math:`0 < y < 2/3`. The O-covered state is
unstable for all y > 0 in mean field: a vacancy in it takes CO (rate y θ*), which
reacts at once and frees two sites, so :math:`\dot\theta_* \approx +y\theta_*`. Mean
field thus has no O-poisoning transition at all (y1 = 0) and places the CO
poisoning at y = 2/3 instead of 0.5256 (Dickman 1986, Phys. Rev. A 34, 4246, site
approximation; his pair approximation recovers y1 ≈ 0.25 and y2 ≈ 0.53).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError
from .engine import _seed_state
from .lattice import Lattice

__all__ = ["ZGBResult", "run_zgb", "mean_field_zgb", "ZGB_Y1", "ZGB_Y2"]

#: O-poisoning transition, Jensen, Fogedby & Dickman (1990): 0.3874 +- 0.0002.
ZGB_Y1 = (0.3874, 0.0002)
#: CO-poisoning transition, Brosilow & Ziff (1992): 0.52560 +- 0.00001.
ZGB_Y2 = (0.52560, 0.00001)


@dataclass(frozen=True)
class ZGBResult:
    """A ZGB run.

    Attributes
    ----------
    y : float
        CO fraction of the impinging gas.
    mcs : ndarray
        Monte Carlo steps at the end of each recorded step.
    coverages : ndarray, shape (n, 3)
        Fractions of empty, CO and O sites after each MCS.
    co2_per_site : ndarray, shape (n,)
        CO2 formed per site in each MCS (the turnover per MCS).
    poisoned : str or None
        ``"CO"`` or ``"O"`` if the lattice reached a state with no empty site
        (absorbing), else None.
    snapshot : ndarray, shape (L, L)
        Final lattice (0 empty, 1 CO, 2 O).
    """

    y: float
    mcs: np.ndarray
    coverages: np.ndarray
    co2_per_site: np.ndarray
    poisoned: str | None
    snapshot: np.ndarray


def run_zgb(lattice: Lattice, y: float, mcs: int, seed=None) -> ZGBResult:
    """Run the ZGB model from an empty lattice for ``mcs`` Monte Carlo steps (or until poisoned).

    Parameters
    ----------
    lattice : Lattice
        Square (z = 4, the original model) or hexagonal.
    y : float
        CO mole fraction of the gas, 0 <= y <= 1.
    mcs : int
        Number of Monte Carlo steps (N adsorption attempts each).
    seed : int or numpy.random.Generator, optional
    """
    if not isinstance(lattice, Lattice):
        raise InputError(f"run_zgb: lattice must be a Lattice, got {lattice!r}")
    if not (np.isfinite(y) and 0.0 <= y <= 1.0):
        raise InputError(f"run_zgb: CO fraction y must lie in [0, 1], got {y!r}")
    if isinstance(mcs, bool) or not isinstance(mcs, (int, np.integer)) or mcs < 1:
        raise InputError(f"run_zgb: mcs must be a positive integer, got {mcs!r}")
    k = importlib.import_module("scalebridge.solvers.kmc._zgb_kernels")
    N = lattice.n_sites
    occ = np.zeros(N, dtype=np.int8)
    counts = np.array([N, 0, 0], dtype=np.int64)
    rng = _seed_state(seed)
    cov, co2 = [], []
    poisoned = None
    for _ in range(int(mcs)):
        _, formed = k.run_zgb(occ, lattice.neighbours, float(y), rng, counts, N)
        cov.append(counts / N)
        co2.append(formed / N)
        if counts[0] == 0:
            poisoned = "CO" if counts[1] > counts[2] else "O"
            break
    return ZGBResult(float(y), np.arange(1, len(cov) + 1), np.array(cov), np.array(co2), poisoned,
                     occ.reshape(lattice.shape[::-1]))


def mean_field_zgb(y):
    r"""Mean-field (site approximation) reactive steady state of the ZGB model.

    Returns ``(theta_empty, tof)`` with :math:`\theta_* = y/[2(1-y)]` and TOF
    :math:`= y\theta_*` (CO2 per site per MCS) where :math:`0 < y < 2/3`, and
    ``(0, 0)`` (poisoned) elsewhere; see the module notes (Dickman 1986).
    """
    y = np.asarray(y, dtype=float)
    if np.any(~np.isfinite(y)) or np.any((y < 0) | (y > 1)):
        raise InputError(f"mean_field_zgb: y must lie in [0, 1], got {y!r}")
    reactive = (y > 0) & (y < 2.0 / 3.0)
    theta = np.where(reactive, y / (2.0 * np.where(reactive, 1.0 - y, 1.0)), 0.0)
    return theta, y * theta
