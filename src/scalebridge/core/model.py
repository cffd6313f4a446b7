"""Ports, scales, evaluations, and the ``Model`` and ``Dynamics`` protocols.

A ``Model`` is one scale's solver seen as a *batched* map from named input arrays to
named output arrays (like ASE's ``Calculator``: a tiny protocol any engine can
implement). Every array carries a leading batch axis: many macro points at once.

Arrays crossing a model boundary are plain SI numbers. The ``unit`` of a
:class:`Port` states the physical dimension (and a preferred display unit); units
are checked where models are connected (:func:`scalebridge.core.combinators.chain`)
and where user quantities enter (:func:`prepare_inputs`), never inside a solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol, runtime_checkable

import numpy as np
import pint

from .errors import InputError, ShapeError
from .units import Quantity, si_unit, to_si

__all__ = ["Port", "Scale", "Evaluation", "Model", "Dynamics", "FunctionModel",
           "prepare_inputs", "batch_size", "check_names"]


@dataclass(frozen=True)
class Port:
    """A named input or output of a model: its unit, per-item shape and meaning.

    Parameters
    ----------
    unit : str
        Unit whose *dimension* the port carries (``"K"``, ``"Pa"``, ``"1/s"``,
        ``""`` for dimensionless). Arrays at the port are in SI base units.
    shape : tuple of int
        Shape of one batch item (``()`` for a scalar, ``(3, 3)`` for a tensor).
    description : str
        One line saying what the port is.
    """

    unit: str = ""
    shape: tuple[int, ...] = ()
    description: str = ""

    def __post_init__(self):
        try:
            si_unit(self.unit or "dimensionless")
        except Exception as exc:
            raise InputError(f"Port unit {self.unit!r} is not a known unit ({exc})") from None
        object.__setattr__(self, "shape", tuple(int(n) for n in self.shape))


@dataclass(frozen=True)
class Scale:
    """Characteristic length and time of a model, used by scale-separation checks.

    Parameters
    ----------
    length : str or pint.Quantity or float
        Characteristic length (m if a plain number), e.g. ``"1 nm"``.
    time : str or pint.Quantity or float
        Characteristic time (s if a plain number), e.g. ``"1 ps"``: the time the
        model's state takes to relax or respond. ``math.inf`` marks a model solved
        at steady state whose inputs do not change in time.
    name : str
        Name of the scale (``"atomistic"``, ``"pellet"``).
    """

    length: Any
    time: Any
    name: str = ""

    def __post_init__(self):
        length = to_si(self.length, "m", f"Scale {self.name!r} length")
        time = to_si(self.time, "s", f"Scale {self.name!r} time")
        if not np.isfinite(length) or length <= 0:
            raise InputError(f"Scale {self.name!r}: length must be positive and finite, got {length} m")
        if np.isnan(time) or time <= 0:
            raise InputError(f"Scale {self.name!r}: time must be positive (inf for a steady model), got {time} s")
        object.__setattr__(self, "length", Quantity(length, "m"))
        object.__setattr__(self, "time", Quantity(time, "s"))

    @property
    def length_si(self) -> float:
        """Characteristic length in m."""
        return float(self.length.magnitude)

    @property
    def time_si(self) -> float:
        """Characteristic time in s."""
        return float(self.time.magnitude)


@dataclass(frozen=True)
class Evaluation:
    """What a model returns for a batch of inputs.

    Attributes
    ----------
    outputs : mapping of str to ndarray
        Output arrays in SI, each with the batch axis first.
    tangents : mapping of (output, input) to ndarray, optional
        d(output)/d(input), shape ``(batch, *output.shape, *input.shape)``.
    state : object, optional
        New internal state of a history-dependent model. The caller decides
        whether to commit it (only at converged macro steps).
    info : mapping
        Solver diagnostics (iterations, residuals, timings).
    """

    outputs: Mapping[str, np.ndarray]
    tangents: Mapping[tuple[str, str], np.ndarray] | None = None
    state: Any = None
    info: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.outputs[name]


@runtime_checkable
class Model(Protocol):
    """One scale's solver as a batched map (see module docstring).

    Implementations declare ``name``, ``inputs``, ``outputs`` and ``scale``, and
    implement ``evaluate(inputs, state=None) -> Evaluation``. Composite models
    (built by combinators) also expose ``children`` (their sub-models) and
    ``couplings`` (records of the connections they made), which checks and
    :func:`scalebridge.core.describe.describe` read.
    """

    name: str
    inputs: Mapping[str, Port]
    outputs: Mapping[str, Port]
    scale: Scale

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation: ...


@runtime_checkable
class Dynamics(Protocol):
    """A time-stepping fine model: ``advance(state, dt) -> state``.

    ``state`` is whatever the fine simulator needs (particle positions, a lattice,
    a field); ``dt`` is in s. Stochastic dynamics take their generator at
    construction so that runs are reproducible.
    """

    name: str
    scale: Scale

    def advance(self, state: Any, dt: float) -> Any: ...


def batch_size(model_name: str, ports: Mapping[str, Port], arrays: Mapping[str, np.ndarray]) -> int:
    """The common batch size of ``arrays`` at ``ports``, or raise :class:`ShapeError`."""
    sizes = {}
    for name, port in ports.items():
        a = arrays[name]
        if a.shape[1:] != port.shape:
            raise ShapeError(f"model {model_name!r}, port {name!r}: item shape {a.shape[1:]}, "
                             f"expected {port.shape} (array shape {a.shape})")
        sizes[name] = a.shape[0]
    distinct = set(sizes.values())
    if len(distinct) > 1:
        raise ShapeError(f"model {model_name!r}: inputs have different batch sizes {sizes}")
    return distinct.pop() if distinct else 0


def check_names(where: str, expected, given, unknown: str = "unknown input(s)",
                missing: str = "missing input(s)", hint: str = "") -> None:
    """Raise :class:`InputError` naming the ``given`` names not ``expected`` and the ``expected`` ones missing."""
    extra = set(given) - set(expected)
    if extra:
        raise InputError(f"{where}: {unknown} {sorted(extra)}; it takes {sorted(expected)}")
    absent = set(expected) - set(given)
    if absent:
        raise InputError(f"{where}: {missing} {sorted(absent)}{hint}")


def prepare_inputs(model: Model, inputs: Mapping[str, Any], batch: int | None = None) -> dict[str, np.ndarray]:
    """Check and convert user inputs for ``model`` into SI arrays with a batch axis.

    Quantities are converted to SI (their dimension checked against the port);
    plain numbers are taken as SI. Inputs given per item (without batch axis) are
    broadcast to the common batch size.

    Raises
    ------
    InputError
        For a missing or unknown input name.
    UnitError, ShapeError
        For a wrong dimension or shape, naming the model and port.
    """
    check_names(f"model {model.name!r}", model.inputs, inputs)
    arrays = {}
    for name, port in model.inputs.items():
        value = inputs[name]
        if isinstance(value, (str, pint.Quantity)):
            value = to_si(value, port.unit or "dimensionless", f"model {model.name!r}, input {name!r}")
        a = np.asarray(value, dtype=float)
        if a.shape == port.shape:
            a = a[None]
        if not np.all(np.isfinite(a)):
            raise InputError(f"model {model.name!r}, input {name!r}: non-finite values")
        arrays[name] = a
    n = batch if batch is not None else max((a.shape[0] for a in arrays.values()), default=1)
    for name, a in arrays.items():
        if a.shape[0] == 1 and n != 1:
            arrays[name] = np.broadcast_to(a, (n,) + a.shape[1:]).copy()
    batch_size(model.name, model.inputs, arrays)
    return arrays


class FunctionModel:
    """A ``Model`` from a vectorised function of SI arrays.

    Parameters
    ----------
    function : callable
        ``function(**inputs) -> dict`` of output arrays, each with the batch axis
        first. May return ``(outputs, tangents)`` with tangents keyed by
        ``(output, input)``.
    inputs, outputs : mapping of str to Port
        The declared ports.
    scale : Scale
        Characteristic scale of the physics the function describes.
    name : str
        Model name (defaults to the function's name).

    Examples
    --------
    >>> import numpy as np
    >>> from scalebridge.core import FunctionModel, Port, Scale
    >>> arrhenius = FunctionModel(
    ...     lambda temperature: {"k": 1e13 * np.exp(-1e4 / temperature)},
    ...     inputs={"temperature": Port("K")}, outputs={"k": Port("1/s")},
    ...     scale=Scale("1 nm", "1 ps"), name="arrhenius")
    >>> arrhenius.evaluate({"temperature": np.array([500.0])})["k"].shape
    (1,)
    """

    def __init__(self, function: Callable[..., Any], inputs: Mapping[str, Port],
                 outputs: Mapping[str, Port], scale: Scale, name: str | None = None):
        self.function = function
        self.inputs = dict(inputs)
        self.outputs = dict(outputs)
        self.scale = scale
        self.name = name or getattr(function, "__name__", "function")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        result = self.function(**{k: inputs[k] for k in self.inputs})
        outputs, tangents = result if isinstance(result, tuple) else (result, None)
        return Evaluation(outputs={k: np.asarray(outputs[k], dtype=float) for k in self.outputs},
                          tangents=tangents)

    def __repr__(self) -> str:
        return f"FunctionModel({self.name!r}, inputs={list(self.inputs)}, outputs={list(self.outputs)})"
