"""Validation tests of scalebridge.laws.kinetics (Eyring, harmonic TST, collision theory)."""

import math

import numpy as np
import pytest

from scalebridge.core.errors import InputError, UnitError
from scalebridge.core.units import ureg
from scalebridge.laws.kinetics import (TSTResult, arrhenius, collision_adsorption_rate_constant,
                                       equilibrium_constant, eyring, harmonic_tst,
                                       vibrational_frequencies)

# Exact SI defining constants (CODATA 2018 / SI 2019), written out independently of scipy.
KB = 1.380649e-23        # J/K
H = 6.62607015e-34       # J s
EV = 1.602176634e-19     # J
C = 299792458.0          # m/s
NA = 6.02214076e23       # 1/mol
U = 1.66053906892e-27    # kg, CODATA 2022 atomic mass constant (as in scipy and pint)
REL = 1e-12


def test_eyring_hand_evaluation():
    """Eyring (1935), J. Chem. Phys. 3, 107: k = kT/h exp(-dG/kT), T = 500 K, dG = 1 eV."""
    expected = KB * 500.0 / H * math.exp(-EV / (KB * 500.0))
    assert eyring(ureg("1.0 eV"), 500.0) == pytest.approx(expected, rel=REL)
    assert eyring(EV, ureg("500 K")) == pytest.approx(expected, rel=REL)
    assert eyring("96.485332123 kJ/mol", 500.0) == pytest.approx(expected, rel=1e-9)
    np.testing.assert_allclose(eyring(["1 eV", ureg("1 eV")], 500.0), [expected] * 2, rtol=REL)


def test_eyring_broadcasts_over_temperatures_and_barriers():
    """Broadcasting: an outer product of T and dG equals element-wise hand evaluations."""
    T = np.array([300.0, 600.0, 900.0])[:, None]
    dG = np.array([0.2, 0.8]) * EV
    k = eyring(dG, T)
    assert k.shape == (3, 2)
    np.testing.assert_allclose(k, KB * T / H * np.exp(-dG / (KB * T)), rtol=REL)


def test_arrhenius_and_equilibrium_constant_hand_evaluation():
    """Arrhenius (1889): k = A exp(-Ea/kT); K = exp(-dG/kT) at 600 K, 0.75 eV and -0.3 eV."""
    assert arrhenius(1e13, "0.75 eV", 600.0) == pytest.approx(
        1e13 * math.exp(-0.75 * EV / (KB * 600.0)), rel=REL)
    k = arrhenius(ureg("1e13 1/s"), 0.75 * EV, 600.0)
    assert k.units == ureg("1/s").units
    assert equilibrium_constant("-0.3 eV", 600.0) == pytest.approx(
        math.exp(0.3 * EV / (KB * 600.0)), rel=REL)


def test_harmonic_tst_reduces_to_eyring_when_modes_cancel():
    """Eyring (1935): with identical IS/TS modes, A = kT/h, dH = dG = E_b, dS = 0, exactly."""
    T = np.array([100.0, 450.0, 2000.0])
    modes = ureg.Quantity([2100.0, 450.0, 380.0, 120.0], "1/cm")
    r = harmonic_tst(T, modes, modes, "0.9 eV")
    assert isinstance(r, TSTResult)
    np.testing.assert_allclose(r.prefactor, KB * T / H, rtol=REL)
    np.testing.assert_allclose(r.enthalpy_barrier, 0.9 * EV, rtol=REL)
    np.testing.assert_allclose(r.free_energy_barrier, 0.9 * EV, rtol=REL)
    np.testing.assert_allclose(r.zero_point_barrier, 0.9 * EV, rtol=REL)
    np.testing.assert_array_equal(r.entropy_barrier, 0.0)
    np.testing.assert_allclose(r.rate_constant, eyring(0.9 * EV, T), rtol=REL)


def test_harmonic_tst_consistent_with_eyring_and_thermodynamics():
    """Eyring (1935) and Gibbs-Helmholtz: k = eyring(dG), dG = dH - T dS, dS = -d(dG)/dT."""
    nu_is, nu_ts = [12e12, 9e12, 4e12], [10e12, 3e12]
    T = np.array([250.0, 500.0, 1000.0])
    r = harmonic_tst(T, nu_is, nu_ts, 1.1 * EV)
    np.testing.assert_allclose(r.rate_constant, eyring(r.free_energy_barrier, T), rtol=REL)
    np.testing.assert_allclose(r.free_energy_barrier,
                               r.enthalpy_barrier - T * r.entropy_barrier, rtol=REL)
    np.testing.assert_allclose(r.rate_constant, r.prefactor * np.exp(-1.1 * EV / (KB * T)),
                               rtol=REL)
    dT = 1e-3 * T
    dGdT = (harmonic_tst(T + dT, nu_is, nu_ts, 1.1 * EV).free_energy_barrier
            - harmonic_tst(T - dT, nu_is, nu_ts, 1.1 * EV).free_energy_barrier) / (2 * dT)
    np.testing.assert_allclose(-dGdT, r.entropy_barrier, rtol=1e-6)


def test_harmonic_tst_one_mode_against_direct_level_sum():
    """McQuarrie, Statistical Mechanics (1976) ch. 6: q = sum_n exp(-(n+1/2) h nu/kT).

    One IS mode, no real TS mode (a 1-D hop): k = kT/h exp(-E_b/kT) / q_IS.
    """
    nu, T, Eb = 5e12, 300.0, 0.4 * EV
    x = H * nu / (KB * T)
    q = sum(math.exp(-(n + 0.5) * x) for n in range(400))
    expected = KB * T / H / q * math.exp(-Eb / (KB * T))
    assert harmonic_tst(T, [nu], [], Eb).rate_constant == pytest.approx(expected, rel=1e-12)


def test_harmonic_tst_classical_limit_is_vineyard():
    """Vineyard (1957) eq. (25): A -> prod nu_IS / prod nu_TS for kT >> h nu.

    Leading quantum correction from ln(1/(2 sinh(x/2))) = -ln x - x^2/24 + O(x^4):
    ln(A / nu*) = (sum x_IS^2 - sum x_TS^2) / 24, checked to 1e-3 of the correction,
    and A within 1e-5 of nu* at T = 1e5 K (x <= 7.2e-3).
    """
    nu_is = np.array([6.0, 9.0, 15.0]) * 1e12
    nu_ts = np.array([8.0, 12.0]) * 1e12
    vineyard = nu_is.prod() / nu_ts.prod()
    T = 1e5
    A = harmonic_tst(T, nu_is, nu_ts, 0.0).prefactor
    assert A == pytest.approx(vineyard, rel=1e-5)
    x_is, x_ts = H * nu_is / (KB * T), H * nu_ts / (KB * T)
    correction = ((x_is**2).sum() - (x_ts**2).sum()) / 24
    assert math.log(A / vineyard) == pytest.approx(correction, rel=1e-3)


def test_harmonic_tst_low_temperature_enthalpy_is_zero_point_barrier():
    """Low-T limit (McQuarrie 1976, ch. 6): thermal vibrational energy -> 0, dH -> E_b + dZPE."""
    nu_is = ureg.Quantity([3000.0, 1200.0, 800.0], "1/cm")
    nu_ts = ureg.Quantity([2500.0, 900.0], "1/cm")
    zpb = 0.7 * EV + 0.5 * H * C * 100.0 * ((2500 + 900) - (3000 + 1200 + 800))
    r = harmonic_tst(2.0, nu_is, nu_ts, "0.7 eV")
    assert r.zero_point_barrier == pytest.approx(zpb, rel=REL)
    assert r.enthalpy_barrier == pytest.approx(zpb, rel=REL)


def test_frequency_units():
    """nu = c * wavenumber (1/cm), nu = E/h (meV) and THz all give Hz."""
    nu = vibrational_frequencies([ureg("1000 1/cm"), ureg("2 THz"), ureg("10 meV")])
    np.testing.assert_allclose(nu, [C * 1e5, 2e12, 1e-2 * EV / H], rtol=REL)
    r1 = harmonic_tst(400.0, ureg.Quantity([1000.0], "1/cm"), [], "0.5 eV")
    r2 = harmonic_tst(400.0, [C * 1e5], [], 0.5 * EV)
    assert r1.rate_constant == pytest.approx(r2.rate_constant, rel=REL)


def test_collision_adsorption_rate_constant_hand_evaluation():
    """Hertz-Knudsen flux (Chorkendorff & Niemantsverdriet 2017, ch. 3): CO on a 6.7 A^2 site."""
    m = 28.0101 * U
    expected = 0.8 * 6.7e-20 / math.sqrt(2 * math.pi * m * KB * 300.0)
    got = collision_adsorption_rate_constant(0.8, ureg("28.0101 u"), 300.0, 6.7e-20)
    assert got == pytest.approx(expected, rel=REL)
    assert collision_adsorption_rate_constant(0.8, m, "300 K", "6.7 angstrom**2/site") == \
        pytest.approx(expected, rel=REL)


@pytest.mark.parametrize("call, message", [
    (lambda: eyring(1e-19, 0.0), "temperature"),
    (lambda: eyring(1e-19, -10.0), "temperature"),
    (lambda: eyring(1e-19, [300.0, np.nan]), "temperature"),
    (lambda: eyring(np.inf, 300.0), "free_energy_barrier"),
    (lambda: arrhenius(-1.0, 1e-19, 300.0), "prefactor"),
    (lambda: harmonic_tst(300.0, [1e12, -2e12], [1e12], 1e-19), "initial_frequencies"),
    (lambda: harmonic_tst(300.0, [1e12], [0.0], 1e-19), "transition_frequencies"),
    (lambda: harmonic_tst(-1.0, [1e12], [1e12], 1e-19), "temperature"),
    (lambda: collision_adsorption_rate_constant(1.5, 4.6e-26, 300.0, 6.7e-20),
     "sticking_coefficient"),
    (lambda: collision_adsorption_rate_constant(-0.1, 4.6e-26, 300.0, 6.7e-20),
     "sticking_coefficient"),
    (lambda: collision_adsorption_rate_constant(0.5, 0.0, 300.0, 6.7e-20), "mass"),
    (lambda: collision_adsorption_rate_constant(0.5, 4.6e-26, 300.0, -1.0), "site_area"),
    (lambda: equilibrium_constant(0.1, 0.0), "temperature"),
])
def test_bad_input_raises_input_error(call, message):
    """Out-of-range input is refused with a message naming the argument and the value."""
    with pytest.raises(InputError, match=message) as info:
        call()
    assert "got" in str(info.value) and "expected" in str(info.value)


@pytest.mark.parametrize("call", [
    lambda: eyring(ureg("1 m"), 300.0),
    lambda: arrhenius(1e13, "1 m", 300.0),
    lambda: equilibrium_constant("0.1 eV", "300 m"),
    lambda: harmonic_tst(300.0, ureg.Quantity([1.0], "kg"), [], 1e-19),
    lambda: collision_adsorption_rate_constant(0.5, "28 m", 300.0, 6.7e-20),
    lambda: collision_adsorption_rate_constant(0.5, "28 u", 300.0, "6.7 angstrom"),
])
def test_wrong_dimension_raises_unit_error(call):
    """A quantity of the wrong dimension raises UnitError, never a wrong number."""
    with pytest.raises(UnitError):
        call()
