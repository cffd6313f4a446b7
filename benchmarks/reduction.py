"""Model reduction benchmark: surrogates, adaptive FE² and the reduced basis ROM.

1. Surrogate vs fine model, cost per evaluation: the effective conductivity of a
   periodic disc array from an FFT cell solve (64^2 voxels, interface voxels with their
   partial volume, so the response is smooth in f; CG, discrete operator) vs a
   Gaussian process and a degree-6 PCE fitted to 64 Sobol' points of (volume fraction,
   contrast), evaluated on a batch of 1,000 points; cross-validated error.
2. Adaptive vs on-the-fly FE²: nonlinear conduction on the L-shaped domain (3 refinements,
   1,152 quadrature points), 12^2-voxel nonlinear cell at every point: cell solves,
   time and the macro error of the adaptive run against the on-the-fly one.
3. ROM online vs full solve (``benchmarks/reduction_rom.py``): 3x3 thermal block at
   20,449 unknowns.

Run: ``python benchmarks/reduction.py`` (about 3 minutes).
"""

import os
import platform

import numpy as np
import skfem
from scipy.stats import qmc

import reduction_rom
from scalebridge.core import FunctionModel, Port, Scale
from scalebridge.coupling.adaptive import Adaptive
from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.cell import homogenize
from scalebridge.homogenization.microstructure import random_inclusions
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.reduction import cross_validate, fit_surrogate
from scalebridge.reduction.surrogate import GaussianProcessSurrogate
from timing import timed


def disc_phases(n, f, supersample=8, levels=64):
    """Centred disc of area fraction f on n^2 voxels, interface voxels as partial-volume phases
    (id = round(levels * fraction inside)), so the cell response is smooth in f."""
    x = (np.arange(n * supersample) + 0.5) / (n * supersample) - 0.5
    inside = (x[:, None] ** 2 + x[None, :] ** 2) < f / np.pi
    fraction = inside.reshape(n, supersample, n, supersample).mean(axis=(1, 3))
    return np.rint(levels * fraction).astype(int)


def disc_array(volume_fraction, contrast, n=64, levels=64):
    """FFT cell solve per point: K_xx of a square array of discs (matrix 1, disc = contrast), with
    composite interface voxels of arithmetic-mean conductivity."""
    k = np.empty(len(volume_fraction))
    for i, (f, c) in enumerate(zip(volume_fraction, contrast)):
        props = 1.0 + (c - 1.0) * np.arange(levels + 1) / levels
        k[i] = homogenize(disc_phases(n, f), props, "conductivity", method="fft", loads=[[1.0, 0.0]]).effective[0, 0]
    return {"conductivity": k}


def surrogate_cost():
    fine = FunctionModel(disc_array, {"volume_fraction": Port(""), "contrast": Port("")},
                         {"conductivity": Port("W/(m*K)")}, Scale("10 um", np.inf, "cell"), "FFT disc array")
    bounds = {"volume_fraction": (0.05, 0.45), "contrast": (2.0, 50.0)}
    rng = np.random.default_rng(1)
    batch = {"volume_fraction": rng.uniform(0.05, 0.45, 1000), "contrast": np.exp(rng.uniform(np.log(2), np.log(50), 1000))}
    t_fine, _ = timed(lambda: fine.evaluate({k: v[:20] for k, v in batch.items()}))
    per_fine = t_fine / 20
    print("1. surrogate vs fine model (effective conductivity of a disc array, FFT 64^2 per point)")
    print(f"   {'model':<28}{'s / evaluation':>16}{'fine / model':>14}{'5-fold CV rel. error rms / max':>32}")
    print(f"   {'FFT cell solve':<28}{per_fine:>16.2e}{1.0:>14.0f}")
    for kind, options in (("gp", {}), ("pce", {"degree": 6})):
        t_fit, model = timed(lambda: fit_surrogate(fine, kind, bounds, n=64, log_inputs=["contrast"], **options))
        cv = cross_validate(model, *model.training_set, k=5)
        t, _ = timed(lambda: model.evaluate(batch))
        per = t / 1000
        print(f"   {kind.upper() + f' (fit {t_fit:.1f} s)':<28}{per:>16.2e}{per_fine / per:>14.0f}"
              f"{cv.rms_relative_error['conductivity']:>23.1e} / {cv.max_relative_error['conductivity']:.1e}")


def adaptive_fe2(tolerance=1e-2):
    cell = NonlinearCellModel(random_inclusions(12, 0.3, 0.2, dim=2, seed=1),
                              [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=10.0, nonlinearity=0.0)],
                              problem="conduction", cell_size="20 um")
    mesh = skfem.MeshTri.init_lshaped().refined(3)
    bc = {"dirichlet": {(lambda x: np.isclose(x[0], -1)): 0.0, (lambda x: np.isclose(x[1], 1)): 1.0}}
    t_ref, ref = timed(lambda: fe2_solve(mesh, "conduction", OnTheFly(cell, cache=False), **bc))
    initial = {"gradient": qmc.scale(qmc.Sobol(2, seed=0).random(16), [-3, -3], [3, 3])}
    strategy = Adaptive(cell, GaussianProcessSurrogate(cell), tolerance, initial=initial)
    t_ad, sol = timed(lambda: fe2_solve(mesh, "conduction", strategy, newton_tol=1e-7, **bc))
    n_ref, n_ad = ref.timings["micro_solves"], strategy.statistics["fine_evaluations"]
    error = np.abs(sol.u - ref.u).max() / np.abs(ref.u).max()
    flow = [sum(abs(r) for r in s.reactions.values()) for s in (sol, ref)]
    print(f"2. adaptive vs on-the-fly FE² ({len(ref.weights)} macro points, 12^2 nonlinear cells, tolerance {tolerance:g})")
    print(f"   on the fly: {n_ref:6d} cell solves, {t_ref:6.1f} s")
    print(f"   adaptive  : {n_ad:6d} cell solves, {t_ad:6.1f} s ({strategy.statistics['refits']} GP refits): "
          f"{n_ref / n_ad:.0f}x fewer solves, {t_ref / t_ad:.1f}x faster; max |dT| / max T = {error:.1e}, "
          f"heat flow {flow[0] / flow[1] - 1:+.1e}")


if __name__ == "__main__":
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    surrogate_cost()
    adaptive_fe2()
    print("3. reduced basis ROM (benchmarks/reduction_rom.py)")
    reduction_rom.main()
