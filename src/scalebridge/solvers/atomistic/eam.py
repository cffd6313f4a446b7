r"""Embedded-atom (EAM) / Finnis–Sinclair many-body potentials.

.. math:: E = \sum_i F(\rho_i) + \tfrac12\sum_i\sum_{j\ne i}\phi(r_{ij}),\qquad
          \rho_i = \sum_{j\ne i} f(r_{ij}),

.. math:: \mathbf F_i = \sum_j \big[\phi'(r_{ij}) + (F'(\rho_i) + F'(\rho_j)) f'(r_{ij})\big]
          \frac{\mathbf d_{ij}}{r_{ij}},

and the stress is the pair virial of the same effective pair derivative (Daw & Baskes
1984, Phys. Rev. B 29, 6443; Tadmor & Miller 2011, sec. 5.5). eV and Å throughout.

:class:`FinnisSinclair` is the second-moment form of Finnis & Sinclair (1984, Phil.
Mag. A 50, 45; erratum 53, 161 (1986)) for bcc transition metals:
:math:`F(\rho) = -A\sqrt\rho`, :math:`f(r) = (r-d)^2 + \beta(r-d)^3/d` for r < d,
:math:`\phi(r) = (r-c)^2(c_0 + c_1 r + c_2 r^2)` for r < c, with the published
parameter sets of :data:`FINNIS_SINCLAIR_1984` (V, Cr, Mo, W).
"""

from __future__ import annotations

import numpy as np

from ...core.errors import InputError
from .base import Potential

__all__ = ["EAM", "FinnisSinclair", "FINNIS_SINCLAIR_1984"]

#: Finnis & Sinclair (1984) Table 2 (as corrected in 1986): d (Å), A (eV), beta, c (Å),
#: c0 (eV/Å^2), c1 (eV/Å^3), c2 (eV/Å^4), lattice constant a (Å) of the bcc metal.
FINNIS_SINCLAIR_1984 = {
    "V": dict(d=3.692767, A=2.010637, beta=0.0, c=3.8, c0=-0.8816318, c1=1.4907756, c2=-0.3976370, a=3.0399),
    "Cr": dict(d=3.915720, A=1.453418, beta=1.8, c=2.9, c0=29.1429813, c1=-23.3975027, c2=4.7578297, a=2.8846),
    "Mo": dict(d=4.114825, A=1.887117, beta=0.0, c=3.25, c0=43.4475218, c1=-31.9332978, c2=6.0804249, a=3.1472),
    "W": dict(d=4.400224, A=1.896373, beta=0.0, c=3.25, c0=47.1346499, c1=-33.7665655, c2=6.2541999, a=3.1652),
}


class EAM(Potential):
    """Generic single-species EAM; subclasses define ``embedding``, ``density`` and ``pair``.

    Each returns (value, derivative) on arrays: ``embedding(rho)`` in eV and eV per
    density unit, ``density(r)`` and ``pair(r)`` (eV) with their r-derivatives (per Å);
    ``density`` and ``pair`` must vanish at and beyond ``cutoff`` (Å).
    """

    def __init__(self, cutoff, skin=0.3):
        if not (np.isfinite(cutoff) and cutoff > 0):
            raise InputError(f"cutoff: got {cutoff!r}, expected a finite cut-off > 0 Å")
        self.cutoff = float(cutoff)
        self.skin = float(skin)
        self._neighbours = None

    def _compute(self, i, j, d, r, n):
        f, df = self.density(r)
        rho = np.bincount(i, weights=f, minlength=n)
        emb, demb = self.embedding(rho)
        phi, dphi = self.pair(r)
        g = (dphi + (demb[i] + demb[j]) * df) / r
        energies = emb + 0.5 * np.bincount(i, weights=phi, minlength=n)
        return energies.sum(), None, g, energies


class FinnisSinclair(EAM):
    """Finnis–Sinclair potential (module notes); ``FinnisSinclair.published("Mo")`` for the 1984 sets.

    Parameters
    ----------
    A : float
        Embedding strength (eV).
    d, c : float
        Cut-offs of the density and pair terms (Å).
    beta : float
        Cubic coefficient of the density function (dimensionless).
    c0, c1, c2 : float
        Pair polynomial coefficients (eV/Å^2, eV/Å^3, eV/Å^4).
    """

    def __init__(self, A, d, beta, c, c0, c1, c2, skin=0.3):
        for name, v in dict(A=A, d=d, c=c).items():
            if not (np.isfinite(v) and v > 0):
                raise InputError(f"{name}: got {v!r}, expected a finite value > 0")
        self.A, self.d, self.beta, self.c = float(A), float(d), float(beta), float(c)
        self.c0, self.c1, self.c2 = float(c0), float(c1), float(c2)
        super().__init__(max(self.d, self.c), skin)

    @classmethod
    def published(cls, element: str, skin=0.3) -> "FinnisSinclair":
        """The Finnis & Sinclair (1984) parameter set of V, Cr, Mo or W."""
        if element not in FINNIS_SINCLAIR_1984:
            raise InputError(f"element: got {element!r}, expected one of {sorted(FINNIS_SINCLAIR_1984)}")
        p = {k: v for k, v in FINNIS_SINCLAIR_1984[element].items() if k != "a"}
        return cls(**p, skin=skin)

    def embedding(self, rho):
        root = np.sqrt(np.maximum(rho, 0.0))
        safe = np.where(root > 0, root, 1.0)
        return -self.A * root, np.where(root > 0, -0.5 * self.A / safe, 0.0)

    def density(self, r):
        x = r - self.d
        inside = r < self.d
        f = x * x + self.beta * x ** 3 / self.d
        df = 2 * x + 3 * self.beta * x * x / self.d
        return np.where(inside, f, 0.0), np.where(inside, df, 0.0)

    def pair(self, r):
        x = r - self.c
        poly = self.c0 + self.c1 * r + self.c2 * r * r
        dpoly = self.c1 + 2 * self.c2 * r
        inside = r < self.c
        return np.where(inside, x * x * poly, 0.0), np.where(inside, 2 * x * poly + x * x * dpoly, 0.0)
