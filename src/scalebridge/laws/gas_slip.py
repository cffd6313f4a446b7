r"""Gas slip and rarefaction in tight porous media: apparent permeability from kinetic theory.

A gas flowing through pores not much wider than its mean free path slips at the
walls, so the permeability it sees (the *apparent* permeability) exceeds the
liquid (intrinsic, no-slip) permeability :math:`k_\infty` and rises as the pressure
falls. The Knudsen number of a pore of radius :math:`r`,

.. math:: \mathrm{Kn} = \frac{\lambda}{r},\qquad
          \lambda = \frac{\mu}{p}\sqrt{\frac{\pi R T}{2 M}}

(mean free path of a hard-sphere gas in terms of its viscosity; Chapman & Cowling
1970, sec. 5.21; Civan 2010, eq. 5), sorts the regimes: continuum (Kn < 0.001), slip
(0.001-0.1), transition (0.1-10) and free molecular (> 10) flow.

Laws
----
* Klinkenberg (1941): :math:`k_{app} = k_\infty(1 + b/p)`, the first-order slip
  correction, linear in :math:`1/p`.
* Beskok & Karniadakis (1999, eq. 29 with the slip coefficient :math:`b = -1`), unified
  for all Knudsen numbers,

  .. math:: k_{app} = k_\infty\, f(\mathrm{Kn}),\qquad
            f(\mathrm{Kn}) = \big(1 + \alpha(\mathrm{Kn})\,\mathrm{Kn}\big)
            \Big(1 + \frac{4\,\mathrm{Kn}}{1 + \mathrm{Kn}}\Big),

  with the rarefaction coefficient :math:`\alpha(\mathrm{Kn})`, rising from 0 in the
  slip regime to :math:`\alpha_0 = 64/(15\pi) \approx 1.358` in the free molecular limit:
  Beskok & Karniadakis (1999, eq. 30) :math:`\alpha = \alpha_0 \tfrac{2}{\pi}\tan^{-1}(\alpha_1\mathrm{Kn}^{\beta})`,
  :math:`\alpha_1 = 4`, :math:`\beta = 0.4`; or Civan (2010, eq. 11)
  :math:`\alpha = \alpha_0/(1 + A\,\mathrm{Kn}^{-B})`, :math:`A = 0.178`, :math:`B = 0.4348`.

Limits: :math:`f \to 1 + 4\,\mathrm{Kn}` for :math:`\mathrm{Kn}\to 0` (the Klinkenberg slope,
:math:`b = 4\mathrm{Kn}\,p`, independent of pressure since :math:`\mathrm{Kn}\propto 1/p`),
and :math:`f \to 5\alpha_0\mathrm{Kn}` for :math:`\mathrm{Kn}\to\infty` (free molecular, Knudsen
diffusion: the flow rate per pressure drop no longer depends on pressure).

All arguments are pint quantities or plain SI numbers (arrays broadcast); results are SI.

References
----------
Klinkenberg, L. J. (1941). The permeability of porous media to liquids and gases. API
Drilling and Production Practice, 200-213.
Beskok, A. & Karniadakis, G. E. (1999). A model for flows in channels, pipes, and ducts at
micro and nano scales. Microscale Thermophys. Eng. 3, 43-77.
Civan, F. (2010). Effective correlation of apparent gas permeability in tight porous media.
Transp. Porous Media 82, 375-384.
Chapman, S. & Cowling, T. G. (1970). The Mathematical Theory of Non-uniform Gases, 3rd ed., CUP.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.constants import R as GAS_CONSTANT

from ..core.errors import InputError
from .arguments import positive, scalar_or_array

__all__ = ["ALPHA_0", "mean_free_path", "knudsen_number", "rarefaction_coefficient", "slip_factor",
           "apparent_permeability", "klinkenberg_permeability", "klinkenberg_coefficient", "flow_regime"]

#: Free-molecular rarefaction coefficient, alpha_0 = 64/(15 pi) (Beskok & Karniadakis 1999, eq. 31).
ALPHA_0 = 64.0 / (15.0 * np.pi)
_RAREFACTION = ("beskok_karniadakis", "civan")


def mean_free_path(viscosity: Any, pressure: Any, temperature: Any, molar_mass: Any) -> Any:
    r"""Mean free path of a gas, :math:`\lambda = (\mu/p)\sqrt{\pi R T/(2M)}` (m).

    Parameters
    ----------
    viscosity : Pa s
    pressure : Pa
    temperature : K
    molar_mass : kg/mol

    References
    ----------
    Chapman & Cowling (1970), sec. 5.21; Civan (2010), eq. 5.
    """
    mu = positive(viscosity, "Pa*s", "viscosity")
    p = positive(pressure, "Pa", "pressure")
    T = positive(temperature, "K", "temperature")
    M = positive(molar_mass, "kg/mol", "molar_mass")
    return scalar_or_array(np.asarray(mu) / np.asarray(p) * np.sqrt(np.pi * GAS_CONSTANT * np.asarray(T)
                                                                      / (2.0 * np.asarray(M))))


def knudsen_number(mean_free_path: Any, pore_radius: Any) -> Any:
    r"""Knudsen number :math:`\mathrm{Kn} = \lambda / r` of a pore of radius ``pore_radius`` (both m)."""
    lam = positive(mean_free_path, "m", "mean_free_path")
    r = positive(pore_radius, "m", "pore_radius")
    return scalar_or_array(np.asarray(lam) / np.asarray(r))


def _kn(knudsen: Any) -> np.ndarray:
    return np.asarray(positive(knudsen, "", "knudsen", allow_zero=True), dtype=float)


def rarefaction_coefficient(knudsen: Any, correlation: str = "beskok_karniadakis") -> Any:
    r"""Rarefaction coefficient :math:`\alpha(\mathrm{Kn})` (dimensionless).

    ``"beskok_karniadakis"``: :math:`\alpha_0\,\tfrac{2}{\pi}\tan^{-1}(4\,\mathrm{Kn}^{0.4})`
    (Beskok & Karniadakis 1999, eq. 30); ``"civan"``:
    :math:`\alpha_0/(1 + 0.178\,\mathrm{Kn}^{-0.4348})` (Civan 2010, eq. 11). Both tend
    to 0 as Kn -> 0 and to :math:`\alpha_0 = 64/(15\pi)` as Kn -> infinity.
    """
    kn = _kn(knudsen)
    if correlation == "beskok_karniadakis":
        alpha = ALPHA_0 * (2.0 / np.pi) * np.arctan(4.0 * kn ** 0.4)
    elif correlation == "civan":
        with np.errstate(divide="ignore"):
            alpha = np.where(kn > 0, ALPHA_0 / (1.0 + 0.178 * np.where(kn > 0, kn, 1.0) ** -0.4348), 0.0)
    else:
        raise InputError(f"correlation: got {correlation!r}, expected one of {_RAREFACTION}")
    return scalar_or_array(alpha)


def slip_factor(knudsen: Any, correlation: str = "beskok_karniadakis", slip_coefficient: float = -1.0) -> Any:
    r"""Permeability correction :math:`f(\mathrm{Kn}) = k_{app}/k_\infty` (dimensionless).

    .. math:: f = \big(1 + \alpha(\mathrm{Kn})\mathrm{Kn}\big)\Big(1 + \frac{4\mathrm{Kn}}{1 - b\,\mathrm{Kn}}\Big)

    with the general slip coefficient :math:`b` (-1 for the second-order slip law of
    Beskok & Karniadakis 1999, eq. 29).
    """
    kn = _kn(knudsen)
    if not np.isfinite(slip_coefficient) or slip_coefficient > 0:
        raise InputError(f"slip_coefficient: got {slip_coefficient!r}, expected a finite number <= 0")
    alpha = np.asarray(rarefaction_coefficient(kn, correlation))
    return scalar_or_array((1.0 + alpha * kn) * (1.0 + 4.0 * kn / (1.0 - slip_coefficient * kn)))


def apparent_permeability(intrinsic_permeability: Any, knudsen: Any, correlation: str = "beskok_karniadakis") -> Any:
    r"""Apparent gas permeability :math:`k_{app} = k_\infty f(\mathrm{Kn})` (m^2); see :func:`slip_factor`."""
    k = positive(intrinsic_permeability, "m^2", "intrinsic_permeability")
    return scalar_or_array(np.asarray(k) * np.asarray(slip_factor(knudsen, correlation)))


def klinkenberg_coefficient(viscosity: Any, temperature: Any, molar_mass: Any, pore_radius: Any) -> Any:
    r"""Klinkenberg slip coefficient of first-order slip, :math:`b = 4\,\mathrm{Kn}\,p = 4\lambda p/r` (Pa).

    Pressure independent (:math:`\lambda p` is); the Kn -> 0 limit of :func:`slip_factor`,
    :math:`f \approx 1 + 4\mathrm{Kn} = 1 + b/p` (Klinkenberg 1941; Civan 2010, eq. 16).
    """
    lam_p = mean_free_path(viscosity, 1.0, temperature, molar_mass)
    r = positive(pore_radius, "m", "pore_radius")
    return scalar_or_array(4.0 * np.asarray(lam_p) / np.asarray(r))


def klinkenberg_permeability(intrinsic_permeability: Any, klinkenberg_b: Any, pressure: Any) -> Any:
    r"""Klinkenberg (1941) apparent permeability :math:`k_\infty(1 + b/p)` (m^2); b and p in Pa."""
    k = positive(intrinsic_permeability, "m^2", "intrinsic_permeability")
    b = positive(klinkenberg_b, "Pa", "klinkenberg_b", allow_zero=True)
    p = positive(pressure, "Pa", "pressure")
    return scalar_or_array(np.asarray(k) * (1.0 + np.asarray(b) / np.asarray(p)))


def flow_regime(knudsen: float) -> str:
    """Flow regime by Knudsen number: continuum < 1e-3 <= slip < 0.1 <= transition < 10 <= free molecular."""
    kn = float(_kn(knudsen))
    return ("continuum" if kn < 1e-3 else "slip" if kn < 0.1 else "transition" if kn < 10 else "free molecular")
