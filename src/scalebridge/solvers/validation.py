"""Argument checks shared by the numerical engines (SI numbers in, InputError out)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.errors import InputError

__all__ = ["positive_numbers", "count_at_least", "nonnegative_batch"]


def positive_numbers(**values: Any) -> None:
    """Raise :class:`InputError` unless every value is a finite positive scalar (SI)."""
    for name, value in values.items():
        if not (np.isscalar(value) and np.isfinite(value) and value > 0):
            raise InputError(f"{name}: got {value!r}, expected a finite positive number (SI)")


def count_at_least(name: str, value: Any, minimum: int) -> int:
    """``value`` as an int, or :class:`InputError` if it is not an integer >= ``minimum``."""
    if int(value) != value or value < minimum:
        raise InputError(f"{name}: got {value!r}, expected an integer >= {minimum}")
    return int(value)


def nonnegative_batch(name: str, value: Any, unit: str) -> np.ndarray:
    """A finite, non-negative scalar or 1-D array (a batch), as a float array."""
    a = np.asarray(value, dtype=float)
    if a.ndim > 1 or np.any(~np.isfinite(a) | (a < 0.0)):
        raise InputError(f"{name}: got {value!r}, expected a finite non-negative number or 1-D array ({unit})")
    return a
