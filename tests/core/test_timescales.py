"""Time scales from a Jacobian spectrum and from autocorrelation times; the time-scale check."""

import numpy as np
import pytest

from scalebridge.core import ConvergenceError, InputError, ShapeError
from scalebridge.core.checks import check_time_scale_separation
from scalebridge.core.timescales import autocorrelation_times, spectral_time_scales


def _ornstein_uhlenbeck(correlation_times, dt, n, seed):
    """Exact discretisation x_{k+1} = a x_k + sqrt(1 - a^2) xi_k, a = exp(-dt/tau) (stationary start)."""
    rng = np.random.default_rng(seed)
    tau = np.asarray(correlation_times, dtype=float)
    a, s = np.exp(-dt / tau), np.sqrt(-np.expm1(-2 * dt / tau))
    from scipy.signal import lfilter
    noise = rng.standard_normal((n, tau.size))
    noise[0] = rng.standard_normal(tau.size) / s          # x_0 ~ N(0, 1)
    return np.column_stack([lfilter([s[i]], [1.0, -a[i]], noise[:, i]) for i in range(tau.size)])


def test_linear_ode_with_spectral_gap_is_separated():
    """y' = A y with eigenvalues -1 and -1000 (a non-normal A = V diag V^-1): tau = 1e-3 s and 1 s,
    eps = 1e-3, below the hierarchical threshold (Gear & Kevrekidis 2003, SIAM J. Sci. Comput. 24, 1091)."""
    V = np.array([[1.0, 0.3], [0.2, 1.0]])
    A = V @ np.diag([-1.0, -1000.0]) @ np.linalg.inv(V)
    ts = spectral_time_scales(A)
    np.testing.assert_allclose(ts.time_scales, [1e-3, 1.0], rtol=1e-10)
    assert ts.n_fast == 1 and ts.epsilon == pytest.approx(1e-3, rel=1e-10)
    [res] = check_time_scale_separation(jacobian=A, name="stiff linear ODE")
    assert res.passed and res.data["recommendation"] == "hierarchical" and res.data["projective_integration"]
    assert res.data["projective_speedup"] == pytest.approx(1000.0)


def test_conservation_law_zero_eigenvalue_is_neutral_and_colliding_scales_fail():
    """A conserved total gives lambda = 0 (left out); eigenvalues -1, -2 give eps = 0.5: scales collide."""
    ts = spectral_time_scales(np.array([[-1.0, 1.0], [1.0, -1.0]]))      # eigenvalues 0, -2
    assert ts.n_neutral == 1 and ts.time_scales.tolist() == [0.5] and ts.epsilon == 1.0
    [res] = check_time_scale_separation(jacobian=np.diag([-1.0, -2.0]))
    assert not res.passed and res.data["recommendation"] == "scales collide"
    assert not res.data["projective_integration"]
    [res] = check_time_scale_separation(jacobian=np.diag([-1.0, -20.0]))
    assert res.passed and res.data["recommendation"] == "concurrent"


def test_ornstein_uhlenbeck_correlation_times_are_recovered_and_separated():
    """Two independent OU processes with tau_c = 1 s and 30 s: the integrated autocorrelation time of an
    OU process is tau_c (rho = exp(-t/tau_c); Gardiner, Handbook of Stochastic Methods, §3.8.4); the
    estimates agree within 4 of Sokal's one-sigma errors (Sokal 1997, §3) and eps = 1/30 -> concurrent,
    i.e. projective integration justified."""
    dt, n = 0.1, 600_000
    x = _ornstein_uhlenbeck([30.0, 1.0], dt, n, seed=1)
    ts = autocorrelation_times(x, dt)
    assert ts.order.tolist() == [1, 0]
    true = np.array([1.0, 30.0])
    assert np.all(np.abs(ts.time_scales - true) < 4 * ts.errors), (ts.time_scales, ts.errors)
    assert ts.errors[0] / true[0] < 0.02 and ts.errors[1] / true[1] < 0.15
    [res] = check_time_scale_separation(trajectory=x, dt=dt, name="two OU processes")
    assert res.passed and res.data["recommendation"] == "concurrent"


def test_ornstein_uhlenbeck_processes_with_close_times_collide():
    """tau_c = 1 s and 2 s: eps ~ 0.5, no separation (Sokal 1997 estimator)."""
    dt = 0.05
    x = _ornstein_uhlenbeck([1.0, 2.0], dt, 200_000, seed=2)
    ts = autocorrelation_times(x, dt)
    assert np.all(np.abs(ts.time_scales - [1.0, 2.0]) < 4 * ts.errors)
    [res] = check_time_scale_separation(trajectory=x, dt=dt)
    assert not res.passed and res.data["recommendation"] == "scales collide"


def test_bad_input_is_named():
    with pytest.raises(ShapeError, match="square"):
        spectral_time_scales(np.ones((2, 3)))
    with pytest.raises(InputError, match="neutral"):
        spectral_time_scales(np.zeros((2, 2)))
    with pytest.raises(InputError, match="dt"):
        autocorrelation_times(np.random.default_rng(0).standard_normal(100), dt=0.0)
    with pytest.raises(InputError, match="constant"):
        autocorrelation_times(np.ones(100), dt=1.0)
    with pytest.raises(ConvergenceError, match="too short"):
        autocorrelation_times(np.linspace(0, 1, 100), dt=1.0)    # a ramp: correlated over the whole record
    with pytest.raises(InputError, match="jacobian and/or a trajectory"):
        check_time_scale_separation()
    with pytest.raises(InputError, match="dt"):
        check_time_scale_separation(trajectory=np.ones(20))
