"""FE² benchmark: micro-solve throughput, batching, workers, and a nonlinear FE² run.

Cases (2-D plane strain, 32^2-voxel cell with ~2,000 unknowns: 30 % elastic fibres in
an elastoplastic J2 matrix):

1. linear cell, one factorisation reused: apparent-stiffness solves per second
   (``homogenize(..., method="fe", loads=...)`` with B load cases);
2. nonlinear RVE updates per second: one batched call of B points vs B calls of one
   point, and 1 vs 2 worker processes (``OnTheFly`` + ``ProcessExecutor``);
3. a nonlinear FE² run (cantilever, ``fe2_solve`` with the RVE at every point, load
   increments): micro solves per second inside the run (``timings["micro_solves"]``:
   every macro Newton iteration re-solves every point from its committed state), and
   time per macro point per increment, extrapolated to 1,000 points x 20 increments.

Run: ``python benchmarks/fe2.py`` (about 2 minutes); ``python benchmarks/fe2.py --full``
adds the issue's full case, 1,000 macro points (50 x 5 quads, 32^2 RVEs) x 20
increments (about 25 minutes).
"""

import os
import sys
import platform

import numpy as np
import skfem

from scalebridge.core import ProcessExecutor
from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.cell import homogenize
from scalebridge.homogenization.microstructure import random_inclusions
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.solvers.tensors import isotropic_stiffness
from timing import timed

PHASES = random_inclusions(32, 0.3, 0.1, dim=2, seed=5)
MATRIX = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
FIBRE = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))


def linear_solves(B=200):
    C = isotropic_stiffness(np.array([58.3e9, 220e9]), np.array([26.9e9, 190e9]), dim=2)
    loads = np.random.default_rng(0).normal(scale=1e-3, size=(B, 3))
    t, _ = timed(lambda: homogenize(PHASES, C, "elasticity", method="fe", loads=loads))
    print(f"1. linear 32^2 cell (FE periodic, 1 factorisation, {B} load cases): {B / t:8.0f} solves/s")


def nonlinear_updates(B=24):
    rve = NonlinearCellModel(PHASES, [MATRIX, FIBRE], cell_size="20 um")
    E = np.tile([[4e-3, -1.5e-3, 0.0]], (B, 1)) * np.linspace(0.8, 1.2, B)[:, None]
    state = rve.initial_state(B)
    rve.evaluate({"strain": E[:1]}, rve.initial_state(1))  # warm the discretisation cache
    t_batch, _ = timed(lambda: rve.evaluate({"strain": E}, state))
    t_single, _ = timed(lambda: [rve.evaluate({"strain": E[i:i + 1]}, rve.initial_state(1)) for i in range(B)])
    pooled = OnTheFly(rve, ProcessExecutor(2), chunk_size=B // 2, cache=False)
    t_two, _ = timed(lambda: pooled.evaluate({"strain": E}, state))
    print(f"2. nonlinear 32^2 RVE, virgin points to 0.4 % strain (B = {B}):")
    print(f"   batched call, 1 process : {B / t_batch:6.1f} updates/s")
    print(f"   one call per point      : {B / t_single:6.1f} updates/s (batched / single = {t_single / t_batch:.2f})")
    print(f"   2 worker processes      : {B / t_two:6.1f} updates/s (speed-up {t_batch / t_two:.2f})")


def nonlinear_fe2(increments=3, nx=8, cell=PHASES, ny=2):
    rve = NonlinearCellModel(cell, [MATRIX, FIBRE], cell_size="20 um")
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, 0.1, nx + 1), np.linspace(0, 0.01, ny + 1))
    n_points = mesh.nelements * 4
    committed = {"state": rve.initial_state(n_points)}
    material = OnTheFly(rve, ProcessExecutor(2), chunk_size=n_points // 2, cache=False)
    t, sol = timed(lambda: fe2_solve(
        mesh, "mechanics", material, state=committed["state"], commit=lambda s: committed.update(state=s),
        dirichlet={(lambda x: np.isclose(x[0], 0.0)): {"x": 0.0, "y": 0.0}},
        neumann={(lambda x: np.isclose(x[0], 0.1)): [0.0, -4e6]}, load_steps=increments))
    per = t / (n_points * increments)
    print(f"   {n_points:4d} macro points x {increments} increments ({cell.shape[0]}^2 RVEs, 2 workers): "
          f"{t:6.1f} s, Newton iterations {sol.iterations}, {sol.timings['micro_solves']} micro solves "
          f"({sol.timings['micro_solves_per_second']:.1f}/s), {per * 1e3:.1f} ms per point-increment "
          f"-> 1,000 points x 20 increments ~ {per * 20_000 / 60:.1f} min (goal < 30 min)")
    return t


if __name__ == "__main__":
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    linear_solves()
    nonlinear_updates()
    print("3. nonlinear FE² cantilever, macro problem size vs time:")
    for nx, cell in ((4, PHASES[::2, ::2]), (8, PHASES[::2, ::2]), (16, PHASES[::2, ::2]), (8, PHASES)):
        nonlinear_fe2(nx=nx, cell=cell)
    if "--full" in sys.argv:
        print("4. the full case: 1,000 macro points x 20 increments, 32^2 RVEs")
        t = nonlinear_fe2(increments=20, nx=50, ny=5)
        print(f"   measured {t / 60:.1f} min (goal < 30 min)")
