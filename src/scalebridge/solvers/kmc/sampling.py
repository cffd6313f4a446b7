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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.errors import InputError
from .engine import LatticeKMC

__all__ = ["mser_truncation", "block_average", "SteadyStateSample", "sample_steady_state", "sample_steady_state_events"]


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


def sample_steady_state(sim: LatticeKMC, interval: float, n_intervals: int, n_blocks: int = 10,
                        snapshot_every: int = 0) -> SteadyStateSample:
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
    """
    if not (np.isfinite(interval) and interval > 0):
        raise InputError(f"sample_steady_state: interval must be a positive time (s), got {interval!r}")
    if n_intervals < 4 * n_blocks:
        raise InputError(f"sample_steady_state: n_intervals={n_intervals} must be >= 4 n_blocks = {4 * n_blocks}")
    N = sim.lattice.n_sites
    cov, tof, times, snaps = [], [], [], []
    for k in range(n_intervals):
        gas0 = sim.gas_produced.copy()
        integral = sim.run(until=sim.time + interval)
        cov.append(integral / (N * interval))
        tof.append((sim.gas_produced - gas0) / (N * interval))
        times.append(sim.time)
        if snapshot_every and (k + 1) % snapshot_every == 0:
            snaps.append(sim.snapshot())
    cov, tof = np.array(cov), np.array(tof).reshape(n_intervals, -1)
    series = [c for c in np.hstack([cov, tof]).T if np.ptp(c) > 0]
    d = max((mser_truncation(s) for s in series), default=0)
    avg = lambda x: block_average(x[d:], n_blocks)  # noqa: E731
    c_stats = [avg(c) for c in cov.T]
    g_stats = [avg(g) for g in tof.T]
    return SteadyStateSample(
        dict(zip(sim.species, (m for m, _ in c_stats))), dict(zip(sim.species, (e for _, e in c_stats))),
        dict(zip(sim.gases, (m for m, _ in g_stats))), dict(zip(sim.gases, (e for _, e in g_stats))),
        d * interval, np.array(times), cov, tof, snaps)


def sample_steady_state_events(sim: LatticeKMC, events: int, n_intervals: int = 40, n_blocks: int = 10,
                               warmup_fraction: float = 0.2) -> SteadyStateSample:
    """:func:`sample_steady_state` for a budget of about ``events`` events, whatever the rates.

    First ``warmup_fraction * events`` events run as a warm-up; the mean time per
    event over their second half sets the interval, ``events / n_intervals`` events
    long. A lattice that poisoned (total rate 0) is sampled over unit intervals.
    """
    if isinstance(events, bool) or not isinstance(events, (int, np.integer)) or events < n_intervals:
        raise InputError(f"sample_steady_state_events: events must be an integer >= n_intervals={n_intervals}, "
                         f"got {events!r}")
    if not 0 < warmup_fraction < 1:
        raise InputError(f"sample_steady_state_events: warmup_fraction must lie in (0, 1), got {warmup_fraction!r}")
    half = max(1, int(warmup_fraction * events) // 2)
    sim.run(max_events=half)
    t0, e0 = sim.time, sim.events
    sim.run(max_events=half)
    dt = (sim.time - t0) / (sim.events - e0) if sim.events > e0 and sim.total_rate > 0 else 0.0
    interval = dt * events / n_intervals if dt > 0 else 1.0
    return sample_steady_state(sim, interval, n_intervals, n_blocks)
