"""Remodelling law: closed-form fixed point, Huiskes limit, exact cell relaxation, fabric orientation, tangent."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from scalebridge.core.consistency import check_tangent
from scalebridge.core.errors import InputError
from scalebridge.laws.bone_remodelling import (RemodellingMaterial, RemodellingParameters, advance_cells,
                                               homeostatic_density, power_law_modulus, structure_tensor_orientation,
                                               unit_stiffness)

DAY = 86400.0
P = RemodellingParameters(exponent=2.0)


def test_homeostatic_density_closed_form_gives_reference_stimulus():
    """At rho* the strain energy per mass of the prescribed stress equals k (Weinans et al. 1992 fixed point)."""
    sigma = np.array([-2e6, -0.4e6, 0.3e6])
    rho = homeostatic_density(sigma, P)
    E, _ = power_law_modulus(rho, P)
    strain = np.linalg.solve(E * unit_stiffness(P.poisson_ratio), sigma)
    assert 0.5 * sigma @ strain / rho == pytest.approx(P.reference_stimulus, rel=1e-12)


def test_uniaxial_stress_closed_form_by_hand():
    """Uniaxial plane-strain stress s: u1 = (1 - nu^2) s^2 / 2, rho* = (u1 rho0^g / (E0 k))^(1/(g+1))."""
    s, nu = 2e6, P.poisson_ratio
    expected = ((1 - nu ** 2) * s ** 2 / 2 * P.density_reference ** 2 / (P.modulus_reference * P.reference_stimulus)) \
        ** (1 / 3)
    assert homeostatic_density(np.array([s, 0.0, 0.0]), P) == pytest.approx(expected, rel=1e-12)


def test_cells_reduce_to_huiskes_law_when_fast():
    """tau -> 0: d rho = 2 r xi dt, i.e. the Huiskes/Weinans law B (S - k) with B = 2 r / k."""
    fast = RemodellingParameters(osteoblast_lifetime=1.0, osteoclast_lifetime=1.0)
    xi = np.array([-0.3, 0.0, 0.2])
    dt = 10 * DAY
    b, c, drho = advance_cells(np.ones(3), np.ones(3), xi, dt, fast)
    assert np.allclose(drho, 2 * fast.formation_rate * xi * dt, rtol=1e-5)
    assert np.allclose(b, 1 + xi) and np.allclose(c, 1 - xi)


def test_exact_cell_relaxation_matches_ode_integration():
    """The closed-form step equals a tight numerical integration of dB, dC, d rho (frozen stimulus)."""
    xi, dt = np.array([0.4, -0.25]), 7 * DAY
    b0, c0 = np.array([0.8, 1.3]), np.array([1.1, 0.6])
    b, c, drho = advance_cells(b0, c0, xi, dt, P)

    def rhs(t, y):
        B, C = y[:2], y[2:4]
        return np.concatenate([(np.maximum(1 + xi, 0) - B) / P.osteoblast_lifetime,
                               (np.maximum(1 - xi, 0) - C) / P.osteoclast_lifetime, P.formation_rate * (B - C)])

    ref = solve_ivp(rhs, (0, dt), np.concatenate([b0, c0, [0, 0]]), rtol=1e-12, atol=1e-14, method="DOP853").y[:, -1]
    assert np.allclose(b, ref[:2], rtol=1e-10) and np.allclose(c, ref[2:4], rtol=1e-10)
    assert np.allclose(drho, ref[4:], rtol=1e-8)


@pytest.mark.parametrize("angle", [0.0, 30.0, 90.0, 135.0])
def test_structure_tensor_finds_stripe_direction(angle):
    """Stripes along direction a: the minor eigenvector of the gradient structure tensor (Bigun & Granlund 1987),
    within 1 degree for stripes resolved by 16 pixels (central differences bias coarser stripes)."""
    n = 64
    x, y = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    a = math.radians(angle)
    across = -x * math.sin(a) + y * math.cos(a)
    found, anisotropy = structure_tensor_orientation(np.sin(2 * np.pi * across / 16))  # 16 px wavelength
    assert abs((found - angle + 90) % 180 - 90) < 1.0 and anisotropy > 0.9


def test_material_tangent_and_state():
    m = RemodellingMaterial(P, 10 * DAY, 500.0)
    (result,) = check_tangent(m, m.sample_inputs())
    assert result.passed
    ev = m.evaluate(m.sample_inputs())
    assert set(ev.state) == {"density", "osteoblasts", "osteoclasts"}
    with pytest.raises(InputError, match="initial_density"):
        RemodellingMaterial(P, DAY, 5000.0)
