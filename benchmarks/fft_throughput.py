"""Throughput, iteration counts and memory of the FFT cell solver (scalebridge.solvers.fft).

Prints, on this machine, in one run:

1. throughput in voxel-iterations per second and per load case, for 3-D scalar
   conductivity and 3-D isotropic elasticity (6 load cases), random two-phase cells at
   contrast 10, CG scheme, discrete operator, at 64^3 and 128^3 (``--big``: also 256^3
   conductivity; elasticity at 256^3 needs ~10 GB, ``--big-elasticity``; above 64^3
   elasticity runs one load case unless ``--full``). Conductivity is run with the
   default potential formulation for 3 load cases and for 1, and with the previous
   gradient formulation (``formulation="gradient"``, 3 loads) in the same run, so the
   speed-up is a ratio measured here; the "FFT-only" column is the rate if an
   iteration cost only its FFTs (potential: one forward + one inverse scalar transform
   per load; gradient: 2 x n_components), and "ratio" how much the stencils, the law
   and the CG updates add to it;
2. iterations vs contrast 10/100/1000 for "cg" and "basic" (2-D, 256^2 random discs);
3. memory per voxel per load case: peak of numpy allocations (tracemalloc) during a
   solve, divided by voxels x load cases.

Run ``python benchmarks/fft_throughput.py`` (about 1-2 minutes on 2 cores).
"""

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np
import scipy.fft as sfft

from scalebridge.solvers.fft import WORKERS, solve_conductivity, solve_elasticity
from scalebridge.solvers.tensors import isotropic_stiffness

STIFFNESS = isotropic_stiffness([10.0, 100.0], [5.0, 50.0], dim=3)  # contrast 10 in every eigenvalue


def random_cell(n, dim, seed=0):
    """Blocky random two-phase cell (4-voxel blocks), 50/50."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 2, (max(n // 4, 1),) * dim)
    for axis in range(dim):
        coarse = np.repeat(coarse, 4, axis=axis)
    return coarse[(slice(0, n),) * dim]


def fft_only(n, n_comp, n_loads, repeat=2):
    """Seconds for one iteration's FFTs: forward + inverse of (n_loads, n_comp, n, n, n)."""
    x = np.random.default_rng(0).random((n_loads, n_comp, n, n, n))
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        s = sfft.rfftn(x, axes=(2, 3, 4), workers=WORKERS)
        sfft.irfftn(s, s=(n, n, n), axes=(2, 3, 4), workers=WORKERS, overwrite_x=True)
        best = min(best, time.perf_counter() - t0)
    return best


def throughput(sizes, problems, full=False):
    print(f"\n{'problem':<14}{'formulation':>12}{'grid':>6}{'loads':>6}{'iters':>7}{'time [s]':>10}"
          f"{'vox*it/s':>11}{'FFT-only':>11}{'ratio':>7}{'B/voxel/load':>14}")
    for problem in problems:
        for n in sizes[problem]:
            phases = random_cell(n, 3)
            if problem == "conductivity":
                runs = [("potential", 3), ("potential", 1), ("gradient", 3)]
                if n > 128:  # the gradient formulation at 256^3 takes minutes
                    runs = runs[:2]
            else:
                # one load case above 64^3 keeps the default run short (per-load rates are comparable)
                runs = [("gradient", 6 if n <= 64 or full else 1)]
            for formulation, n_loads in runs:
                tracemalloc.start()
                t0 = time.perf_counter()
                if problem == "conductivity":
                    sol = solve_conductivity(phases, [1.0, 10.0], np.eye(3)[:n_loads], formulation=formulation)
                else:
                    sol = solve_elasticity(phases, STIFFNESS, np.eye(6)[:n_loads])
                dt = time.perf_counter() - t0
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                n_comp = 1 if formulation == "potential" else sol.loads.shape[1]
                work = sol.iterations.sum() * phases.size
                rate = work / dt
                fft_rate = n_loads * phases.size / fft_only(n, n_comp, n_loads, repeat=1 if n > 128 else 2)
                print(f"{problem:<14}{formulation:>12}{n:>5}^3{n_loads:>6}{int(sol.iterations.max()):>7}"
                      f"{dt:>10.2f}{rate:>11.2e}{fft_rate:>11.2e}{fft_rate / rate:>7.2f}"
                      f"{peak / phases.size / n_loads:>14.0f}")


def iterations_vs_contrast(n=256):
    rng = np.random.default_rng(1)
    x = (np.arange(n) + 0.5) / n
    phases = np.zeros((n, n), dtype=int)
    while phases.mean() < 0.4:  # random overlapping discs, radius 0.05
        c = rng.random(2)
        dx = (x[:, None] - c[0] + 0.5) % 1 - 0.5
        dy = (x[None, :] - c[1] + 0.5) % 1 - 0.5
        phases[dx**2 + dy**2 < 0.05**2] = 1
    print(f"\niterations to tol 1e-8 (2-D conductivity, {n}^2 random discs, f = {phases.mean():.2f}, load e1)")
    print(f"{'contrast':>10}{'cg':>8}{'basic':>8}{'sqrt(contrast)':>16}")
    for contrast in (10.0, 100.0, 1000.0):
        its = [solve_conductivity(phases, [1.0, contrast], [[1.0, 0.0]], scheme=s, max_iter=20000).iterations[0]
               for s in ("cg", "basic")]
        print(f"{contrast:>10.0f}{its[0]:>8}{its[1]:>8}{np.sqrt(contrast):>16.1f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", action="store_true", help="add 256^3 conductivity")
    ap.add_argument("--full", action="store_true", help="all 6 elastic load cases at every size")
    ap.add_argument("--big-elasticity", action="store_true", help="add 256^3 elasticity (~10 GB, minutes)")
    args = ap.parse_args()
    print(f"machine: {platform.machine()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"numpy {np.__version__}, scipy.fft workers={WORKERS}")
    sizes = {"conductivity": [64, 128] + ([256] if args.big else []),
             "elasticity": [64, 128] + ([256] if args.big_elasticity else [])}
    throughput(sizes, ("conductivity", "elasticity"), full=args.full)
    iterations_vs_contrast()


if __name__ == "__main__":
    main()
