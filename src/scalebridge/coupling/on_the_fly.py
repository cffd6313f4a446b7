r"""Concurrent coupling: evaluate the fine model for every request, spread over an executor.

:class:`OnTheFly` wraps any ``Model`` and is a ``Model`` with the same ports, so a macro
solver cannot tell it from a closed-form law or a table. For every batch of requests
(all quadrature points of a mesh, say) it

1. removes requests already answered (identical input rows, within the batch and from
   earlier calls, when the model is stateless);
2. splits the rest into chunks and maps them over an executor (serial, process pool,
   dask.distributed; see :mod:`scalebridge.core.executors`);
3. reassembles outputs, tangents and per-point internal state in request order.

A failing chunk never silently drops a point: the error is re-raised as a
:class:`~scalebridge.core.errors.ConvergenceError` that names the batch indices of the
points in that chunk. Internal state (history variables) belongs to the caller: it is
passed in, split with the chunks, and the new state is returned for the caller to
commit only at converged macro steps (DESIGN.md, "Model").
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.errors import ConvergenceError, InputError, ScalebridgeError
from ..core.executors import Executor, SerialExecutor
from ..core.model import Evaluation, Model

__all__ = ["OnTheFly"]


class _ChunkTask:
    """Picklable: evaluate the fine model on one chunk, capturing errors as data."""

    def __init__(self, model: Model):
        self.model = model

    def __call__(self, chunk):
        inputs, state = chunk
        try:
            return self.model.evaluate(inputs, state)
        except ScalebridgeError as exc:
            return exc


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

    Attributes
    ----------
    statistics : dict
        Counts of requests, fine evaluations, cache hits and chunks, over all calls.
    """

    coupling = "concurrent"

    def __init__(self, model: Model, executor: Executor | None = None, chunk_size: int | None = None,
                 cache: bool = True, cache_size: int = 100_000, name: str | None = None):
        if chunk_size is not None and int(chunk_size) <= 0:
            raise InputError(f"OnTheFly: chunk_size must be a positive integer, got {chunk_size}")
        self.model, self.children = model, [model]
        self.name = name or f"on-the-fly({model.name})"
        self.inputs, self.outputs, self.scale = dict(model.inputs), dict(model.outputs), model.scale
        self.executor = executor or SerialExecutor()
        self.chunk_size, self.cache_enabled, self.cache_size = chunk_size, cache, cache_size
        self._cache: dict[bytes, tuple[dict, dict]] = {}
        self.statistics = {"requests": 0, "fine_evaluations": 0, "cache_hits": 0, "chunks": 0}

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

    def _solve(self, inputs, state, index: np.ndarray) -> Evaluation:
        size = self.chunk_size or index.size
        parts = [index[i:i + size] for i in range(0, index.size, size)]
        tasks = [({k: np.asarray(inputs[k])[p] for k in self.inputs}, _take(state, p)) for p in parts]
        results = self.executor.map(_ChunkTask(self.model), tasks)
        self.statistics["chunks"] += len(parts)
        for p, r in zip(parts, results):
            if isinstance(r, BaseException):
                raise ConvergenceError(f"{self.name}: fine model {self.model.name!r} failed for the points at batch "
                                       f"indices {p[:20].tolist()}{' ...' if p.size > 20 else ''}: {r}") from r
        outputs = {k: np.concatenate([r.outputs[k] for r in results]) for k in self.outputs}
        tangents = None
        if all(r.tangents for r in results):
            tangents = {k: np.concatenate([r.tangents[k] for r in results]) for k in results[0].tangents}
        return Evaluation(outputs=outputs, tangents=tangents, state=_stack([r.state for r in results]),
                          info={"chunks": len(parts), "points": int(index.size)})

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
        return {"executor": getattr(self.executor, "name", type(self.executor).__name__),
                "chunk_size": self.chunk_size, "cache": self.cache_enabled}
