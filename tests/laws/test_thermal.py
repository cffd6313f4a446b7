"""Heat sources, Arrhenius factor and the lumped / through-thickness energy balances (laws.thermal)."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.laws.thermal import (GAS_CONSTANT, LumpedThermal, ThroughThicknessThermal, arrhenius_factor,
                                      irreversible_heat, ohmic_heat, reversible_heat)


def test_heat_sources_by_hand():
    """Bernardi, Pawlikowski & Newman (1985), eq. 1; Gu & Wang (2000), eq. 34: each term by hand."""
    assert ohmic_heat(2.0, 3.0, 10.0, 1.0) == pytest.approx(10 * 4 + 1 * 9)
    assert ohmic_heat(0.0, 3.0, 0.0, 1.0, kappa_d_eff=-0.5, grad_ln_ce=2.0) == pytest.approx(9 - 3)
    a, j, eta, T, dudt = 3e5, 2.0, 0.05, 300.0, -1e-4
    assert irreversible_heat(a, j, eta) == pytest.approx(a * j * eta)
    assert irreversible_heat(a, -j, -eta) > 0  # Butler–Volmer: j and eta share their sign
    assert reversible_heat(a, j, T, dudt) == pytest.approx(a * j * T * dudt)
    q = irreversible_heat(np.full(4, a), np.linspace(-1, 1, 4), np.linspace(-0.1, 0.1, 4))
    assert q.shape == (4,) and np.all(q >= 0)


def test_arrhenius_factor():
    """Arrhenius (1889): ln of the factor is linear in 1/T with slope -E_a/R; 1 at T_ref."""
    assert arrhenius_factor("30 kJ/mol", 298.15) == pytest.approx(1.0)
    T = np.array([280.0, 300.0, 320.0])
    f = arrhenius_factor(3e4, T, 298.15)
    slope = np.polyfit(1 / T, np.log(f), 1)[0]
    assert slope == pytest.approx(-3e4 / GAS_CONSTANT, rel=1e-12)
    with pytest.raises(InputError, match="temperature_value"):
        arrhenius_factor(3e4, -5.0)


def test_bad_input_is_named():
    with pytest.raises(InputError, match="specific_area"):
        irreversible_heat(-1.0, 1.0, 0.1)
    with pytest.raises(UnitError):
        ohmic_heat("1 V/m", 1.0, "1 m", 1.0)
    with pytest.raises(InputError, match="heat_transfer"):
        LumpedThermal(10.0, 0.0, 298.15)
    with pytest.raises(InputError, match="faces"):
        ThroughThicknessThermal([0.0, 1e-4, 5e-5], 1.0, 2e6, 10.0, 298.15)


def test_lumped_constant_source_matches_exponential():
    """Incropera & DeWitt, sec. 5.2: T = T_inf + Q/hA + (T0 - T_inf - Q/hA) exp(-t hA/(m c_p))."""
    model = LumpedThermal(heat_capacity=40.0, heat_transfer=0.2, ambient_temperature=298.15)
    t = np.linspace(0, 1000.0, 51)
    Q, T0 = 3.0, 290.0
    exact = 298.15 + Q / 0.2 + (T0 - 298.15 - Q / 0.2) * np.exp(-t * 0.2 / 40.0)
    hist = model.solve(t, T0, Q)
    assert np.max(np.abs(hist.T - exact)) < 1e-5 * 15  # rtol 1e-8 of LSODA; K
    stepped = T0
    for _ in range(50):  # the exact-exponential step for frozen Q is exact for constant Q
        stepped = model.step(stepped, Q, 20.0)
    assert stepped == pytest.approx(exact[-1], abs=1e-10)
    assert model.rhs(model.steady_state(Q), Q) == pytest.approx(0.0, abs=1e-14)


def test_lumped_two_way_coupling_fixed_point():
    """A resistance falling with T (Arrhenius): the steady state solves hA (T - T_inf) = I^2 R(T)."""
    model = LumpedThermal(40.0, 0.2, 298.15)
    I, R_ref, Ea = 5.0, 0.05, 2e4

    def heat(t, T):
        return I**2 * R_ref / arrhenius_factor(Ea, T)

    hist = model.solve(np.linspace(0, 5000.0, 11), 298.15, heat)
    T_end = hist.T[-1]
    assert 0.2 * (T_end - 298.15) == pytest.approx(heat(0, T_end), rel=1e-4)
    assert T_end < 298.15 + I**2 * R_ref / 0.2  # hotter cell, lower resistance, less heat


def _slab_transient(x, t, L, lam, rho_cp, h, q, n_terms=60):
    """Carslaw & Jaeger (1959), sec. 3.11: slab with uniform generation, Newton cooling on both faces,
    initially at ambient; centred coordinate s = x - L/2, half thickness l."""
    from scipy.optimize import brentq

    l, alpha, Bi = L / 2, lam / rho_cp, h * L / 2 / lam
    s = x - L / 2
    steady = q * l / h + q * (l**2 - s**2) / (2 * lam)
    beta = np.array([brentq(lambda b: b * np.tan(b) - Bi, n * np.pi + 1e-12, n * np.pi + np.pi / 2 - 1e-12)
                     for n in range(n_terms)])
    # coefficients of the steady profile in the eigenfunctions cos(beta s / l) on [0, l]
    int_cos = l * np.sin(beta) / beta
    int_x2cos = l**3 * ((beta**2 - 2) * np.sin(beta) + 2 * beta * np.cos(beta)) / beta**3
    norm = l / 2 * (1 + np.sin(2 * beta) / (2 * beta))
    coef = ((q * l / h + q * l**2 / (2 * lam)) * int_cos - q / (2 * lam) * int_x2cos) / norm
    decay = np.exp(-np.outer(t, beta**2) * alpha / l**2)
    return steady - (decay * coef) @ np.cos(np.outer(beta, s) / l)


def test_through_thickness_uniform_source_closed_forms():
    """Incropera & DeWitt sec. 3.5 (steady plane wall with generation, convection on both faces) and
    Carslaw & Jaeger sec. 3.11 (transient eigen-series): with 80 cells the FV errors are 3e-5 (steady) and
    2e-5 (transient) of the temperature rise, second order (4x smaller per halving, measured 20/40/80 cells)."""
    L, lam, rho_cp, h, q, T_inf = 2e-3, 0.8, 2.5e6, 400.0, 2e5, 298.15
    faces = np.linspace(0, L, 81)
    model = ThroughThicknessThermal(faces, lam, rho_cp, h, T_inf)
    x = model.centres
    exact_ss = T_inf + q * L / (2 * h) + q * x * (L - x) / (2 * lam)
    rise = exact_ss.max() - T_inf
    assert np.max(np.abs(model.steady_state(q) - exact_ss)) < 1e-4 * rise
    t = np.array([0.0, 2.0, 5.0, 10.0, 20.0])
    hist = model.solve(t, T_inf, q, rtol=1e-9)
    exact = T_inf + _slab_transient(x, t[1:], L, lam, rho_cp, h, q)
    assert np.max(np.abs(hist.T[1:] - exact)) < 1e-4 * rise


def test_through_thickness_tends_to_lumped_for_small_biot():
    """Bi = hL/(2 lam) = 5e-4: the mean temperature follows the lumped closed form (Incropera & DeWitt 5.2)
    within Bi of the rise (the steady excess of the resolved mean is Bi/3 of the rise: 1.7e-4 measured)."""
    L, lam, rho_cp, h, q, T_inf = 1e-3, 1.0, 2e6, 1.0, 1e4, 298.15
    model = ThroughThicknessThermal(np.linspace(0, L, 21), lam, rho_cp, h, T_inf)
    lumped = LumpedThermal(rho_cp * L, 2 * h, T_inf)
    T = np.full(model.n_cells, T_inf)
    dt, n = 50.0, 200
    for _ in range(n):
        T = model.step(T, q, dt)
    exact = lumped.solve([0.0, n * dt], T_inf, q * L).T[-1]
    assert abs(model.mean_temperature(T) - exact) < 5e-4 * (exact - T_inf)  # after 10 t_c: steady
    assert model.heat_loss(T) == pytest.approx(2 * h * (model.mean_temperature(T) - T_inf), rel=1e-3)
