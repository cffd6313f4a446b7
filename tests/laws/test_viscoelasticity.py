"""Prony-series viscoelasticity: NNLS fit, exact recursive update, standard linear solid."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from scalebridge.core import InputError, ShapeError
from scalebridge.laws.viscoelasticity import (PronySeries, ViscoelasticModel, fit_prony_series,
                                              prony_stress_history, standard_linear_solid_ramp_stress)

KNOWN = PronySeries(1.0e9, [2.0e9, 3.0e9, 0.5e9], [1e-2, 1.0, 1e2])   # Pa, s
T_DATA = np.concatenate([[0.0], np.logspace(-4, 3, 141)])


def test_prony_fit_recovers_a_known_kernel_on_its_grid():
    """NNLS on a 1-per-decade grid that contains the true tau_i recovers the moduli to rounding
    (Lawson & Hanson 1974, ch. 23: the unique non-negative least-squares solution of consistent data)."""
    fit = fit_prony_series(T_DATA, KNOWN.relaxation_modulus(T_DATA), terms_per_decade=1)
    s = fit.series
    np.testing.assert_allclose(s.relaxation_times, KNOWN.relaxation_times, rtol=1e-12)
    np.testing.assert_allclose(s.moduli, KNOWN.moduli, rtol=1e-8)
    assert s.equilibrium_modulus == pytest.approx(KNOWN.equilibrium_modulus, rel=1e-8)
    assert fit.max_relative_error < 1e-10


def test_prony_fit_of_an_off_grid_kernel_is_accurate_in_modulus():
    """Times between grid points (0.03, 0.3, 30 s): 2 terms per decade fit G(t) within 1 % everywhere and
    recover G(0) and G_inf within 0.5 % (Park & Schapery 1999, Int. J. Solids Struct. 36, 1653: a
    1-2 per decade log grid represents a smooth spectrum)."""
    true = PronySeries(1.0e9, [2.0e9, 3.0e9, 0.5e9], [3e-2, 0.3, 30.0])
    fit = fit_prony_series(T_DATA, true.relaxation_modulus(T_DATA), terms_per_decade=2)
    assert fit.max_relative_error < 0.01 and fit.relative_rms_error < 0.003
    assert fit.series.instantaneous_modulus == pytest.approx(true.instantaneous_modulus, rel=5e-3)
    assert fit.series.equilibrium_modulus == pytest.approx(true.equilibrium_modulus, rel=5e-3)
    assert np.all(fit.series.moduli > 0)


def test_standard_linear_solid_closed_form_solves_its_differential_equation():
    """Zener model sigma + tau sigma' = E_inf eps + (E_inf + E_1) tau eps' (Findley, Lai & Onaran 1976, §5.3)
    integrated by Radau for a ramp-and-hold matches the closed form."""
    e_inf, e_1, tau, rate, tr = 1e9, 2e9, 0.5, 1e-3, 1.3
    ramp = lambda t: rate if t < tr else 0.0  # noqa: E731

    def rhs(t, y):
        eps = rate * min(t, tr)
        return [(e_inf * eps + (e_inf + e_1) * tau * ramp(t) - y[0]) / tau]
    t = np.linspace(0, 4.0, 81)
    ode = np.concatenate([solve_ivp(rhs, (0, tr), [0.0], t_eval=t[t <= tr], rtol=1e-11, atol=1e-3).y[0],
                          solve_ivp(rhs, (tr, 4.0), [standard_linear_solid_ramp_stress(tr, e_inf, e_1, tau, rate)],
                                    t_eval=t[t > tr], rtol=1e-11, atol=1e-3).y[0]])
    closed = standard_linear_solid_ramp_stress(t, e_inf, e_1, tau, rate, tr)
    np.testing.assert_allclose(closed, ode, rtol=1e-7, atol=1e-2)


def test_recursive_update_is_exact_for_the_zener_ramp_with_coarse_steps():
    """Exponential integrator for piecewise-linear strain (Taylor, Pister & Goudreau 1970; Simo & Hughes 1998,
    §10.3): with only 5 steps, two of them longer than tau, the stress equals the closed form to rounding,
    for 1000 macro points with different ramp rates at once."""
    e_inf, e_1, tau, tr = 1e9, 2e9, 0.5, 1.3
    series = PronySeries(e_inf, [e_1], [tau])
    t = np.array([0.0, 0.2, tr, 2.0, 3.5, 5.0])
    rates = np.linspace(-1e-3, 1e-3, 1000)
    strain = np.minimum(t, tr)[:, None] * rates
    sigma = prony_stress_history(series, t, strain)
    closed = np.stack([standard_linear_solid_ramp_stress(t, e_inf, e_1, tau, r, tr) for r in rates[[0, 321, 999]]],
                      axis=1)
    np.testing.assert_allclose(sigma[:, [0, 321, 999]], closed, rtol=1e-12, atol=1e-6)


def test_sinusoidal_strain_converges_to_the_complex_modulus():
    """Steady oscillation eps = eps0 sin(w t): sigma -> eps0 (G' sin wt + G'' cos wt) (Ferry 1980, ch. 3); the
    piecewise-linear interpolation of the strain is the only error: second order, below (w dt)^2 / 8
    relative to G' (the chord error of sin over a step)."""
    series = PronySeries(1e9, [2e9, 1e9], [0.1, 1.0])
    w = 2.0
    gp, gpp = series.complex_modulus(w)
    errs = []
    for n in (400, 800):
        wdt = w * 30.0 / n
        t = np.linspace(0, 30.0, n + 1)
        sig = prony_stress_history(series, t, np.sin(w * t))
        late = t > 20
        errs.append(np.max(np.abs(sig[late] - (gp * np.sin(w * t[late]) + gpp * np.cos(w * t[late])))) / gp)
        assert errs[-1] < wdt ** 2 / 8
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)


def test_viscoelastic_model_steps_a_batch_of_tensor_points_and_never_commits():
    """The Model matches prony_stress_history component-wise; its tangent is the finite-difference one;
    re-evaluating from the committed state gives the same answer (state not mutated)."""
    series = PronySeries(1e9, [2e9, 3e9], [0.1, 10.0])
    model = ViscoelasticModel(series, shape=(3,))
    rng = np.random.default_rng(0)
    t = np.array([0.0, 0.05, 0.5, 3.0])
    strain = np.concatenate([np.zeros((1, 50, 3)), 1e-3 * rng.standard_normal((3, 50, 3))])
    state = model.initial_state(50)
    for n in range(1, 4):
        ev = model.evaluate({"strain": strain[n], "time_step": np.full(50, t[n] - t[n - 1])}, state)
        again = model.evaluate({"strain": strain[n], "time_step": t[n] - t[n - 1]}, state)
        np.testing.assert_array_equal(ev["stress"], again["stress"])
        h = 1e-9
        bumped = strain[n].copy()
        bumped[:, 1] += h
        fd = (model.evaluate({"strain": bumped, "time_step": t[n] - t[n - 1]}, state)["stress"] - ev["stress"]) / h
        np.testing.assert_allclose(fd, ev.tangents[("stress", "strain")][:, :, 1], rtol=1e-5, atol=1.0)
        state = ev.state
    np.testing.assert_allclose(ev["stress"], prony_stress_history(series, t, strain)[-1], rtol=1e-12)


def test_bad_input_is_named():
    with pytest.raises(InputError, match="moduli"):
        PronySeries(1.0, [-1.0], [1.0])
    with pytest.raises(InputError, match="relaxation_times"):
        PronySeries(1.0, [1.0], [0.0])
    with pytest.raises(ShapeError):
        PronySeries(1.0, [1.0, 2.0], [1.0])
    with pytest.raises(InputError, match="modulus"):
        fit_prony_series([0.0, 1.0, 2.0], [1.0, 0.0, 1.0])
    with pytest.raises(InputError, match="non-decreasing"):
        prony_stress_history(KNOWN, [0.0, 2.0, 1.0], [0.0, 1.0, 1.0])
    with pytest.raises(ShapeError):
        ViscoelasticModel(KNOWN).evaluate({"strain": np.zeros((2, 3)), "time_step": 1.0})
