"""Argument checks shared by the bridging laws.

Every law of :mod:`scalebridge.laws` accepts pint quantities, strings such as
``"1 eV"``, plain SI numbers, arrays, or lists of any of these, and works in plain
SI NumPy inside. These functions do the conversion (through
:func:`scalebridge.core.units.to_si`) and refuse non-finite or out-of-range values
with an :class:`~scalebridge.core.errors.InputError` whose message names the
argument, the offending value and what was expected, e.g.
``"temperature: got -10 K, expected a finite absolute temperature > 0 K"``.
A quantity of the wrong dimension raises :class:`~scalebridge.core.errors.UnitError`.

Examples
--------
>>> from scalebridge.laws.arguments import energy, temperature
>>> temperature("25 degC")
298.15
>>> energy(["1 eV", "96.485 kJ/mol"], "barriers")
array([1.60217663e-19, 1.60217112e-19])
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pint

from ..core.errors import InputError
from ..core.units import energy_per_particle, parse_quantity, same_dimension, to_si, ureg

__all__ = ["finite", "si_value", "temperature", "energy", "positive", "molecular_mass",
           "sticking_coefficient", "site_area", "scalar_or_array"]

#: A test on a float array that is True where an entry is out of range.
Bad = Callable[[np.ndarray], Any]


def finite(x: Any, what: str, bad: Bad | None = None, *, unit: str = "",
           expected: str = "a finite number") -> Any:
    """Return the SI number(s) ``x`` unchanged if they are finite and none is ``bad``.

    Parameters
    ----------
    x : float or array_like
        Plain SI number(s).
    what : str
        Argument name for the error message.
    bad : callable, optional
        ``bad(array) -> bool array``, True where an entry is out of range.
    unit : str, optional
        Unit shown after the offending value in the message.
    expected : str, optional
        What was expected, for the message.

    Raises
    ------
    InputError
        ``"{what}: got {first offending value} {unit} (n of N entries), expected
        {expected}"``.
    """
    arr = np.asarray(x, dtype=float)
    mask = ~np.isfinite(arr)
    if not mask.any() and bad is not None:
        mask = np.asarray(bad(arr), dtype=bool)
    if mask.any():
        first = arr[mask].flat[0] if arr.ndim else float(arr)
        where = f" ({int(mask.sum())} of {arr.size} entries)" if arr.ndim else ""
        shown = f"{first:g} {unit}".rstrip()
        raise InputError(f"{what}: got {shown}{where}, expected {expected}")
    return x


def si_value(value: Any, unit: str, what: str, expected: str = "a finite number",
             bad: Bad | None = None) -> Any:
    """A quantity (or list of quantities) in SI base units, checked with :func:`finite`.

    Parameters
    ----------
    value : float, array_like, str, pint.Quantity or list of these
        Plain numbers are taken to be in SI already.
    unit : str
        The expected unit (its dimension is checked; ``""`` for dimensionless).
    what, expected, bad
        As for :func:`finite`.

    Returns
    -------
    float or numpy.ndarray
        The SI magnitude.
    """
    return finite(to_si(value, unit, what), what, bad, unit=unit, expected=expected)


def positive(value: Any, unit: str, what: str, allow_zero: bool = False, *,
             kind: str = "value") -> Any:
    """A finite value in SI base units, > 0 (or >= 0 with ``allow_zero``).

    ``kind`` names the quantity in the message: ``"expected a finite {kind} > 0 {unit}"``.
    """
    if allow_zero:
        return si_value(value, unit, what, f"a finite {kind} >= 0 {unit}", lambda a: a < 0)
    return si_value(value, unit, what, f"a finite {kind} > 0 {unit}", lambda a: a <= 0)


def temperature(value: Any, what: str = "temperature") -> Any:
    """An absolute temperature T in K, finite and > 0 (``"25 degC"`` is accepted)."""
    return positive(value, "K", what, kind="absolute temperature")


def energy(value: Any, what: str) -> Any:
    """A finite energy per particle in J, from J, eV or a molar energy (kJ/mol).

    See :func:`scalebridge.core.units.energy_per_particle`.
    """
    return finite(energy_per_particle(value, what), what, unit="J",
                  expected="a finite energy (J per particle, eV or kJ/mol)")


def molecular_mass(value: Any, what: str = "mass") -> Any:
    """A molecular mass m in kg, > 0 (``"28.01 u"`` and ``"28 Da"`` are accepted)."""
    return positive(value, "kg", what, kind="molecular mass")


def sticking_coefficient(value: Any, what: str = "sticking_coefficient") -> Any:
    """A (dimensionless) sticking coefficient s_0 in [0, 1]."""
    return si_value(value, "", what, "a sticking coefficient in [0, 1]", lambda a: (a < 0) | (a > 1))


def site_area(value: Any, what: str = "site_area") -> Any:
    """Area per adsorption site A_site in m^2, > 0; a quantity in area/site is accepted."""
    if isinstance(value, str):
        value = parse_quantity(value, what)
    if isinstance(value, pint.Quantity) and same_dimension(value, "m^2/site"):
        value = value * ureg.site
    return positive(value, "m^2", what, kind="site area")


def scalar_or_array(x: Any) -> Any:
    """A Python ``float`` for a 0-d result, else a NumPy array (the laws' return convention)."""
    return float(x) if np.ndim(x) == 0 else np.asarray(x)
