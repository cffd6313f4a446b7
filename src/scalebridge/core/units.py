"""The one pint unit registry of scalebridge, and conversions to plain SI numbers.

Public functions accept either pint quantities or plain numbers, which are then
taken to be in SI base units. Inside numerical kernels everything is a plain SI
``float`` or ``ndarray``: units are checked where models meet, never in a loop.

Examples
--------
>>> from scalebridge.core.units import ureg, to_si
>>> to_si(ureg("1 eV"), "J")
1.602176634e-19
>>> to_si(550.0, "K")       # plain numbers are taken as SI
550.0
>>> to_si(["1 eV", ureg("2 eV")], "J")   # lists of quantities convert element-wise
array([1.60217663e-19, 3.20435327e-19])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pint

from .errors import InputError, ShapeError, UnitError

__all__ = ["ureg", "Quantity", "parse_quantity", "to_si", "si_unit", "check_dimension",
           "same_dimension", "energy_per_particle"]

#: The package-wide unit registry. Use it (never a new ``UnitRegistry``) so that
#: quantities from different modules can be combined.
ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("site = [site]")
ureg.formatter.default_format = "~P"
pint.set_application_registry(ureg)
Quantity = ureg.Quantity


def parse_quantity(value: Any, what: str = "value") -> pint.Quantity:
    """Turn ``"1.2 eV"``, a number or a quantity into a pint ``Quantity``.

    Parameters
    ----------
    value : str, float, array_like or pint.Quantity
        A string with a unit (``"550 K"``), a quantity, or a plain number
        (which becomes dimensionless).
    what : str
        Name used in error messages.
    """
    if isinstance(value, pint.Quantity):
        return value
    if isinstance(value, str):
        try:
            q = ureg(value)
        except Exception as exc:  # pint raises several unrelated types
            raise UnitError(f"{what}: cannot read {value!r} as a quantity ({exc})") from None
        return q if isinstance(q, pint.Quantity) else Quantity(q)
    return Quantity(np.asarray(value, dtype=float) if np.ndim(value) else float(value))


def si_unit(unit: str | pint.Unit) -> pint.Unit:
    """The SI base-unit expression with the same dimension as ``unit``."""
    return (1.0 * ureg(str(unit)) if isinstance(unit, str) else Quantity(1.0, unit)).to_base_units().units


def to_si(value: Any, unit: str | pint.Unit, what: str = "value") -> Any:
    """Convert a quantity to the number it has in SI base units, checking dimension.

    Parameters
    ----------
    value : pint.Quantity, str, float, array_like or list of these
        A quantity (checked against ``unit``), a string such as ``"1 eV"``, a
        plain number, taken to be already in SI base units, or a (nested)
        list/tuple of any of these, converted item by item.
    unit : str or pint.Unit
        The expected unit; only its *dimension* matters for plain numbers, and
        quantities are converted to SI base units (not to ``unit`` itself).
    what : str
        Name used in error messages (a port, a scenario key).

    Returns
    -------
    float or numpy.ndarray
        The magnitude in SI base units (a float array for a list/tuple).

    Raises
    ------
    UnitError
        If ``value`` (or an item of it) carries a unit of another dimension than ``unit``.
    ShapeError
        If the items of a list/tuple have shapes that do not stack into one array.
    InputError
        If ``value`` is not a number, a quantity or an array of numbers (None, a
        boolean, a mapping, ...).
    """
    if _holds_quantities(value):
        return _itemwise(lambda item, name: to_si(item, unit, name), value, what)
    if isinstance(value, str):
        value = parse_quantity(value, what)
    if isinstance(value, pint.Quantity):
        check_dimension(value, unit, what)
        mag = value.to_base_units().magnitude
        # pint keeps offset units (degC) exact through to_base_units.
        return float(mag) if np.ndim(mag) == 0 else np.asarray(mag, dtype=float)
    try:
        if isinstance(value, bool) or np.asarray(value).dtype.kind not in "iuf":
            raise TypeError
        return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{what}: expected a number or a quantity such as '1 {unit or 'dimensionless'}', "
                         f"got {value!r}") from None


def _holds_quantities(value: Any) -> bool:
    """True for a list/tuple with a string, a quantity or a nested list/tuple among its items."""
    return isinstance(value, (list, tuple)) and any(
        isinstance(item, (str, pint.Quantity, list, tuple)) for item in value)


def _itemwise(convert, value: Any, what: str) -> np.ndarray:
    """``convert(item, "what[i]")`` for each item of a list/tuple, stacked into a float array."""
    items = [convert(item, f"{what}[{i}]") for i, item in enumerate(value)]
    try:
        return np.asarray(items, dtype=float)
    except ValueError:
        shapes = sorted({np.shape(item) for item in items})
        raise ShapeError(f"{what}: got items of shapes {shapes}, expected items of one "
                         "shape that stack into an array") from None


def same_dimension(a: str | pint.Unit | pint.Quantity, b: str | pint.Unit | pint.Quantity) -> bool:
    """True if ``a`` and ``b`` have the same physical dimension."""
    return _dims(a) == _dims(b)


def check_dimension(value: Any, unit: str | pint.Unit, what: str = "value") -> None:
    """Raise :class:`UnitError` unless ``value`` has the dimension of ``unit``.

    Plain numbers pass (they are taken as SI in that unit).
    """
    if isinstance(value, str):
        value = parse_quantity(value, what)
    if not isinstance(value, pint.Quantity):
        return
    if not same_dimension(value, unit):
        raise UnitError(
            f"{what}: got {value:~P} with dimension {_dims(value)}, "
            f"expected a quantity in {unit} (dimension {_dims(unit)})"
        )


def _dims(x: str | pint.Unit | pint.Quantity):
    if isinstance(x, str):
        x = ureg(x) if x.strip() else ureg.dimensionless
    try:
        return x.dimensionality
    except AttributeError:
        return Quantity(1.0, x).dimensionality


def energy_per_particle(value: Any, what: str = "energy") -> Any:
    """An energy per particle in J, from J, eV, or a molar energy (kJ/mol).

    Molar energies are divided by the Avogadro constant, so ``"96.485 kJ/mol"``
    and ``"1 eV"`` give the same number. Plain numbers are taken as J per particle;
    a (nested) list/tuple of strings, quantities or numbers is converted item by
    item into a float array.

    Raises
    ------
    UnitError
        If ``value`` (or an item of it) is neither an energy nor an energy per
        amount of substance.
    ShapeError
        If the items of a list/tuple have shapes that do not stack into one array.
    InputError
        If ``value`` is not a number, a quantity or an array of numbers (None, a
        boolean, a mapping, ...).
    """
    if _holds_quantities(value):
        return _itemwise(energy_per_particle, value, what)
    q = parse_quantity(value, what) if isinstance(value, str) else value
    if isinstance(q, pint.Quantity) and same_dimension(q, "J/mol"):
        q = q / ureg.avogadro_constant
    return to_si(q, "J", what)
