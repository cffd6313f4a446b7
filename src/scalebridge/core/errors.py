"""Error hierarchy of scalebridge.

Every error the package raises on purpose derives from :class:`ScalebridgeError`,
so a caller (the CLI above all) can tell "the user asked for something wrong" or
"the numerics failed" apart from a programming bug. Messages name the offending
model, port or key, what was given and what was expected.
"""

from __future__ import annotations

__all__ = [
    "ScalebridgeError",
    "InputError",
    "UnitError",
    "ShapeError",
    "ScaleSeparationError",
    "ConvergenceError",
    "MissingDependencyError",
]


class ScalebridgeError(Exception):
    """Base class of every error raised deliberately by scalebridge."""


class InputError(ScalebridgeError, ValueError):
    """Bad input: a value out of its physical range, an unknown key, a missing item."""


class UnitError(InputError):
    """A quantity has the wrong physical dimension, or two connected ports disagree."""


class ShapeError(InputError):
    """An array has the wrong shape for the port it is given to."""


class ScaleSeparationError(ScalebridgeError):
    """Two coupled scales are not separated enough for the requested coupling."""


class ConvergenceError(ScalebridgeError, ArithmeticError):
    """A numerical method did not converge or produced non-finite numbers."""


class MissingDependencyError(ScalebridgeError, ImportError):
    """An optional dependency is not installed; the message gives the pip extra."""
