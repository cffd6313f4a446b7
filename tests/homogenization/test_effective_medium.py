"""Maxwell Garnett / Mori–Tanaka and Bruggeman / self-consistent estimates against exact results."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.homogenization.bounds import hashin_shtrikman_conductivity, hashin_shtrikman_elastic
from scalebridge.homogenization.effective_medium import (bruggeman_conductivity, maxwell_garnett_conductivity,
                                                         mori_tanaka_elastic, self_consistent_elastic)

F = np.linspace(0.0, 1.0, 11)


@pytest.mark.parametrize("dim", [2, 3])
def test_maxwell_garnett_is_the_hs_bound_with_the_matrix_as_reference(dim):
    """Hashin & Shtrikman 1962: Maxwell's formula is the lower bound for a more-conducting inclusion
    (and the upper bound for a less-conducting one); limits k_m at f=0, k_i at f=1."""
    fractions = np.stack([1 - F, F], -1)
    mg = maxwell_garnett_conductivity(1.0, 20.0, F, dim=dim)
    assert mg == pytest.approx(hashin_shtrikman_conductivity(fractions, [1.0, 20.0], dim=dim)[0], rel=1e-12)
    mg = maxwell_garnett_conductivity(20.0, 1.0, F, dim=dim)
    assert mg == pytest.approx(hashin_shtrikman_conductivity(fractions, [20.0, 1.0], dim=dim)[1], rel=1e-12)
    assert (mg[0], mg[-1]) == pytest.approx((20.0, 1.0), rel=1e-14)


def test_maxwell_garnett_dilute_limit():
    """Dilute spheres: k/k_m = 1 + 3 f (k_i - k_m)/(k_i + 2 k_m) + O(f^2) (Maxwell 1873, sec. 314)."""
    f = 1e-6
    k = maxwell_garnett_conductivity(2.0, 7.0, f)
    assert (k / 2.0 - 1) / f == pytest.approx(3 * 5 / 11, rel=1e-5)


def test_mori_tanaka_equals_hs_lower_bound_for_soft_matrix():
    """Weng 1984 (Int. J. Eng. Sci. 22, 845) / Benveniste 1987: Mori–Tanaka for spheres in a matrix
    softer in K and G equals the HS 1963 lower bounds, to round-off; stiff matrix gives the upper."""
    Km, Gm, Ki, Gi = 3.5, 1.2, 76.0, 31.0  # epoxy matrix, glass spheres (GPa)
    fractions = np.stack([1 - F, F], -1)
    K, G = mori_tanaka_elastic(Km, Gm, Ki, Gi, F)
    (kl, _), (gl, _) = hashin_shtrikman_elastic(fractions, [Km, Ki], [Gm, Gi])
    assert K == pytest.approx(kl, rel=1e-12) and G == pytest.approx(gl, rel=1e-12)
    K, G = mori_tanaka_elastic(Ki, Gi, Km, Gm, F)
    (_, ku), (_, gu) = hashin_shtrikman_elastic(fractions, [Ki, Km], [Gi, Gm])
    assert K == pytest.approx(ku, rel=1e-12) and G == pytest.approx(gu, rel=1e-12)


def test_bruggeman_keller_dykhne():
    """2-D, equal fractions: k = sqrt(k1 k2) exactly (Keller 1964, J. Math. Phys. 5, 548; Dykhne 1971)."""
    k1, k2 = 1.0, np.array([4.0, 1e3, 1e-3, 7.5])
    k = bruggeman_conductivity(np.array([0.5, 0.5]), np.stack([np.full_like(k2, k1), k2], -1), dim=2)
    assert k == pytest.approx(np.sqrt(k1 * k2), rel=1e-12)


def test_bruggeman_percolation_with_an_insulator():
    """Conductor (k) + insulator in d dims: k_eff = k (d f - 1)/(d - 1) above f = 1/d, 0 below
    (Landauer 1952, J. Appl. Phys. 23, 779; Kirkpatrick 1973, Rev. Mod. Phys. 45, 574)."""
    for d in (2, 3):
        f = np.linspace(0.05, 0.95, 19)
        k = bruggeman_conductivity(np.stack([f, 1 - f], -1), [5.0, 0.0], dim=d)
        assert k == pytest.approx(np.maximum(5.0 * (d * f - 1) / (d - 1), 0.0), rel=1e-12, abs=1e-12)


def test_bruggeman_multiphase_within_hs_bounds_and_solves_its_equation():
    rng = np.random.default_rng(1)
    f = rng.dirichlet(np.ones(4), 100)
    k = 10 ** rng.uniform(-3, 3, (100, 4))
    for d in (2, 3):
        keff = bruggeman_conductivity(f, k, dim=d)
        residual = np.sum(f * (k - keff[:, None]) / (k + (d - 1) * keff[:, None]), -1)
        assert np.abs(residual).max() < 1e-12
        low, up = hashin_shtrikman_conductivity(f, k, dim=d)
        assert np.all(low * (1 - 1e-12) <= keff) and np.all(keff <= up * (1 + 1e-12))
    assert bruggeman_conductivity([0.3, 0.7], [2.0, 2.0]) == pytest.approx(2.0, rel=1e-14)


def test_self_consistent_equal_shear_moduli_is_exact():
    """Hill 1963 (J. Mech. Phys. Solids 11, 357): equal G fixes K exactly; the SC scheme recovers it."""
    K, G = self_consistent_elastic([0.4, 0.6], [10.0, 90.0], [7.0, 7.0])
    (kl, ku), _ = hashin_shtrikman_elastic([0.4, 0.6], [10.0, 90.0], [7.0, 7.0])
    assert G == pytest.approx(7.0, rel=1e-13) and K == pytest.approx(kl, rel=1e-12)


def test_self_consistent_within_bounds_and_solves_its_equations():
    """Hill 1965 / Budiansky 1965 self-consistent moduli lie within the HS 1963 bounds."""
    rng = np.random.default_rng(2)
    f = rng.dirichlet(np.ones(3), 50)
    Ks, Gs = 10 ** rng.uniform(0, 2, (50, 3)), 10 ** rng.uniform(-0.5, 1.5, (50, 3))
    K, G = self_consistent_elastic(f, Ks, Gs)
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(f, Ks, Gs)
    assert np.all((kl * (1 - 1e-12) <= K) & (K <= ku * (1 + 1e-12)))
    assert np.all((gl * (1 - 1e-12) <= G) & (G <= gu * (1 + 1e-12)))
    zeta = G / 6 * (9 * K + 8 * G) / (K + 2 * G)
    assert np.abs(np.sum(f * (Ks - K[:, None]) / (Ks + 4 * G[:, None] / 3), -1)).max() < 1e-12
    assert np.abs(np.sum(f * (Gs - G[:, None]) / (Gs + zeta[:, None]), -1)).max() < 1e-10


def test_self_consistent_porous_solid_loses_rigidity_at_half_porosity():
    """Spherical pores: the SC moduli vanish at porosity 1/2 (Budiansky 1965; Torquato 2002, sec. 18.1)."""
    void = 1e-9  # pores as a phase 1e10 times softer than the solid
    K, G = self_consistent_elastic([[0.7, 0.3], [0.5, 0.5], [0.4, 0.6]], [10.0, void], [5.0, void])
    assert G[0] > 0.3 * 5.0 and G[1] < 1e-4 * 5.0 and G[2] < 1e-6 * 5.0


@pytest.mark.parametrize("call,match", [
    (lambda: maxwell_garnett_conductivity(0.0, 1.0, 0.2), "k_matrix"),
    (lambda: maxwell_garnett_conductivity(1.0, 2.0, 1.5), "volume_fraction"),
    (lambda: mori_tanaka_elastic(1.0, -1.0, 2.0, 2.0, 0.3), "G_m"),
    (lambda: bruggeman_conductivity([0.5, 0.5], [0.0, 0.0]), "positive"),
    (lambda: bruggeman_conductivity([0.5, 0.6], [1.0, 2.0]), "volume_fractions"),
    (lambda: self_consistent_elastic([0.5, 0.5], [1.0, 2.0], [1.0, 0.0]), "shear_moduli"),
])
def test_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()
