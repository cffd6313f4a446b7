"""Diffusion-induced stress in a spherical particle and stress-enhanced diffusion (apps.battery.mechanics)."""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.apps.battery.mechanics import (ParticleMechanics, assess_cracking, critical_flaw_size,
                                                particle_stress, solve_particle_diffusion)
from scalebridge.core.errors import InputError

# LiMn2O4-like constants of Zhang, Shyy & Sastry (2007), Table I: E = 10 GPa, nu = 0.3, Omega = 3.497 cm^3/mol
MECH = ParticleMechanics(youngs_modulus=10e9, poisson_ratio=0.3, partial_molar_volume=3.497e-6, temperature=298.15)
R, D = 5e-6, 1e-14


def test_parabolic_profile_matches_closed_form_stresses():
    """Zhang, Shyy & Sastry (2007), eqs. 8-9 (Cheng & Verbrugge 2009, eq. 5) for c = c0 + d (r/R)^2:
    c_avg = c0 + 3d/5, centre sigma_r = sigma_t = 2 E Omega/(9(1-nu)) (c_avg - c(0)), surface sigma_r = 0 and
    sigma_t = E Omega/(3(1-nu)) (c_avg - c(R)); full profiles sigma_r = S (6d/5)(1 - x^2), sigma_t = S d (6/5 - 12 x^2/5),
    S = E Omega/(9(1-nu)). 200 points: errors 1e-5 of the centre stress (second order: 1.2e-4 at 50 points)."""
    r = np.linspace(0, R, 200)
    d = 1000.0
    s = particle_stress(r, 2000 + d * (r / R) ** 2, R, MECH)
    S = MECH.youngs_modulus * MECH.partial_molar_volume / (9 * (1 - MECH.poisson_ratio))
    centre = 2 * S * (3 * d / 5)
    surface_hoop = 3 * S * (3 * d / 5 - d)
    x = r / R
    assert s.radial[0] == pytest.approx(centre, rel=2e-5) and s.hoop[0] == pytest.approx(centre, rel=2e-5)
    assert s.hoop[-1] == pytest.approx(surface_hoop, rel=2e-5) and abs(s.radial[-1]) < 1e-9 * centre
    assert np.max(np.abs(s.radial - S * 6 * d / 5 * (1 - x**2))) < 2e-5 * centre
    assert np.max(np.abs(s.hoop - S * d * (6 / 5 - 12 / 5 * x**2))) < 2e-5 * centre
    assert np.allclose(s.hydrostatic, (s.radial + 2 * s.hoop) / 3, rtol=0, atol=1e-9 * centre)


def _crank_constant_flux(r, t, j, c0, n_terms=200):
    """Crank (1975), eq. 6.44 (sphere, constant surface flux F0 = j into the sphere, initially c0)."""
    lam = np.array([brentq(lambda x: np.tan(x) - x, n * np.pi + 1e-9, n * np.pi + np.pi / 2 - 1e-9)
                    for n in range(1, n_terms + 1)])
    series = np.sin(np.outer(r / R, lam)) / (lam**2 * np.sin(lam)) * np.exp(-lam**2 * D * t / R**2)
    return c0 + j * R / D * (3 * D * t / R**2 + r**2 / (2 * R**2) - 0.3 - 2 * R / r * series.sum(axis=1))


def test_galvanostatic_transient_and_long_time_stresses():
    """Transient profile vs Crank (1975) eq. 6.44 (3e-4 of jR/D with 40 cells); after t = R^2/D the
    parabolic steady shape gives sigma_r(0) = sigma_t(0) = -sigma_t(R) = E Omega j R/(15 (1-nu) D)
    (Cheng & Verbrugge 2009, eq. 12 and Fig. 2 limit; Christensen & Newman 2006): within 0.1 %."""
    j, c0 = 1e-5, 1000.0
    hist = solve_particle_diffusion(R, D, j, R**2 / D, initial_concentration=c0, mechanics=MECH,
                                    stress_coupling=False, n_cells=40, n_steps=400)
    k = int(np.searchsorted(hist.t, 0.05 * R**2 / D))
    exact = _crank_constant_flux(hist.radii, hist.t[k], j, c0)
    assert np.max(np.abs(hist.concentration[k] - exact)) < 5e-4 * j * R / D
    assert np.allclose(hist.mean_concentration, c0 + 3 * j * hist.t / R, rtol=1e-12)  # conservation
    ref = MECH.youngs_modulus * MECH.partial_molar_volume * j * R / (15 * (1 - MECH.poisson_ratio) * D)
    st = hist.stress()
    assert st.radial[-1, 0] == pytest.approx(ref, rel=1e-3)
    assert st.hoop[-1, 0] == pytest.approx(ref, rel=1e-3)
    surface_hoop = 3 * MECH.stress_scale * (hist.mean_concentration[-1] - hist.surface_concentration[-1])
    assert surface_hoop == pytest.approx(-ref, rel=1e-3)


def test_stress_enhanced_diffusion_flattens_the_profile():
    """Zhang, Shyy & Sastry (2007), eq. 14: the coupled flux is -D(1 + theta c) dc/dr. In the quasi-steady
    galvanostatic regime the Kirchhoff variable u = c + theta c^2/2 is parabolic, u(r) - u(0) = j r^2/(2RD)
    (within 1 %: measured 0.77 %, mesh independent, the quasi-steady approximation); lithium is conserved and
    the centre stress drops to ~1/(1 + theta c) of the uncoupled value (0.81 here, theta c = 0.25)."""
    j, c0 = 1e-5, 1000.0
    kw = dict(initial_concentration=c0, mechanics=MECH, n_cells=40, n_steps=400)
    coupled = solve_particle_diffusion(R, D, j, R**2 / D, stress_coupling=True, **kw)
    plain = solve_particle_diffusion(R, D, j, R**2 / D, stress_coupling=False, **kw)
    c = coupled.concentration[-1]
    u = c + MECH.coupling * c**2 / 2
    amplitude = j * R / (2 * D)
    assert np.max(np.abs(u - u[0] - j * coupled.radii**2 / (2 * R * D))) < 0.01 * amplitude
    assert np.allclose(coupled.mean_concentration, plain.mean_concentration, rtol=1e-12)
    ratio = coupled.stress().hoop[-1, 0] / plain.stress().hoop[-1, 0]
    theta_c = MECH.coupling * coupled.mean_concentration[-1]
    assert ratio == pytest.approx(1 / (1 + theta_c), rel=0.03)
    assert coupled.newton_iterations > 1


def test_cracking_on_delithiation():
    """Delithiation puts the surface in tension (Zhang et al. 2007, Fig. 6; Woodford et al. 2010); Griffith:
    a_c = (K_IC/(1.12 sigma))^2/pi (Anderson, Fracture Mechanics, sec. 2.6)."""
    hist = solve_particle_diffusion(R, D, -1e-5, 0.2 * R**2 / D, initial_concentration=20000.0, mechanics=MECH,
                                    n_cells=30, n_steps=100)
    crack = assess_cracking(hist, fracture_strength=50e6, fracture_toughness=1e6)
    assert crack.at_radius > 0.9 * R and crack.max_tensile_hoop > 0
    assert crack.indicator == pytest.approx(crack.max_tensile_hoop / 50e6)
    assert crack.critical_flaw_size == pytest.approx((1e6 / (1.12 * crack.max_tensile_hoop)) ** 2 / np.pi)
    assert critical_flaw_size(-1e6, 1e6) == np.inf


def test_bad_input_is_named():
    with pytest.raises(InputError, match="poisson_ratio"):
        ParticleMechanics(1e9, 0.6, 1e-6)
    with pytest.raises(InputError, match="diffusivity"):
        solve_particle_diffusion(R, -1.0, 1e-5, 10.0)
    with pytest.raises(InputError, match="r:"):
        particle_stress([0, 2 * R], [1.0, 2.0], R, MECH)
