"""Gas slip laws: Klinkenberg and Beskok–Karniadakis limits, mean free path."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws.gas_slip import (ALPHA_0, apparent_permeability, flow_regime, klinkenberg_coefficient,
                                       klinkenberg_permeability, knudsen_number, mean_free_path,
                                       rarefaction_coefficient, slip_factor)


def test_mean_free_path_of_air():
    """Jennings (1988, J. Aerosol Sci. 19, 159): air at 23 degC, 1 atm has lambda = 66.5 nm (mu = 1.8325e-5 Pa s)."""
    assert mean_free_path(1.8325e-5, 101325.0, 296.15, 0.028966) == pytest.approx(66.5e-9, rel=0.01)


def test_klinkenberg_limit_and_slope():
    """Klinkenberg (1941): k_app -> k_inf as p -> inf, and k_app is linear in 1/p with slope k_inf b."""
    k, b = 1e-17, 2.5e5
    p = np.array([1e5, 1e6, 1e7, 1e9, 1e12])
    kapp = klinkenberg_permeability(k, b, p)
    assert kapp[-1] == pytest.approx(k, rel=1e-6)
    slope = np.diff(kapp) / np.diff(1 / p)
    assert np.allclose(slope, k * b, rtol=1e-12)


@pytest.mark.parametrize("correlation", ["beskok_karniadakis", "civan"])
def test_beskok_karniadakis_slip_and_free_molecular_limits(correlation):
    """Beskok & Karniadakis (1999): f -> 1 + 4 Kn (first-order slip, Kn -> 0); f -> 5 alpha_0 Kn (Kn -> inf)."""
    kn = np.array([1e-12, 1e-10, 1e-8])
    excess = (slip_factor(kn, correlation) - 1) / kn - 4.0   # = alpha(Kn) ~ Kn^0.4 -> 0
    assert np.all(np.diff(excess) > 0) and excess[0] < 1e-3
    assert slip_factor(0.0, correlation) == 1.0
    big = 1e8
    assert slip_factor(big, correlation) / big == pytest.approx(5 * ALPHA_0, rel=1e-3)
    assert rarefaction_coefficient(big, correlation) == pytest.approx(64 / (15 * np.pi), rel=1e-3)


def test_bk_reduces_to_klinkenberg_at_high_pressure():
    """Civan (2010, eq. 16): in the slip limit the unified law is Klinkenberg's with b = 4 Kn p (pressure free)."""
    mu, T, M, r = 1.2e-5, 350.0, 0.016, 100e-9
    b = klinkenberg_coefficient(mu, T, M, r)
    p = 50e6
    kn = knudsen_number(mean_free_path(mu, p, T, M), r)
    assert b == pytest.approx(4 * kn * p, rel=1e-12)
    assert apparent_permeability(1e-17, kn) == pytest.approx(klinkenberg_permeability(1e-17, b, p), rel=2e-3)
    assert flow_regime(kn) == "slip" and flow_regime(1.0) == "transition"


def test_bad_input():
    with pytest.raises(InputError, match="pressure"):
        mean_free_path(1e-5, -1.0, 300, 0.016)
    with pytest.raises(InputError, match="correlation"):
        slip_factor(0.1, "nonsense")
