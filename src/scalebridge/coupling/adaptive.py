r"""``Adaptive``: a surrogate where it is confident, the fine model where it is not.

Between hierarchical coupling (a law fitted once, offline) and concurrent coupling
(the fine model at every request) lies the adaptive strategy of on-the-fly learning
(Knap, Barton, Hornung, Arsenlis & Becker 2008, Int. J. Numer. Meth. Eng. 76, 572,
"adaptive sampling" of fine-scale models; Rocha, van der Meer, Sluys & Kerfriden 2021,
Comput. Methods Appl. Mech. Eng. 383, 113898, GP surrogates learned in FE²). For every
batch of requests :math:`x_1..x_B` the surrogate returns a predictive mean
:math:`\mu(x)` and standard deviation :math:`\sigma(x)`. A request is *confident* when

.. math::

    \frac{\max_j \sigma_j(x)}{s(x)} \le \tau,\qquad
    s(x) = \max\big(\lVert\mu(x)\rVert,\ \varphi\,\bar y\big),

per output port, with :math:`\tau` the ``tolerance`` (the error budget: a one-sigma
error relative to the answer itself), :math:`\bar y` the RMS norm of that output over
the training set and :math:`\varphi` the ``floor`` (a small fraction, so answers near
zero are judged on an absolute scale). Relative to the local answer, not to a global
scale: a law whose outputs span decades (a nonlinear flux at small and large
gradients) must be accurate where it is small too.
While some requests are not confident, up to ``batch_size`` of them, spread over the
unsure region by farthest-point selection (starting at the largest :math:`\sigma`), are
evaluated by the fine model through an executor, added to the training set, and the
surrogate is refitted (its hyperparameters re-optimised every ``optimize_every``
refits, otherwise kept). All requests are then answered by the refitted surrogate, so
the macro solver sees one smooth law with its own tangent :math:`\partial\mu/\partial x`
(the fine values are reproduced at the training points up to the noise level).

It plugs into :func:`~scalebridge.coupling.fe2.fe2_solve` and the HMM solver like any
other ``Model``: same ports, units and scale as the fine model.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.errors import InputError
from ..core.executors import Executor
from ..core.model import Evaluation, Model
from .on_the_fly import OnTheFly

__all__ = ["Adaptive"]


class Adaptive:
    """Answer from ``surrogate`` where confident, else learn from ``fine`` (see module docstring).

    Parameters
    ----------
    fine : Model
        The fine model. Stateless: the strategy refuses a non-None ``state``.
    surrogate : object
        A surrogate ``Model`` with the fine model's ports that can be refitted:
        ``fit(inputs, outputs, optimize=bool)`` and an ``evaluate`` whose
        ``Evaluation.info["std"]`` holds the predictive standard deviation of every
        output, e.g. :class:`~scalebridge.reduction.surrogate.GaussianProcessSurrogate`.
        If it was already fitted, its training set is kept and extended.
    tolerance : float
        Largest accepted relative predictive standard deviation :math:`\\tau` (> 0).
    executor : Executor, optional
        Where fine evaluations run (default serial), chunked by ``chunk_size``.
    chunk_size : int, optional
    batch_size : int
        Fine evaluations per learning round (> 0).
    max_rounds : int
        Learning rounds allowed per call; requests still unsure afterwards are answered
        by the surrogate and counted in ``statistics["unsure_answers"]``.
    floor : float
        Fraction :math:`\varphi` of the training RMS below which the scale stops
        shrinking (default 1e-2).
    optimize_every : int
        Re-optimise the surrogate's hyperparameters at every ``optimize_every``-th refit
        (the first fit always optimises).
    initial : mapping of str to ndarray, optional
        An initial design of SI inputs (e.g. from :func:`scalebridge.reduction.doe.sobol`
        over the expected input box), evaluated by the fine model at the first call. Give
        one when the first requests cannot span the input space, as in FE², whose first
        call is the unloaded state where every point asks for the same input.
    name : str, optional

    Attributes
    ----------
    statistics : dict
        ``requests``, ``fine_evaluations``, ``saved`` (requests minus fine
        evaluations, the initial design included), ``rounds``, ``refits``, ``unsure_answers``, ``max_relative_std`` (largest
        :math:`\\max_j\\sigma_j/s` of any answer given) and ``tolerance``.
    """

    coupling = "concurrent"

    def __init__(self, fine: Model, surrogate: Any, tolerance: float, *, executor: Executor | None = None,
                 chunk_size: int | None = None, batch_size: int = 8, max_rounds: int = 50,
                 optimize_every: int = 5, floor: float = 1e-2, initial: Mapping[str, np.ndarray] | None = None,
                 name: str | None = None):
        for label, value in (("tolerance", tolerance), ("batch_size", batch_size), ("max_rounds", max_rounds),
                             ("optimize_every", optimize_every), ("floor", floor)):
            if not np.isfinite(value) or value <= 0:
                raise InputError(f"Adaptive: {label} must be positive, got {value!r}")
        if set(surrogate.inputs) != set(fine.inputs) or set(surrogate.outputs) != set(fine.outputs):
            raise InputError(f"Adaptive: surrogate {surrogate.name!r} has ports {sorted(surrogate.inputs)} -> "
                             f"{sorted(surrogate.outputs)}, fine model {fine.name!r} has {sorted(fine.inputs)} -> "
                             f"{sorted(fine.outputs)}")
        for label, ports in (("input", "inputs"), ("output", "outputs")):
            for key, port in getattr(fine, ports).items():
                other = getattr(surrogate, ports)[key]
                if other.shape != port.shape:
                    raise InputError(f"Adaptive: {label} {key!r} has shape {other.shape} in the surrogate, "
                                     f"{port.shape} in the fine model")
        self.model, self.surrogate = fine, surrogate  # not `fine`: same scale, no bridge (see core.checks.bridges)
        self.children = [fine]
        self.name = name or f"adaptive({fine.name})"
        self.inputs, self.outputs, self.scale = dict(fine.inputs), dict(fine.outputs), fine.scale
        self.tolerance, self.batch_size, self.max_rounds = float(tolerance), int(batch_size), int(max_rounds)
        self.optimize_every, self.floor = int(optimize_every), float(floor)
        self._on_the_fly = OnTheFly(fine, executor, chunk_size, cache=False)
        self._train_in, self._train_out = self._initial_training_set()
        self._initial = None
        if initial is not None:
            if set(initial) != set(self.inputs):
                raise InputError(f"Adaptive: initial design has inputs {sorted(initial)}, expected {sorted(self.inputs)}")
            self._initial = {k: np.asarray(v, dtype=float).reshape((-1,) + self.inputs[k].shape)
                             for k, v in initial.items()}
        self.statistics = {"requests": 0, "fine_evaluations": 0, "saved": 0, "rounds": 0, "refits": 0,
                           "unsure_answers": 0, "max_relative_std": 0.0, "tolerance": self.tolerance}

    def _initial_training_set(self):
        if not getattr(self.surrogate, "fitted", False):
            return None, None
        inputs, outputs = self.surrogate.training_set
        return ({k: np.asarray(inputs[k], dtype=float) for k in self.inputs},
                {k: np.asarray(outputs[k], dtype=float) for k in self.outputs})

    @property
    def fitted(self) -> bool:
        return self._train_in is not None

    def _relative_std(self, ev: Evaluation, n: int) -> np.ndarray:
        """:math:`\\max_j \\sigma_j / s` per request (see the module docstring)."""
        std = ev.info.get("std") if ev.info else None
        if std is None or set(std) != set(self.outputs):
            raise InputError(f"Adaptive: surrogate {self.surrogate.name!r} returned no predictive std "
                             f"(Evaluation.info['std'] per output); it cannot tell where it is unsure")
        worst = np.zeros(n)
        for k in self.outputs:
            y = self._train_out[k].reshape(len(self._train_out[k]), -1)
            typical = self.floor * np.sqrt(np.mean(np.sum(y ** 2, axis=1)))
            scale = np.maximum(np.linalg.norm(np.asarray(ev[k]).reshape(n, -1), axis=1), typical)
            scale = np.where(scale > 0, scale, 1.0)
            worst = np.maximum(worst, np.asarray(std[k]).reshape(n, -1).max(axis=1) / scale)
        return worst

    def _select(self, x: np.ndarray, candidates: np.ndarray, rel: np.ndarray) -> np.ndarray:
        """Up to ``batch_size`` candidate rows, farthest-point spread in standardised inputs."""
        candidates = np.flatnonzero(candidates)
        span = x.max(axis=0) - x.min(axis=0)
        z = (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)
        chosen = [candidates[np.argmax(rel[candidates])]]
        distance = np.linalg.norm(z[candidates] - z[chosen[0]], axis=1)
        while len(chosen) < min(self.batch_size, candidates.size):
            nxt = int(np.argmax(distance))
            if distance[nxt] == 0.0:  # only repeats of chosen rows remain
                break
            chosen.append(candidates[nxt])
            distance = np.minimum(distance, np.linalg.norm(z[candidates] - z[candidates[nxt]], axis=1))
        return np.array(chosen)

    def _learn(self, inputs: Mapping[str, np.ndarray], rows: np.ndarray) -> None:
        new_in = {k: np.asarray(inputs[k], dtype=float)[rows] for k in self.inputs}
        fresh = self._on_the_fly.evaluate(new_in)
        self.statistics["fine_evaluations"] += rows.size
        if self._train_in is None:
            self._train_in, self._train_out = new_in, {k: np.asarray(fresh[k]) for k in self.outputs}
        else:
            self._train_in = {k: np.concatenate([self._train_in[k], new_in[k]]) for k in self.inputs}
            self._train_out = {k: np.concatenate([self._train_out[k], fresh[k]]) for k in self.outputs}
        optimize = self.statistics["refits"] % self.optimize_every == 0
        self.surrogate.fit(self._train_in, self._train_out, optimize=optimize)
        self.statistics["refits"] += 1

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        if state is not None:
            raise InputError(f"{self.name}: the adaptive strategy needs a stateless fine model; got a state. "
                             "History-dependent models: use OnTheFly")
        n = len(np.asarray(inputs[next(iter(self.inputs))]))
        if n == 0:
            raise InputError(f"{self.name}: empty batch of requests")
        x = np.concatenate([np.asarray(inputs[k], dtype=float).reshape(n, -1) for k in self.inputs], axis=1)
        self.statistics["requests"] += n
        if self._initial is not None:
            first, self._initial = self._initial, None
            self._learn(first, np.arange(len(next(iter(first.values())))))
        rel, learned, rounds = np.full(n, np.inf), np.zeros(n, dtype=bool), 0
        while True:
            if self.fitted:
                ev = self.surrogate.evaluate(inputs)
                rel = self._relative_std(ev, n)
            candidates = (rel > self.tolerance) & ~learned  # a learned row stays unsure only below the noise
            if not candidates.any() or rounds == self.max_rounds:
                break
            rows = self._select(x, candidates, rel)
            self._learn(inputs, rows)
            learned[rows] = True
            rounds += 1
        self.statistics["rounds"] += rounds
        self.statistics["unsure_answers"] += int(np.count_nonzero(rel > self.tolerance))
        self.statistics["saved"] = self.statistics["requests"] - self.statistics["fine_evaluations"]
        self.statistics["max_relative_std"] = max(self.statistics["max_relative_std"], float(rel.max()))
        return Evaluation(outputs=ev.outputs, tangents=ev.tangents, state=None,
                          info={**dict(ev.info), "relative_std": rel})

    def parameters(self) -> dict[str, Any]:
        """Settings, for :func:`scalebridge.core.describe.describe`."""
        return {"tolerance": self.tolerance, "floor": self.floor, "batch_size": self.batch_size,
                "max_rounds": self.max_rounds,
                "optimize_every": self.optimize_every, "surrogate": getattr(self.surrogate, "name", "")}
