"""Lattice kMC throughput: events per second on one core, 128^2 and 512^2 lattices.

Cases (one thread, after numba compilation):

* ZGB kernel: the Ziff-Gulari-Barshad CO-oxidation model at y = 0.5 (reactive),
  standard random-sequential algorithm; reported as adsorption *trials* per second
  and as successful adsorption events per second;
* BKL engine: the same chemistry as a rate-based mechanism (CO adsorption 0.5,
  O2 dissociative adsorption 0.5, LH reaction 100 per site, 1/s), rejection-free,
  O(log N) sum-tree selection: executed events per second.

Goal (issue 7): >= 2e6 events/s. Run: ``python benchmarks/kmc.py``.

``BKL before`` is the engine of commit f2b517a (same machine, same case, measured
with this script on 2026-11-21), before the kernel was compiled without NRT
reference counting, with one rate-recompute loop, a per-configuration rate table
and batched sum-tree updates; trajectories are bitwise unchanged.
"""

import os
import platform
import time

import numpy as np

from scalebridge.solvers.kmc import LatticeKMC, PairProcess, SiteProcess, square_lattice
from scalebridge.solvers.kmc.engine import _seed_state, kernels


def zgb_rate(L, mcs):
    lat = square_lattice(L)
    N = lat.n_sites
    occ, counts = np.zeros(N, np.int8), np.array([N, 0, 0], np.int64)
    rng = _seed_state(1)
    kernels().run_zgb(occ, lat.neighbours, 0.5, rng, counts, 200 * N)  # compile, warm up
    co0, o0 = counts[1], counts[2]
    t0 = time.perf_counter()
    trials, co2 = kernels().run_zgb(occ, lat.neighbours, 0.5, rng, counts, mcs * N)
    dt = time.perf_counter() - t0
    # every CO2 consumed one adsorbed CO and one O: adsorbed CO = co2 + its net gain, O2 = (co2 + O gain) / 2
    adsorptions = (co2 + counts[1] - co0) + (co2 + counts[2] - o0) / 2
    return trials / dt, adsorptions / dt


def bkl_rate(L, events):
    procs = [SiteProcess("CO ads", "*", "CO", 0.5), PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
             PairProcess("LH", ("CO", "O"), ("*", "*"), 100.0, gas={"CO2": 1})]
    sim = LatticeKMC(square_lattice(L), ["CO", "O"], procs, seed=0)
    sim.run(max_events=20 * L * L // 10)
    t0 = time.perf_counter()
    sim.run(max_events=events)
    return events / (time.perf_counter() - t0)


#: BKL events/s of the engine before the speed-up (commit f2b517a), per lattice side
BKL_BEFORE = {128: 1.12e6, 512: 4.8e5}


def main():
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; one thread")
    print(f"{'lattice':<10}{'ZGB trials/s':>16}{'ZGB adsorption ev/s':>22}{'BKL before':>14}"
          f"{'BKL events/s':>16}{'goal':>8}")
    for L, mcs in ((128, 400), (512, 40)):
        trials_s, events_s = zgb_rate(L, mcs)   # an event: one successful CO or O2 adsorption
        print(f"{L}^2{'':<5}{trials_s:>16.3e}{events_s:>22.3e}{BKL_BEFORE[L]:>14.2e}"
              f"{bkl_rate(L, 3_000_000):>16.3e}{2e6:>8.0e}")


if __name__ == "__main__":
    main()
