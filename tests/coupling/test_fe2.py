"""FE²: the same macro code with a closed-form law, an on-the-fly fine model and an RVE."""

import numpy as np
import pytest
import skfem

from scalebridge.core import Evaluation, FunctionModel, InputError, Port, ProcessExecutor, Scale
from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.cell import CellModel, rve_model
from scalebridge.homogenization.microstructure import laminate

K0, A = 2.0, 0.5


def cubic_law(gradient):
    """q = k0 (1 + a |g|^2) g and its tangent k0 (1 + a |g|^2) I + 2 k0 a g g^T."""
    s = 1 + A * np.sum(gradient**2, axis=1)
    q = K0 * s[:, None] * gradient
    dq = K0 * (s[:, None, None] * np.eye(2) + 2 * A * np.einsum("pi,pj->pij", gradient, gradient))
    return {"flux": q}, {("flux", "gradient"): dq}


LAW = FunctionModel(cubic_law, {"gradient": Port("K/m", (2,))}, {"flux": Port("W/m^2", (2,))},
                    Scale("10 um", np.inf), "cubic law")
MESH = skfem.MeshQuad.init_tensor(np.linspace(0, 1, 9), np.linspace(0, 0.5, 5))
LEFT, RIGHT = (lambda x: np.isclose(x[0], 0)), (lambda x: np.isclose(x[0], 1))


def test_neumann_strip_matches_the_closed_form_gradient():
    """Uniform 1-D state: k0 (1 + a g^2) g = q0 has the single real root g (Cardano)."""
    q0 = 3.0
    sol = fe2_solve(MESH, "conduction", LAW, dirichlet={LEFT: 0.0}, neumann={RIGHT: q0}, load_steps=2)
    g = np.roots([K0 * A, 0.0, K0, -q0])
    g = float(g[np.isreal(g)].real[0])
    np.testing.assert_allclose(sol.gradients[:, 0], g, rtol=1e-9)
    np.testing.assert_allclose(sol.fluxes[:, 0], q0, rtol=1e-9)


def test_on_the_fly_fine_model_gives_the_same_macro_solution():
    """Concurrent (fine model per point, chunked over a process pool) == closed form."""
    bc = {"dirichlet": {LEFT: 0.0, RIGHT: 1.0}}
    direct = fe2_solve(MESH, "conduction", LAW, **bc)
    otf = OnTheFly(LAW, ProcessExecutor(2), chunk_size=40)
    concurrent = fe2_solve(MESH, "conduction", otf, **bc)
    np.testing.assert_allclose(concurrent.u, direct.u, rtol=1e-12, atol=1e-14)
    assert otf.statistics["fine_evaluations"] < otf.statistics["requests"]  # repeated states cached


def test_rve_material_equals_its_homogenized_law():
    """A laminate RVE behind upscale: the slab flux is the harmonic mean k_eff = 2 k1 k2/(k1 + k2) (Milton 2002)."""
    cell = CellModel(laminate(16, 0.5, axis=0), np.array([1.0, 10.0]), method="fft", cell_size="10 um",
                     property_unit="W/(m*K)", gradient_unit="K/m")
    point = rve_model(cell, scale=Scale("1 m", np.inf, "plate"))
    sol = fe2_solve(MESH, "conduction", point, dirichlet={LEFT: 0.0, RIGHT: 1.0})
    np.testing.assert_allclose(sol.fluxes[:, 0], 2 * 1.0 * 10.0 / 11.0, rtol=1e-9)
    assert sol.reactions[RIGHT] == pytest.approx(2 * 10.0 / 11.0 * 0.5, rel=1e-9)


def test_material_models_are_checked():
    no_tangent = FunctionModel(lambda gradient: {"flux": gradient}, {"gradient": Port("K/m", (2,))},
                               {"flux": Port("W/m^2", (2,))}, Scale(1, 1), "no tangent")
    with pytest.raises(InputError, match="no tangent"):
        fe2_solve(MESH, "conduction", no_tangent, dirichlet={LEFT: 0.0, RIGHT: 1.0})
    with pytest.raises(InputError, match="no port 'strain'"):
        fe2_solve(MESH, "mechanics", LAW, dirichlet={LEFT: 0.0})
    wrong_shape = FunctionModel(lambda gradient: ({"flux": gradient}, None), {"gradient": Port("K/m", (3,))},
                                {"flux": Port("W/m^2", (3,))}, Scale(1, 1), "3-D law")
    with pytest.raises(InputError, match=r"expected \(2,\)"):
        fe2_solve(MESH, "conduction", wrong_shape, dirichlet={LEFT: 0.0})


def test_linear_fe2_with_a_cell_solve_per_point_equals_single_scale_fe():
    """Plane-strain plate, random-fibre RVE solved by FFT at every macro quadrature point (true FE²)
    vs single-scale FE with the precomputed homogenised stiffness: equal to 1e-8 (issue 4)."""
    from scalebridge.homogenization.microstructure import random_inclusions
    from scalebridge.solvers.tensors import isotropic_stiffness

    phases = random_inclusions(32, 0.3, 0.1, dim=2, seed=5)
    stiffness = isotropic_stiffness(np.array([70e9, 220e9]), np.array([26e9, 180e9]), dim=2)
    live = CellModel(phases, stiffness, "elasticity", method="fft", tol=1e-12, property_unit="Pa", per_point=True)
    C = live.solution.effective
    law = FunctionModel(lambda strain: ({"stress": strain @ C.T}, {("stress", "strain"): np.broadcast_to(C, (len(strain), 3, 3))}),
                        {"strain": Port("", (3,))}, {"stress": Port("Pa", (3,))}, Scale("1 mm", np.inf), "homogenised")
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 2, 9), np.linspace(0, 1, 5))
    bc = {"dirichlet": {LEFT: {"x": 0.0, "y": 0.0}}, "neumann": {(lambda x: np.isclose(x[0], 2)): [1e7, -2e6]}}
    single = fe2_solve(mesh, "mechanics", law, **bc)
    fe2 = fe2_solve(mesh, "mechanics", rve_model(live, scale=Scale("1 m", np.inf, "plate")), **bc)
    np.testing.assert_allclose(fe2.u, single.u, rtol=1e-8, atol=1e-8 * np.abs(single.u).max())
    np.testing.assert_allclose(fe2.fluxes, single.fluxes, rtol=1e-8, atol=1e-8 * np.abs(single.fluxes).max())


def test_dask_local_cluster_gives_the_serial_fe2_solution():
    """The same on-the-fly FE² run on a LocalCluster with 2 workers is identical to serial (issue 4)."""
    distributed = pytest.importorskip("distributed")
    from scalebridge.core import DaskExecutor

    bc = {"dirichlet": {LEFT: 0.0, RIGHT: 1.0}}
    serial = fe2_solve(MESH, "conduction", OnTheFly(LAW, cache=False), **bc)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        dask = fe2_solve(MESH, "conduction", OnTheFly(LAW, DaskExecutor(client), chunk_size=30, cache=False), **bc)
    np.testing.assert_array_equal(dask.u, serial.u)
