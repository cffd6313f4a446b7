"""Closed-form laws of diffusion with reaction in porous catalyst pellets.

The bridge from the surface-kinetics scale to the reactor scale: a pellet turns a
rate per unit pellet volume at the surface concentration into an observed rate,
``r_obs = eta * r(c_s)``, through the effectiveness factor ``eta`` of the Thiele
modulus ``phi``.

Length convention (read this before mixing formulae from different books)
------------------------------------------------------------------------
For the *classical* Thiele modulus the characteristic length ``L`` is

============  =====================  ================================
geometry      ``L`` in ``phi``        effectiveness factor
============  =====================  ================================
``slab``      half thickness          ``tanh(phi) / phi``
``cylinder``  radius ``R``            ``(2/phi) I1(phi) / I0(phi)``
``sphere``    radius ``R``            ``3/phi^2 (phi coth(phi) - 1)``
============  =====================  ================================

so that ``phi = L sqrt(k/D)`` and, for ``phi -> inf``, ``eta -> 1/phi`` (slab),
``2/phi`` (cylinder), ``3/phi`` (sphere). The *generalized* modulus of Aris (1957)
and Bischoff (1965) uses ``V_p/S_p`` instead (``L``, ``R/2``, ``R/3``) and a
rate-law normalisation, so that ``eta -> 1/phi_gen`` for every shape and rate law;
see :func:`generalized_thiele_modulus`.

All inputs are pint quantities or plain numbers in SI; results are plain SI numbers.

References
----------
Thiele, E. W. (1939). Relation between catalytic activity and size of particle.
Ind. Eng. Chem. 31, 916-920.
Aris, R. (1957). On shape factors for irregular particles I. Chem. Eng. Sci. 6, 262-268.
Bischoff, K. B. (1965). Effectiveness factors for general reaction rate forms.
AIChE J. 11, 351-355.
Aris, R. (1975). The Mathematical Theory of Diffusion and Reaction in Permeable
Catalysts, vol. 1, Clarendon Press, ch. 3.
Fogler, H. S. Elements of Chemical Reaction Engineering, ch. 15 (diffusion and
reaction in porous catalysts).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy import integrate, special

from ..core.errors import InputError
from ..core.units import to_si
from .arguments import positive, scalar_or_array, si_value

__all__ = [
    "GEOMETRIES",
    "thiele_modulus",
    "effectiveness_factor",
    "volume_to_surface_ratio",
    "generalized_thiele_modulus",
    "effective_diffusivity",
]

#: Pellet shapes with a closed-form first-order effectiveness factor.
GEOMETRIES = ("slab", "cylinder", "sphere")

# V_p/S_p divided by the characteristic length of thiele_modulus.
_VOLUME_TO_SURFACE = {"slab": 1.0, "cylinder": 0.5, "sphere": 1.0 / 3.0}


def _check_geometry(geometry: str) -> str:
    if not isinstance(geometry, str) or geometry.lower() not in GEOMETRIES:
        raise InputError(
            f"geometry: got {geometry!r}, expected one of {', '.join(map(repr, GEOMETRIES))}"
        )
    return geometry.lower()


def thiele_modulus(length: Any, rate_constant: Any, diffusivity: Any) -> Any:
    r"""Thiele modulus of a first-order reaction in a pellet.

    .. math:: \phi = L \sqrt{k / D}

    Parameters
    ----------
    length : float, array_like or pint.Quantity
        Characteristic length ``L`` in m: the half thickness of a slab, the radius
        ``R`` of a cylinder or a sphere (the convention of
        :func:`effectiveness_factor`).
    rate_constant : float, array_like or pint.Quantity
        First-order rate constant per unit pellet volume ``k`` in 1/s (``r = k c``).
        Zero gives ``phi = 0``.
    diffusivity : float, array_like or pint.Quantity
        Effective diffusivity in the pellet ``D`` in m^2/s
        (see :func:`effective_diffusivity`).

    Returns
    -------
    float or numpy.ndarray
        The dimensionless modulus ``phi``, broadcast over the inputs.

    Raises
    ------
    InputError
        For a non-positive length or diffusivity, a negative rate constant, or a
        non-finite value.
    UnitError
        For a quantity of the wrong dimension.

    References
    ----------
    Thiele (1939), Ind. Eng. Chem. 31, 916; Fogler, Elements of Chemical Reaction
    Engineering, ch. 15.
    """
    L = positive(length, "m", "length", kind="length")
    k = positive(rate_constant, "1/s", "rate_constant", allow_zero=True, kind="rate constant")
    D = positive(diffusivity, "m^2/s", "diffusivity", kind="diffusivity")
    return scalar_or_array(np.asarray(L) * np.sqrt(np.asarray(k) / np.asarray(D)))


def _eta_slab(phi: np.ndarray) -> np.ndarray:
    small = phi < 1e-4
    p, s = np.where(small, 1.0, phi), np.where(small, phi, 0.0)
    series = 1.0 - s**2 / 3.0 + 2.0 * s**4 / 15.0
    return np.where(small, series, np.tanh(p) / p)


def _eta_cylinder(phi: np.ndarray) -> np.ndarray:
    small = phi < 1e-4
    p, s = np.where(small, 1.0, phi), np.where(small, phi, 0.0)
    # Exponentially scaled Bessel functions: the ratio I1/I0 never overflows; beyond
    # 1e6 (where ive itself underflows far out) the asymptotic series is exact to
    # round-off: I1/I0 = 1 - 1/(2x) - 1/(8x^2) + O(x^-3).
    large = p > 1e6
    q, a = np.where(large, 1.0, p), np.where(large, p, 1.0)
    ratio = np.where(large, 1.0 - (0.5 + 0.125 / a) / a, special.ive(1, q) / special.ive(0, q))
    series = 1.0 - s**2 / 8.0 + s**4 / 48.0
    return np.where(small, series, 2.0 * ratio / p)


def _eta_sphere(phi: np.ndarray) -> np.ndarray:
    # phi coth(phi) - 1 cancels for small phi: use its Taylor series there
    # (coefficients 2^(2n) B_2n / (2n)!), truncation below 1e-15 for phi < 0.05.
    small = phi < 0.05
    p, s = np.where(small, 1.0, phi), np.where(small, phi, 0.0)
    series = 1.0 - s**2 / 15.0 + 2.0 * s**4 / 315.0 - s**6 / 1575.0
    # 3/phi^2 (phi coth phi - 1) written as 3/phi (coth phi - 1/phi): no phi^2 overflow.
    return np.where(small, series, 3.0 / p * (1.0 / np.tanh(p) - 1.0 / p))


_ETA = {"slab": _eta_slab, "cylinder": _eta_cylinder, "sphere": _eta_sphere}


def effectiveness_factor(thiele: Any, geometry: str = "sphere") -> Any:
    r"""Isothermal effectiveness factor of a first-order reaction in a pellet.

    .. math::

        \eta_\text{slab} = \frac{\tanh\phi}{\phi}, \qquad
        \eta_\text{cylinder} = \frac{2}{\phi}\frac{I_1(\phi)}{I_0(\phi)}, \qquad
        \eta_\text{sphere} = \frac{3}{\phi^2}\left(\phi\coth\phi - 1\right)

    with ``phi = L sqrt(k/D)`` from :func:`thiele_modulus`, ``L`` the half thickness
    of the slab and the radius of the cylinder and sphere. The factor is the ratio of
    the pellet-averaged rate to the rate at the surface concentration.

    Evaluated stably over the whole range: Taylor series for small ``phi`` (``eta ->
    1``), exponentially scaled Bessel functions for the cylinder, so that
    ``phi = 1e4`` or ``inf`` gives the asymptotes ``1/phi``, ``2/phi``, ``3/phi``
    (or 0) without overflow.

    Parameters
    ----------
    thiele : float, array_like or pint.Quantity
        Thiele modulus ``phi`` (dimensionless, ``>= 0``).
    geometry : {"slab", "cylinder", "sphere"}
        Pellet shape. The cylinder is infinitely long (no flux through end caps).

    Returns
    -------
    float or numpy.ndarray
        ``eta`` in (0, 1], same shape as ``thiele``.

    Raises
    ------
    InputError
        For an unknown geometry, or a negative or NaN modulus.

    References
    ----------
    Thiele (1939), Ind. Eng. Chem. 31, 916; Aris (1975), The Mathematical Theory of
    Diffusion and Reaction in Permeable Catalysts, vol. 1, sec. 3.2;
    Fogler, Elements of Chemical Reaction Engineering, ch. 15.
    """
    geometry = _check_geometry(geometry)
    phi = np.asarray(to_si(thiele, "dimensionless", "thiele"), dtype=float)
    if np.any(np.isnan(phi) | (phi < 0.0)):
        raise InputError(f"thiele: got {thiele!r}, expected a non-negative modulus")
    finite = np.isfinite(phi)
    return scalar_or_array(np.where(finite, _ETA[geometry](np.where(finite, phi, 1.0)), 0.0))


def volume_to_surface_ratio(length: Any, geometry: str = "sphere") -> Any:
    r"""Volume-to-external-surface ratio ``V_p/S_p`` of a pellet, in m.

    ``L`` for a slab of half thickness ``L`` (faces only), ``R/2`` for an infinite
    cylinder and ``R/3`` for a sphere of radius ``R``.

    Parameters
    ----------
    length : float, array_like or pint.Quantity
        Half thickness (slab) or radius (cylinder, sphere), in m.
    geometry : {"slab", "cylinder", "sphere"}
        Pellet shape.

    References
    ----------
    Aris (1957), Chem. Eng. Sci. 6, 262.
    """
    geometry = _check_geometry(geometry)
    L = np.asarray(positive(length, "m", "length", kind="length"))
    return scalar_or_array(_VOLUME_TO_SURFACE[geometry] * L)


def _rate_values(rate: Callable, c: np.ndarray) -> np.ndarray:
    out = rate(c)
    if isinstance(out, tuple):  # the (r, dr/dc) convention of the solvers
        out = out[0]
    return np.broadcast_to(np.asarray(out, dtype=float), c.shape)


def generalized_thiele_modulus(
    rate: Callable,
    surface_concentration: Any,
    diffusivity: Any,
    volume_to_surface: Any,
    equilibrium_concentration: Any = 0.0,
) -> Any:
    r"""Generalized Thiele modulus of an arbitrary rate law (Aris-Bischoff).

    .. math::

        \phi_\text{gen} = \frac{V_p}{S_p}\,
            \frac{r(c_s)}{\sqrt{2 D \int_{c_\text{eq}}^{c_s} r(c)\,\mathrm{d}c}}

    normalised so that ``eta -> 1/phi_gen`` for ``phi_gen -> inf`` whatever the
    rate law and pellet shape, and ``eta ~ 1/phi_gen`` is a fair estimate
    everywhere outside ``phi_gen ~ 1``. For first order ``r = k c`` the integral is
    ``k c_s^2/2`` and ``phi_gen = (V_p/S_p) sqrt(k/D)``: ``phi`` for a slab
    (``V_p/S_p = L``), ``phi/2`` for a cylinder (``R/2``) and ``phi/3`` for a
    sphere (``R/3``), with ``phi`` of :func:`thiele_modulus`.

    Parameters
    ----------
    rate : callable
        ``rate(c)`` -> consumption rate per unit pellet volume ``r >= 0`` in
        mol/(m^3 s), vectorised over an array of concentrations; it may also return
        the ``(r, dr/dc)`` pair used by :mod:`scalebridge.solvers.fv`.
    surface_concentration : float, array_like or pint.Quantity
        ``c_s`` in mol/m^3 (``> c_eq``); an array gives one modulus per entry.
    diffusivity : float or pint.Quantity
        Effective diffusivity ``D`` in m^2/s.
    volume_to_surface : float or pint.Quantity
        ``V_p/S_p`` in m (see :func:`volume_to_surface_ratio`).
    equilibrium_concentration : float or pint.Quantity
        Lower limit ``c_eq`` in mol/m^3 where the rate vanishes (0 for an
        irreversible reaction).

    Returns
    -------
    float or numpy.ndarray
        ``phi_gen``, one per surface concentration.

    Raises
    ------
    InputError
        For non-positive ``D`` or ``V_p/S_p``, ``c_s <= c_eq``, a negative or
        non-finite rate, or a vanishing rate integral.

    Notes
    -----
    The integral is computed by adaptive quadrature (:func:`scipy.integrate.quad_vec`)
    on ``c = c_eq + t (c_s - c_eq)``, ``t`` in [0, 1], for all ``c_s`` at once.

    References
    ----------
    Aris (1957), Chem. Eng. Sci. 6, 262; Bischoff (1965), AIChE J. 11, 351;
    Aris (1975), vol. 1, sec. 3.5; Fogler, ch. 15.
    """
    if not callable(rate):
        raise InputError(f"rate: got {type(rate).__name__}, expected a callable r(c)")
    ceq = float(to_si(equilibrium_concentration, "mol/m^3", "equilibrium_concentration"))
    cs = np.asarray(si_value(surface_concentration, "mol/m^3", "surface_concentration",
                             f"finite values above the equilibrium concentration {ceq} mol/m^3",
                             lambda a: a <= ceq), float)
    D = float(positive(diffusivity, "m^2/s", "diffusivity", kind="diffusivity"))
    vs = float(positive(volume_to_surface, "m", "volume_to_surface", kind="length"))
    span = np.atleast_1d(cs - ceq)
    rs = _rate_values(rate, np.atleast_1d(cs))
    integral, _ = integrate.quad_vec(
        lambda t: _rate_values(rate, ceq + t * span) * span, 0.0, 1.0,
        epsabs=0.0, epsrel=1e-10,
    )
    if np.any(~np.isfinite(rs) | (rs < 0.0) | ~np.isfinite(integral) | (integral <= 0.0)):
        raise InputError(
            "rate: expected a finite non-negative consumption rate with a positive "
            f"integral between c_eq and c_s; got r(c_s) = {rs}, integral = {integral}"
        )
    phi = vs * rs / np.sqrt(2.0 * D * integral)
    return float(phi[0]) if cs.ndim == 0 else phi.reshape(cs.shape)


def effective_diffusivity(diffusivity: Any, porosity: Any, tortuosity: Any = None) -> Any:
    r"""Effective diffusivity in a porous pellet.

    .. math:: D_\text{eff} = \frac{\varepsilon}{\tau} D,
              \qquad \tau = \varepsilon^{-1/2} \text{ (Bruggeman) if not given}

    so that the Bruggeman default is ``D_eff = D eps^{3/2}``.

    Parameters
    ----------
    diffusivity : float, array_like or pint.Quantity
        Pore (molecular or Knudsen) diffusivity ``D`` in m^2/s.
    porosity : float or array_like
        Pellet porosity ``eps`` in (0, 1].
    tortuosity : float, array_like or None
        Tortuosity factor ``tau >= 1``; ``None`` uses Bruggeman's ``eps^(-1/2)``.

    Returns
    -------
    float or numpy.ndarray
        ``D_eff`` in m^2/s.

    Raises
    ------
    InputError
        For a non-positive diffusivity, a porosity outside (0, 1] or a tortuosity
        below 1.

    References
    ----------
    Bruggeman, D. A. G. (1935). Ann. Phys. 416, 636-664; Fogler, ch. 15
    (effective diffusivity); Aris (1975), vol. 1, ch. 2.
    """
    D = np.asarray(positive(diffusivity, "m^2/s", "diffusivity", kind="diffusivity"))
    eps = np.asarray(si_value(porosity, "", "porosity", "a porosity in (0, 1]",
                              lambda a: (a <= 0.0) | (a > 1.0)), dtype=float)
    if tortuosity is None:
        tau = eps**-0.5
    else:
        tau = np.asarray(si_value(tortuosity, "", "tortuosity", "a tortuosity >= 1",
                                  lambda a: a < 1.0), dtype=float)
    return scalar_or_array(D * eps / tau)
