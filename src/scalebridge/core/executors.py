"""Executors: one ``map`` over chunks of a batch, serial, in processes, or on dask.

All executors expose ``map(function, items) -> list`` with results in the order of
``items``. :func:`evaluate_in_chunks` splits a model's batch into chunks, maps the
model over them and concatenates the outputs, so a strategy never cares where the
work ran. The dask executor is the path to a cluster: pass a
``distributed.Client`` (for example connected to a dask-jobqueue SLURM/PBS
cluster) or a scheduler address.

Fault tolerance. A chunk that hangs never hangs the run: the process and dask
executors take a ``timeout`` (seconds for one ``map``) after which they raise
:class:`~scalebridge.core.errors.ConvergenceError` naming the unfinished items
(attribute ``items``: their positions in ``items``). A worker that dies does not
change the result: the process executor restarts its pool and re-runs the items
the dead worker took (``restarts`` times), and dask.distributed reschedules the
tasks of a lost worker on the others (up to the scheduler's
``allowed-failures``); only when that budget is spent do they raise
ConvergenceError. The functions mapped are pure, so a re-run gives the same answer.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any, Callable, Iterable, Mapping, Protocol

import numpy as np

from .errors import ConvergenceError, InputError
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


def _incomplete(message: str, items: list[int]) -> ConvergenceError:
    """ConvergenceError naming the positions ``items`` of the unfinished items."""
    error = ConvergenceError(f"{message} (item(s) {items[:20]}{' ...' if len(items) > 20 else ''})")
    error.items = list(items)
    return error


def _check_timeout(timeout) -> float | None:
    if timeout is not None and not (isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
                                    and timeout > 0):
        raise InputError(f"executor timeout: expected None or a positive number of seconds, got {timeout!r}")
    return None if timeout is None else float(timeout)


class ProcessExecutor:
    """Run items in a local process pool (``concurrent.futures``).

    Functions and items must be picklable (module-level functions, plain arrays).

    Parameters
    ----------
    max_workers : int, optional
    timeout : float, optional
        Seconds one ``map`` may take; then its workers are killed and
        ConvergenceError names the unfinished items (default: no limit).
    restarts : int
        Times the pool is restarted to re-run the items of a worker process that
        died (killed, out of memory, segfault) before ConvergenceError (default 1).
    """

    name = "processes"

    def __init__(self, max_workers: int | None = None, timeout: float | None = None, restarts: int = 1):
        self.max_workers = max_workers
        self.timeout = _check_timeout(timeout)
        if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 0:
            raise InputError(f"ProcessExecutor restarts: expected an integer >= 0, got {restarts!r}")
        self.restarts = restarts

    def map(self, function, items):
        items = list(items)
        results: list = [None] * len(items)
        todo = list(range(len(items)))
        for _ in range(self.restarts + 1):
            pool = concurrent.futures.ProcessPoolExecutor(self.max_workers)
            try:
                futures = {pool.submit(function, items[i]): i for i in todo}
                _, running = concurrent.futures.wait(futures, timeout=self.timeout)
                if running:
                    for process in list(getattr(pool, "_processes", {}).values()):  # the hung workers
                        process.kill()
                    raise _incomplete(f"processes: map did not finish within {self.timeout:g} s",
                                      sorted(futures[f] for f in running))
                lost = []
                for future, i in futures.items():
                    try:
                        results[i] = future.result()
                    except concurrent.futures.process.BrokenProcessPool:
                        lost.append(i)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            if not lost:
                return results
            todo = sorted(lost)
        raise _incomplete(f"processes: a worker process died while running items, {self.restarts} pool restart(s) "
                          f"did not help", todo)


class DaskExecutor:
    """Run items on a dask.distributed cluster (``pip install 'scalebridge[distributed]'``).

    Parameters
    ----------
    client : distributed.Client or str, optional
        A client, or a scheduler address to connect to. Without one, a
        ``LocalCluster`` is started on first use and closed by :meth:`close`.
    timeout : float, optional
        Seconds one ``map`` may take; then its tasks are cancelled and
        ConvergenceError names the unfinished items (a task already running on a
        worker thread cannot be interrupted; it finishes in the background).
    retries : int
        Passed to ``client.map``: re-runs of a task that *raised* (default 0).
        Tasks of a worker that *died* are rescheduled by dask itself.
    """

    name = "dask"

    def __init__(self, client: Any = None, timeout: float | None = None, retries: int = 0):
        self._client = client
        self._owned = None
        self.timeout = _check_timeout(timeout)
        self.retries = int(retries)

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
        distributed = require("distributed", extra="distributed")
        items = list(items)
        client = self.client
        futures = client.map(function, items, pure=False, retries=self.retries)
        if self.timeout is not None:
            try:
                distributed.wait(futures, timeout=self.timeout)
            except TimeoutError:
                pending = [i for i, f in enumerate(futures) if not f.done()]
                client.cancel(futures)
                raise _incomplete(f"dask: map did not finish within {self.timeout:g} s", pending) from None
        try:
            return client.gather(futures)
        except distributed.KilledWorker as exc:
            lost = [i for i, f in enumerate(futures) if f.status == "error"]
            raise _incomplete(f"dask: workers died while running items, beyond the scheduler's allowed "
                              f"failures ({exc})", lost) from None

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
