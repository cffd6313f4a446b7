"""Reduced basis (POD–Galerkin) model of the 2x2 and 3x3 thermal blocks vs the full sparse direct solve.

Cases: thermal block with 4 and 9 conductivities in [0.1, 1] (``thermal_block(2, cells=144)``
and ``thermal_block(3, cells=144)``: P1 triangles, 20,449 unknowns each). Offline: weak greedy over 1,000 random training
parameters (seed 0) to a relative error bound of 1e-5. Online, on 100 independent random
test parameters (seed 1):

* max relative error ||u - u_N||_X / ||u||_X of the reduced solution vs the full solve
  (goal < 1e-5), and min / max effectivity Delta_N / ||u - u_N||_X (goal >= 1);
* time per parameter of the full solve (assembly of A(mu) + SuperLU factorisation and
  solve, ``scipy.sparse.linalg.splu`` with minimum-degree ordering of A + A^T) vs the
  online reduced solve + error bound, batched over the 100 parameters and one call per
  parameter; ratio full / online (goal >= 1000x).

BLAS is limited to one thread (``threadpoolctl``), so both sides run on one core
(SuperLU is single-threaded). Run: ``python benchmarks/reduction_rom.py [CELLS]`` (about a
minute per case at the default CELLS = 144; the online cost does not grow with CELLS, the full
solve does, so e.g. CELLS = 288, 82,369 unknowns, shows the ratio at a finer mesh).
"""

import os
import platform
import sys
import time

from threadpoolctl import threadpool_limits

from scalebridge.reduction import thermal_block, weak_greedy
from timing import timed


def main(blocks, cells=144, n_train=1000, n_test=100, tol=1e-5):
    problem = thermal_block(blocks, cells=cells)
    t0 = time.perf_counter()
    result = weak_greedy(problem, problem.sample(n_train, seed=0), tol=tol, max_size=200)
    t_offline = time.perf_counter() - t0
    model = result.model
    mu = problem.sample(n_test, seed=1)

    t_full, u = timed(lambda: problem.solve(mu), repeat=3)
    t_batch, sol = timed(lambda: model.solve(mu), repeat=5)
    t_single, _ = timed(lambda: [model.solve(m) for m in mu], repeat=5)
    err = problem.norm(u - model.reconstruct(sol.coefficients))
    rel, eff = err / problem.norm(u), sol.error_bound / err

    per = {k: t / n_test for k, t in (("full", t_full), ("batch", t_batch), ("single", t_single))}
    print(f"thermal block {blocks}x{blocks}: {problem.n} unknowns, {problem.n_parameters} parameters in [0.1, 1]; "
          f"offline greedy ({n_train} training parameters, tol {tol:g}): N = {model.size}, "
          f"{model.riesz_rank} orthonormal Riesz representers, {t_offline:.1f} s, converged {result.converged}")
    print(f"{'case (per parameter)':<48}{'time':>12}{'full / case':>14}")
    rows = (("full solve (SuperLU splu, MMD_AT_PLUS_A)", per["full"]),
            (f"online solve + bound, batched (B = {n_test})", per["batch"]),
            ("online solve + bound, one call per parameter", per["single"]))
    for name, t in rows:
        print(f"{name:<48}{t * 1e3:>9.4f} ms{per['full'] / t:>13.0f}x")
    print(f"test set of {n_test}: max relative error {rel.max():.2e} (goal < 1e-5), "
          f"effectivity min {eff.min():.2f} (goal >= 1), max {eff.max():.2f}")


if __name__ == "__main__":
    with threadpool_limits(limits=1):
        print(f"machine: {platform.machine()} {platform.python_version()}, {os.cpu_count()} CPUs, BLAS 1 thread")
        for blocks in (2, 3):
            main(blocks, cells=int(sys.argv[1]) if len(sys.argv) > 1 else 144)
