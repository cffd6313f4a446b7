"""Homogenization benchmark: FFT vs finite elements, FFT throughput, iterations vs contrast, memory.

Part 1 (here): the FFT (discrete operator, CG) and FE (periodic, direct sparse LU) cell
solvers on the *same* voxel microstructures in 2-D and 3-D: wall time of each, the
ratio FE / FFT, and their relative difference in the effective tensor.
Parts 2-4 (from ``fft_throughput.py``, which can also be run alone): FFT throughput in
voxel·iterations/s for 3-D conductivity and elasticity, CG vs basic iteration counts
at contrast 10/100/1000, and memory per voxel.

Run: ``python benchmarks/homogenization.py [--skip-throughput]`` (about 3 minutes).
"""

import argparse
import os
import platform

import numpy as np

from scalebridge.homogenization.cell import homogenize
from scalebridge.homogenization.microstructure import random_inclusions
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-throughput", action="store_true", help="only the FFT vs FE comparison")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print("\n== FFT vs FE on the same voxel microstructures ==")
    fft_vs_fe()
    if not args.skip_throughput:
        import sys

        import fft_throughput  # the sibling script, with its default sizes

        print("\n== FFT throughput, iterations vs contrast, memory ==")
        sys.argv = [fft_throughput.__file__]
        fft_throughput.main()


if __name__ == "__main__":
    main()
