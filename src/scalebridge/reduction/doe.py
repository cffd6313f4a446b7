r"""Designs of experiments over a model's input box, with units.

A surrogate is only as good as the points it was trained on. This module places
``n`` points in the box :math:`\prod_j [a_j, b_j]` of a model's inputs:

* :func:`sobol`: a (scrambled) Sobol' low-discrepancy sequence (Sobol' 1967;
  Owen 1998 scrambling); its balance properties need ``n`` a power of 2;
* :func:`latin_hypercube`: a Latin hypercube, one point per stratum of every
  input (McKay, Beckman & Conover 1979, Technometrics 21, 239);
* :func:`design`: either, for a :class:`~scalebridge.core.model.Model`, with
  bounds given as quantities converted against the port units.

Points are drawn in the unit cube :math:`u \in [0, 1)^d` by ``scipy.stats.qmc``
and mapped to the box linearly, :math:`x = a + (b - a) u`, or, for inputs declared
``log`` (positive ranges spanning decades: contrasts, pressures, rates),
log-uniformly, :math:`x = a\,(b/a)^u`. Vector and tensor ports take bounds per
component (scalars broadcast to the port shape) and count one dimension each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import pint
from scipy.stats import qmc

from ..core.errors import InputError, ShapeError
from ..core.model import Model, check_names
from ..core.units import parse_quantity, to_si

__all__ = ["InputBox", "input_box", "sobol", "latin_hypercube", "design", "flatten_ports", "unflatten_ports"]


def flatten_ports(arrays: Mapping[str, np.ndarray], shapes: Mapping[str, tuple[int, ...]]) -> np.ndarray:
    """Stack port arrays ``(B, *shape)`` into one matrix ``(B, d)``, ports in the order of ``shapes``."""
    return np.concatenate([np.asarray(arrays[k], dtype=float).reshape(len(arrays[k]), -1) for k in shapes],
                          axis=1)


def unflatten_ports(x: np.ndarray, shapes: Mapping[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    """Split a matrix ``(B, d)`` (or ``(B, d, ...)`` along axis 1) into port arrays ``(B, *shape, ...)``."""
    out, start = {}, 0
    for k, shape in shapes.items():
        size = int(np.prod(shape, dtype=int))
        out[k] = x[:, start:start + size].reshape((len(x),) + tuple(shape) + x.shape[2:])
        start += size
    return out


@dataclass(frozen=True)
class InputBox:
    """The box of a model's inputs: per-component SI bounds and sampling scale.

    Attributes
    ----------
    shapes : dict of str to tuple of int
        Item shape of each input port, in the order of the flattened components.
    low, high : ndarray, shape (d,)
        SI bounds of the ``d`` flattened components (ports in order, C order within).
    log : ndarray of bool, shape (d,)
        Components sampled log-uniformly.
    units : dict of str to str
        Port units (for display and saved metadata; arrays are SI).
    """

    shapes: dict[str, tuple[int, ...]]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray
    units: dict[str, str]

    @property
    def dimension(self) -> int:
        """Number of flattened input components ``d``."""
        return int(self.low.size)

    def flatten(self, inputs: Mapping[str, np.ndarray]) -> np.ndarray:
        """Stack port arrays ``(B, *shape)`` into a feature matrix ``(B, d)``."""
        return flatten_ports(inputs, self.shapes)

    def unflatten(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Split a feature matrix ``(B, d)`` into port arrays ``(B, *shape)``."""
        return unflatten_ports(x, self.shapes)

    def from_unit_cube(self, u: np.ndarray) -> dict[str, np.ndarray]:
        r"""Map points ``u`` of :math:`[0, 1]^d` to the box (log-uniformly where ``log``)."""
        lin = self.low + (self.high - self.low) * u
        with np.errstate(divide="ignore", invalid="ignore"):
            geo = self.low * (self.high / self.low) ** u
        return self.unflatten(np.where(self.log, geo, lin))

    def contains(self, inputs: Mapping[str, np.ndarray]) -> np.ndarray:
        """Boolean mask ``(B,)`` of the points inside the box (bounds included)."""
        x = self.flatten(inputs)
        return np.all((x >= self.low) & (x <= self.high), axis=1)

    def widened(self, margin: float) -> "InputBox":
        r"""The box grown by ``margin`` times its width on every side.

        The width is measured in :math:`\ln x` for log components, so a log range
        stays positive: :math:`[a (a/b)^m, b (b/a)^m]`.
        """
        if margin < 0:
            raise InputError(f"InputBox.widened: margin must be >= 0, got {margin}")
        lin_lo, lin_hi = self.low - margin * (self.high - self.low), self.high + margin * (self.high - self.low)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (self.high / self.low) ** margin
        return InputBox(dict(self.shapes), np.where(self.log, self.low / ratio, lin_lo),
                        np.where(self.log, self.high * ratio, lin_hi), self.log.copy(), dict(self.units))

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (see :meth:`from_dict`)."""
        return {"shapes": {k: list(s) for k, s in self.shapes.items()}, "low": self.low.tolist(),
                "high": self.high.tolist(), "log": self.log.tolist(), "units": dict(self.units)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "InputBox":
        """Rebuild a box written by :meth:`to_dict`."""
        return cls({k: tuple(s) for k, s in data["shapes"].items()}, np.asarray(data["low"], dtype=float),
                   np.asarray(data["high"], dtype=float), np.asarray(data["log"], dtype=bool), dict(data["units"]))


def _bound_to_si(value: Any, unit: str | None, what: str) -> np.ndarray:
    """One bound (number, string, quantity or list of these) as an SI float array."""
    if unit is not None:
        return np.asarray(to_si(value, unit or "dimensionless", what), dtype=float)
    if isinstance(value, (str, pint.Quantity)):
        q = parse_quantity(value, what)
        return np.asarray(q.to_base_units().magnitude, dtype=float)
    if isinstance(value, (list, tuple)):
        return np.asarray([_bound_to_si(v, None, f"{what}[{i}]") for i, v in enumerate(value)], dtype=float)
    return np.asarray(value, dtype=float)


def input_box(bounds: Mapping[str, Any] | InputBox, model: Model | None = None, log: Iterable[str] = ()) -> InputBox:
    """Check bounds and build the :class:`InputBox` they describe.

    Parameters
    ----------
    bounds : mapping of str to (low, high), or InputBox
        For each input port, its bounds: plain numbers (SI), strings or pint
        quantities (``("300 K", "600 K")``), or arrays of the port's item shape
        for vector/tensor ports (a scalar bound applies to every component).
        An :class:`InputBox` is returned unchanged (``model``/``log`` ignored).
    model : Model, optional
        Bounds are then checked against its input ports: every input needs
        bounds, units are converted against the port units and shapes checked.
        Without a model, quantities are converted to SI base units and the
        shape of each port is that of its bounds.
    log : iterable of str
        Ports to sample log-uniformly (needs ``0 < low`` for every component).

    Raises
    ------
    InputError
        Unknown or missing port, ``low >= high``, non-finite bounds, or a
        non-positive low bound on a ``log`` port.
    UnitError, ShapeError
        A bound in the wrong dimension, or of a shape that does not fit the port.
    """
    if isinstance(bounds, InputBox):
        return bounds
    where = f"model {model.name!r}" if model is not None else "design"
    log = set(log)
    if model is not None:
        check_names(where, model.inputs, bounds, unknown="bounds for unknown input(s)",
                    missing="no bounds for input(s)", hint="; give (low, high) for each")
    if not bounds:
        raise InputError(f"{where}: bounds are empty; give (low, high) for at least one input")
    bad_log = log - set(bounds)
    if bad_log:
        raise InputError(f"{where}: log given for {sorted(bad_log)}, which have no bounds")
    names = list(model.inputs) if model is not None else list(bounds)
    shapes, lows, highs, logs, units = {}, [], [], [], {}
    for name in names:
        pair = bounds[name]
        if isinstance(pair, (str, pint.Quantity)) or np.ndim(pair) == 0 or len(pair) != 2:
            raise InputError(f"{where}, input {name!r}: bounds must be a pair (low, high), got {pair!r}")
        port = model.inputs[name] if model is not None else None
        unit = port.unit if port is not None else None
        low = _bound_to_si(pair[0], unit, f"{where}, input {name!r} low bound")
        high = _bound_to_si(pair[1], unit, f"{where}, input {name!r} high bound")
        try:
            shape = port.shape if port is not None else np.broadcast_shapes(low.shape, high.shape)
            low, high = np.broadcast_to(low, shape), np.broadcast_to(high, shape)
        except ValueError:
            expected = port.shape if port is not None else "shapes that broadcast together"
            raise ShapeError(f"{where}, input {name!r}: bounds of shapes {low.shape} and {high.shape}, "
                             f"expected {expected}") from None
        if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high))):
            raise InputError(f"{where}, input {name!r}: bounds must be finite, got ({low}, {high})")
        if np.any(low >= high):
            raise InputError(f"{where}, input {name!r}: need low < high, got low={low.tolist()}, "
                             f"high={high.tolist()} (SI)")
        if name in log and np.any(low <= 0):
            raise InputError(f"{where}, input {name!r}: log-uniform sampling needs positive bounds, "
                             f"got low={low.tolist()} (SI)")
        shapes[name] = tuple(shape)
        lows.append(low.ravel())
        highs.append(high.ravel())
        logs.append(np.full(low.size, name in log))
        units[name] = unit if unit is not None else ""
    return InputBox(shapes, np.concatenate(lows), np.concatenate(highs), np.concatenate(logs), units)


def _generator(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _check_n(n: int, what: str) -> int:
    if int(n) != n or n < 1:
        raise InputError(f"{what}: number of points n must be a positive integer, got {n!r}")
    return int(n)


def sobol(bounds: Mapping[str, Any] | InputBox, n: int, seed=0, scramble: bool = True, *,
          model: Model | None = None, log: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """``n`` points of a Sobol' sequence in the input box, as SI arrays with a batch axis.

    Parameters
    ----------
    bounds, model, log
        See :func:`input_box`.
    n : int
        Number of points; a power of 2 keeps the sequence balanced (scipy warns otherwise).
    seed : int or numpy.random.Generator
        Seed of the scrambling (the unscrambled sequence is deterministic).
    scramble : bool
        Owen (1998) nested uniform scrambling: randomised QMC, no point at the origin.

    Returns
    -------
    dict of str to ndarray
        One array ``(n, *port.shape)`` per input, in SI.

    References
    ----------
    Sobol' I. M. (1967), USSR Comput. Math. Math. Phys. 7, 86; Owen A. B. (1998),
    J. Complexity 14, 466.
    """
    box = input_box(bounds, model, log)
    n = _check_n(n, "sobol")
    return box.from_unit_cube(qmc.Sobol(box.dimension, scramble=scramble, rng=_generator(seed)).random(n))


def latin_hypercube(bounds: Mapping[str, Any] | InputBox, n: int, seed=0, *, model: Model | None = None,
                    log: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """``n`` points of a Latin hypercube in the input box (SI arrays with a batch axis).

    Each input range is cut into ``n`` equal strata (in :math:`\\ln x` for ``log``
    inputs) and each stratum holds exactly one point (McKay, Beckman & Conover
    1979, Technometrics 21, 239). Arguments as in :func:`sobol`.
    """
    box = input_box(bounds, model, log)
    n = _check_n(n, "latin_hypercube")
    return box.from_unit_cube(qmc.LatinHypercube(box.dimension, rng=_generator(seed)).random(n))


def design(model: Model, bounds: Mapping[str, Any] | InputBox, n: int, method: str = "sobol", seed=0,
           log: Iterable[str] = (), scramble: bool = True) -> dict[str, np.ndarray]:
    """A design of ``n`` points over ``model``'s inputs, with bounds in any unit.

    Parameters
    ----------
    model : Model
        Every one of its inputs needs bounds; quantities are converted against
        the port units (``{"temperature": ("300 K", "600 K"), "pressure": ("1 bar", "10 bar")}``).
    bounds : mapping or InputBox
        See :func:`input_box`.
    n : int
        Number of points.
    method : {"sobol", "lhs"}
        Scrambled Sobol' sequence (:func:`sobol`) or Latin hypercube (:func:`latin_hypercube`).
    seed : int or numpy.random.Generator
    log : iterable of str
        Inputs sampled log-uniformly.
    scramble : bool
        Scramble the Sobol' sequence (ignored for ``"lhs"``).

    Returns
    -------
    dict of str to ndarray
        SI arrays ``(n, *port.shape)``, ready for ``model.evaluate``.

    Examples
    --------
    >>> from scalebridge.core import FunctionModel, Port, Scale
    >>> m = FunctionModel(lambda temperature: {"y": temperature}, {"temperature": Port("K")},
    ...                   {"y": Port("K")}, Scale("1 nm", "1 ps"), "m")
    >>> x = design(m, {"temperature": ("300 K", "600 K")}, n=8, seed=0)
    >>> x["temperature"].shape, bool(x["temperature"].min() >= 300)
    ((8,), True)
    """
    box = input_box(bounds, model, log)
    if method == "sobol":
        return sobol(box, n, seed, scramble)
    if method == "lhs":
        return latin_hypercube(box, n, seed)
    raise InputError(f"design for model {model.name!r}: unknown method {method!r}; use 'sobol' or 'lhs'")
