"""Lattice kMC: events per second on one core, and the ZGB phase transitions located by bisection.

1. Throughput (one thread, after numba compilation), best of 3, per second of the thread's CPU
   time (``time.thread_time``: on a shared machine other jobs then slow it only through the caches):

   * ZGB kernel: the Ziff-Gulari-Barshad CO-oxidation model at y = 0.5 (reactive),
     standard random-sequential algorithm; adsorption *trials* per second and
     successful adsorption events per second;
   * BKL engine: the same chemistry as a rate-based mechanism (CO adsorption 0.5,
     O2 dissociative adsorption 0.5, LH reaction 100 per site, 1/s), rejection-free,
     cache-line sum-tree selection over 1-byte rate-class leaves: executed events per second.

   Goal (issue 7): >= 2e6 events/s at 128^2 and 512^2.

2. The ZGB transitions: from an empty lattice, a run at CO fraction y *poisons*
   if it reaches a state with no empty site within ``mcs`` Monte Carlo steps
   (``run_zgb(...).poisoned``: "O" below y1, "CO" above y2). Bisection on y keeps
   y1 between an O-poisoned and a reactive run, y2 between a reactive and a
   CO-poisoned one. A finite run length biases both inwards: near y1 the decay
   to the O-poisoned state slows down critically (y1 found a little low), and just
   above y2 the reactive state is metastable (y2 found a little high).
   Published: y1 ~ 0.389, y2 ~ 0.525 (Ziff, Gulari & Barshad 1986, Phys. Rev. Lett.
   56, 2553); y1 = 0.3874(2) (Jensen, Fogedby & Dickman 1990, Phys. Rev. A 41,
   3411), y2 = 0.52560(1) (Brosilow & Ziff 1992, Phys. Rev. A 46, 4534).

Run: ``python benchmarks/kmc.py`` (about a minute: 128^2 lattice, 4,000 MCS,
bracket 0.002 wide); ``python benchmarks/kmc.py --full`` (about 10 minutes: the
BKL engine at 64^2 .. 1024^2, and the transitions on a 256^2 lattice, 20,000 MCS,
bracket 0.0005 wide).
"""

import os
import platform
import sys
import time

import numpy as np

from scalebridge.solvers.kmc import ZGB_Y1, ZGB_Y2, LatticeKMC, PairProcess, SiteProcess, run_zgb, square_lattice
from scalebridge.solvers.kmc import _zgb_kernels
from scalebridge.solvers.kmc.engine import _seed_state


def zgb_rate(L, mcs, repeat=3):
    """Best-of-``repeat`` (trials/s, successful adsorptions/s) of the ZGB kernel at y = 0.5."""
    lat = square_lattice(L)
    N = lat.n_sites
    occ, counts = np.zeros(N, np.int8), np.array([N, 0, 0], np.int64)
    rng = _seed_state(1)
    _zgb_kernels.run_zgb(occ, lat.neighbours, 0.5, rng, counts, 200 * N)  # compile, warm up
    best = (0.0, 0.0)
    for _ in range(repeat):
        co0, o0 = counts[1], counts[2]
        t0 = time.thread_time()
        trials, co2 = _zgb_kernels.run_zgb(occ, lat.neighbours, 0.5, rng, counts, mcs * N)
        dt = time.thread_time() - t0
        # every CO2 consumed one adsorbed CO and one O: adsorbed CO = co2 + its net gain, O2 = (co2 + O gain) / 2
        adsorptions = (co2 + counts[1] - co0) + (co2 + counts[2] - o0) / 2
        best = max(best, (trials / dt, adsorptions / dt))
    return best


def bkl_rate(L, events, repeat=3):
    """Best-of-``repeat`` events/s of the BKL engine on the rate-based ZGB chemistry (after 2 events/site)."""
    procs = [SiteProcess("CO ads", "*", "CO", 0.5), PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
             PairProcess("LH", ("CO", "O"), ("*", "*"), 100.0, gas={"CO2": 1})]
    sim = LatticeKMC(square_lattice(L), ["CO", "O"], procs, seed=0)
    sim.run(max_events=2 * L * L)
    best = 0.0
    for _ in range(repeat):
        t0 = time.thread_time()
        sim.run(max_events=events)
        best = max(best, events / (time.thread_time() - t0))
    return best


#: BKL events per CPU second before the 1-byte rate-class leaves (commit 207227b: cache-line tree over
#: float64 leaves), best of 5 on this machine, 2026-11-22, interleaved with the new engine (docs/kmc.md)
BKL_BEFORE = {64: 3.0e6, 128: 3.0e6, 256: 2.1e6, 512: 1.5e6, 1024: 7.8e5}


def throughput(sizes):
    print(f"{'lattice':<10}{'ZGB trials/s':>16}{'ZGB adsorption ev/s':>22}{'BKL before':>14}"
          f"{'BKL events/s':>16}{'goal':>8}")
    for L in sizes:
        mcs = max(4, 400 * 128 ** 2 // L ** 2)
        trials_s, events_s = zgb_rate(L, mcs)   # an event: one successful CO or O2 adsorption
        print(f"{L}^2{'':<{7 - len(str(L))}}{trials_s:>16.3e}{events_s:>22.3e}{BKL_BEFORE.get(L, np.nan):>14.2e}"
              f"{bkl_rate(L, 2_000_000):>16.3e}{2e6:>8.0e}", flush=True)


def locate(lattice, mcs, lo, hi, poisons_below, tol, seed=0):
    """Bisect [lo, hi] for the y where runs of ``mcs`` MCS stop poisoning (with O, ``poisons_below``)
    or start poisoning (with CO); returns the final bracket and the number of runs."""
    runs = 0
    while hi - lo > tol:
        y = 0.5 * (lo + hi)
        fate = run_zgb(lattice, y, mcs, seed=seed).poisoned
        runs += 1
        if poisons_below:
            lo, hi = (y, hi) if fate == "O" else (lo, y)
        else:
            lo, hi = (lo, y) if fate == "CO" else (y, hi)
    return lo, hi, runs


def transitions(L, mcs, tol):
    lat = square_lattice(L)
    print(f"\nZGB transitions on a {L}^2 lattice: bisection, poisoned = no empty site within {mcs} MCS "
          f"from an empty lattice, bracket width {tol}")
    for name, (lo, hi), below, published, original in (("y1 (O poisoning, continuous)", (0.36, 0.42), True,
                                                         ZGB_Y1, 0.389),
                                                        ("y2 (CO poisoning, first order)", (0.50, 0.56), False,
                                                         ZGB_Y2, 0.525)):
        t0 = time.perf_counter()
        lo, hi, runs = locate(lat, mcs, lo, hi, below, tol)
        print(f"  {name:<32} [{lo:.4f}, {hi:.4f}] -> {0.5 * (lo + hi):.4f}   published {published[0]:.4f}"
              f"({published[1]:.0e}), ZGB 1986 {original}   ({runs} runs, {time.perf_counter() - t0:.0f} s)",
              flush=True)


def main():
    full = "--full" in sys.argv
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; one thread")
    throughput((64, 128, 256, 512, 1024) if full else (128, 512))
    if full:
        transitions(256, 20000, 0.0005)
    else:
        transitions(128, 4000, 0.002)


if __name__ == "__main__":
    main()
