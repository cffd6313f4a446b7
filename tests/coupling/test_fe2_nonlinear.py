"""Nonlinear FE²: elastoplastic composite RVEs at every macro point."""

import numpy as np
import skfem

from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.microstructure import random_inclusions
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.solvers.tensors import isotropic_stiffness

MATRIX = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
FIBRE = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))
CLAMP, END = (lambda x: np.isclose(x[0], 0.0)), (lambda x: np.isclose(x[0], 0.1))


def run(loads, yield_stress=MATRIX["yield_stress"]):
    matrix = {**MATRIX, "yield_stress": yield_stress}
    rve = NonlinearCellModel(random_inclusions(16, 0.3, 0.15, dim=2, seed=5), [matrix, FIBRE], cell_size="20 um")
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, 0.1, 7), np.linspace(0, 0.01, 3))
    committed = {"state": rve.initial_state(mesh.nelements * 4), "commits": 0}

    def commit(state):
        committed.update(state=state, commits=committed["commits"] + 1)

    sol = fe2_solve(mesh, "mechanics", OnTheFly(rve, cache=False), state=committed["state"], commit=commit,
                    dirichlet={CLAMP: {"x": 0.0, "y": 0.0}}, neumann={END: [0.0, -4e6]}, load_steps=loads)
    return sol, committed


def test_macro_newton_converges_quadratically_with_condensed_rve_tangents():
    """Consistent (condensed) RVE tangents give quadratic macro Newton convergence
    (Kouznetsova et al. 2001; Miehe & Koch 2002): r_{k+1} <= C r_k^2 in the plastic steps."""
    sol, committed = run([0.5, 1.0])
    assert committed["commits"] == 2
    assert max(sol.iterations) >= 2  # plastic: Newton had work to do
    for history in sol.residuals:
        r = np.asarray(history, dtype=float)
        r = r[r > 1e-9 * r.max()] / r.max()  # above round-off
        if r.size >= 3:
            ratios = r[2:] / r[1:-1] ** 2
            assert np.all(ratios < 1e3), ratios  # quadratic; a linear rate would blow this up
    assert np.max(committed["state"]["alpha"]) > 0  # the matrix yielded somewhere
    n_points = len(sol.weights)  # one micro solve per point per material call, no cache
    assert sol.timings["micro_solves"] == sol.timings["material_calls"] * n_points
    assert sol.timings["fine_evaluations"] == sol.timings["micro_solves"] and sol.timings["cache_hits"] == 0
    assert sol.timings["micro_solves_per_second"] > 0


def test_unloading_leaves_residual_deflection():
    """Load into plasticity and unload to zero force: a permanent deflection remains (measured
    3.5e-6 m after 7.0e-4 m loaded), while the same path with a yield stress of 1e15 Pa returns to 0."""
    plastic, committed = run([0.5, 1.0, 0.5, 0.0])
    elastic, _ = run([0.5, 1.0, 0.5, 0.0], yield_stress=1e15)
    assert committed["commits"] == 4
    assert np.abs(plastic.u).max() > 1e-6
    assert np.abs(elastic.u).max() < 1e-4 * np.abs(plastic.u).max()
