"""Macro gas Darcy FE against 1-D closed forms (Muskat, Klinkenberg, Kirchhoff transform)."""

import numpy as np
import pytest
from scipy.constants import R
from scipy.integrate import quad

from scalebridge.core.errors import InputError
from scalebridge.solvers.fem.darcy_gas import solve_gas_darcy

GAS = dict(viscosity=1.1e-5, temperature=350.0, molar_mass=0.016)
SCALE = 0.016 / (R * 350.0 * 1.1e-5)


def test_series_layers_with_klinkenberg_slip():
    """Klinkenberg (1941): with f = 1 + b/p, Phi = p^2/2 + b p is linear in each layer; flux = dPhi / sum(h/k)."""
    b, ks = 3e5, np.array([1e-17, 3e-17, 0.5e-17, 2e-17])
    k = np.repeat(ks[:, None], 4, axis=1).repeat(10, axis=0)
    s = solve_gas_darcy(0.1, 0.02, k, inlet_pressure=2e6, outlet_pressure=2e5, slip=lambda p, e: 1 + b / p, **GAS)
    phi = lambda p: p * p / 2 + b * p  # noqa: E731
    exact = SCALE * (phi(2e6) - phi(2e5)) / np.sum(0.025 / ks) * 0.02
    assert s.mass_flow_out == pytest.approx(exact, rel=1e-8)
    assert s.imbalance < 1e-9


def test_uniform_medium_any_slip_law_kirchhoff():
    """Kirchhoff transform: m = M k W/(R T mu L) int_{p_out}^{p_in} f(p) p dp for any f(p) (here a BK-like law)."""
    f = lambda p: 1 + 2e5 / p + 1e10 / p ** 2  # noqa: E731
    s = solve_gas_darcy(0.1, 0.02, np.full((80, 2), 1e-17), inlet_pressure=2e6, outlet_pressure=2e5,
                        slip=lambda p, e: f(p), **GAS)
    exact = SCALE * 1e-17 * 0.02 / 0.1 * quad(lambda p: f(p) * p, 2e5, 2e6)[0]
    assert s.mass_flow_out == pytest.approx(exact, rel=1e-4)


def test_no_slip_is_muskat():
    """Muskat (1937): f = 1 gives m = M k W (p_in^2 - p_out^2)/(2 R T mu L), exact in 1-D FE."""
    s = solve_gas_darcy(1.0, 0.5, np.full((20, 3), 2e-15), inlet_pressure=1e6, outlet_pressure=1e5, **GAS)
    assert s.mass_flow_in == pytest.approx(SCALE * 2e-15 * 0.5 * (1e12 - 1e10) / 2, rel=1e-8)


def test_bad_input():
    with pytest.raises(InputError, match="permeability"):
        solve_gas_darcy(1.0, 1.0, -np.ones((2, 2)), inlet_pressure=1e6, outlet_pressure=1e5, **GAS)
