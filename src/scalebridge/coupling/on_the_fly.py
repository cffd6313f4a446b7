r"""Concurrent coupling: evaluate the fine model for every request, spread over an executor.

:class:`OnTheFly` wraps any ``Model`` and is a ``Model`` with the same ports, so a macro
solver cannot tell it from a closed-form law or a table. For every batch of requests
(all quadrature points of a mesh, say) it

1. removes requests already answered (identical input rows, within the batch and from
   earlier calls, when the model is stateless);
2. splits the rest into chunks and maps them over an executor (serial, process pool,
   dask.distributed; see :mod:`scalebridge.core.executors`);
3. reassembles outputs, tangents and per-point internal state in request order.

A failing chunk never silently drops a point, and a failing point is never returned
as a number. A chunk fails when the fine model raises (a
:class:`~scalebridge.core.errors.ScalebridgeError`, an ``ArithmeticError`` or a
``LinAlgError``) or, with ``check_finite`` (default), returns non-finite outputs or
tangents. Without a retry policy the error is re-raised as a
:class:`~scalebridge.core.errors.ConvergenceError` that names the batch indices of
the points in that chunk. With a :class:`RetryPolicy` the failed points are
re-evaluated (alone, then with the policy's strategies) and only points that still
fail raise, named with their inputs and (summarised) state; a macro solver such as
:func:`~scalebridge.solvers.fem.solve_macro` then cuts its load step back.
Internal state (history variables) belongs to the caller: it is
passed in, split with the chunks, and the new state is returned for the caller to
commit only at converged macro steps (DESIGN.md, "Model").
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..core.errors import ConvergenceError, InputError, ScalebridgeError
from ..core.executors import Executor, SerialExecutor
from ..core.model import Evaluation, Model

__all__ = ["OnTheFly", "RetryPolicy", "RETRY_STRATEGIES"]


#: Errors of a fine solve that count as a failed point (others are bugs and propagate).
_SOLVE_ERRORS = (ScalebridgeError, ArithmeticError, np.linalg.LinAlgError)

#: Retry strategies of :class:`RetryPolicy`, and the ``evaluate`` keyword each needs (None: none).
RETRY_STRATEGIES = {"repeat": None, "substeps": "substeps", "initial_guess": "initial_guess"}


@dataclass(frozen=True)
class RetryPolicy:
    """What :class:`OnTheFly` does when a fine solve fails.

    A chunk fails when the fine model raises (:class:`ScalebridgeError`,
    ``ArithmeticError``, ``numpy.linalg.LinAlgError``) or returns non-finite outputs
    or tangents. Then

    1. **isolation**: every failed point of a chunk of more than one point is
       evaluated alone, so one bad point does not fail its neighbours (nor does a
       batched fine solver that gave up on the whole chunk);
    2. **retries**: a point that still fails is retried up to ``attempts`` times;
       retry j (1, 2, ...) uses ``strategies[(j - 1) % len(strategies)]``:

       * ``"repeat"``: the same call again (transient failures: a lost worker, a
         flaky external code);
       * ``"substeps"``: ``model.evaluate(inputs, state, substeps=n)``, the fine
         model asked to reach the requested input from its committed state in n
         smaller increments, n = ``substep_factor`` ** (how many times this
         strategy was used for the point, from 1);
       * ``"initial_guess"``: ``model.evaluate(inputs, state, initial_guess=guess)``,
         with ``guess = {"inputs": ..., "outputs": ..., "state": ...}`` the rows
         (item shapes, no batch axis) of the converged point of the same batch whose
         input row is nearest (Euclidean, SI values); skipped if none converged.

       ``"substeps"`` and ``"initial_guess"`` form the duck-typed hook a fine model
       may offer: an ``evaluate`` that accepts these keywords (checked when the
       :class:`OnTheFly` is built; InputError otherwise);
    3. **failure**: a point that failed every retry raises
       :class:`~scalebridge.core.errors.ConvergenceError` naming its batch index,
       its input values and its summarised state (the first few failed points),
       never a number; a macro solver then cuts its step back.

    Parameters
    ----------
    attempts : int
        Retries per point after isolation (>= 0; 0: isolation only).
    strategies : tuple of str
        From :data:`RETRY_STRATEGIES`, used in turn.
    substep_factor : int
        Growth of the number of substeps from one ``"substeps"`` retry to the next (>= 2).
    log_size : int
        Failure reports kept in :attr:`OnTheFly.failures` (newest last).
    """

    attempts: int = 2
    strategies: tuple = ("repeat",)
    substep_factor: int = 4
    log_size: int = 100

    def __post_init__(self):
        strategies = (self.strategies,) if isinstance(self.strategies, str) else tuple(self.strategies)
        object.__setattr__(self, "strategies", strategies)
        for name, low in (("attempts", 0), ("substep_factor", 2), ("log_size", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise InputError(f"RetryPolicy {name}: expected an integer >= {low}, got {value!r}")
        unknown = [s for s in strategies if s not in RETRY_STRATEGIES]
        if not strategies or unknown:
            raise InputError(f"RetryPolicy strategies: expected a non-empty tuple from {sorted(RETRY_STRATEGIES)}, "
                             f"got {self.strategies!r}")

    def plan(self) -> list[tuple[str, dict]]:
        """``(strategy, evaluate keywords)`` of retry 1..attempts (``initial_guess`` filled in later)."""
        used, steps = {}, []
        for j in range(self.attempts):
            name = self.strategies[j % len(self.strategies)]
            used[name] = used.get(name, 0) + 1
            kwargs = {"substeps": self.substep_factor ** used[name]} if name == "substeps" else {}
            steps.append((name, kwargs))
        return steps


class _ChunkTask:
    """Picklable: evaluate the fine model on one chunk, capturing solve errors as data."""

    def __init__(self, model: Model, kwargs: Mapping[str, Any] | None = None):
        self.model, self.kwargs = model, dict(kwargs or {})

    def __call__(self, chunk):
        inputs, state = chunk[:2]
        kwargs = {**self.kwargs, **(chunk[2] if len(chunk) > 2 else {})}
        try:
            return self.model.evaluate(inputs, state, **kwargs)
        except _SOLVE_ERRORS as exc:
            return exc


def _finite_rows(ev: Evaluation, n: int) -> np.ndarray:
    """Rows whose outputs and tangents are all finite."""
    ok = np.ones(n, dtype=bool)
    for v in [*ev.outputs.values(), *(ev.tangents or {}).values()]:
        v = np.asarray(v)
        if v.dtype.kind in "fc":
            ok &= np.isfinite(v.reshape(n, -1)).all(axis=1)
    return ok


def _rows(ev: Evaluation, index) -> Evaluation:
    """The rows ``index`` of a batched evaluation."""
    tangents = None if not ev.tangents else {k: np.asarray(v)[index] for k, v in ev.tangents.items()}
    return Evaluation(outputs={k: np.asarray(v)[index] for k, v in ev.outputs.items()}, tangents=tangents,
                      state=_take(ev.state, index))


def _summary(value: Any, limit: int = 6) -> str:
    """Short text of an input row or a per-point state (values if small, else shape and range)."""
    if value is None:
        return "None"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_summary(v, limit)}" for k, v in value.items()) + "}"
    a = np.asarray(value)
    if a.size <= limit:
        return np.array2string(a.ravel(), precision=6, separator=", ")
    if a.dtype.kind in "biuf":
        return f"array{a.shape} in [{a.min():.6g}, {a.max():.6g}]"
    return f"array{a.shape}"


def _take(state: Any, index: np.ndarray) -> Any:
    """Rows ``index`` of a per-point state: an array, a dict of arrays, or None."""
    if state is None:
        return None
    if isinstance(state, Mapping):
        return {k: _take(v, index) for k, v in state.items()}
    return np.asarray(state)[index]


def _stack(states: list) -> Any:
    if all(s is None for s in states):
        return None
    if isinstance(states[0], Mapping):
        return {k: _stack([s[k] for s in states]) for k in states[0]}
    return np.concatenate([np.asarray(s) for s in states])


class OnTheFly:
    """The fine model, evaluated for every request (concurrent coupling).

    Parameters
    ----------
    model : Model
        The fine model (an RVE, a kMC lattice, ...). Must be picklable for the
        process and dask executors.
    executor : Executor, optional
        Where chunks run (default :class:`~scalebridge.core.executors.SerialExecutor`).
    chunk_size : int, optional
        Requests per chunk (default: all in one chunk).
    cache : bool
        Reuse answers for input rows seen before (exact match of the SI values).
        Only for stateless evaluations (``state is None``); the cache keeps at most
        ``cache_size`` rows.
    cache_size : int
    retry : RetryPolicy, optional
        What to do when a fine solve fails (see :class:`RetryPolicy`). Default: no
        retry, a failed chunk raises ConvergenceError naming its batch indices.
    check_finite : bool
        Count non-finite outputs or tangents as a failed solve (default True).

    Attributes
    ----------
    statistics : dict
        Counts over all calls: ``requests``, ``fine_evaluations``, ``cache_hits``,
        ``chunks``, and of failures ``retries`` (single-point re-evaluations),
        ``recovered`` (points that failed, then succeeded) and ``failed`` (points
        that failed every retry).
    failures : list of dict
        The last ``retry.log_size`` failed points: ``index`` (batch index),
        ``inputs`` (the input rows), ``state`` (summary), ``attempts`` (list of
        ``(strategy, error)``) and ``recovered``.
    """

    coupling = "concurrent"

    def __init__(self, model: Model, executor: Executor | None = None, chunk_size: int | None = None,
                 cache: bool = True, cache_size: int = 100_000, name: str | None = None,
                 retry: RetryPolicy | None = None, check_finite: bool = True):
        if chunk_size is not None and int(chunk_size) <= 0:
            raise InputError(f"OnTheFly: chunk_size must be a positive integer, got {chunk_size}")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise InputError(f"OnTheFly: retry must be a RetryPolicy or None, got {retry!r}")
        self.model, self.children = model, [model]
        self.name = name or f"on-the-fly({model.name})"
        self.inputs, self.outputs, self.scale = dict(model.inputs), dict(model.outputs), model.scale
        self.executor = executor or SerialExecutor()
        self.chunk_size, self.cache_enabled, self.cache_size = chunk_size, cache, cache_size
        self.retry, self.check_finite = retry, bool(check_finite)
        if retry is not None:
            self._check_hooks(retry)
        self._cache: dict[bytes, tuple[dict, dict]] = {}
        self.statistics = {"requests": 0, "fine_evaluations": 0, "cache_hits": 0, "chunks": 0,
                           "retries": 0, "recovered": 0, "failed": 0}
        self.failures: list[dict] = []

    def _check_hooks(self, retry: RetryPolicy) -> None:
        """InputError if the policy asks for an ``evaluate`` keyword the fine model does not take."""
        try:
            params = inspect.signature(self.model.evaluate).parameters
        except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
            return
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        for strategy in retry.strategies:
            keyword = RETRY_STRATEGIES[strategy]
            if keyword and not takes_any and keyword not in params:
                raise InputError(f"OnTheFly retry strategy {strategy!r}: fine model {self.model.name!r} has no "
                                 f"evaluate(..., {keyword}=...) keyword; use strategies without it, e.g. ('repeat',)")

    def _keys(self, inputs: Mapping[str, np.ndarray], n: int) -> list[bytes]:
        rows = np.concatenate([np.asarray(inputs[k], dtype=float).reshape(n, -1) for k in self.inputs], axis=1)
        return [r.tobytes() for r in np.ascontiguousarray(rows)]

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        n = len(np.asarray(inputs[next(iter(self.inputs))]))
        self.statistics["requests"] += n
        use_cache = self.cache_enabled and state is None
        keys = self._keys(inputs, n) if use_cache else None
        if use_cache:
            first = {}
            for i, k in enumerate(keys):
                if k not in self._cache:
                    first.setdefault(k, i)
            todo = np.array(sorted(first.values()), dtype=int)
        else:
            todo = np.arange(n)
        fresh = self._solve(inputs, state, todo) if todo.size else None
        self.statistics["fine_evaluations"] += int(todo.size)
        if not use_cache:
            return fresh
        for j, i in enumerate(todo):  # store the new answers row by row
            self._store(keys[i], fresh, j)
        self.statistics["cache_hits"] += n - int(todo.size)
        return self._from_cache(keys)

    def _map(self, task, chunks, points: list) -> list:
        """``executor.map``; an executor's ConvergenceError (timeout, lost workers) names the macro points."""
        try:
            return self.executor.map(task, chunks)
        except ConvergenceError as exc:
            items = getattr(exc, "items", None) or range(len(points))
            index = np.concatenate([np.atleast_1d(points[i]) for i in items])
            raise ConvergenceError(f"{self.name}: fine model {self.model.name!r}: the chunk(s) of the points at batch "
                                   f"indices {index[:20].tolist()}{' ...' if index.size > 20 else ''} did not "
                                   f"complete: {exc}") from exc

    def _solve(self, inputs, state, index: np.ndarray) -> Evaluation:
        size = self.chunk_size or index.size
        parts = [index[i:i + size] for i in range(0, index.size, size)]
        tasks = [({k: np.asarray(inputs[k])[p] for k in self.inputs}, _take(state, p)) for p in parts]
        results = self._map(_ChunkTask(self.model), tasks, parts)
        self.statistics["chunks"] += len(parts)
        failed = {}  # position in ``index`` -> error of its chunk
        offset = 0
        for p, r in zip(parts, results):
            if isinstance(r, BaseException):
                if self.retry is None:
                    raise ConvergenceError(f"{self.name}: fine model {self.model.name!r} failed for the points at "
                                           f"batch indices {p[:20].tolist()}{' ...' if p.size > 20 else ''}: {r}") from r
                failed.update({offset + j: r for j in range(p.size)})
            elif self.check_finite:
                bad = np.flatnonzero(~_finite_rows(r, p.size))
                if bad.size and self.retry is None:
                    raise ConvergenceError(f"{self.name}: fine model {self.model.name!r} returned non-finite outputs "
                                           f"or tangents at batch indices {p[bad][:20].tolist()}"
                                           f"{' ...' if bad.size > 20 else ''}")
                failed.update({offset + j: ConvergenceError("non-finite outputs or tangents") for j in bad})
            offset += p.size
        if not failed:
            return self._concatenate(results, index.size, len(parts))
        recovered = self._recover(inputs, state, index, parts, results, failed)
        pieces, offset = [], 0  # rebuild in request order from the good chunk rows and the recovered points
        for p, r in zip(parts, results):
            for j in range(p.size):
                pieces.append(recovered[offset + j] if offset + j in recovered else _rows(r, slice(j, j + 1)))
            offset += p.size
        return self._concatenate(pieces, index.size, len(parts))

    def _concatenate(self, results: list, points: int, chunks: int) -> Evaluation:
        outputs = {k: np.concatenate([r.outputs[k] for r in results]) for k in self.outputs}
        tangents = None
        if all(r.tangents for r in results):
            tangents = {k: np.concatenate([r.tangents[k] for r in results]) for k in results[0].tangents}
        return Evaluation(outputs=outputs, tangents=tangents, state=_stack([r.state for r in results]),
                          info={"chunks": chunks, "points": points})

    def _recover(self, inputs, state, index, parts, results, failed: dict) -> dict:
        """Isolate, then retry, the failed points (positions in ``index``); their single-point evaluations.

        Raises ConvergenceError naming the points that failed every retry.
        """
        policy = self.retry
        sizes = {}
        offset = 0
        for p in parts:
            sizes.update({offset + j: p.size for j in range(p.size)})
            offset += p.size
        rows = {k: np.asarray(inputs[k]) for k in self.inputs}
        point_task = lambda pos, extra=None: (  # noqa: E731
            {k: v[index[pos]:index[pos] + 1] for k, v in rows.items()}, _take(state, index[pos:pos + 1]),
            *([extra] if extra else []))
        log = {pos: {"index": int(index[pos]), "inputs": {k: v[index[pos]] for k, v in rows.items()},
                     "state": _summary(_take(state, index[pos])), "attempts": [("chunk", str(err))],
                     "recovered": False} for pos, err in failed.items()}
        done: dict[int, Evaluation] = {}
        pending = sorted(failed)
        plan = [("isolate", {})] + policy.plan()
        for strategy, kwargs in plan:
            todo = [pos for pos in pending if not (strategy == "isolate" and sizes[pos] == 1)]
            extras = {}
            if strategy == "initial_guess":
                extras = {pos: g for pos in todo if (g := self._nearest_guess(rows, index, parts, results, failed,
                                                                               done, pos)) is not None}
                for pos in todo:
                    if pos not in extras:
                        log[pos]["attempts"].append((strategy, "skipped: no converged point in the batch"))
                todo = sorted(extras)
            if not todo:
                continue
            chunks = [point_task(pos, {"initial_guess": extras[pos]} if pos in extras else None) for pos in todo]
            out = self._map(_ChunkTask(self.model, kwargs), chunks, [index[pos:pos + 1] for pos in todo])
            self.statistics["retries"] += len(todo)
            for pos, r in zip(todo, out):
                label = ", ".join(f"{k}={v}" for k, v in kwargs.items()) or strategy
                if isinstance(r, BaseException):
                    log[pos]["attempts"].append((label, str(r)))
                elif self.check_finite and not _finite_rows(r, 1).all():
                    log[pos]["attempts"].append((label, "non-finite outputs or tangents"))
                else:
                    log[pos]["attempts"].append((label, "ok"))
                    log[pos]["recovered"] = True
                    done[pos] = r
            pending = [pos for pos in pending if pos not in done]
            if not pending:
                break
        self.statistics["recovered"] += len(done)
        self.statistics["failed"] += len(pending)
        if policy.log_size:
            self.failures = (self.failures + [log[pos] for pos in sorted(log)])[-policy.log_size:]
        if pending:
            lines = [f"batch index {log[pos]['index']}: inputs {_summary(log[pos]['inputs'])}, state "
                     f"{log[pos]['state']}; tried " + "; ".join(f"{a}: {e}" for a, e in log[pos]["attempts"])
                     for pos in pending[:5]]
            retries = f"{policy.attempts} retr{'y' if policy.attempts == 1 else 'ies'} {policy.strategies}"
            raise ConvergenceError(f"{self.name}: fine model {self.model.name!r} failed at {len(pending)} point(s) "
                                   f"after isolation and {retries}: " + " | ".join(lines)
                                   + (" | ..." if len(pending) > 5 else ""))
        return done

    def _nearest_guess(self, rows, index, parts, results, failed, done, pos):
        """Inputs, outputs and state rows of the converged point nearest to ``pos`` (None if there is none)."""
        good, offset = [], 0
        for p, r in zip(parts, results):
            for j in range(p.size):
                q = offset + j
                if q in done:
                    good.append((q, done[q], 0))
                elif q not in failed and not isinstance(r, BaseException):
                    good.append((q, r, j))
            offset += p.size
        if not good:
            return None
        flat = lambda q: np.concatenate([np.ravel(v[index[q]]) for v in rows.values()]).astype(float)  # noqa: E731
        target = flat(pos)
        q, ev, j = min(good, key=lambda g: float(np.sum((flat(g[0]) - target) ** 2)))
        one = _rows(ev, slice(j, j + 1))
        return {"inputs": {k: v[index[q]] for k, v in rows.items()},
                "outputs": {k: v[0] for k, v in one.outputs.items()},
                "state": _take(one.state, 0)}

    def _store(self, key: bytes, ev: Evaluation, j: int) -> None:
        if len(self._cache) >= self.cache_size:
            self._cache.pop(next(iter(self._cache)))  # oldest first
        tangents = {k: v[j] for k, v in (ev.tangents or {}).items()}
        self._cache[key] = ({k: v[j] for k, v in ev.outputs.items()}, tangents)

    def _from_cache(self, keys: list[bytes]) -> Evaluation:
        rows = [self._cache[k] for k in keys]
        outputs = {k: np.stack([r[0][k] for r in rows]) for k in self.outputs}
        tangent_keys = rows[0][1].keys() if rows and all(r[1] for r in rows) else ()
        tangents = {k: np.stack([r[1][k] for r in rows]) for k in tangent_keys} or None
        return Evaluation(outputs=outputs, tangents=tangents, info=dict(self.statistics))

    def parameters(self) -> dict[str, Any]:
        params = {"executor": getattr(self.executor, "name", type(self.executor).__name__),
                  "chunk_size": self.chunk_size, "cache": self.cache_enabled}
        if self.retry is not None:
            params["retry"] = {"attempts": self.retry.attempts, "strategies": list(self.retry.strategies),
                               "substep_factor": self.retry.substep_factor}
        return params
