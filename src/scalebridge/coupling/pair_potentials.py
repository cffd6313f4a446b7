r"""Pair potentials of the lattices used by the domain couplings (1-D chains, 2-D triangular lattice).

A potential gives, vectorised over bond lengths r and neighbour shells s (1 = nearest,
2 = next-nearest, ...), the bond energy :math:`\phi_s(r)`, its first derivative (the
bond force, positive in tension) and its second derivative (the bond stiffness).
Units are the caller's, consistently (SI, or reduced Lennard-Jones units ε, σ).
These small potentials serve the concurrent couplings of
:mod:`scalebridge.coupling.domain` and :mod:`scalebridge.coupling.handshake_2d`; the
general atomistic engine lives in ``scalebridge.solvers.atomistic``.

References
----------
Tadmor & Miller, *Modeling Materials*, Cambridge University Press (2011), sec. 5.4 (pair
potentials) and sec. 11.3 (Cauchy–Born energy of pair-potential lattices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import InputError

__all__ = ["HarmonicBonds", "LennardJones"]


@dataclass(frozen=True)
class HarmonicBonds:
    r"""Harmonic springs per neighbour shell, :math:`\phi_s(r) = \tfrac12 k_s (r - s\,a)^2`.

    Parameters
    ----------
    stiffness : tuple of float
        :math:`k_1, k_2, \dots` (energy/length²), one per shell; shell s acts at rest length s·a.
    spacing : float
        Lattice spacing a (length); the chain/lattice is stress free at spacing a.
    """

    stiffness: tuple = (1.0, 0.25)
    spacing: float = 1.0

    def __post_init__(self):
        k = np.atleast_1d(np.asarray(self.stiffness, dtype=float))
        if k.ndim != 1 or not np.all(np.isfinite(k)) or np.any(k < 0) or k[0] <= 0:
            raise InputError(f"stiffness: got {self.stiffness!r}, expected finite spring constants >= 0 "
                             "per shell, the first > 0")
        if not (np.isfinite(self.spacing) and self.spacing > 0):
            raise InputError(f"spacing: got {self.spacing!r}, expected a finite lattice spacing > 0")
        object.__setattr__(self, "stiffness", tuple(float(v) for v in k))

    @property
    def shells(self) -> int:
        """Number of neighbour shells (the interaction range in lattice spacings)."""
        return len(self.stiffness)

    def _k(self, shell):
        return np.asarray(self.stiffness)[np.asarray(shell) - 1]

    def energy(self, r, shell):
        return 0.5 * self._k(shell) * (r - np.asarray(shell) * self.spacing) ** 2

    def force(self, r, shell):
        """dφ/dr, positive when the bond is stretched."""
        return self._k(shell) * (r - np.asarray(shell) * self.spacing)

    def stiffness_of(self, r, shell):
        """d²φ/dr²."""
        return self._k(shell) + 0.0 * r


@dataclass(frozen=True)
class LennardJones:
    r"""Lennard-Jones pair potential :math:`\phi(r) = 4\varepsilon[(\sigma/r)^{12} - (\sigma/r)^6]`, shells 1..n.

    The same φ acts in every shell; ``shells`` sets the range (1: nearest neighbours
    only, 2: next-nearest included). ``spacing`` is the reference lattice spacing a
    (default the pair minimum :math:`2^{1/6}\sigma`, at which an NN-only lattice is
    stress free).
    """

    epsilon: float = 1.0
    sigma: float = 1.0
    shells: int = 1
    spacing: float | None = None

    def __post_init__(self):
        if not (np.isfinite(self.epsilon) and self.epsilon > 0 and np.isfinite(self.sigma) and self.sigma > 0):
            raise InputError(f"epsilon, sigma: got {self.epsilon!r}, {self.sigma!r}, expected finite values > 0")
        if int(self.shells) != self.shells or self.shells < 1:
            raise InputError(f"shells: got {self.shells!r}, expected an integer >= 1")
        if self.spacing is None:
            object.__setattr__(self, "spacing", 2 ** (1 / 6) * self.sigma)
        elif not (np.isfinite(self.spacing) and self.spacing > 0):
            raise InputError(f"spacing: got {self.spacing!r}, expected a finite lattice spacing > 0")

    def energy(self, r, shell=1):
        x6 = (self.sigma / r) ** 6
        return 4 * self.epsilon * (x6 * x6 - x6)

    def force(self, r, shell=1):
        x6 = (self.sigma / r) ** 6
        return 4 * self.epsilon * (-12 * x6 * x6 + 6 * x6) / r

    def stiffness_of(self, r, shell=1):
        x6 = (self.sigma / r) ** 6
        return 4 * self.epsilon * (156 * x6 * x6 - 42 * x6) / r**2
