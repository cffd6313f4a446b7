"""Ivantsov function, its inverse and the LGK / marginal-stability tip against independent references."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.solidification import (MARGINAL_STABILITY_CONSTANT, dendrite_tip, ivantsov,
                                             ivantsov_asymptotic, ivantsov_derivative, ivantsov_peclet,
                                             ivantsov_series)

#: x e^x E1(x), Abramowitz & Stegun (1964) Table 5.1 (9 digits).
TABLE_5_1 = {1.0: 0.596347362, 2.0: 0.722657234, 5.0: 0.852110880, 10.0: 0.915633339}


def test_ivantsov_matches_abramowitz_stegun_table():
    """A&S (1964) Table 5.1: Iv(P) = P e^P E1(P) to the 9 tabulated digits."""
    x = np.array(list(TABLE_5_1))
    assert np.allclose(ivantsov(x), list(TABLE_5_1.values()), atol=2e-9, rtol=0)


def test_ivantsov_series_and_asymptotics():
    """Convergent series (A&S 5.1.11) for small P to 1e-13; asymptotic series (A&S 5.1.51) at large P."""
    small = np.logspace(-8, 0, 40)
    assert np.max(np.abs(ivantsov_series(small) / ivantsov(small) - 1)) < 1e-13
    large = np.array([30.0, 100.0, 1e3, 1e5])
    assert np.max(np.abs(ivantsov_asymptotic(large, 10) / ivantsov(large) - 1)) < 1e-8
    assert ivantsov(1e6) == pytest.approx(1 - 1e-6 + 2e-12, rel=1e-14)      # no overflow of e^P
    P = np.array([1e-3, 0.1, 2.0])                                           # derivative vs central differences
    h = 1e-6 * P
    assert np.allclose(ivantsov_derivative(P), (ivantsov(P + h) - ivantsov(P - h)) / (2 * h), rtol=1e-6)


def test_inversion_round_trips():
    """Iv(Iv^-1(D)) = D to 1e-12 over D in [1e-8, 0.999]; D outside (0, 1) is refused."""
    d = np.logspace(-8, np.log10(0.999), 50)
    assert np.max(np.abs(ivantsov(ivantsov_peclet(d)) / d - 1)) < 1e-12
    for bad in (0.0, 1.0, -0.1, np.nan):
        with pytest.raises(InputError, match="undercooling"):
            ivantsov_peclet(bad)


def test_marginal_stability_tip_budget_and_invariant():
    """LGK (1984): dT = dT_t + dT_r + dT_k; selection sigma* = 2 d0 alpha/(R^2 V) = 1/(4 pi^2) (LMK 1978)."""
    dT = np.array([0.1, 0.5, 1.0, 2.0])
    tip = dendrite_tip(dT, 23.1, 2.8e-9, 1.14e-7, kinetic_coefficient=1e-2)
    parts = tip.thermal_undercooling + tip.capillary_undercooling + tip.kinetic_undercooling
    assert np.allclose(parts, dT, rtol=1e-12)
    assert np.allclose(2 * 2.8e-9 * 1.14e-7 / (tip.radius**2 * tip.velocity), MARGINAL_STABILITY_CONSTANT, rtol=1e-12)
    assert np.allclose(tip.peclet, tip.velocity * tip.radius / (2 * 1.14e-7), rtol=1e-12)
    fast = dendrite_tip(dT, 23.1, 2.8e-9, 1.14e-7)
    assert np.all(tip.velocity < fast.velocity)                 # kinetic undercooling slows the tip
    # without capillarity and kinetics the Peclet number is Ivantsov's: P -> Iv^-1(dT c/L) as sigma* -> 0
    ivantsov_only = dendrite_tip(dT, 23.1, 2.8e-9, 1.14e-7, selection_constant=1e-9)
    assert np.allclose(ivantsov_only.peclet, ivantsov_peclet(dT / 23.1), rtol=1e-7)


def test_bad_tip_arguments_name_the_key():
    with pytest.raises(InputError, match="undercooling"):
        dendrite_tip(-1.0, 23.1, 2.8e-9, 1.14e-7)
    with pytest.raises(InputError, match="capillary_length"):
        dendrite_tip(1.0, 23.1, "2.8 K", 1.14e-7)
