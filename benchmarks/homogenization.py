"""Homogenization benchmark: FFT vs finite elements, FFT throughput, iterations vs contrast, memory.

Part 1 (here): the FFT (discrete operator, CG) and FE (periodic, direct sparse LU) cell
solvers on the *same* voxel microstructures in 2-D and 3-D: wall time of each, the
ratio FE / FFT, and their relative difference in the effective tensor.
Part 2: the 2-D checkerboard against Keller's sqrt(s1 s2) at contrast 10 and 100: raw errors
of both operators vs n, the observed order, and the Richardson extrapolate with the corner
exponent (q = 4 lambda, discrete operator; ``scalebridge.homogenization.resolution``).
Parts 3-5 (from ``fft_throughput.py``, which can also be run alone): FFT throughput in
voxel·iterations/s for 3-D conductivity and elasticity, CG vs basic iteration counts
at contrast 10/100/1000, and memory per voxel.

Run: ``python benchmarks/homogenization.py [--skip-throughput]`` (about 3 minutes).
"""

import argparse
import os
import platform

import numpy as np

from scalebridge.homogenization.cell import homogenize
from scalebridge.homogenization.microstructure import checkerboard, random_inclusions
from scalebridge.homogenization.resolution import checkerboard_corner_exponent, observed_order, richardson_extrapolate
from scalebridge.solvers.fft import solve_conductivity
from scalebridge.solvers.tensors import isotropic_stiffness
from timing import timed


CASES = [  # name, phases, properties, problem
    ("2-D conductivity 256^2", lambda: np.kron(random_inclusions(64, 0.3, 0.07, 2, seed=1), np.ones((4, 4), int)),
     np.array([0.2, 1.0]), "conductivity"),
    ("2-D elasticity 128^2", lambda: np.kron(random_inclusions(32, 0.3, 0.1, 2, seed=2), np.ones((4, 4), int)),
     isotropic_stiffness(np.array([4.0, 40.0]), np.array([1.5, 30.0]), dim=2), "elasticity"),
    ("3-D conductivity 24^3", lambda: np.kron(random_inclusions(8, 0.2, 0.2, 3, seed=2), np.ones((3, 3, 3), int)),
     np.array([1.0, 10.0]), "conductivity"),
    ("3-D conductivity 48^3", lambda: np.kron(random_inclusions(8, 0.2, 0.2, 3, seed=2), np.ones((6, 6, 6), int)),
     np.array([1.0, 10.0]), "conductivity"),
    ("3-D elasticity 12^3", lambda: np.kron(random_inclusions(6, 0.2, 0.25, 3, seed=2), np.ones((2, 2, 2), int)),
     isotropic_stiffness(np.array([4.0, 40.0]), np.array([1.5, 30.0])), "elasticity"),
]


def fft_vs_fe():
    print(f"{'case':<26}{'FFT [s]':>9}{'FE [s]':>9}{'FE/FFT':>8}{'rel. diff':>11}{'FFT iters':>10}")
    for name, make, props, problem in CASES:
        phases = make()
        t_fft, fft = timed(lambda: homogenize(phases, props, problem, method="fft", tol=1e-10))
        t_fe, fe = timed(lambda: homogenize(phases, props, problem, method="fe"))
        diff = np.max(np.abs(fft.effective - fe.effective)) / np.max(np.abs(fe.effective))
        print(f"{name:<26}{t_fft:>9.3f}{t_fe:>9.3f}{t_fe / t_fft:>8.1f}{diff:>11.2e}{int(fft.iterations.max()):>10d}")


def checkerboard_convergence(sizes=(32, 64, 128, 256, 512)):
    for contrast in (10.0, 100.0):
        exact, q = np.sqrt(contrast), 4 * checkerboard_corner_exponent(1.0, contrast)
        print(f"contrast {contrast:g}: 4 lambda = {q:.4f}")
        print(f"{'n':>6}{'spectral err':>14}{'discrete err':>14}{'discrete Richardson (n/2, n)':>30}")
        K = {op: np.array([solve_conductivity(checkerboard(n), [1.0, contrast], [[1.0, 0.0]], operator=op,
                                              tol=1e-12).mean_flux[0, 0] for n in sizes])
             for op in ("spectral", "discrete")}
        for i, n in enumerate(sizes):
            rich = richardson_extrapolate(K["discrete"][i - 1:i + 1], sizes[i - 1:i + 1], q) / exact - 1 if i else np.nan
            print(f"{n:>6}{K['spectral'][i] / exact - 1:>14.2e}{K['discrete'][i] / exact - 1:>14.2e}{rich:>30.2e}")
        for op in K:
            print(f"  observed order, {op}: {np.round(observed_order(K[op], sizes), 4).tolist()}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-throughput", action="store_true", help="only the FFT vs FE comparison")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print("\n== FFT vs FE on the same voxel microstructures ==")
    fft_vs_fe()
    print("\n== checkerboard (Keller 1964): resolution and extrapolation ==")
    checkerboard_convergence()
    if not args.skip_throughput:
        import sys

        import fft_throughput  # the sibling script, with its default sizes

        print("\n== FFT throughput, iterations vs contrast, memory ==")
        sys.argv = [fft_throughput.__file__]
        fft_throughput.main()


if __name__ == "__main__":
    main()
