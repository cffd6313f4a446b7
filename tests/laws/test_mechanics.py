"""Closed-form checks of the atoms-to-continuum mechanics laws (scalebridge.laws.mechanics)."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.laws import mechanics as m


def test_griffith_toughness_isotropic():
    """Griffith 1921 / Irwin: K_Ic = sqrt(2 gamma_s E'), E' = E/(1 - nu^2) in plane strain."""
    g, E, nu = 1.2, 70e9, 0.3
    assert m.griffith_energy_release_rate(g) == pytest.approx(2.4)
    assert m.griffith_toughness(g, E, nu) == pytest.approx(np.sqrt(2 * g * E / (1 - nu**2)), rel=1e-14)
    assert m.griffith_toughness(g, E, nu, plane="stress") == pytest.approx(np.sqrt(2 * g * E), rel=1e-14)
    assert m.griffith_toughness("1.2 J/m^2", "70 GPa", 0.3) == pytest.approx(m.griffith_toughness(g, E, nu))


def test_sih_paris_irwin_isotropic_limit():
    """Sih, Paris & Irwin 1965: for an isotropic solid c_I = (1 - nu^2)/E (Irwin's plane-strain relation)."""
    E, nu = 200e9, 0.3
    mu, lam = E / (2 * (1 + nu)), E * nu / ((1 + nu) * (1 - 2 * nu))
    C = m.cubic_stiffness(lam + 2 * mu, lam, mu)
    assert m.crack_compliance_sih_paris_irwin(C) == pytest.approx((1 - nu**2) / E, rel=1e-12)
    R = np.array([[1, 1, 0], [-1, 1, 0], [0, 0, 1]])      # any orientation of an isotropic solid
    assert m.crack_compliance_sih_paris_irwin(C, R) == pytest.approx((1 - nu**2) / E, rel=1e-12)


def test_stroh_equals_sih_paris_irwin_for_copper_and_isotropic_diagonal():
    """Ting 1996 (G = k^T L^-1 k / 2) vs Sih-Paris-Irwin 1965 for Cu (Simmons & Wang constants),
    cube and [110] orientations; near isotropy L^-1/2 -> diag((1-nu)/2mu, (1-nu)/2mu, 1/2mu)."""
    Cu = m.cubic_stiffness(168.4e9, 121.4e9, 75.4e9)
    for frame in (None, np.array([[1, 1, 0], [0, 0, 1], [1, -1, 0]])):
        spi = m.crack_compliance_sih_paris_irwin(Cu, frame)
        stroh = m.crack_compliance_stroh(Cu, frame)
        assert stroh[1, 1] == pytest.approx(spi, rel=1e-10)
        assert m.anisotropic_griffith_toughness(1.5, Cu, frame) == pytest.approx(
            m.anisotropic_griffith_toughness(1.5, Cu, frame, method="sih_paris_irwin"), rel=1e-10)
    c11, c12 = 200e9, 100e9
    c44 = 1.0001 * (c11 - c12) / 2             # anisotropy ratio 1.0001: Stroh eigenvalues still distinct
    lam, mu = c12, c44
    nu = lam / (2 * (lam + mu))
    L = m.crack_compliance_stroh(m.cubic_stiffness(c11, c12, c44))
    assert np.diag(L) == pytest.approx([(1 - nu) / (2 * mu), (1 - nu) / (2 * mu), 1 / (2 * mu)], rel=1e-3)


def test_rice_emission_closed_form_and_resolved_shear_maximum():
    """Rice 1992: K_Ie = sqrt(2 mu g_us (1 + (1-nu) tan^2 phi)/(1-nu)) / F12(theta),
    F12 = cos^2(theta/2) sin(theta/2), maximal 2/(3 sqrt 3) at cos(theta) = 1/3."""
    th = np.linspace(0.01, np.pi - 0.01, 20001)
    f = m.resolved_shear_factor(th)
    assert th[np.argmax(f)] == pytest.approx(np.arccos(1 / 3), abs=2e-4)
    assert f.max() == pytest.approx(2 / (3 * np.sqrt(3)), rel=1e-8)
    # mu = gamma_us = 1, nu = 1/4, theta = 90 deg: F12 = sqrt(2)/4, K = sqrt(8/3) * 2 sqrt(2) = 4.6188
    assert m.rice_emission_toughness(1.0, 1.0, 0.25, np.pi / 2) == pytest.approx(np.sqrt(8 / 3) * 2 * np.sqrt(2))
    assert m.rice_emission_toughness(1.0, 1.0, 0.25, np.pi / 2, np.pi / 4) == pytest.approx(
        np.sqrt(8 / 3) * 2 * np.sqrt(2) * np.sqrt(1.75))
    # an fcc-like metal (Al: mu 26 GPa, nu 0.35, g_us 0.1 J/m^2; Rice 1992 Table 2 magnitudes) emits before
    # it cleaves (g_s 1 J/m^2) on a 45-deg slip plane: ductile
    kie = m.rice_emission_toughness(0.1, 26e9, 0.35, np.radians(45))
    kic = m.griffith_toughness(1.0, 70e9, 0.35)
    verdict = m.ductile_brittle(kie, kic)
    assert verdict.verdict == "ductile" and verdict.ratio == pytest.approx(kie / kic)
    assert m.ductile_brittle([2.0, 0.5], 1.0).verdict.tolist() == ["brittle", "ductile"]


def test_taylor_and_orowan():
    """Taylor 1934: tau = alpha mu b sqrt(rho); Orowan mu b / L; Bacon-Kocks-Scattergood 1973 log form."""
    tau = m.taylor_stress(1e14, 48e9, 0.256e-9, 0.3)        # Cu, rho = 1e14 m^-2
    assert tau == pytest.approx(0.3 * 48e9 * 0.256e-9 * 1e7)
    assert m.taylor_density(tau, 48e9, 0.256e-9, 0.3) == pytest.approx(1e14)
    assert m.orowan_stress(100e-9, 48e9, 0.256e-9) == pytest.approx(48e9 * 0.256e-9 / 100e-9)
    L, D, nu, b = 100e-9, 20e-9, 1 / 3, 0.256e-9
    Dbar = 1 / (1 / D + 1 / L)
    bks = 48e9 * b / (2 * np.pi * np.sqrt(1 - nu) * L) * np.log(Dbar / b)
    assert m.orowan_stress(L, 48e9, b, obstacle_diameter=D, poisson_ratio=nu) == pytest.approx(bks, rel=1e-14)
    assert bks < 48e9 * b / L     # the log form is below the line-tension estimate for these sizes


def test_nix_gao_from_taylor_and_linear_in_inverse_depth():
    """Nix & Gao 1998 eqs. (6), (10), (11): H = 3 sqrt(3) alpha mu b sqrt(rho_S + rho_G) equals
    H0 sqrt(1 + h*/h); H^2 is linear in 1/h with intercept H0^2 and slope H0^2 h*."""
    mu, b, alpha, theta, rho_s = 42e9, 0.256e-9, 0.5, np.radians(19.7), 1e13
    H0 = 3 * np.sqrt(3) * alpha * mu * b * np.sqrt(rho_s)
    h_star = m.nix_gao_characteristic_depth(H0, mu, b, theta, alpha)
    h = np.geomspace(50e-9, 5e-6, 12)
    taylor = 3 * np.sqrt(3) * alpha * mu * b * np.sqrt(rho_s + m.nix_gao_gnd_density(h, b, theta))
    H = m.nix_gao_hardness(h, H0, h_star)
    assert H == pytest.approx(taylor, rel=1e-12)
    slope, intercept = np.polyfit(1 / h, H**2, 1)
    assert intercept == pytest.approx(H0**2, rel=1e-9) and slope == pytest.approx(H0**2 * h_star, rel=1e-9)


@pytest.mark.parametrize("ratio", [0.02, 0.1, 0.5, 3.0])
def test_honeycomb_closed_form_matches_numerical_cauchy_born(ratio):
    """Honeycomb bond-stretch/bond-bend lattice (cf. Chang & Gao 2003): closed-form C11, C12, mu, E, nu
    vs numerical Cauchy-Born with inner relaxation of the two-atom basis (Tadmor & Miller 2011, 11.2.4)."""
    kr, a = 742.0, 1.42e-10
    kt = ratio * kr * a**2
    closed = m.honeycomb_moduli(kr, kt, a)
    numeric = m.honeycomb_moduli_cauchy_born(kr, kt, a)
    for key in closed:
        assert numeric[key] == pytest.approx(closed[key], rel=1e-6), key
    assert closed["shear_modulus"] == pytest.approx((closed["C11"] - closed["C12"]) / 2, rel=1e-12)  # isotropy


def test_honeycomb_limits_and_inner_relaxation():
    """nu -> 1 (angle springs soft) and -> -1/3 (stiff); without inner relaxation the lattice is stiffer."""
    assert m.honeycomb_moduli(1.0, 1e-8, 1.0)["poisson_ratio"] == pytest.approx(1.0, abs=1e-6)
    assert m.honeycomb_moduli(1.0, 1e8, 1.0)["poisson_ratio"] == pytest.approx(-1 / 3, abs=1e-6)
    F = np.array([[1.01, 0.0], [0.0, 1.0]])
    W, eta = m.honeycomb_cauchy_born(F, 1.0, 0.1, 1.0)
    assert np.abs(eta).max() > 1e-4           # the sublattices shift relative to each other
    assert W > 0


def test_mechanics_bad_input():
    with pytest.raises(InputError, match="surface_energy"):
        m.griffith_toughness(-1.0, 70e9)
    with pytest.raises(InputError, match="poisson_ratio"):
        m.griffith_toughness(1.0, 70e9, 0.7)
    with pytest.raises(InputError, match="slip_angle"):
        m.rice_emission_toughness(0.1, 26e9, 0.3, 0.0)
    with pytest.raises(InputError, match="cubic elastic constants"):
        m.cubic_stiffness(100e9, 150e9, 50e9)
    with pytest.raises(InputError, match="Stroh eigenvalues"):
        m.crack_compliance_stroh(m.cubic_stiffness(200e9, 100e9, 50e9))
    with pytest.raises(InputError, match="deformation_gradient"):
        m.honeycomb_cauchy_born(np.diag([-1.0, 1.0]), 1.0, 0.1, 1.0)
    with pytest.raises(InputError, match="symmetry"):
        m.crack_compliance_sih_paris_irwin(m.cubic_stiffness(168.4e9, 121.4e9, 75.4e9),
                                           [[2, 1, 0], [-1, 2, 0], [0, 0, 1]])
