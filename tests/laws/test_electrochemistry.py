"""Electrochemical laws: Butler–Volmer, exchange current, concentrated-solution transport, Arrhenius.

References: Newman & Thomas-Alyea (2004) Electrochemical Systems, 3rd ed., ch. 8 and 12;
Doyle, Fuller & Newman (1993); Chen et al. (2020) J. Electrochem. Soc. 167, 080534;
Bruggeman (1935); Squire & Trapp (1998) SIAM Rev. 40, 110 (complex-step derivative).
"""

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.laws import electrochemistry as ec


def test_butler_volmer_linear_regime_is_the_charge_transfer_resistance():
    """Newman (2004) eq. 8.9: for |eta| << RT/F, j = j0 (alpha_a + alpha_c) F eta / (R T)."""
    eta = 1e-5
    j = ec.butler_volmer(2.0, eta, 298.15, 0.3, 0.7)
    assert j == pytest.approx(2.0 * ec.FARADAY * eta / (ec.GAS_CONSTANT * 298.15), rel=1e-3)


def test_symmetric_butler_volmer_inverse_round_trip_and_tafel():
    eta = np.linspace(-0.3, 0.3, 13)
    j = ec.butler_volmer(0.5, eta, "25 degC")
    assert np.allclose(ec.butler_volmer_overpotential(j, 0.5, 298.15), eta, atol=1e-12)
    # Tafel slope at large eta: d eta / d log10 j = ln(10) R T / (alpha F) (Newman 2004, eq. 8.12)
    j1, j2 = ec.butler_volmer(1.0, [0.4, 0.5], 298.15)
    slope = 0.1 / np.log10(j2 / j1)
    assert slope == pytest.approx(np.log(10) * ec.GAS_CONSTANT * 298.15 / (0.5 * ec.FARADAY), rel=1e-4)


def test_exchange_current_density_of_the_lg_m50_graphite():
    """Chen et al. (2020): m_n = 6.48e-7 A m^-2 (m^3/mol)^1.5, c_max = 33133 mol/m^3."""
    j0 = ec.exchange_current_density(6.48e-7, 1000.0, 0.5 * 33133, 33133)
    assert j0 == pytest.approx(6.48e-7 * np.sqrt(1000.0) * 0.5 * 33133, rel=1e-12)
    with pytest.raises(InputError, match="surface_concentration"):
        ec.exchange_current_density(6.48e-7, 1000.0, 40000, 33133)


def test_arrhenius_factor_and_bruggeman():
    assert ec.arrhenius_factor(35e3, 298.15) == pytest.approx(1.0)
    assert ec.arrhenius_factor("35 kJ/mol", 308.15) == pytest.approx(np.exp(35e3 / ec.GAS_CONSTANT * (1 / 298.15 - 1 / 308.15)))
    assert ec.bruggeman(0.25) == pytest.approx(0.125)
    with pytest.raises(InputError, match="activation_energy"):
        ec.arrhenius_factor(-1.0, 300.0)
    with pytest.raises(InputError, match="volume_fraction"):
        ec.bruggeman(1.5)
    with pytest.raises(UnitError):
        ec.arrhenius_factor("3 m", 300.0)


def test_concentrated_solution_current_and_flux():
    """Newman (2004) eq. 12.25: uniform c_e gives Ohm's law; zero current gives the diffusion potential."""
    assert ec.electrolyte_current_density(1.0, -2.0, 0.0, 0.26, 298.15) == pytest.approx(2.0)
    # open circuit: the potential gradient balances the diffusion potential
    vt = ec.thermal_voltage(298.15)
    grad_ln_c = 100.0
    assert ec.electrolyte_current_density(1.0, 2 * vt * (1 - 0.26) * 1.3 * grad_ln_c, grad_ln_c, 0.26, 298.15,
                                          1.3) == pytest.approx(0.0, abs=1e-12)
    assert ec.electrolyte_salt_flux(1e-10, 1e6, ec.FARADAY, 0.3) == pytest.approx(-1e-4 + 0.3)
    with pytest.raises(InputError, match="transference_number"):
        ec.electrolyte_current_density(1.0, 0.0, 0.0, 1.2, 298.15)


def test_heat_source_laws():
    assert ec.irreversible_heat(1e5, 10.0, 0.02) == pytest.approx(2e4)
    assert ec.reversible_heat(1e5, 10.0, 300.0, 1e-4) == pytest.approx(3e4)
    assert ec.ohmic_heat(2.0, 3.0) == pytest.approx(18.0)


def test_complex_step_derivative_is_exact_and_tabulated_ocp():
    """Squire & Trapp (1998): the complex step gives derivatives to round-off."""
    x = np.linspace(0.05, 0.95, 7)

    def f(s, T):
        return 0.1297 * s**3 - 2.51 * s**1.5 + np.tanh(3 * s) * T

    v, d = ec.value_and_derivative(f, x, 2.0)
    assert np.allclose(v, f(x, 2.0), rtol=1e-15)
    assert np.allclose(d, 3 * 0.1297 * x**2 - 1.5 * 2.51 * x**0.5 + 6.0 / np.cosh(3 * x) ** 2, rtol=1e-13)
    ocp = ec.TabulatedOCP([0.0, 0.5, 1.0], [1.0, 0.5, 0.1])
    v, d = ec.value_and_derivative(ocp, np.array([0.25, 1.5]))
    assert np.all(np.diff(ocp(np.linspace(0, 1, 50))) <= 0)   # monotone data, monotone curve
    assert d[1] == pytest.approx(float(ocp.derivative(1.0))) and v[1] < 0.1
    with pytest.raises(InputError, match="stoichiometry"):
        ec.TabulatedOCP([0.0, 0.0, 1.0], [1, 2, 3])
