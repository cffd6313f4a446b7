r"""Surface diffusion of a lattice gas: thermodynamic factor and chemical diffusion coefficient.

Adsorbates on a lattice of coordination z with nearest-neighbour pair energy
:math:`\varepsilon` (:math:`x = \varepsilon/k_BT`; x < 0 attractive) diffuse
collectively with the chemical diffusion coefficient (Reed & Ehrlich 1981, Surf.
Sci. 102, 588; Gomer 1990, Rep. Prog. Phys. 53, 917)

.. math:: D_c(\theta) = D_J(\theta)\,\Phi(\theta), \qquad
          \Phi = \frac{\partial(\mu/k_BT)}{\partial\ln\theta},

the product of a kinetic (jump) mobility :math:`D_J` and the thermodynamic
factor :math:`\Phi`. Closed forms of :math:`\beta\mu(\theta)`:

* Bragg–Williams (mean field): :math:`\beta\mu = \ln\frac{\theta}{1-\theta} + z x\theta`,
  so :math:`\Phi = \frac{1}{1-\theta} + z x \theta`;
* quasi-chemical (Fowler & Guggenheim 1939, *Statistical Thermodynamics*, ch. 10):
  :math:`\beta\mu = \ln\frac{\theta}{1-\theta} + \frac z2 \ln\frac{(b - 1 + 2\theta)(1-\theta)}{(b + 1 - 2\theta)\theta}`,
  :math:`b = \sqrt{1 - 4\theta(1-\theta)(1 - e^{-x})}`.

With the jump mobility of non-interacting particles, :math:`D_J = D_0(1-\theta)`
(vacancy-limited jumps, :math:`D_0 = \Gamma a^2/(2d)`), :math:`D_c = D_0` exactly when
x = 0 at every coverage. :math:`\Phi < 0` — uphill diffusion, island formation —
appears inside the spinodal for attraction stronger than the critical coupling
:math:`x_c = -4/z` (Bragg–Williams) or :math:`x_c = 2\ln(1 - 2/z)` (quasi-chemical);
the exact square-lattice value (Onsager 1944) is :math:`x_c = 2\ln(\sqrt2 - 1) = -1.763`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.errors import InputError

__all__ = ["thermodynamic_factor", "chemical_diffusion_coefficient", "critical_coupling", "APPROXIMATIONS"]

APPROXIMATIONS = ("bragg_williams", "quasi_chemical")


def _check(theta, coupling, coordination, approximation):
    th = np.asarray(theta, dtype=float)
    x = np.asarray(coupling, dtype=float)
    if np.any(~np.isfinite(th)) or np.any((th <= 0) | (th >= 1)):
        raise InputError(f"surface diffusion: coverage theta must lie in (0, 1), got {theta!r}")
    if np.any(~np.isfinite(x)):
        raise InputError(f"surface diffusion: coupling eps/k_BT must be finite, got {coupling!r}")
    if isinstance(coordination, bool) or not isinstance(coordination, (int, np.integer)) or coordination < 2:
        raise InputError(f"surface diffusion: coordination z must be an integer >= 2, got {coordination!r}")
    if approximation not in APPROXIMATIONS:
        raise InputError(f"surface diffusion: unknown approximation {approximation!r}; expected one of {APPROXIMATIONS}")
    return th, x


def thermodynamic_factor(theta: Any, coupling: Any, coordination: int = 4,
                         approximation: str = "quasi_chemical") -> Any:
    r"""Thermodynamic factor :math:`\Phi = \partial(\beta\mu)/\partial\ln\theta` (dimensionless).

    Parameters
    ----------
    theta : array_like
        Coverage, 0 < theta < 1.
    coupling : array_like
        Nearest-neighbour pair energy over k_B T (< 0 attractive).
    coordination : int
        Number of nearest neighbours z (4 square, 6 hexagonal).
    approximation : {"bragg_williams", "quasi_chemical"}
    """
    th, x = _check(theta, coupling, coordination, approximation)
    z = coordination
    if approximation == "bragg_williams":
        return 1.0 / (1.0 - th) + z * x * th
    b = np.sqrt(1.0 - 4.0 * th * (1.0 - th) * (1.0 - np.exp(-x)))
    db = -2.0 * (1.0 - 2.0 * th) * (1.0 - np.exp(-x)) / b
    dmu = (1.0 / th + 1.0 / (1.0 - th)
           + 0.5 * z * ((db + 2.0) / (b - 1.0 + 2.0 * th) - 1.0 / (1.0 - th)
                        - (db - 2.0) / (b + 1.0 - 2.0 * th) - 1.0 / th))
    return th * dmu


def chemical_diffusion_coefficient(theta: Any, d0: Any, coupling: Any, coordination: int = 4,
                                   approximation: str = "quasi_chemical") -> Any:
    r"""Chemical diffusion coefficient :math:`D_c = D_0 (1-\theta)\,\Phi(\theta)`, units of ``d0`` (m^2/s).

    ``d0`` is the zero-coverage (single-particle) coefficient :math:`\Gamma a^2 / (2d)`;
    the jump mobility is that of non-interacting particles (see the module notes).
    """
    d0 = np.asarray(d0, dtype=float)
    if np.any(~np.isfinite(d0)) or np.any(d0 <= 0):
        raise InputError(f"chemical_diffusion_coefficient: D_0 must be positive (m^2/s), got {d0!r}")
    return d0 * (1.0 - np.asarray(theta, float)) * thermodynamic_factor(theta, coupling, coordination, approximation)


def critical_coupling(coordination: int = 4, approximation: str = "quasi_chemical") -> float:
    r"""Attractive coupling :math:`x_c = \varepsilon_c/k_BT` below which :math:`\Phi(1/2) < 0`."""
    _check(0.5, 0.0, coordination, approximation)
    z = coordination
    return -4.0 / z if approximation == "bragg_williams" else 2.0 * np.log(1.0 - 2.0 / z)
