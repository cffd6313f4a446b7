r"""Closed forms of 1-D heat conduction used as references and bridging laws.

* :func:`semi_infinite_surface_rise`: surface temperature rise of a semi-infinite solid
  under a constant surface heat flux switched on at :math:`t = 0`,

  .. math:: \Delta T_s(t) = \frac{2 q}{\sqrt{\pi}}\sqrt{\frac{t}{k\rho c}}
            = 2 q \sqrt{\frac{t}{\pi k \rho c}}

  (Carslaw & Jaeger 1959, sec. 2.9, eq. (5) at :math:`x = 0`);
* :func:`slab_steady_surface_temperature`: steady plane wall of thickness :math:`L` heated
  by :math:`q` on one face and cooled through a film coefficient :math:`h` on the other,

  .. math:: T_s = T_c + q\left(\frac{L}{k} + \frac{1}{h}\right)

  (series thermal resistances; Incropera & DeWitt, *Fundamentals of Heat and Mass
  Transfer*, 6th ed., sec. 3.1);
* :func:`diffusion_time`: :math:`t = \ell^2/\alpha`, the time heat takes to cross a
  length :math:`\ell` (the relaxation time used by the scale-separation checks);
* :func:`thermal_effusivity`: :math:`e = \sqrt{k\rho c}`.

All functions are vectorised, accept quantities or SI numbers, and refuse non-finite
or out-of-range arguments with an :class:`~scalebridge.core.errors.InputError` naming
the argument.

References
----------
Carslaw, H. S. & Jaeger, J. C. (1959). *Conduction of Heat in Solids*, 2nd ed., Oxford.
Incropera, F. P. & DeWitt, D. P. (2007). *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .arguments import positive, temperature

__all__ = ["semi_infinite_surface_rise", "slab_steady_surface_temperature", "diffusion_time", "thermal_effusivity"]


def thermal_effusivity(conductivity: Any, density: Any, heat_capacity: Any) -> Any:
    r"""Thermal effusivity :math:`e = \sqrt{k\rho c}`, J/(m^2 K s^{1/2}).

    Parameters
    ----------
    conductivity : W/(m K); density : kg/m^3; heat_capacity : J/(kg K). All > 0.
    """
    k = positive(conductivity, "W/(m*K)", "conductivity")
    rho = positive(density, "kg/m^3", "density")
    c = positive(heat_capacity, "J/(kg*K)", "heat_capacity")
    return np.sqrt(np.asarray(k) * rho * c)


def semi_infinite_surface_rise(heat_flux: Any, time: Any, conductivity: Any, density: Any,
                               heat_capacity: Any) -> Any:
    r"""Surface temperature rise of a semi-infinite solid under a constant flux, K.

    .. math:: \Delta T_s = 2 q \sqrt{\frac{t}{\pi k \rho c}}

    Parameters
    ----------
    heat_flux : float or array_like
        Absorbed surface heat flux :math:`q`, W/m^2 (>= 0).
    time : float or array_like
        Time since the flux was switched on, s (>= 0).
    conductivity, density, heat_capacity
        :math:`k` in W/(m K), :math:`\rho` in kg/m^3, :math:`c` in J/(kg K).

    Notes
    -----
    Valid while the heated depth :math:`\sqrt{\alpha t}` is small compared with the
    thickness of the body (Carslaw & Jaeger 1959, sec. 2.9).
    """
    q = positive(heat_flux, "W/m^2", "heat_flux", allow_zero=True)
    t = positive(time, "s", "time", allow_zero=True)
    return 2.0 * np.asarray(q) * np.sqrt(np.asarray(t) / np.pi) / thermal_effusivity(conductivity, density,
                                                                                      heat_capacity)


def slab_steady_surface_temperature(heat_flux: Any, thickness: Any, conductivity: Any,
                                    heat_transfer_coefficient: Any, coolant_temperature: Any) -> Any:
    r"""Steady heated-face temperature of a plane wall cooled on its back face, K.

    .. math:: T_s = T_c + q\left(\frac{L}{k} + \frac{1}{h}\right)

    Parameters
    ----------
    heat_flux : W/m^2 (>= 0); thickness : m (> 0); conductivity : W/(m K) (> 0);
    heat_transfer_coefficient : W/(m^2 K) (> 0); coolant_temperature : K (> 0).
    """
    q = positive(heat_flux, "W/m^2", "heat_flux", allow_zero=True)
    L = positive(thickness, "m", "thickness")
    k = positive(conductivity, "W/(m*K)", "conductivity")
    h = positive(heat_transfer_coefficient, "W/(m^2*K)", "heat_transfer_coefficient")
    Tc = temperature(coolant_temperature, "coolant_temperature")
    return np.asarray(Tc) + np.asarray(q) * (np.asarray(L) / k + 1.0 / np.asarray(h))


def diffusion_time(length: Any, diffusivity: Any) -> Any:
    r"""Diffusion time :math:`t = \ell^2/\alpha` across a length, s.

    Parameters
    ----------
    length : m (> 0); diffusivity : m^2/s (> 0).
    """
    ell = positive(length, "m", "length")
    a = positive(diffusivity, "m^2/s", "diffusivity")
    return np.asarray(ell) ** 2 / a
