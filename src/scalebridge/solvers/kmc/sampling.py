r"""Steady-state averages of a kMC run: warm-up detection and block-averaged error bars.

A run is cut into equal time intervals; each interval gives the time-averaged
coverage :math:`\bar\theta_s = \frac{1}{N\Delta t}\int n_s\,dt` and the turnover
frequency :math:`\mathrm{TOF}_g = \Delta n_g / (N\Delta t)` (1/s per site). The
warm-up is the truncation point d of MSER (White 1997, Simulation 69, 323; White,
Cobb & Spratt 2000, Proc. Winter Simulation Conf.), minimising

.. math:: \mathrm{MSER}(d) = \frac{1}{(n-d)^2}\sum_{k>d} (x_k - \bar x_{d})^2, \qquad d \le n/2,

taken as the largest over all recorded series. The remaining intervals are
grouped into B blocks; the standard error of the mean is
:math:`s_B/\sqrt{B}` with :math:`s_B` the standard deviation of the block means
(Flyvbjerg & Petersen 1989, J. Chem. Phys. 91, 461), valid once blocks are longer
than the correlation time.

Checkpoints. Given ``checkpoint=<file>``, :func:`sample_steady_state` and
:func:`sample_steady_state_events` write the simulation and their own progress to
that file (atomically: temporary file, then ``os.replace``) once at least
``checkpoint_every`` events have run since the last one, at the next boundary of a
warm-up piece or sampling interval; called again with the same file after a kill
they continue from it, and the sample is bitwise that of an uninterrupted run. The
file is an ``.npz`` readable by :meth:`LatticeKMC.load_checkpoint` (keys
``species`` and the engine state: ``occupancy``, ``rng_state``, ``clock``,
``counts``, ``gas_produced``, ``particle_id``, ``displacement``) plus
``sampling_params`` (JSON of the call's arguments; a mismatch is an InputError) and
``loop_*`` arrays (``phase``, events ``done`` in the warm-up phase, ``t0``, ``e0``,
``interval``, and the per-interval ``cov``, ``tof``, ``times``, ``snaps`` so far).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...core.checkpoint import atomic_write
from ...core.errors import InputError
from .engine import LatticeKMC

__all__ = ["mser_truncation", "block_average", "SteadyStateSample", "sample_steady_state", "sample_steady_state_events",
           "DEFAULT_CHECKPOINT_EVENTS"]

#: Events between checkpoints when a checkpoint file is given without ``checkpoint_every``.
DEFAULT_CHECKPOINT_EVENTS = 5_000_000


def mser_truncation(series) -> int:
    """Number of leading samples to discard as warm-up (MSER, White 1997), at most half."""
    x = np.asarray(series, dtype=float)
    if x.ndim != 1 or x.size < 4 or not np.all(np.isfinite(x)):
        raise InputError(f"mser_truncation: need a finite 1-D series of >= 4 samples, got shape {x.shape}")
    n = x.size
    tail = x[::-1]
    counts = np.arange(1, n + 1)
    mean = np.cumsum(tail) / counts
    var = np.cumsum(tail ** 2) / counts - mean ** 2
    m = counts[::-1]                         # samples kept when d are dropped, d = 0..n-1
    stat = (var[::-1] * m) / m ** 2
    return int(np.argmin(stat[: n // 2 + 1]))


def block_average(series, n_blocks: int = 10):
    """Mean and standard error of the mean from ``n_blocks`` block means (Flyvbjerg & Petersen 1989)."""
    x = np.asarray(series, dtype=float)
    if isinstance(n_blocks, bool) or not isinstance(n_blocks, (int, np.integer)) or n_blocks < 2:
        raise InputError(f"block_average: n_blocks must be an integer >= 2, got {n_blocks!r}")
    if x.ndim != 1 or x.size < n_blocks:
        raise InputError(f"block_average: need a 1-D series of at least n_blocks={n_blocks} samples, "
                         f"got shape {x.shape}")
    size = x.size // n_blocks
    blocks = x[x.size - size * n_blocks:].reshape(n_blocks, size).mean(axis=1)
    return float(blocks.mean()), float(blocks.std(ddof=1) / np.sqrt(n_blocks))


@dataclass(frozen=True)
class SteadyStateSample:
    """Block-averaged steady state of a kMC run.

    Attributes
    ----------
    coverages, coverage_errors : dict[str, float]
        Mean fraction of sites per species and its standard error.
    tof, tof_errors : dict[str, float]
        Net production per gas, 1/s per site, and standard error.
    warmup : float
        Discarded warm-up time (s).
    times : ndarray
        End time of every interval (s).
    coverage_series : ndarray, shape (n, S); tof_series : ndarray, shape (n, G)
        Per-interval averages (warm-up included).
    snapshots : list of ndarray
        Lattices (L, L) at the requested intervals.
    """

    coverages: dict
    coverage_errors: dict
    tof: dict
    tof_errors: dict
    warmup: float
    times: np.ndarray
    coverage_series: np.ndarray
    tof_series: np.ndarray
    snapshots: list


class _Checkpointer:
    """Save/restore a sampling run (engine state + loop state) in one ``.npz`` (format: module docstring)."""

    def __init__(self, sim: LatticeKMC, path, every, params: dict):
        if every is not None and (isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1):
            raise InputError(f"checkpoint_every: expected a number of events >= 1, got {every!r}")
        self.sim, self.path = sim, None if path is None else Path(path)
        self.every = int(every or DEFAULT_CHECKPOINT_EVENTS)
        self.params = json.dumps(params, sort_keys=True)
        self.last = sim.events

    def load(self) -> dict | None:
        """The saved loop state (and the simulation restored), or None without a checkpoint file."""
        if self.path is None or not self.path.exists():
            return None
        with np.load(self.path) as data:
            if "sampling_params" not in data or str(data["sampling_params"]) != self.params:
                saved = str(data["sampling_params"]) if "sampling_params" in data else "none"
                raise InputError(f"kMC sampling checkpoint {self.path}: written for {saved}, this call is "
                                 f"{self.params}")
            loop = {k[5:]: data[k] for k in data.files if k.startswith("loop_")}
        self.sim.load_checkpoint(self.path)
        self.last = self.sim.events
        return loop

    def due(self) -> bool:
        return self.path is not None and self.sim.events - self.last >= self.every

    def save(self, **loop) -> None:
        sim = self.sim
        arrays = {"species": np.array(sim.species), **{k: getattr(sim, k) for k in sim._STATE},
                  "sampling_params": np.array(self.params), **{f"loop_{k}": np.asarray(v) for k, v in loop.items()}}
        atomic_write(self.path, lambda f: np.savez(f, **arrays))
        self.last = sim.events


def sample_steady_state(sim: LatticeKMC, interval: float, n_intervals: int, n_blocks: int = 10,
                        snapshot_every: int = 0, *, checkpoint=None,
                        checkpoint_every: int | None = None) -> SteadyStateSample:
    """Run ``n_intervals`` intervals of ``interval`` seconds; average after the MSER warm-up.

    Parameters
    ----------
    sim : LatticeKMC
    interval : float
        Length of one sampling interval (s); a few hundred events per site or
        more per block keeps blocks uncorrelated.
    n_intervals : int
        >= 4 n_blocks, so at least 2 n_blocks remain after the largest warm-up.
    n_blocks : int
    snapshot_every : int
        Keep the lattice every this many intervals (0: none).
    checkpoint : path, optional
        Checkpoint file (format: module docstring); if it exists the run continues from it.
    checkpoint_every : int, optional
        Events between checkpoints (default :data:`DEFAULT_CHECKPOINT_EVENTS`).
    """
    if not (np.isfinite(interval) and interval > 0):
        raise InputError(f"sample_steady_state: interval must be a positive time (s), got {interval!r}")
    if n_intervals < 4 * n_blocks:
        raise InputError(f"sample_steady_state: n_intervals={n_intervals} must be >= 4 n_blocks = {4 * n_blocks}")
    ck = _Checkpointer(sim, checkpoint, checkpoint_every,
                       {"function": "sample_steady_state", "interval": float(interval), "n_intervals": int(n_intervals),
                        "n_blocks": int(n_blocks), "snapshot_every": int(snapshot_every), "sites": sim.lattice.n_sites})
    return _sample(sim, float(interval), n_intervals, n_blocks, snapshot_every, ck, ck.load() or {}, {})


def _sample(sim, interval, n_intervals, n_blocks, snapshot_every, ck: _Checkpointer, loop: dict, head: dict):
    """The sampling loop of :func:`sample_steady_state`, from the saved ``loop`` state; ``head``: extra loop keys."""
    N = sim.lattice.n_sites
    n_gas = len(sim.gases)
    cov = list(loop.get("cov", np.zeros((0, len(sim.species)))))
    tof = list(loop.get("tof", np.zeros((0, n_gas))))
    times = list(loop.get("times", np.zeros(0)))
    snaps = list(loop.get("snaps", np.zeros((0, *sim.lattice.shape[::-1]), dtype=np.int8)))
    for k in range(len(times), n_intervals):
        gas0 = sim.gas_produced.copy()
        integral = sim.run(until=sim.time + interval)
        cov.append(integral / (N * interval))
        tof.append((sim.gas_produced - gas0) / (N * interval))
        times.append(sim.time)
        if snapshot_every and (k + 1) % snapshot_every == 0:
            snaps.append(sim.snapshot())
        if ck.due() and k + 1 < n_intervals:
            ck.save(**head, cov=np.array(cov), tof=np.array(tof).reshape(k + 1, n_gas), times=np.array(times),
                    snaps=np.array(snaps).reshape(len(snaps), *sim.lattice.shape[::-1]).astype(np.int8))
    cov, tof = np.array(cov), np.array(tof).reshape(n_intervals, -1)
    series = [c for c in np.hstack([cov, tof]).T if np.ptp(c) > 0]
    d = max((mser_truncation(s) for s in series), default=0)
    avg = lambda x: block_average(x[d:], n_blocks)  # noqa: E731
    c_stats = [avg(c) for c in cov.T]
    g_stats = [avg(g) for g in tof.T]
    return SteadyStateSample(
        dict(zip(sim.species, (m for m, _ in c_stats))), dict(zip(sim.species, (e for _, e in c_stats))),
        dict(zip(sim.gases, (m for m, _ in g_stats))), dict(zip(sim.gases, (e for _, e in g_stats))),
        d * interval, np.array(times), cov, tof, [np.asarray(x) for x in snaps])


def sample_steady_state_events(sim: LatticeKMC, events: int, n_intervals: int = 40, n_blocks: int = 10,
                               warmup_fraction: float = 0.2, *, checkpoint=None,
                               checkpoint_every: int | None = None) -> SteadyStateSample:
    """:func:`sample_steady_state` for a budget of about ``events`` events, whatever the rates.

    First ``warmup_fraction * events`` events run as a warm-up; the mean time per
    event over their second half sets the interval, ``events / n_intervals`` events
    long. A lattice that poisoned (total rate 0) is sampled over unit intervals.
    With ``checkpoint`` (a file; resumed from if it exists) the warm-up runs in
    pieces of ``checkpoint_every`` events (default :data:`DEFAULT_CHECKPOINT_EVENTS`)
    and the state is saved after every piece, then at sampling-interval boundaries
    every ``checkpoint_every`` events (format: module docstring).
    """
    if isinstance(events, bool) or not isinstance(events, (int, np.integer)) or events < n_intervals:
        raise InputError(f"sample_steady_state_events: events must be an integer >= n_intervals={n_intervals}, "
                         f"got {events!r}")
    if not 0 < warmup_fraction < 1:
        raise InputError(f"sample_steady_state_events: warmup_fraction must lie in (0, 1), got {warmup_fraction!r}")
    if n_intervals < 4 * n_blocks:
        raise InputError(f"sample_steady_state: n_intervals={n_intervals} must be >= 4 n_blocks = {4 * n_blocks}")
    ck = _Checkpointer(sim, checkpoint, checkpoint_every,
                       {"function": "sample_steady_state_events", "events": int(events),
                        "n_intervals": int(n_intervals), "n_blocks": int(n_blocks),
                        "warmup_fraction": float(warmup_fraction), "sites": sim.lattice.n_sites})
    loop = ck.load() or {}
    half = max(1, int(warmup_fraction * events) // 2)
    phase, done = int(loop.get("phase", 0)), int(loop.get("done", 0))
    t0, e0 = float(loop.get("t0", 0.0)), int(loop.get("e0", 0))
    while phase < 2:  # the two halves of the warm-up, in pieces of checkpoint_every events
        piece = half - done if ck.path is None else min(half - done, ck.every)
        before = sim.events
        sim.run(max_events=piece)
        done += sim.events - before
        if done >= half or sim.events - before < piece:  # this half is done (or the lattice poisoned)
            phase, done = phase + 1, 0
            if phase == 1:
                t0, e0 = sim.time, sim.events
        if ck.path is not None and phase < 2:
            ck.save(phase=phase, done=done, t0=t0, e0=e0)
    if "interval" in loop:
        interval = float(loop["interval"])
    else:
        dt = (sim.time - t0) / (sim.events - e0) if sim.events > e0 and sim.total_rate > 0 else 0.0
        interval = dt * events / n_intervals if dt > 0 else 1.0
    head = dict(phase=2, done=0, t0=t0, e0=e0, interval=interval)
    if ck.path is not None and "interval" not in loop:
        ck.save(**head)
    return _sample(sim, interval, n_intervals, n_blocks, 0, ck, loop, head)
