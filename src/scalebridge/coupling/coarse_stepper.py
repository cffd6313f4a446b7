r"""Equation-free coarse time-stepper: lift, run the fine dynamics in bursts, restrict.

The coarse model is never written down: a *coarse time-stepper* evaluates it by lifting a
coarse state :math:`U` to fine states (``lift``), running the fine ``Dynamics`` for a short
burst and restricting back (``restrict``) (Kevrekidis et al. 2003, sec. 2):

.. math:: \Phi_T(U) = \frac1R\sum_{r=1}^{R}\mathcal{M}\big(\phi_T(\mathcal{L}_r U)\big),

averaged over ``replicas`` R for stochastic fine models. The *coarse time derivative* is
estimated from the restricted trajectory :math:`U(t_j)` sampled every :math:`\delta t` over
a burst of ``burst_steps`` after ``healing_steps`` (the fast fine variables slave to the
coarse ones): a least-squares polynomial of degree 1 (or 2) in :math:`t - t_e` gives the
value :math:`U_e` and the slope :math:`\dot U_e` at the end of the burst,
:math:`t_e = t + \tau`, :math:`\tau = (n_{heal} + n_{burst})\,\delta t`, averaged over the
replicas (whose spread gives the standard error of the slope). With
``common_random_numbers`` every call uses the same replica seeds, so differences
:math:`\Phi(U + \epsilon v) - \Phi(U)` are not swamped by noise (paired replicas).

References
----------
Kevrekidis, I. G., Gear, C. W., Hyman, J. M., Kevrekidis, P. G., Runborg, O. & Theodoropoulos,
C. (2003). Equation-free, coarse-grained multiscale computation. Comm. Math. Sci. 1, 715.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from scipy.interpolate import CubicSpline

from ..core.errors import ConvergenceError, InputError
from ..core.model import Scale

__all__ = ["CoarseTimeStepper", "CoarseDerivative", "FineDynamics", "as_dynamics", "cell_average",
           "conservative_interpolation"]


@dataclass(frozen=True)
class FineDynamics:
    """An engine with ``advance(state, dt)`` seen as a :class:`~scalebridge.core.model.Dynamics`."""

    engine: Any
    scale: Scale
    name: str

    def advance(self, state, dt):
        return self.engine.advance(state, dt)

    @property
    def time_step(self) -> float:
        return self.engine.time_step


def as_dynamics(engine, scale: Scale | None = None) -> FineDynamics:
    """Wrap a solver engine (``advance``, ``time_step``, ``name``) as ``Dynamics`` with a :class:`Scale`.

    The scale defaults to the engine's ``characteristic_length`` (m) and
    ``characteristic_time`` (s), e.g. L and L^2/D for the lattice Boltzmann and random-walk engines.
    """
    if not callable(getattr(engine, "advance", None)):
        raise InputError(f"engine: {type(engine).__name__} has no advance(state, dt) method")
    name = getattr(engine, "name", type(engine).__name__)
    if scale is None:
        try:
            scale = Scale(engine.characteristic_length, engine.characteristic_time, name)
        except AttributeError:
            raise InputError(f"engine {name!r}: no characteristic_length/time; pass scale=Scale(...)") from None
    return FineDynamics(engine, scale, name)


@dataclass(frozen=True)
class CoarseDerivative:
    """Coarse time derivative from one burst (see :meth:`CoarseTimeStepper.derivative`).

    Attributes
    ----------
    value : ndarray
        Fitted coarse state :math:`U_e` at the end of the burst.
    slope : ndarray
        Fitted :math:`dU/dt` at the end of the burst (per s), averaged over replicas.
    elapsed : float
        Fine time from the lift to the end of the burst, :math:`\\tau` (s).
    slope_std : ndarray or None
        Standard error of the replica-averaged slope (None for one replica).
    fine_steps : int
        Fine time steps spent (all replicas).
    """

    value: np.ndarray
    slope: np.ndarray
    elapsed: float
    slope_std: np.ndarray | None
    fine_steps: int


@dataclass(frozen=True)
class CoarseTimeStepper:
    r"""Coarse time-stepper :math:`\Phi_T` of fine ``dynamics`` through ``lift`` and ``restrict``.

    Parameters
    ----------
    dynamics : Dynamics
        Fine model with ``advance(state, dt) -> state`` (``time_step`` attribute, if any, is
        used to count fine steps).
    lift : callable
        ``lift(U, rng) -> fine state``; ``rng`` is the replica's ``numpy.random.Generator``
        (deterministic lifts ignore it).
    restrict : callable
        ``restrict(fine state) -> U`` (ndarray).
    dt : float
        Fine time between restrictions in a burst (s); also the granularity of :meth:`evolve`.
    healing_steps : int
        Steps of ``dt`` run before the burst is recorded (>= 0).
    burst_steps : int
        Steps of ``dt`` in the recorded burst (>= ``fit_degree``).
    replicas : int
        Independent fine realisations averaged (>= 1).
    seed : int or None
        Seeds the replica generators (``numpy.random.SeedSequence``): reproducible runs.
    common_random_numbers : bool
        Reuse the same replica seeds at every call (paired replicas).
    fit_degree : {1, 2}
        Degree of the least-squares fit of the burst.

    Attributes
    ----------
    statistics : dict
        ``fine_steps``, ``calls`` (evolve/derivative calls), ``lifts``.
    """

    dynamics: Any
    lift: Callable[[np.ndarray, np.random.Generator], Any]
    restrict: Callable[[Any], np.ndarray]
    dt: float
    healing_steps: int = 0
    burst_steps: int = 4
    replicas: int = 1
    seed: Any = None
    common_random_numbers: bool = False
    fit_degree: int = 1
    statistics: dict = field(default_factory=lambda: {"fine_steps": 0, "calls": 0, "lifts": 0},
                             init=False, compare=False, repr=False)

    def __post_init__(self):
        if not callable(getattr(self.dynamics, "advance", None)):
            raise InputError(f"dynamics: {type(self.dynamics).__name__} has no advance(state, dt) method")
        for key in ("lift", "restrict"):
            if not callable(getattr(self, key)):
                raise InputError(f"{key}: got {type(getattr(self, key)).__name__}, expected a callable")
        if not (np.isscalar(self.dt) and np.isfinite(self.dt) and self.dt > 0):
            raise InputError(f"dt: got {self.dt!r}, expected a finite positive time (s)")
        if self.fit_degree not in (1, 2):
            raise InputError(f"fit_degree: got {self.fit_degree!r}, expected 1 or 2")
        for key, low in (("healing_steps", 0), ("burst_steps", self.fit_degree), ("replicas", 1)):
            value = getattr(self, key)
            if int(value) != value or value < low:
                raise InputError(f"{key}: got {value!r}, expected an integer >= {low}")
            object.__setattr__(self, key, int(value))
        step = getattr(self.dynamics, "time_step", None)
        per_call = 1 if step is None else int(round(self.dt / step))
        if step is not None and (per_call < 1 or abs(self.dt / step - per_call) > 1e-6 * per_call):
            raise InputError(f"dt: {self.dt!r} s is not a whole number of fine time steps of {step:.6g} s")
        object.__setattr__(self, "_fine_per_dt", per_call)
        object.__setattr__(self, "_entropy", np.random.SeedSequence(self.seed).entropy)

    def with_(self, **changes) -> "CoarseTimeStepper":
        """A copy with some settings changed (e.g. ``dynamics`` at another parameter); fresh statistics."""
        changes.setdefault("seed", self._entropy)
        return dataclasses.replace(self, **changes)

    @property
    def burst_time(self) -> float:
        r"""Fine time per derivative estimate, :math:`\tau = (n_{heal} + n_{burst})\,\delta t` (s)."""
        return (self.healing_steps + self.burst_steps) * self.dt

    # ------------------------------------------------------------------ internals
    def _generators(self) -> list[np.random.Generator]:
        call = 0 if self.common_random_numbers else self.statistics["calls"]
        self.statistics["calls"] += 1
        root = np.random.SeedSequence(self._entropy, spawn_key=(call,))
        return [np.random.default_rng(s) for s in root.spawn(self.replicas)]

    def _advance(self, state, n: int):
        if n:
            state = self.dynamics.advance(state, n * self.dt)
            self.statistics["fine_steps"] += n * self._fine_per_dt
        return state

    def _restrict(self, state) -> np.ndarray:
        u = np.asarray(self.restrict(state), dtype=float)
        if not np.all(np.isfinite(u)):
            raise ConvergenceError("restrict: non-finite coarse values (the fine model blew up?)")
        return u

    def _lift(self, u, rng):
        self.statistics["lifts"] += 1
        return self.lift(u, rng)

    # ------------------------------------------------------------------ public
    def evolve(self, u, time: float) -> np.ndarray:
        r"""Coarse time-stepper :math:`\Phi_T(U)`: lift, run the fine model for ``time`` s, restrict, average replicas."""
        u = _coarse_state(u)
        n = _whole_steps(time, self.dt, "time")
        return np.mean([self._restrict(self._advance(self._lift(u, g), n)) for g in self._generators()], axis=0)

    __call__ = evolve

    def derivative(self, u) -> CoarseDerivative:
        """Coarse value and time derivative at the end of a healing + burst run from ``u`` (module docstring)."""
        u = _coarse_state(u)
        before = self.statistics["fine_steps"]
        s = (np.arange(self.burst_steps + 1) - self.burst_steps) * self.dt   # t - t_e
        basis = np.vander(s / self.dt, self.fit_degree + 1, increasing=True)  # scaled for conditioning
        values, slopes = [], []
        for g in self._generators():
            state = self._advance(self._lift(u, g), self.healing_steps)
            samples = [self._restrict(state)]
            for _ in range(self.burst_steps):
                state = self._advance(state, 1)
                samples.append(self._restrict(state))
            y = np.stack(samples).reshape(len(samples), -1)
            coef = np.linalg.lstsq(basis, y, rcond=None)[0]
            values.append(coef[0].reshape(samples[0].shape))
            slopes.append((coef[1] / self.dt).reshape(samples[0].shape))
        slopes = np.array(slopes)
        std = slopes.std(axis=0, ddof=1) / np.sqrt(self.replicas) if self.replicas > 1 else None
        return CoarseDerivative(value=np.mean(values, axis=0), slope=slopes.mean(axis=0), elapsed=self.burst_time,
                                slope_std=std, fine_steps=self.statistics["fine_steps"] - before)


def _coarse_state(u) -> np.ndarray:
    a = np.asarray(u, dtype=float)
    if a.size == 0 or not np.all(np.isfinite(a)):
        raise InputError(f"coarse state: expected a non-empty finite array, got shape {a.shape}")
    return a


def _whole_steps(time, dt, name) -> int:
    try:
        ratio = float(time) / dt
    except (TypeError, ValueError):
        raise InputError(f"{name}: got {time!r}, expected a time in s") from None
    n = int(round(ratio))
    if not np.isfinite(ratio) or n < 0 or abs(ratio - n) > 1e-6 * max(ratio, 1.0):
        raise InputError(f"{name}: {time!r} s is not a whole number of coarse-stepper steps dt = {dt:.6g} s")
    return n


# ----------------------------------------------------------------------------- grid lifting and restriction

def cell_average(fine, n_coarse: int) -> np.ndarray:
    """Restriction of a field on n equal fine cells to ``n_coarse`` cell averages (last axis)."""
    a = np.asarray(fine, dtype=float)
    if int(n_coarse) != n_coarse or n_coarse < 1 or a.shape[-1] % int(n_coarse):
        raise InputError(f"n_coarse: got {n_coarse!r}, expected a divisor of the {a.shape[-1]} fine cells")
    return a.reshape(a.shape[:-1] + (int(n_coarse), -1)).mean(axis=-1)


def conservative_interpolation(coarse, n_fine: int, periodic: bool = False) -> np.ndarray:
    r"""Lifting of cell averages to ``n_fine`` fine-cell averages that keep every coarse average exactly.

    The cumulative integral :math:`M(x) = \int_0^x u` is known at the coarse cell edges; a
    cubic spline through it (not-a-knot, or periodic for ``periodic``, after removing the
    mean slope) is differenced at the fine cell edges (histopolation; de Boor 2001,
    *A Practical Guide to Splines*, ch. 8). Smooth fields are reproduced to
    :math:`O(\Delta x^4)`-accurate cumulative values; each coarse average is kept to round-off.
    """
    u = np.asarray(coarse, dtype=float)
    n = u.shape[-1]
    if int(n_fine) != n_fine or n_fine < n or n_fine % n or n < 2:
        raise InputError(f"n_fine: got {n_fine!r}, expected a multiple of the {n} coarse cells (>= 2)")
    edges = np.linspace(0.0, 1.0, n + 1)
    mean = u.mean(axis=-1, keepdims=True)
    cumulative = np.concatenate([np.zeros(u.shape[:-1] + (1,)), np.cumsum(u - mean, axis=-1) / n], axis=-1)
    spline = CubicSpline(edges, cumulative, axis=-1, bc_type="periodic" if periodic else "not-a-knot")
    fine_edges = np.linspace(0.0, 1.0, int(n_fine) + 1)
    return np.diff(spline(fine_edges), axis=-1) * n_fine + mean
