"""Macro finite-element engine (solve_macro): patch tests, closed forms, Newton rates, history, cut-back.

References: patch test, Zienkiewicz & Taylor, *The Finite Element Method* vol. 1 (2000),
ch. 10; Kirchhoff transform of k(u) conduction, Carslaw & Jaeger, *Conduction of Heat
in Solids* (1959), sec. 1.7; Newton rates, Wriggers, *Nonlinear Finite Element Methods*
(2008), ch. 5; radial return in 1-D, de Souza Neto, Peric & Owen, *Computational
Methods for Plasticity* (2008), sec. 7.3.
"""

import numpy as np
import pytest
import skfem

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.fem import solve_macro
from scalebridge.solvers.tensors import isotropic_stiffness, to_mandel



def left(x):
    return np.isclose(x[0], 0.0)


def everywhere(x):
    return np.ones(x.shape[1], dtype=bool)


def linear(D):
    """Linear material q = D g (same tangent at every point)."""
    def material(g, state, step):
        return g @ D.T, np.broadcast_to(D, (len(g),) + D.shape), None
    return material


def distorted(mesh_type, n=4, dim=2, seed=0):
    """Unit square/cube mesh with randomly moved interior nodes (a genuine patch)."""
    mesh = mesh_type.init_tensor(*[np.linspace(0.0, 1.0, n + 1)] * dim)
    p = mesh.p.copy()
    interior = np.setdiff1d(np.arange(p.shape[1]), mesh.boundary_nodes())
    p[:, interior] += np.random.default_rng(seed).uniform(-0.3, 0.3, (dim, interior.size)) / n
    return type(mesh)(p, mesh.t)


@pytest.mark.parametrize("mesh_type", [skfem.MeshTri, skfem.MeshQuad])
def test_conduction_patch_test_is_exact(mesh_type):
    mesh = distorted(mesh_type)
    D = np.array([[2.0, 0.5], [0.5, 1.0]])
    a, b = 0.3, np.array([1.0, -2.0])
    sol = solve_macro(mesh, "conduction", linear(D), dirichlet={everywhere: lambda x: a + b @ x})
    np.testing.assert_allclose(sol.u, a + b @ mesh.p, atol=1e-10)
    np.testing.assert_allclose(sol.gradients, np.tile(b, (len(sol.gradients), 1)), atol=1e-10)
    np.testing.assert_allclose(sol.fluxes, np.tile(D @ b, (len(sol.fluxes), 1)), atol=1e-10)
    assert sol.iterations.tolist() == [0]  # linear material: the tangent predictor is the solution
    assert np.isclose(sol.weights.sum(), 1.0)


@pytest.mark.parametrize("mesh_type,dim", [(skfem.MeshTri, 2), (skfem.MeshQuad, 2), (skfem.MeshTet, 3),
                                           (skfem.MeshHex, 3)])
def test_mechanics_patch_test_is_exact(mesh_type, dim):
    mesh = distorted(mesh_type, n=3 if dim == 3 else 4, dim=dim)
    C = isotropic_stiffness(5.0, 2.0, dim)
    A = np.random.default_rng(1).normal(size=(dim, dim)) * 1e-2
    c = np.arange(1.0, dim + 1) * 1e-3
    sol = solve_macro(mesh, "mechanics", linear(C), dirichlet={everywhere: lambda x: A @ x + c[:, None]})
    u = sol.u[sol.basis.nodal_dofs]
    np.testing.assert_allclose(u, A @ mesh.p + c[:, None], atol=1e-10)
    strain = to_mandel(0.5 * (A + A.T))
    np.testing.assert_allclose(sol.gradients, np.tile(strain, (len(sol.gradients), 1)), atol=1e-10)
    np.testing.assert_allclose(sol.fluxes, np.tile(C @ strain, (len(sol.fluxes), 1)), atol=1e-10)


def test_uniaxial_bar_with_traction_gives_sigma_equal_t():
    """Plane strain bar, ux = 0 on the left, one node pinned in y, traction t on the right: sigma = t exactly."""
    L, H, t, E, nu = 4.0, 1.0, 3.0, 200.0, 0.3
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, L, 9), np.linspace(0, H, 3)).to_meshtri()
    K, G = E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))
    sol = solve_macro(mesh, "mechanics", linear(isotropic_stiffness(K, G, 2)),
                      dirichlet={left: {"x": 0.0}, (lambda x: np.isclose(x[0], 0) & np.isclose(x[1], 0)): (None, 0.0)},
                      neumann={lambda x: np.isclose(x[0], L): (t, 0.0)}, load_steps=2)
    np.testing.assert_allclose(sol.fluxes, np.tile([t, 0.0, 0.0], (len(sol.fluxes), 1)), atol=1e-10)
    ux = sol.u[sol.basis.nodal_dofs[0]]
    np.testing.assert_allclose(ux, t * (1 - nu ** 2) / E * mesh.p[0], atol=1e-12)  # plane strain modulus
    np.testing.assert_allclose(sol.reactions[left], [-t * H, 0.0], atol=1e-10)
    np.testing.assert_allclose(sol.load_factors, [0.5, 1.0])


# ---- nonlinear conduction k(u) = k0 (1 + beta u), Kirchhoff transform ----------------------------------
K0, BETA, LENGTH, U1 = 1.0, 2.0, 1.0, 1.0


def kirchhoff_exact(x):
    """theta = u + beta u^2 / 2 is linear in x (Carslaw & Jaeger 1959, sec. 1.7): invert the quadratic."""
    theta = (U1 + BETA * U1 ** 2 / 2) * x / LENGTH
    return (np.sqrt(1 + 2 * BETA * theta) - 1) / BETA


def k_of_u(consistent):
    def material(g, state, step):
        k = K0 * (1 + BETA * step.u[:, 0])
        out = (k[:, None] * g, k[:, None, None] * np.eye(2), None)
        return out + (K0 * BETA * g,) if consistent else out  # d q / d u completes the Jacobian
    return material


def solve_strip(n, consistent=True, **kw):
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, LENGTH, n + 1), np.linspace(0, 0.1, 3))
    return mesh, solve_macro(mesh, "conduction", k_of_u(consistent),
                             dirichlet={left: 0.0, lambda x: np.isclose(x[0], LENGTH): U1}, **kw)


def test_nonlinear_conduction_converges_to_the_kirchhoff_solution():
    errors = []
    for n in (4, 8, 16, 32):
        mesh, sol = solve_strip(n)
        u_qp = np.asarray(sol.basis.interpolate(sol.u)).ravel()      # L2 error at the quadrature points
        errors.append(np.sqrt(sol.weights @ (u_qp - kirchhoff_exact(sol.points[:, 0])) ** 2 / sol.weights.sum()))
    rates = np.log2(np.array(errors[:-1]) / errors[1:])
    # measured RMS errors 9.1e-3, 2.5e-3, 6.5e-4, 1.66e-4 (rates 1.86, 1.94, 1.97: second order)
    assert errors[-1] < 2e-4 and np.all(rates > 1.8), (errors, rates)
    # exact flux k du/dx = k0 theta(1) / L at both ends, times the strip height
    np.testing.assert_allclose(list(sol.reactions.values()), [-0.2, 0.2], rtol=1e-8)


def test_newton_is_quadratic_with_the_consistent_tangent_and_linear_without():
    _, good = solve_strip(16, newton_tol=1e-13)
    _, bad = solve_strip(16, consistent=False, newton_tol=1e-13, max_newton=60)
    r = good.residuals[0]
    resolved = r[1:] > 1e-11                       # above the round-off floor
    quadratic = r[1:][resolved] / r[:-1][resolved] ** 2
    assert good.iterations[0] <= 5 and np.all(quadratic < 20), r
    rb = bad.residuals[0]
    linear_ratio = rb[1:] / rb[:-1]
    assert bad.iterations[0] >= 3 * good.iterations[0]
    assert np.all(linear_ratio[2:8] > 0.05)       # a fixed fraction per iteration, not squaring
    assert np.max(rb[1:8] / rb[:7] ** 2) > 1e3    # r_{k+1}/r_k^2 blows up: not quadratic
    np.testing.assert_allclose(bad.u, good.u, atol=1e-10)


# ---- history: 1-D elastoplastic bar with linear isotropic hardening ------------------------------------
E_MOD, SIGMA_Y, H_MOD = 100.0, 1.0, 10.0


def bar_plasticity(g, state, step):
    """Radial return on the x component (bar axis), elastic in y; state = (plastic strain, hardening)."""
    ep, alpha = (np.zeros(len(g)), np.zeros(len(g))) if state is None else state
    trial = E_MOD * (g[:, 0] - ep)
    f = np.abs(trial) - (SIGMA_Y + H_MOD * alpha)
    dgamma = np.where(f > 0, f / (E_MOD + H_MOD), 0.0)
    sign = np.sign(trial)
    q = np.stack([trial - E_MOD * dgamma * sign, E_MOD * g[:, 1]], axis=1)
    C = np.zeros((len(g), 2, 2))
    C[:, 0, 0] = np.where(f > 0, E_MOD * H_MOD / (E_MOD + H_MOD), E_MOD)
    C[:, 1, 1] = E_MOD
    return q, C, (ep + dgamma * sign, alpha + dgamma)


def test_state_is_committed_only_at_converged_steps_and_residual_strain_matches():
    mesh = skfem.MeshQuad.init_tensor(np.linspace(0, 2.0, 9), np.linspace(0, 0.2, 2))
    seen, commits = [], []

    def material(g, state, step):
        seen.append((step.index, state))
        return bar_plasticity(g, state, step)

    sigma_max = 1.5 * SIGMA_Y
    path = [0.25, 0.5, 0.75, 1.0, 0.5, 0.0]
    sol = solve_macro(mesh, "conduction", material, dirichlet={left: 0.0},
                      neumann={lambda x: np.isclose(x[0], 2.0): sigma_max}, load_steps=path, commit=commits.append)
    assert len(commits) == len(path) and np.allclose(sol.load_factors, path)
    for index, state in seen:  # every call of step i saw the state committed after step i-1
        assert state is (None if index == 0 else commits[index - 1])
    assert sol.state is commits[-1]
    # hand calculation: eps_p = (sigma_max - sigma_y) / H, then elastic unloading to zero stress
    eps_p = (sigma_max - SIGMA_Y) / H_MOD
    np.testing.assert_allclose(sol.gradients[:, 0], eps_p, atol=1e-10)
    np.testing.assert_allclose(sol.fluxes, 0.0, atol=1e-10)
    np.testing.assert_allclose(sol.u.max(), eps_p * 2.0, rtol=1e-10)
    np.testing.assert_allclose(commits[3][0], eps_p, rtol=1e-10)  # at the peak


# ---- cut-back and failures ----------------------------------------------------------------------------
def fragile(g, state, step):
    """Linear, but its 'local integrator' fails (NaN) when a point's gradient moves by > 0.3 in one step."""
    ref = np.zeros_like(g) if state is None else state
    q = 2.0 * g
    q[np.abs(g - ref).max(axis=1) > 0.3] = np.nan
    return q, np.broadcast_to(2.0 * np.eye(2), (len(g), 2, 2)), g.copy()


def test_cutback_reaches_the_solution_with_smaller_steps():
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 6), np.linspace(0, 0.2, 2))
    right = lambda x: np.isclose(x[0], 1.0)  # noqa: E731
    sol = solve_macro(mesh, "conduction", fragile, dirichlet={left: 0.0, right: 1.0})
    assert sol.cutbacks == 2 and len(sol.failures) == 2
    np.testing.assert_allclose(sol.load_factors, [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(sol.u, mesh.p[0], atol=1e-12)
    with pytest.raises(ConvergenceError, match="load factor 0.5"):
        solve_macro(mesh, "conduction", fragile, dirichlet={left: 0.0, right: 1.0}, max_cutbacks=1)


def test_material_convergence_error_cuts_the_step_back():
    """A material that raises ConvergenceError (a micro Newton that fails on too large an
    increment) fails the macro step like a NaN does: the step is halved and retried."""
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 6), np.linspace(0, 0.2, 2))
    right = lambda x: np.isclose(x[0], 1.0)  # noqa: E731

    def micro_newton(g, state, step):
        q, C, new = fragile(g, state, step)
        if np.isnan(q).any():
            raise ConvergenceError("micro Newton did not converge")
        return q, C, new

    sol = solve_macro(mesh, "conduction", micro_newton, dirichlet={left: 0.0, right: 1.0})
    assert sol.cutbacks == 2 and "micro Newton did not converge" in sol.failures[0]
    np.testing.assert_allclose(sol.u, mesh.p[0], atol=1e-12)


def test_failed_newton_attempt_is_never_committed():
    """The two failed attempts (to 1.0 and 0.5) leave no trace: every material call sees the
    state of the last *converged* step, and exactly the four converged steps are committed
    (state = gradient there: (t, 0) at load factor t)."""
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 6), np.linspace(0, 0.2, 2))
    right = lambda x: np.isclose(x[0], 1.0)  # noqa: E731
    calls, commits = [], []

    def recording(g, state, step):
        calls.append((step.load_factor, state))
        return fragile(g, state, step)

    sol = solve_macro(mesh, "conduction", recording, dirichlet={left: 0.0, right: 1.0}, commit=commits.append)
    assert sol.cutbacks == 2 and len(commits) == 4
    for t, state in zip(sol.load_factors, commits):
        np.testing.assert_allclose(state, np.tile([t, 0.0], (len(state), 1)), atol=1e-12)
    attempted = {t for t, state in calls if state is None}
    assert {1.0, 0.5, 0.25} <= attempted  # the failed attempts ran from the initial state
    converged = [None] + commits
    for load_factor, state in calls:  # every call saw a committed state, never a failed trial's
        assert any(state is c for c in converged)


def test_nan_material_names_the_bad_points():
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 4), np.linspace(0, 1, 4))

    def poisoned(g, state, step):
        q = g.copy()
        if step.load_factor > 0:
            q[[3, 17]] = np.nan
        return q, np.broadcast_to(np.eye(2), (len(g), 2, 2)), None

    with pytest.raises(ConvergenceError, match=r"batch indices \[3, 17\]"):
        solve_macro(mesh, "conduction", poisoned, dirichlet={left: 1.0}, max_cutbacks=1)


def test_input_validation():
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
    good = linear(np.eye(2))
    with pytest.raises(InputError, match="problem"):
        solve_macro(mesh, "diffusion", good)
    with pytest.raises(InputError, match=r"flux: expected shape \(24, 2\).*got \(24, 3\)"):
        solve_macro(mesh, "conduction", lambda g, s, t: (np.zeros((len(g), 3)), np.zeros((len(g), 2, 2)), None),
                    dirichlet={left: 0.0})
    with pytest.raises(InputError, match="unknown boundary name 'top'"):
        solve_macro(mesh, "conduction", good, dirichlet={"top": 0.0})
    with pytest.raises(InputError, match="picks no boundary node"):
        solve_macro(mesh, "conduction", good, dirichlet={lambda x: x[0] > 5: 0.0})
    with pytest.raises(InputError, match="boolean mask"):
        solve_macro(mesh, "conduction", good, dirichlet={lambda x: x[0]: 0.0})
    with pytest.raises(InputError, match="component 'q'"):
        solve_macro(mesh, "mechanics", linear(np.eye(3)), dirichlet={left: {"q": 0.0}})
    with pytest.raises(InputError, match="MeshTri2"):
        solve_macro(skfem.MeshTri2.init_circle(), "conduction", good)
    named = mesh.with_defaults()
    sol = solve_macro(named, "conduction", good, dirichlet={"left": 0.0, "right": 1.0})
    np.testing.assert_allclose(sol.u, named.p[0], atol=1e-12)
