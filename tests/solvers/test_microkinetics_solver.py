"""Tests of the batched mean-field microkinetic steady-state engine."""

import numpy as np
import pytest

from scalebridge.core.errors import ConvergenceError, InputError, ShapeError
from scalebridge.solvers.microkinetics import MassActionNetwork, SteadyStateResult, solve_steady_state

# A_g + * <-> A* ; A* -> B_g + *      columns: [*, A*]
A_ORD = np.array([[1, 0], [0, 1]])
B_ORD = np.array([[0, 1], [1, 0]])
# CO_g + * <-> CO* ; O2_g + 2* <-> 2O* ; CO* + O* -> CO2_g + 2*   columns: [*, CO*, O*]
CO_A = np.array([[1, 0, 0], [2, 0, 0], [0, 1, 1]])
CO_B = np.array([[0, 1, 0], [0, 0, 2], [2, 0, 0]])


def _analytic_batch(n=300, seed=1):
    rng = np.random.default_rng(seed)
    kfp, km1, k2 = 10 ** rng.uniform(-3, 8, n), 10 ** rng.uniform(-3, 8, n), 10 ** rng.uniform(-5, 3, n)
    return np.c_[kfp, k2], np.c_[km1, np.zeros(n)], kfp, km1, k2


def _co_batch(n=40, seed=2):
    rng = np.random.default_rng(seed)
    kf = np.c_[10 ** rng.uniform(2, 6, n), 10 ** rng.uniform(1, 5, n), 10 ** rng.uniform(-6, 4, n)]
    kr = np.c_[10 ** rng.uniform(-6, 4, n), 10 ** rng.uniform(-9, -3, n), np.zeros(n)]
    return kf, kr


def test_analytic_single_adsorbate_mechanism():
    """A_g + * <-> A*, A* -> B_g + *: theta_A = kf p / (kf p + kr + k2), TOF = k2 theta_A.

    Closed form of the steady state of a Langmuir adsorption followed by an irreversible
    surface step (Dumesic et al. 1993, The Microkinetics of Heterogeneous Catalysis,
    ch. 2). Rate constants span 11 decades; agreement to 1e-10 relative.
    """
    kf, kr, kfp, km1, k2 = _analytic_batch()
    res = solve_steady_state(kf, kr, A_ORD, B_ORD)
    theta = kfp / (kfp + km1 + k2)
    np.testing.assert_allclose(res.coverages[:, 1], theta, rtol=1e-10, atol=0)
    np.testing.assert_allclose(res.coverages[:, 0], (km1 + k2) / (kfp + km1 + k2), rtol=1e-10, atol=0)
    np.testing.assert_allclose(res.net_rates[:, 1], k2 * theta, rtol=1e-10, atol=0)
    np.testing.assert_allclose(res.net_rates[:, 0], k2 * theta, rtol=1e-10, atol=0)
    assert res.converged.all()


@pytest.mark.parametrize("method", ["BDF", "Radau"])
def test_site_balance_and_stationarity(method):
    """Steady state: sum of coverages = 1 to 1e-12 and dtheta/dt = 0 to rounding of the gross rates."""
    kf, kr = _co_batch()
    res = solve_steady_state(kf, kr, CO_A, CO_B, method=method)
    assert isinstance(res, SteadyStateResult)
    assert res.coverages.shape == (40, 3) and res.net_rates.shape == (40, 3)
    np.testing.assert_allclose(res.coverages.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    net = MassActionNetwork(CO_A, CO_B)
    dtheta = net.coverage_rates(res.coverages, kf, kr)
    rf, rr = net.gross_rates(res.coverages, kf, kr)
    gross = (rf + rr).max(axis=1)
    assert np.all(np.abs(dtheta).max(axis=1) <= 1e-13 * gross)
    assert np.all(res.residual <= 1e-13)
    assert np.all((res.coverages >= 0) & (res.coverages <= 1))
    # every step carries the same turnover: r_CO = r_LH, r_O2 = r_LH / 2
    np.testing.assert_allclose(res.net_rates[:, 0], res.net_rates[:, 2], rtol=1e-9)
    np.testing.assert_allclose(2 * res.net_rates[:, 1], res.net_rates[:, 2], rtol=1e-9)


def test_batch_equals_one_by_one():
    """A batch of B conditions gives the one-condition answers (to rounding, 1e-12 relative)."""
    kf, kr = _co_batch(12, seed=5)
    batch = solve_steady_state(kf, kr, CO_A, CO_B)
    for i in range(12):
        single = solve_steady_state(kf[i], kr[i], CO_A, CO_B)
        np.testing.assert_allclose(single.coverages[0], batch.coverages[i], rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(single.net_rates[0], batch.net_rates[i], rtol=1e-12, atol=1e-300)


def test_analytic_jacobian_matches_finite_differences():
    """The analytic Jacobian (free site eliminated) agrees with central differences."""
    kf, kr = _co_batch(5)
    net = MassActionNetwork(CO_A, CO_B)
    x = np.random.default_rng(3).uniform(0.05, 0.45, (5, 2))
    jac = net.jacobian(net.full_coverages(x), kf, kr)
    h = 1e-6
    for l in range(2):
        dx = np.zeros(2)
        dx[l] = h
        fp = net.coverage_rates(net.full_coverages(x + dx), kf, kr)[:, 1:]
        fm = net.coverage_rates(net.full_coverages(x - dx), kf, kr)[:, 1:]
        np.testing.assert_allclose(jac[:, :, l], (fp - fm) / (2 * h), rtol=1e-6,
                                   atol=1e-8 * np.abs(jac).max())


def test_poisoned_surface_keeps_free_site_precision():
    """With theta_* ~ 1e-12, theta_* still matches the closed form (km1 + k2)/D to 1e-10."""
    kfp, km1, k2 = np.array([1e9]), np.array([1e-3]), np.array([1e-4])
    res = solve_steady_state(np.c_[kfp, k2], np.c_[km1, [0.0]], A_ORD, B_ORD)
    np.testing.assert_allclose(res.coverages[:, 0], (km1 + k2) / (kfp + km1 + k2), rtol=1e-10)


def test_initial_coverages_and_time_reported():
    kf, kr, *_ = _analytic_batch(4)
    res = solve_steady_state(kf, kr, A_ORD, B_ORD, initial_coverages=[0.0, 1.0])
    assert res.converged.all() and res.time >= 0.0 and res.newton_iterations >= 0
    with pytest.raises(InputError, match="initial_coverages"):
        solve_steady_state(kf, kr, A_ORD, B_ORD, initial_coverages=[0.5, 0.6])


def test_non_convergence_is_reported():
    """No integration time and no Newton iterations: ConvergenceError naming condition, residual, iterations."""
    kf, kr = _co_batch(3)
    with pytest.raises(ConvergenceError, match=r"condition 0 of 3 \(relative residual .* after 0 Newton"):
        solve_steady_state(kf, kr, CO_A, CO_B, t_max=1e-15, max_newton=0)
    res = solve_steady_state(kf, kr, CO_A, CO_B, t_max=1e-15, max_newton=0, raise_on_failure=False)
    assert not res.converged.any()


def test_input_errors():
    kf, kr, *_ = _analytic_batch(3)
    with pytest.raises(InputError, match="do not conserve sites"):
        MassActionNetwork([[1, 0]], [[0, 2]])
    with pytest.raises(ShapeError):
        solve_steady_state(kf[:, :1], kr[:, :1], A_ORD, B_ORD)
    with pytest.raises(InputError, match="kf must be finite and >= 0"):
        solve_steady_state(-kf, kr, A_ORD, B_ORD)
    with pytest.raises(InputError, match="method"):
        solve_steady_state(kf, kr, A_ORD, B_ORD, method="RK45")
    with pytest.raises(InputError, match="orders"):
        MassActionNetwork([[-1, 1]], [[0, 0]])
