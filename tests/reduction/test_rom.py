"""POD–Galerkin reduced basis model on the thermal block: accuracy, rigorous error bound, POD, greedy, bad input.

References: thermal block and min-theta coercivity bound, Patera & Rozza (2007), *Reduced
Basis Approximation and A Posteriori Error Estimation for Parametrized PDEs*, MIT;
Haasdonk (2017), "Reduced basis methods for parametrized PDEs — a tutorial"; stable
residual norm, Buhr, Engwer, Ohlberger & Rave (2014), WCCM XI; torsion function of the
unit square, Timoshenko & Goodier (1951), *Theory of Elasticity*, sec. 93
(max of u for -lap u = 1, u = 0 on the boundary: 0.0736713).
"""

import numpy as np
import pytest
import skfem
from skfem.helpers import dot, grad

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.reduction import AffineProblem, ReducedModel, pod, thermal_block, weak_greedy


def truth_errors(problem, model, mu):
    """Relative X-norm errors and effectivities of the ROM against independent full sparse-LU solves."""
    u = problem.solve(mu)
    sol = model.solve(mu)
    err = problem.norm(u - model.reconstruct(sol.coefficients))
    return err / problem.norm(u), sol.error_bound / err, sol


def test_thermal_block_operator_matches_a_direct_piecewise_conductivity_assembly():
    """A(mu) = sum_q mu_q A_q equals an independent assembly with k(x) piecewise constant per block."""
    problem = thermal_block(3, cells=12)
    mu = problem.sample(1, seed=3)[0]

    @skfem.BilinearForm
    def conduction(u, v, w):
        ij = np.minimum((w.x * 3).astype(int), 2)
        return mu[ij[0] + 3 * ij[1]] * dot(grad(u), grad(v))

    K = skfem.asm(conduction, problem.basis)[problem.free_dofs][:, problem.free_dofs]
    assert abs(K - problem.operator(mu)).max() < 1e-13 * abs(K).max()


def test_uniform_conductivity_gives_the_torsion_function_of_the_square():
    """mu = 1 everywhere: -lap u = 1 on the unit square; centre value 0.0736713 (Timoshenko & Goodier)."""
    problem = thermal_block(2, cells=64)
    u = problem.full_field(problem.solve(np.full(4, 0.5)))[0]  # u(mu = 0.5) = 2 u(mu = 1)
    centre = np.flatnonzero(np.all(np.isclose(problem.basis.mesh.p, 0.5), axis=0))
    assert abs(u[centre][0] / 2 - 0.0736713) < 1e-3 * 0.0736713


@pytest.mark.parametrize("blocks,cells,tol", [(2, 32, 1e-6), (3, 24, 1e-5)])
def test_greedy_rom_is_accurate_and_the_bound_is_rigorous_on_100_random_parameters(blocks, cells, tol):
    """Max relative X-error < 1e-5 vs the full model and 1 <= Delta / error <= gamma / alpha_LB on 100 seeded
    test parameters (continuity gamma <= max mu, alpha_LB = min mu: Haasdonk 2017, effectivity bound)."""
    problem = thermal_block(blocks, cells=cells)
    result = weak_greedy(problem, problem.sample(500, seed=0), tol=tol, max_size=120)
    assert result.converged
    mu = problem.sample(100, seed=1)
    rel, effectivity, _ = truth_errors(problem, result.model, mu)
    assert rel.max() < 1e-5
    assert rel.min() > 1e-10  # errors well above round-off: the effectivities below are meaningful
    assert effectivity.min() >= 1.0
    assert np.all(effectivity <= mu.max(axis=1) / mu.min(axis=1))


def test_effectivity_at_least_one_at_every_basis_size():
    """Delta_N(mu) >= ||u - u_N||_X for N = 0..N_max (hierarchical basis), on all test parameters."""
    problem = thermal_block(3, cells=24)
    model = weak_greedy(problem, problem.sample(200, seed=2), tol=1e-4).model
    mu = problem.sample(30, seed=4)
    u = problem.solve(mu)
    for N in range(model.size + 1):
        sol = model.solve(mu, size=N)
        err = problem.norm(u - model.reconstruct(sol.coefficients))
        assert np.all(sol.error_bound >= err), N


def test_reduced_solution_reproduces_a_basis_snapshot():
    """At a snapshot parameter the Galerkin solution is the snapshot (best approximation); estimate ~ 0."""
    problem = thermal_block(3, cells=18)
    mu = problem.sample(6, seed=5)
    snapshots = problem.solve(mu)
    model = ReducedModel(problem, basis=snapshots)
    assert model.size == 6
    np.testing.assert_allclose(model.basis @ problem.inner_product @ model.basis.T, np.eye(6), atol=1e-12)
    sol = model.solve(mu)
    rel = problem.norm(snapshots - model.reconstruct(sol.coefficients)) / problem.norm(snapshots)
    assert rel.max() < 1e-10
    assert np.all(sol.relative_error_bound < 1e-9)


def test_residual_norm_matches_the_direct_dual_norm_below_the_gram_round_off_limit():
    """||r||_X' from the orthonormalised representers equals sqrt(r^T X^-1 r) with full vectors,
    also where ||r|| / ||f|| < 1e-8 (the standard Gram formula has no correct digit there; Buhr et al. 2014)."""
    problem = thermal_block(2, cells=16)
    model = weak_greedy(problem, problem.sample(300, seed=6), tol=1e-9, max_size=100).model
    mu = problem.sample(40, seed=7)
    sol = model.solve(mu)
    f = problem.load(mu)
    r = f - np.stack([problem.operator(m) @ u for m, u in zip(mu, model.reconstruct(sol.coefficients))])
    direct = np.sqrt(np.einsum("bi,bi->b", r, problem.riesz(r.T).T))
    assert (direct / problem.norm(problem.riesz(f.T).T)).max() < 1e-8  # the hard regime is reached
    np.testing.assert_allclose(sol.residual_norm, direct, rtol=1e-4)


def test_pod_of_a_rank_k_snapshot_set_returns_k_modes():
    """Snapshots that are combinations of k = 4 vectors give exactly 4 X-orthonormal modes spanning them."""
    problem = thermal_block(2, cells=16)
    rng = np.random.default_rng(8)
    snapshots = rng.normal(size=(30, 4)) @ rng.normal(size=(4, problem.n))
    modes, sigma = pod(snapshots, problem.inner_product, tol=1e-12)
    assert modes.shape == (4, problem.n)
    assert sigma[3] > 1e-3 * sigma[0] and sigma[4] < 1e-6 * sigma[0]
    X = problem.inner_product
    np.testing.assert_allclose(modes @ X @ modes.T, np.eye(4), atol=1e-12)
    projected = (snapshots @ X @ modes.T) @ modes
    assert problem.norm(snapshots - projected).max() < 1e-10 * problem.norm(snapshots).max()


def test_pod_of_the_one_block_problem_has_one_mode_and_the_energy_criterion_counts_modes():
    """One block: u(mu) = u(1) / mu, a one-dimensional manifold. Energy criterion on a known spectrum."""
    problem = thermal_block(1, cells=16)
    snapshots = problem.solve(problem.sample(12, seed=9))
    modes, _ = pod(snapshots, problem.inner_product)
    assert modes.shape[0] == 1
    # Euclidean POD of diag-like snapshots with energies 1, 1e-2, 1e-4, 1e-6: tail after k modes known exactly
    S = np.diag(np.sqrt([1.0, 1e-2, 1e-4, 1e-6]))
    total = 1 + 1e-2 + 1e-4 + 1e-6
    for tol, k in ((2e-2, 1), (1e-3, 2), (1e-5, 3), (1e-7, 4)):
        assert pod(S, tol=tol)[0].shape[0] == k, (tol, (1e-2 + 1e-4 + 1e-6) / total)


def test_greedy_estimates_decrease_and_progress_is_reported():
    """The largest training bound falls by orders of magnitude to tol (the weak greedy is not monotone
    in theory, so only a bounded step-to-step increase is allowed); the energy error at a fixed
    parameter never increases with N (Galerkin = best approximation in the mu-energy norm)."""
    problem = thermal_block(3, cells=12)
    seen = []
    result = weak_greedy(problem, problem.sample(300, seed=10), tol=1e-5, progress=seen.append)
    est = result.max_estimates
    assert np.isinf(est[0]) and est[-1] <= 1e-5 < est[1] * 1e-3
    assert np.all(np.diff(np.log(est[1:])) < np.log(2.0))
    assert [s["size"] for s in seen] == list(range(result.model.size + 1))
    assert len(result.parameters) == result.model.size
    mu = problem.sample(1, seed=11)
    u, A = problem.solve(mu)[0], problem.operator(mu[0])
    energy = []
    for N in range(result.model.size + 1):
        e = u - result.model.reconstruct(result.model.solve(mu, size=N).coefficients)[0]
        energy.append(e @ A @ e)
    assert np.all(np.diff(energy) <= 1e-12 * energy[0])


def test_bad_parameters_raise_input_error_naming_the_problem():
    problem = thermal_block(2, cells=8)
    model = ReducedModel(problem, basis=problem.solve(problem.sample(2, seed=0)))
    with pytest.raises(InputError, match=r"mu\[1\]: mu_3 = 1.5 is outside the parameter box \[0.1, 1\]"):
        model.solve([[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 1.5]])
    with pytest.raises(InputError, match=r"expected shape \(4,\) or \(B, 4\), got \(2, 3\)"):
        model.solve(np.full((2, 3), 0.5))
    with pytest.raises(InputError, match="not finite"):
        problem.solve([0.5, np.nan, 0.5, 0.5])
    with pytest.raises(InputError, match="training_set"):
        weak_greedy(problem, np.zeros((3, 4)))
    with pytest.raises(InputError, match="size"):
        model.solve([0.5] * 4, size=3)
    with pytest.raises(InputError, match="multiple of blocks"):
        thermal_block(3, cells=10)
    with pytest.raises(InputError, match="mu_range"):
        thermal_block(2, cells=8, mu_range=(0.0, 1.0))


def _one_term_problem(theta, phi, bounds):
    problem = thermal_block(1, cells=8)
    return AffineProblem(problem.operators, problem.rhs, theta, phi, bounds=bounds, mu_ref=[1.0])


def test_non_finite_or_unfounded_estimates_raise_convergence_error_never_nan():
    # theta changes sign inside the box: no positive coercivity bound, hence no rigorous estimate
    signed = _one_term_problem(lambda mu: mu - 0.5, lambda mu: np.ones((len(mu), 1)), [[0.2, 1.0]])
    model = ReducedModel(signed, basis=signed.solve([1.0]))
    with pytest.raises(ConvergenceError, match="coercivity bound is not positive"):
        model.solve([[0.9], [0.3]])
    # load so large that the reduced solution overflows: ConvergenceError, not inf/NaN
    huge = _one_term_problem(lambda mu: 1e-300 * mu, lambda mu: 1e300 * mu, [[0.5, 1.0]])
    model = ReducedModel(huge, basis=thermal_block(1, cells=8).solve([1.0]))
    with pytest.raises(ConvergenceError, match="non-finite"):
        model.solve([0.7])
