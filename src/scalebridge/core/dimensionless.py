"""Dimensionless groups that tell which physics dominates at an interface.

Each function accepts pint quantities (dimensions checked) or plain SI numbers and
returns a plain float or array. References: Bird, Stewart & Lightfoot, *Transport
Phenomena*, 2nd ed. (2002); Fogler, *Elements of Chemical Reaction Engineering*,
5th ed. (2016), ch. 15.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError
from .units import to_si

__all__ = ["knudsen", "damkohler", "thiele", "peclet", "biot"]


def _positive(value, unit, what):
    v = to_si(value, unit, what)
    if np.any(np.asarray(v) <= 0) or not np.all(np.isfinite(v)):
        raise InputError(f"{what} must be positive and finite, got {v}")
    return v


def knudsen(mean_free_path, length):
    r"""Knudsen number :math:`Kn = \lambda / L` (continuum valid for Kn << 1).

    mean_free_path, length : m.
    """
    return _positive(mean_free_path, "m", "mean_free_path") / _positive(length, "m", "length")


def damkohler(rate_constant, residence_time):
    r"""First Damköhler number :math:`Da = k\,\tau` for a first-order reaction.

    rate_constant : 1/s; residence_time : s (e.g. L/u). Da >> 1: reaction faster
    than transport (transport limited); Da << 1: kinetically limited.
    """
    return _positive(rate_constant, "1/s", "rate_constant") * _positive(residence_time, "s", "residence_time")


def thiele(length, rate_constant, diffusivity):
    r"""Thiele modulus :math:`\phi = L\sqrt{k/D}` (first order; Thiele 1939).

    length : m (half-thickness of a slab, radius of a sphere); rate_constant :
    1/s (volumetric first-order); diffusivity : m^2/s (effective, in the pores).
    """
    return _positive(length, "m", "length") * np.sqrt(
        _positive(rate_constant, "1/s", "rate_constant") / _positive(diffusivity, "m^2/s", "diffusivity"))


def peclet(velocity, length, diffusivity):
    r"""Péclet number :math:`Pe = u L / D` (advection over diffusion).

    velocity : m/s; length : m; diffusivity : m^2/s.
    """
    return (_positive(velocity, "m/s", "velocity") * _positive(length, "m", "length")
            / _positive(diffusivity, "m^2/s", "diffusivity"))


def biot(heat_transfer_coefficient, length, conductivity):
    r"""Biot number :math:`Bi = h L / k` (surface over internal heat transfer).

    heat_transfer_coefficient : W/(m^2 K); length : m; conductivity : W/(m K).
    """
    return (_positive(heat_transfer_coefficient, "W/(m^2*K)", "heat_transfer_coefficient")
            * _positive(length, "m", "length") / _positive(conductivity, "W/(m*K)", "conductivity"))
