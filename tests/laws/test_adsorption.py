"""Validation tests of scalebridge.laws.adsorption (Langmuir closures)."""

import math

import numpy as np
import pytest

from scalebridge.core.errors import InputError, ShapeError, UnitError
from scalebridge.core.units import ureg
from scalebridge.laws.adsorption import (competitive_langmuir_coverages,
                                         dissociative_langmuir_coverage, free_site_fraction,
                                         langmuir_constant, langmuir_coverage)

KB = 1.380649e-23        # J/K, exact
EV = 1.602176634e-19     # J, exact
REL = 1e-12


def test_langmuir_closed_form():
    """Langmuir (1918), J. Am. Chem. Soc. 40, 1361: theta = Kp / (1 + Kp)."""
    p = np.array([0.0, 10.0, 1e3, 1e5])
    K = 2.5e-4
    np.testing.assert_allclose(langmuir_coverage(p, K), K * p / (1 + K * p), rtol=REL)
    # half coverage at p = 1/K, with units: K = 0.1 1/bar -> p = 10 bar
    assert langmuir_coverage("10 bar", ureg("0.1 1/bar")) == pytest.approx(0.5, rel=REL)
    np.testing.assert_allclose(langmuir_coverage(["10 bar", "1 bar"], "0.1 1/bar"),
                               [0.5, 1 / 11], rtol=REL)


def test_dissociative_langmuir_closed_form():
    """C&N (2017) ch. 2: A2 + 2* = 2A*, theta = sqrt(Kp) / (1 + sqrt(Kp))."""
    p, K = np.array([1.0, 1e2, 1e4]), 1e-3
    s = np.sqrt(K * p)
    theta = dissociative_langmuir_coverage(p, K)
    np.testing.assert_allclose(theta, s / (1 + s), rtol=REL)
    # equilibrium condition of the dissociation: theta^2 = K p (1 - theta)^2
    np.testing.assert_allclose(theta**2, K * p * (1 - theta) ** 2, rtol=1e-12)


def test_langmuir_limits():
    """Henry regime theta ~ Kp (and sqrt(Kp)) as p -> 0; saturation theta -> 1 as p -> inf."""
    K = 1e-3
    assert langmuir_coverage(1e-9, K) == pytest.approx(K * 1e-9, rel=1e-11)
    assert dissociative_langmuir_coverage(1e-9, K) == pytest.approx(math.sqrt(K * 1e-9), rel=1e-5)
    assert langmuir_coverage(0.0, K) == 0.0
    assert 1 - langmuir_coverage(1e15, K) == pytest.approx(1 / (K * 1e15), rel=1e-3)
    assert langmuir_coverage(1e200, K) == 1.0
    assert dissociative_langmuir_coverage(1e200, K) == 1.0


def test_competitive_langmuir_coverages_sum_to_one_and_match_closed_form():
    """Competitive Langmuir (C&N 2017, ch. 2): theta_i = a_i / (1 + sum a_j), sum + free = 1."""
    rng = np.random.default_rng(7)
    p = rng.uniform(0.0, 2e5, size=(50, 3))
    K = np.array([1e-4, 3e-6, 2e-5])
    diss = [False, True, False]
    theta, free = competitive_langmuir_coverages(p, K, diss, return_free_sites=True)
    assert theta.shape == (50, 3) and free.shape == (50,)
    np.testing.assert_allclose(theta.sum(-1) + free, 1.0, rtol=0, atol=1e-14)
    np.testing.assert_allclose(free, free_site_fraction(p, K, diss), rtol=REL)
    a = np.stack([K[0] * p[:, 0], np.sqrt(K[1] * p[:, 1]), K[2] * p[:, 2]], axis=-1)
    np.testing.assert_allclose(theta, a / (1 + a.sum(-1, keepdims=True)), rtol=REL)


def test_competitive_reduces_to_single_species():
    """With one species, or all other partial pressures zero, competitive = simple Langmuir."""
    p, K = np.array([[3e3, 0.0], [7e4, 0.0]]), np.array([2e-4, 5e-3])
    theta = competitive_langmuir_coverages(p, K)
    np.testing.assert_allclose(theta[:, 0], langmuir_coverage(p[:, 0], K[0]), rtol=REL)
    np.testing.assert_array_equal(theta[:, 1], 0.0)
    np.testing.assert_allclose(competitive_langmuir_coverages([5e3], [1e-4], [True]),
                               [dissociative_langmuir_coverage(5e3, 1e-4)], rtol=REL)


def test_langmuir_constant_from_free_energy():
    """K = exp(-dG/kT)/p0 (C&N 2017, ch. 2): dG = -0.5 eV at 500 K, p0 = 1 bar."""
    expected = math.exp(0.5 * EV / (KB * 500.0)) / 1e5
    assert langmuir_constant("-0.5 eV", 500.0) == pytest.approx(expected, rel=REL)
    assert langmuir_constant(-0.5 * EV, 500.0, "1 atm") == pytest.approx(
        expected * 1e5 / 101325.0, rel=REL)


@pytest.mark.parametrize("call, message", [
    (lambda: langmuir_coverage(-1.0, 1e-3), "pressure"),
    (lambda: langmuir_coverage(np.nan, 1e-3), "pressure"),
    (lambda: langmuir_coverage(1.0, -1e-3), "K"),
    (lambda: dissociative_langmuir_coverage([1.0, -2.0], 1e-3), "pressure"),
    (lambda: competitive_langmuir_coverages([1.0, -2.0], [1e-3, 1e-3]), "pressures"),
    (lambda: free_site_fraction([1.0, 2.0], [1e-3, np.inf]), "K"),
    (lambda: langmuir_constant(-1e-19, 0.0), "temperature"),
    (lambda: langmuir_constant(-1e-19, 300.0, 0.0), "standard_pressure"),
])
def test_bad_input_raises_input_error(call, message):
    """Negative or non-finite pressures/constants are refused with a named argument."""
    with pytest.raises(InputError, match=message) as info:
        call()
    assert "got" in str(info.value) and "expected" in str(info.value)


def test_wrong_units_and_shapes():
    """Wrong dimension -> UnitError; species counts that do not broadcast -> ShapeError."""
    with pytest.raises(UnitError):
        langmuir_coverage("1 m", 1e-3)
    with pytest.raises(UnitError):
        langmuir_coverage(1e3, "1e-3 Pa")
    with pytest.raises(UnitError):
        langmuir_constant("1 m", 300.0)
    with pytest.raises(ShapeError):
        competitive_langmuir_coverages([1.0, 2.0, 3.0], [1e-3, 1e-3])
    with pytest.raises(ShapeError):
        competitive_langmuir_coverages([1.0, 2.0], [1e-3, 1e-3], [True, False, True])
