"""Executors: one ``map`` over chunks of a batch, serial, in processes, or on dask.

All executors expose ``map(function, items) -> list`` with results in the order of
``items``. :func:`evaluate_in_chunks` splits a model's batch into chunks, maps the
model over them and concatenates the outputs, so a strategy never cares where the
work ran. The dask executor is the path to a cluster: pass a
``distributed.Client`` (for example connected to a dask-jobqueue SLURM/PBS
cluster) or a scheduler address.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any, Callable, Iterable, Mapping, Protocol

import numpy as np

from .errors import InputError
from .model import Evaluation, Model
from .optional import require

__all__ = ["Executor", "SerialExecutor", "ProcessExecutor", "DaskExecutor", "EXECUTORS",
           "get_executor", "evaluate_in_chunks"]


class Executor(Protocol):
    """Anything with ``map(function, items) -> list`` (results in input order)."""

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list: ...


class SerialExecutor:
    """Run every item in this process, one after the other (the default)."""

    name = "serial"

    def map(self, function, items):
        return [function(item) for item in items]


class ProcessExecutor:
    """Run items in a local process pool (``concurrent.futures``).

    Functions and items must be picklable (module-level functions, plain arrays).
    """

    name = "processes"

    def __init__(self, max_workers: int | None = None):
        self.max_workers = max_workers

    def map(self, function, items):
        with concurrent.futures.ProcessPoolExecutor(self.max_workers) as pool:
            return list(pool.map(function, items))


class DaskExecutor:
    """Run items on a dask.distributed cluster (``pip install 'scalebridge[distributed]'``).

    Parameters
    ----------
    client : distributed.Client or str, optional
        A client, or a scheduler address to connect to. Without one, a
        ``LocalCluster`` is started on first use and closed by :meth:`close`.
    """

    name = "dask"

    def __init__(self, client: Any = None):
        self._client = client
        self._owned = None

    @property
    def client(self):
        distributed = require("distributed", extra="distributed")
        if self._client is None:
            self._owned = distributed.Client(processes=False, dashboard_address=None)
            self._client = self._owned
        elif isinstance(self._client, str):
            self._client = distributed.Client(self._client)
        return self._client

    def map(self, function, items):
        items = list(items)
        futures = self.client.map(function, items, pure=False)
        return self.client.gather(futures)

    def close(self) -> None:
        """Close the client this executor started itself (if any)."""
        if self._owned is not None:
            self._owned.close()
            self._owned = self._client = None


#: Executors selectable by name in scenarios.
EXECUTORS: dict[str, Callable[..., Executor]] = {
    "serial": SerialExecutor,
    "processes": ProcessExecutor,
    "dask": DaskExecutor,
}


def get_executor(spec: str | Executor | None = None, **options) -> Executor:
    """An executor from its name (``"serial"``, ``"processes"``, ``"dask"``) or itself."""
    if spec is None:
        return SerialExecutor()
    if isinstance(spec, str):
        try:
            return EXECUTORS[spec](**options)
        except KeyError:
            raise InputError(f"unknown executor {spec!r}; choose one of {sorted(EXECUTORS)}") from None
    if not callable(getattr(spec, "map", None)):
        raise InputError(f"executor {spec!r} has no map(function, items) method")
    return spec


class _EvaluateChunk:
    """Picklable callable: evaluate ``model`` on one chunk of inputs."""

    def __init__(self, model: Model):
        self.model = model

    def __call__(self, chunk: Mapping[str, np.ndarray]) -> Evaluation:
        return self.model.evaluate(chunk)


def evaluate_in_chunks(model: Model, inputs: Mapping[str, np.ndarray], executor: Executor | None = None,
                       chunk_size: int | None = None) -> dict[str, np.ndarray]:
    """Evaluate ``model`` on a batch split into chunks mapped over ``executor``.

    Parameters
    ----------
    model : Model
        Must be picklable for process and dask executors.
    inputs : mapping of str to ndarray
        SI arrays with a common leading batch axis.
    executor : Executor, optional
        Defaults to :class:`SerialExecutor`.
    chunk_size : int, optional
        Items per chunk (default: the whole batch in one chunk).

    Returns
    -------
    dict of str to ndarray
        The outputs, concatenated in batch order.
    """
    executor = executor or SerialExecutor()
    n = len(next(iter(inputs.values())))
    size = n if not chunk_size else int(chunk_size)
    if size <= 0:
        raise InputError(f"chunk_size must be positive, got {chunk_size}")
    chunks = [{k: v[i:i + size] for k, v in inputs.items()} for i in range(0, n, size)]
    results = executor.map(_EvaluateChunk(model), chunks)
    return {k: np.concatenate([r.outputs[k] for r in results]) for k in model.outputs}
