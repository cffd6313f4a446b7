"""Voigt, Reuss and Hashin–Shtrikman bounds against their closed forms and ordering."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.homogenization.bounds import (hashin_shtrikman_conductivity, hashin_shtrikman_elastic,
                                               plane_moduli_from_mandel, plane_strain_bulk_modulus, reuss_bound,
                                               voigt_bound)
from scalebridge.solvers.tensors import isotropic_stiffness


def _random_mixtures(n_batch=200, n_phases=3, seed=0):
    rng = np.random.default_rng(seed)
    f = rng.dirichlet(np.ones(n_phases), n_batch)
    return f, 10 ** rng.uniform(-2, 2, (n_batch, n_phases)), 10 ** rng.uniform(-2, 2, (n_batch, n_phases))


def test_voigt_reuss_means_and_batch_broadcast():
    """Arithmetic and harmonic means (Voigt 1889, Reuss 1929); phases along the last axis."""
    assert voigt_bound([0.25, 0.75], [4.0, 8.0]) == pytest.approx(7.0)
    assert reuss_bound([0.25, 0.75], [4.0, 8.0]) == pytest.approx(1 / (0.25 / 4 + 0.75 / 8))
    f = np.array([[0.5, 0.5], [0.1, 0.9]])
    assert voigt_bound(f, [1.0, 3.0]) == pytest.approx([2.0, 2.8])
    assert reuss_bound(f, [1.0, 3.0]).shape == (2,)
    assert reuss_bound([0.5, 0.5], [0.0, 3.0]) == 0.0  # an insulating phase in series


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("n_phases", [2, 4])
def test_conductivity_bound_ordering(dim, n_phases):
    """Reuss <= HS- <= HS+ <= Voigt (Hashin & Shtrikman 1962), for random mixtures."""
    f, k, _ = _random_mixtures(n_phases=n_phases, seed=dim + n_phases)
    low, up = hashin_shtrikman_conductivity(f, k, dim=dim)
    tol = 1e-12 * voigt_bound(f, k)
    assert np.all(reuss_bound(f, k) <= low + tol) and np.all(low <= up + tol)
    assert np.all(up <= voigt_bound(f, k) + tol)
    # Walpole's form increases with its shift (d-1) k0: both 3-D bounds lie above the 2-D ones
    if dim == 2:
        low3, up3 = hashin_shtrikman_conductivity(f, k, dim=3)
        assert np.all(low3 >= low - tol) and np.all(up3 >= up - tol)


@pytest.mark.parametrize("dim", [2, 3])
def test_conductivity_two_phase_closed_form(dim):
    """HS 1962, J. Appl. Phys. 33, 3125: k1 + f2 / (1/(k2-k1) + f1/(d k1)) and its mirror."""
    k1, k2 = 1.0, 25.0
    f2 = np.linspace(0.05, 0.95, 7)
    f1 = 1 - f2
    low, up = hashin_shtrikman_conductivity(np.stack([f1, f2], -1), [k1, k2], dim=dim)
    assert low == pytest.approx(k1 + f2 / (1 / (k2 - k1) + f1 / (dim * k1)), rel=1e-12)
    assert up == pytest.approx(k2 + f1 / (1 / (k1 - k2) + f2 / (dim * k2)), rel=1e-12)


def test_conductivity_insulating_pores():
    """Spherical insulating pores, porosity p: HS upper = k_s 2(1-p)/(2+p), lower = 0 (HS 1962)."""
    p = np.array([0.1, 0.4])
    low, up = hashin_shtrikman_conductivity(np.stack([1 - p, p], -1), [3.0, 0.0])
    assert up == pytest.approx(3.0 * 2 * (1 - p) / (2 + p), rel=1e-12)
    assert np.all(low == 0.0)


def test_bounds_coincide_for_equal_phases_and_ignore_absent_phases():
    f = [0.2, 0.3, 0.5]
    assert hashin_shtrikman_conductivity(f, [2.0, 2.0, 2.0]) == pytest.approx((2.0, 2.0), rel=1e-14)
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(f, [5.0] * 3, [3.0] * 3)
    assert (kl, ku, gl, gu) == pytest.approx((5.0, 5.0, 3.0, 3.0), rel=1e-14)
    # a phase with zero fraction changes nothing
    with_absent = hashin_shtrikman_conductivity([0.4, 0.6, 0.0], [1.0, 5.0, 1000.0])
    assert with_absent == pytest.approx(hashin_shtrikman_conductivity([0.4, 0.6], [1.0, 5.0]), rel=1e-14)


def test_elastic_two_phase_closed_form_3d():
    """HS 1963, J. Mech. Phys. Solids 11, 127, eqs. (3.37)-(3.40), phase 1 softer in K and G."""
    K1, G1, K2, G2 = 10.0, 4.0, 150.0, 80.0
    f2 = np.linspace(0.1, 0.9, 5)
    f1 = 1 - f2
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(np.stack([f1, f2], -1), [K1, K2], [G1, G2])
    assert kl == pytest.approx(K1 + f2 / (1 / (K2 - K1) + 3 * f1 / (3 * K1 + 4 * G1)), rel=1e-12)
    assert ku == pytest.approx(K2 + f1 / (1 / (K1 - K2) + 3 * f2 / (3 * K2 + 4 * G2)), rel=1e-12)
    assert gl == pytest.approx(G1 + f2 / (1 / (G2 - G1) + 6 * f1 * (K1 + 2 * G1) / (5 * G1 * (3 * K1 + 4 * G1))),
                               rel=1e-12)
    assert gu == pytest.approx(G2 + f1 / (1 / (G1 - G2) + 6 * f2 * (K2 + 2 * G2) / (5 * G2 * (3 * K2 + 4 * G2))),
                               rel=1e-12)


def test_elastic_two_phase_closed_form_2d_transverse():
    """Hashin 1965, J. Mech. Phys. Solids 13, 119: transverse bounds in k = K + G/3 and G."""
    K1, G1, K2, G2 = 5.0, 1.5, 230.0, 160.0  # epoxy-like matrix, stiff fibres (GPa)
    k1, k2 = plane_strain_bulk_modulus(K1, G1), plane_strain_bulk_modulus(K2, G2)
    f2 = np.linspace(0.1, 0.7, 4)
    f1 = 1 - f2
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(np.stack([f1, f2], -1), [K1, K2], [G1, G2], dim=2)
    assert kl == pytest.approx(k1 + f2 / (1 / (k2 - k1) + f1 / (k1 + G1)), rel=1e-12)
    assert ku == pytest.approx(k2 + f1 / (1 / (k1 - k2) + f2 / (k2 + G2)), rel=1e-12)
    assert gl == pytest.approx(G1 + f2 / (1 / (G2 - G1) + f1 * (k1 + 2 * G1) / (2 * G1 * (k1 + G1))), rel=1e-12)
    assert gu == pytest.approx(G2 + f1 / (1 / (G1 - G2) + f2 * (k2 + 2 * G2) / (2 * G2 * (k2 + G2))), rel=1e-12)


@pytest.mark.parametrize("dim", [2, 3])
def test_elastic_bound_ordering(dim):
    """Reuss <= HS- <= HS+ <= Voigt for K (k in 2-D) and G, incl. 'crossed' phases (Walpole 1966)."""
    f, K, G = _random_mixtures(n_phases=3, seed=10 + dim)
    (kl, ku), (gl, gu) = hashin_shtrikman_elastic(f, K, G, dim=dim)
    bulk = K if dim == 3 else plane_strain_bulk_modulus(K, G)
    for low, up, v in ((kl, ku, bulk), (gl, gu, G)):
        tol = 1e-12 * voigt_bound(f, v)
        assert np.all(reuss_bound(f, v) <= low + tol) and np.all(low <= up + tol)
        assert np.all(up <= voigt_bound(f, v) + tol)


def test_equal_shear_moduli_give_exact_bulk_modulus():
    """Hill 1963, J. Mech. Phys. Solids 11, 357: with equal G the bulk bounds coincide."""
    (kl, ku), _ = hashin_shtrikman_elastic([0.3, 0.7], [10.0, 80.0], [7.0, 7.0])
    assert kl == pytest.approx(ku, rel=1e-14)
    assert kl == pytest.approx(1 / (0.3 / (10 + 28 / 3) + 0.7 / (80 + 28 / 3)) - 28 / 3, rel=1e-14)


def test_plane_moduli_of_isotropic_plane_strain_stiffness():
    """k = lambda + G for the plane-strain restriction of an isotropic stiffness."""
    k, g = plane_moduli_from_mandel(isotropic_stiffness(10.0, 4.0, dim=2))
    assert (k, g) == pytest.approx((10.0 + 4.0 / 3.0, 4.0), rel=1e-14)


@pytest.mark.parametrize("call,match", [
    (lambda: voigt_bound([0.5, 0.6], [1.0, 2.0]), "volume_fractions"),
    (lambda: reuss_bound([0.5, 0.5], [1.0, -2.0]), "values"),
    (lambda: hashin_shtrikman_conductivity([0.5, 0.5], [1.0, 2.0, 3.0]), "broadcast"),
    (lambda: hashin_shtrikman_conductivity([0.5, 0.5], [1.0, 2.0], dim=1), "dim"),
    (lambda: hashin_shtrikman_elastic([0.5, 0.5], [1.0, 2.0], [0.0, 1.0]), "shear_moduli"),
    (lambda: voigt_bound(0.5, 2.0), "last axis"),
])
def test_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()
