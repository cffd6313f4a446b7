r"""Pair potentials: Lennard-Jones and Morse, with truncated, shifted or shifted-force cut-offs.

The energy of a pair potential over the full neighbour list (each pair twice) is

.. math:: E = \tfrac12 \sum_i \sum_{j \ne i} \phi(r_{ij}),\qquad
          \mathbf F_i = \sum_j \frac{\phi'(r_{ij})}{r_{ij}} \mathbf d_{ij},\qquad
          V\sigma = \tfrac12 \sum_i\sum_j \frac{\phi'(r_{ij})}{r_{ij}}\, \mathbf d_{ij}\otimes\mathbf d_{ij},

with :math:`\mathbf d_{ij} = \mathbf r_j - \mathbf r_i` (Allen & Tildesley 2017, sec. 1.4, 2.4;
Tadmor & Miller 2011, sec. 5.4). Cut-off treatments of :math:`\phi` at :math:`r_c`
(Allen & Tildesley 2017, sec. 1.6.3; Toxvaerd & Dyre 2011, J. Chem. Phys. 134, 081102):

* ``"truncated"``: :math:`\phi(r)` for :math:`r < r_c` (energy jumps at :math:`r_c`);
* ``"shifted"``: :math:`\phi(r) - \phi(r_c)` (energy continuous, force jumps);
* ``"shifted-force"``: :math:`\phi(r) - \phi(r_c) - (r - r_c)\phi'(r_c)` (both continuous).

Energies in eV, lengths in Å (any consistent units work: reduced LJ units with
epsilon = sigma = 1 give energies in epsilon and stresses in epsilon/sigma^3).
"""

from __future__ import annotations

import numpy as np

from ...core.errors import InputError
from .base import AtomisticResult, Potential

__all__ = ["PairPotential", "LennardJones", "Morse", "AtomisticResult"]

TRUNCATIONS = ("truncated", "shifted", "shifted-force")


def _positive(name, value):
    if not (np.isfinite(value) and value > 0):
        raise InputError(f"{name}: got {value!r}, expected a finite value > 0")
    return float(value)


class PairPotential(Potential):
    """A central pair potential phi(r) with a cut-off treatment; subclasses define ``pair(r)``.

    Parameters
    ----------
    cutoff : float
        r_c in Å.
    truncation : {"truncated", "shifted", "shifted-force"}
        Cut-off treatment (module notes).
    skin : float
        Verlet skin in Å.
    """

    def __init__(self, cutoff, truncation="shifted", skin=0.3):
        self.cutoff = _positive("cutoff", cutoff)
        if truncation not in TRUNCATIONS:
            raise InputError(f"truncation: got {truncation!r}, expected one of {TRUNCATIONS}")
        if not (np.isfinite(skin) and skin >= 0):
            raise InputError(f"skin: got {skin!r}, expected a Verlet skin >= 0 Å")
        self.truncation = truncation
        self.skin = float(skin)
        self._neighbours = None
        phi_c, dphi_c = self.pair(np.array([self.cutoff]))
        self._phi_c, self._dphi_c = float(phi_c[0]), float(dphi_c[0])

    def pair(self, r):  # pragma: no cover - abstract
        """(phi(r), phi'(r)) of the untruncated potential, eV and eV/Å."""
        raise NotImplementedError

    def phi(self, r):
        """(phi, dphi/dr) with the cut-off treatment applied; zero beyond r_c."""
        r = np.asarray(r, dtype=float)
        phi, dphi = self.pair(r)
        if self.truncation == "shifted":
            phi = phi - self._phi_c
        elif self.truncation == "shifted-force":
            phi = phi - self._phi_c - (r - self.cutoff) * self._dphi_c
            dphi = dphi - self._dphi_c
        inside = r < self.cutoff
        return np.where(inside, phi, 0.0), np.where(inside, dphi, 0.0)

    def _compute(self, i, j, d, r, n):
        phi, dphi = self.phi(r)
        g = dphi / r
        energies = 0.5 * np.bincount(i, weights=phi, minlength=n)
        return energies.sum(), None, g, energies


class LennardJones(PairPotential):
    r"""Lennard-Jones 12-6 potential, :math:`\phi(r) = 4\epsilon[(\sigma/r)^{12} - (\sigma/r)^6]`.

    Parameters
    ----------
    epsilon : float
        Well depth (eV).
    sigma : float
        Zero crossing (Å).
    cutoff : float, optional
        r_c (Å); default 2.5 sigma.
    truncation : str
        ``"truncated"``, ``"shifted"`` (default) or ``"shifted-force"``.

    References
    ----------
    J. E. Lennard-Jones, Proc. R. Soc. Lond. A 106, 463 (1924); Allen & Tildesley 2017, sec. 1.4.
    """

    def __init__(self, epsilon=1.0, sigma=1.0, cutoff=None, truncation="shifted", skin=0.3):
        self.epsilon = _positive("epsilon", epsilon)
        self.sigma = _positive("sigma", sigma)
        super().__init__(2.5 * self.sigma if cutoff is None else cutoff, truncation, skin)

    def pair(self, r):
        s6 = (self.sigma / r) ** 6
        return 4 * self.epsilon * (s6 * s6 - s6), -24 * self.epsilon * (2 * s6 * s6 - s6) / r


class Morse(PairPotential):
    r"""Morse potential, :math:`\phi(r) = D[e^{-2\alpha(r - r_0)} - 2 e^{-\alpha(r - r_0)}]`.

    Parameters
    ----------
    depth : float
        D, well depth (eV).
    alpha : float
        Inverse width (1/Å).
    r0 : float
        Equilibrium pair distance (Å).
    cutoff : float
        r_c (Å).

    References
    ----------
    P. M. Morse, Phys. Rev. 34, 57 (1929); Girifalco & Weizer, Phys. Rev. 114, 687 (1959)
    (Cu: D = 0.3429 eV, alpha = 1.3588 1/Å, r0 = 2.866 Å).
    """

    def __init__(self, depth, alpha, r0, cutoff, truncation="shifted", skin=0.3):
        self.depth = _positive("depth", depth)
        self.alpha = _positive("alpha", alpha)
        self.r0 = _positive("r0", r0)
        super().__init__(cutoff, truncation, skin)

    def pair(self, r):
        e = np.exp(-self.alpha * (r - self.r0))
        return self.depth * (e * e - 2 * e), 2 * self.alpha * self.depth * (e - e * e)
