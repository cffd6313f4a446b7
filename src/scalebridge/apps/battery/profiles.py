"""Operating profiles of a cell: constant current, constant voltage, drive cycles, rests.

A profile is one step or a :class:`Protocol` (a sequence of steps). Currents are in A
for the whole cell, **positive on discharge** (PyBaMM's convention); a C-rate is
converted with the nominal capacity of the parameter set. Each step ends at its
duration or at its own limit (a cut-off voltage of a constant-current step, a
current limit of a constant-voltage step); the next step then starts from where it
ended. Limits are events located by the integrator, never errors: the result says
which one ended each step.

Examples
--------
>>> from scalebridge.apps.battery.profiles import ConstantCurrent, ConstantVoltage, Protocol
>>> cccv = Protocol([ConstantCurrent(c_rate=-0.5, voltage_limit=4.2),
...                  ConstantVoltage(4.2, duration=3600, current_limit=0.05)])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ...core.errors import InputError

__all__ = ["ConstantCurrent", "ConstantVoltage", "Rest", "DriveCycle", "Protocol", "Segment", "segments"]


@dataclass(frozen=True)
class Segment:
    """One smooth piece of a profile, as the models integrate it (internal form).

    ``mode`` is ``"current"`` (``value(t)`` the cell current in A) or ``"voltage"``
    (``value(t)`` the terminal voltage in V); ``t`` is the time since the segment
    started. ``voltage_limits`` = (lower, upper) ends the segment (either may be None);
    ``current_limit`` ends a voltage segment when ``|I|`` falls below it.
    """

    mode: str
    value: Callable[[float], float]
    duration: float
    tstops: tuple = ()
    voltage_limits: tuple = (None, None)
    current_limit: float | None = None
    label: str = ""


def _positive(name, value):
    if value is None or not np.isfinite(value) or value <= 0:
        raise InputError(f"{name}: got {value!r}, expected a finite duration > 0 s")
    return float(value)


@dataclass(frozen=True)
class ConstantCurrent:
    """Constant current (positive: discharge) for ``duration`` s or until ``voltage_limit``.

    Give ``current`` in A or ``c_rate`` (1C = nominal capacity / 1 h). The default
    ``voltage_limit`` is the parameter set's lower cut-off on discharge and its upper
    cut-off on charge; ``duration`` defaults to 1.2/|C-rate| h (past full discharge).
    """

    current: float | None = None
    c_rate: float | None = None
    duration: float | None = None
    voltage_limit: float | None = None

    def segments(self, capacity_ah, cutoffs):
        if (self.current is None) == (self.c_rate is None):
            raise InputError(f"ConstantCurrent: got current={self.current!r}, c_rate={self.c_rate!r}, "
                             "expected exactly one of them")
        current = float(self.current) if self.current is not None else float(self.c_rate) * capacity_ah
        if not np.isfinite(current):
            raise InputError(f"ConstantCurrent.current: got {current!r}, expected a finite current in A")
        if self.duration is None:
            if current == 0:
                raise InputError("ConstantCurrent: a zero current needs a duration")
            duration = 1.2 * 3600.0 * capacity_ah / abs(current)
        else:
            duration = _positive("ConstantCurrent.duration", self.duration)
        lower, upper = cutoffs
        if self.voltage_limit is not None:
            lower, upper = (self.voltage_limit, None) if current > 0 else (None, self.voltage_limit)
        elif current > 0:
            upper = None
        elif current < 0:
            lower = None
        else:
            lower = upper = None
        return [Segment("current", lambda t: current, duration, voltage_limits=(lower, upper),
                        label=f"constant current {current:g} A")]


@dataclass(frozen=True)
class Rest:
    """Open circuit (zero current) for ``duration`` s."""

    duration: float

    def segments(self, capacity_ah, cutoffs):
        d = _positive("Rest.duration", self.duration)
        return [Segment("current", lambda t: 0.0, d, label="rest")]


@dataclass(frozen=True)
class ConstantVoltage:
    """Hold the terminal voltage at ``voltage`` V for ``duration`` s or until ``|I| < current_limit`` A."""

    voltage: float
    duration: float
    current_limit: float | None = None

    def segments(self, capacity_ah, cutoffs):
        if not (np.isfinite(self.voltage) and self.voltage > 0):
            raise InputError(f"ConstantVoltage.voltage: got {self.voltage!r}, expected a finite voltage > 0 V")
        if self.current_limit is not None and not (np.isfinite(self.current_limit) and self.current_limit > 0):
            raise InputError(f"ConstantVoltage.current_limit: got {self.current_limit!r}, expected a current > 0 A")
        v = float(self.voltage)
        return [Segment("voltage", lambda t: v, _positive("ConstantVoltage.duration", self.duration),
                        current_limit=self.current_limit, label=f"constant voltage {v:g} V")]


@dataclass(frozen=True)
class DriveCycle:
    """A current-time series (A, positive on discharge), linearly interpolated.

    The integrator lands on every breakpoint (the kinks of the series) without
    restarting. The run's voltage cut-offs end the cycle. ``repeats`` plays it
    several times back to back.
    """

    times: Sequence[float]
    currents: Sequence[float]
    repeats: int = 1

    def segments(self, capacity_ah, cutoffs):
        t = np.asarray(self.times, dtype=float)
        i = np.asarray(self.currents, dtype=float)
        if t.ndim != 1 or t.size < 2 or i.shape != t.shape:
            raise InputError(f"DriveCycle: got times {t.shape} and currents {i.shape}, expected two 1-D "
                             "arrays of the same length >= 2")
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(i)) and np.all(np.diff(t) > 0)):
            raise InputError("DriveCycle.times: expected finite, strictly increasing times in s "
                             "and finite currents in A")
        if int(self.repeats) < 1:
            raise InputError(f"DriveCycle.repeats: got {self.repeats!r}, expected an integer >= 1")
        period = t[-1] - t[0]
        tt = np.concatenate([t[:-1] - t[0] + k * period for k in range(int(self.repeats))] + [[period * int(self.repeats)]])
        ii = np.concatenate([i[:-1]] * int(self.repeats) + [[i[-1]]])
        return [Segment("current", lambda s: float(np.interp(s, tt, ii)), float(tt[-1]),
                        tstops=tuple(tt[1:-1]), voltage_limits=tuple(cutoffs), label="drive cycle")]


@dataclass(frozen=True)
class Protocol:
    """A sequence of steps run one after the other."""

    steps: Sequence = field(default_factory=tuple)

    def segments(self, capacity_ah, cutoffs):
        if not self.steps:
            raise InputError("Protocol.steps: got an empty sequence, expected at least one step")
        return [s for step in self.steps for s in segments(step, capacity_ah, cutoffs)]


def segments(profile, capacity_ah: float, cutoffs: tuple) -> list:
    """The segments of a profile (a step or a Protocol); ``InputError`` for anything else."""
    if not hasattr(profile, "segments"):
        raise InputError(f"profile: got {type(profile).__name__}, expected ConstantCurrent, ConstantVoltage, "
                         "Rest, DriveCycle or Protocol")
    return profile.segments(capacity_ah, cutoffs)
