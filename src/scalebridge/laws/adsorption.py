"""Langmuir adsorption closures: equilibrium coverages of ideal, non-interacting sites.

A mean-field model of a catalyst surface closes its site balance with these
isotherms: one species, one species adsorbing dissociatively, or several species
competing for the same sites. Pressures are in Pa and adsorption equilibrium
constants K in 1/Pa (plain numbers, or pint quantities such as ``"0.1 1/bar"``).
Everything broadcasts over batches of pressures.

References
----------
.. [Langmuir1918] I. Langmuir, "The adsorption of gases on plane surfaces of glass,
   mica and platinum", J. Am. Chem. Soc. 40, 1361 (1918).
.. [CN2017] I. Chorkendorff, J. W. Niemantsverdriet, "Concepts of Modern Catalysis
   and Kinetics", 3rd ed., Wiley-VCH (2017), ch. 2 (Langmuir adsorption isotherms).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.constants import k as k_B

from ..core.errors import ShapeError
from . import arguments
from .arguments import scalar_or_array

__all__ = ["langmuir_coverage", "dissociative_langmuir_coverage",
           "competitive_langmuir_coverages", "free_site_fraction", "langmuir_constant"]


def _pressure(value: Any, what: str = "pressure") -> Any:
    return arguments.positive(value, "Pa", what, allow_zero=True, kind="pressure")


def _constant(value: Any, what: str = "K") -> Any:
    return arguments.positive(value, "1/Pa", what, allow_zero=True, kind="equilibrium constant")


def langmuir_coverage(pressure: Any, K: Any) -> Any:
    """Langmuir coverage of one molecularly adsorbing species.

    theta = K p / (1 + K p)

    Parameters
    ----------
    pressure : float, array_like or pint.Quantity
        Partial pressure p in Pa, >= 0.
    K : float, array_like or pint.Quantity
        Adsorption equilibrium constant in 1/Pa, >= 0.

    References
    ----------
    [Langmuir1918]_; [CN2017]_ ch. 2.
    """
    Kp = _constant(K) * _pressure(pressure)
    return scalar_or_array(Kp / (1.0 + Kp))


def dissociative_langmuir_coverage(pressure: Any, K: Any) -> Any:
    """Langmuir coverage of the atoms of a dissociatively adsorbing molecule, A2 + 2* = 2A*.

    theta = sqrt(K p) / (1 + sqrt(K p)),   K = theta^2 / (p theta_free^2)

    Parameters
    ----------
    pressure : float, array_like or pint.Quantity
        Partial pressure p of A2 in Pa, >= 0.
    K : float, array_like or pint.Quantity
        Equilibrium constant of A2 + 2* = 2A* in 1/Pa, >= 0.

    References
    ----------
    [Langmuir1918]_; [CN2017]_ ch. 2.
    """
    root = np.sqrt(_constant(K) * _pressure(pressure))
    return scalar_or_array(root / (1.0 + root))


def _site_terms(pressures: Any, K: Any, dissociative: Any) -> np.ndarray:
    """K_i p_i, or sqrt(K_i p_i) for dissociative species; species on the last axis."""
    K_si, p_si = np.asarray(_constant(K), dtype=float), _pressure(pressures, "pressures")
    mask = np.zeros(1, bool) if dissociative is None else np.asarray(dissociative, dtype=bool)
    try:
        Kp, mask = np.broadcast_arrays(np.atleast_1d(K_si * p_si), mask)
    except ValueError:
        raise ShapeError(f"pressures {np.shape(p_si)}, K {K_si.shape} and dissociative "
                         f"{mask.shape}: expected shapes that broadcast, species on the "
                         "last axis") from None
    return np.where(mask, np.sqrt(Kp), Kp)


def free_site_fraction(pressures: Any, K: Any, dissociative: Any = None) -> Any:
    """Fraction of free sites when several species compete for the same sites.

    theta_free = 1 / (1 + sum_i a_i),  a_i = K_i p_i  (sqrt(K_i p_i) if dissociative)

    Parameters
    ----------
    pressures : array_like or pint.Quantity
        Partial pressures in Pa, >= 0, species on the last axis (leading axes are a batch).
    K : array_like or pint.Quantity
        Adsorption equilibrium constants in 1/Pa, >= 0, broadcasting with ``pressures``.
    dissociative : array_like of bool, optional
        Per species, True if it adsorbs dissociatively (A2 + 2* = 2A*).

    References
    ----------
    [CN2017]_ ch. 2 (competitive adsorption).
    """
    return scalar_or_array(1.0 / (1.0 + _site_terms(pressures, K, dissociative).sum(-1)))


def competitive_langmuir_coverages(pressures: Any, K: Any, dissociative: Any = None, *,
                                   return_free_sites: bool = False) -> Any:
    """Coverages of several species competing for one kind of site (competitive Langmuir).

    theta_i = a_i / (1 + sum_j a_j),  a_i = K_i p_i  (sqrt(K_i p_i) if dissociative)

    so that sum_i theta_i + theta_free = 1.

    Parameters
    ----------
    pressures : array_like or pint.Quantity
        Partial pressures in Pa, >= 0, species on the last axis (leading axes are a batch).
    K : array_like or pint.Quantity
        Adsorption equilibrium constants in 1/Pa, >= 0, broadcasting with ``pressures``.
    dissociative : array_like of bool, optional
        Per species, True if it adsorbs dissociatively (theta_i counts its atoms).
    return_free_sites : bool, optional
        If True return ``(coverages, free_sites)``; see :func:`free_site_fraction`.

    Returns
    -------
    numpy.ndarray, or tuple of (numpy.ndarray, float or numpy.ndarray)
        Coverages with the species on the last axis (and the free-site fraction).

    References
    ----------
    [Langmuir1918]_; [CN2017]_ ch. 2 (competitive adsorption).
    """
    terms = _site_terms(pressures, K, dissociative)
    free = 1.0 / (1.0 + terms.sum(-1))
    coverages = terms * free[..., None]
    return (coverages, scalar_or_array(free)) if return_free_sites else coverages


def langmuir_constant(adsorption_free_energy: Any, temperature: Any,
                      standard_pressure: Any = 1e5) -> Any:
    """Langmuir equilibrium constant in 1/Pa from a standard adsorption free energy.

    K = exp(-dG_ads / (k_B T)) / p0

    Parameters
    ----------
    adsorption_free_energy : float, array_like or pint.Quantity
        dG_ads of A(g, p0) + * = A*, J per particle, or a quantity in eV or kJ/mol.
    temperature : float, array_like or pint.Quantity
        T in K, > 0.
    standard_pressure : float or pint.Quantity, optional
        p0 in Pa, > 0 (default 1 bar, the standard state of dG_ads).

    References
    ----------
    [CN2017]_ ch. 2 (adsorption equilibrium).
    """
    dG = arguments.energy(adsorption_free_energy, "adsorption_free_energy")
    p0 = arguments.positive(standard_pressure, "Pa", "standard_pressure", kind="pressure")
    return scalar_or_array(np.exp(-dG / (k_B * arguments.temperature(temperature))) / p0)
