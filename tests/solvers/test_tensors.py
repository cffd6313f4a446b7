"""Mandel notation, isotropic/cubic stiffness, rotations and the Hill–Mandel residual."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.solvers.cell import effective_from_loads, hill_mandel_residual
from scalebridge.solvers.tensors import (cubic_stiffness, euler_to_rotation, from_mandel, isotropic_stiffness,
                                         rotate_second_order, rotate_stiffness, stiffness_from_mandel,
                                         stiffness_to_mandel, to_mandel)

RNG = np.random.default_rng(0)


def test_mandel_round_trips_and_contraction():
    """sigma:eps = sigma_I eps_I in Mandel notation (Mehrabadi & Cowin 1990)."""
    for d in (2, 3):
        a = RNG.normal(size=(5, d, d))
        eps, sig = a + a.swapaxes(-1, -2), RNG.normal(size=(5, d, d))
        sig = sig + sig.swapaxes(-1, -2)
        np.testing.assert_allclose(from_mandel(to_mandel(eps)), eps, atol=1e-14)
        np.testing.assert_allclose(np.einsum("...i,...i", to_mandel(sig), to_mandel(eps)),
                                   np.einsum("...ij,...ij", sig, eps), rtol=1e-13)
    c = cubic_stiffness(168.4, 121.4, 75.4)
    np.testing.assert_allclose(stiffness_to_mandel(stiffness_from_mandel(c)), c, atol=1e-12)


def test_isotropic_stiffness_matches_lame_form():
    """C_ijkl = lambda d_ij d_kl + mu (d_ik d_jl + d_il d_jk), lambda = K - 2G/3."""
    K, G = 160e9, 80e9
    lam = K - 2 * G / 3
    d = np.eye(3)
    c = lam * np.einsum("ij,kl->ijkl", d, d) + G * (np.einsum("ik,jl->ijkl", d, d) + np.einsum("il,jk->ijkl", d, d))
    np.testing.assert_allclose(isotropic_stiffness(K, G), stiffness_to_mandel(c), rtol=1e-14)
    plane = isotropic_stiffness(K, G, dim=2)
    np.testing.assert_allclose(plane, [[lam + 2 * G, lam, 0], [lam, lam + 2 * G, 0], [0, 0, 2 * G]], rtol=1e-14)
    assert isotropic_stiffness([1.0, 2.0], [0.5, 0.7]).shape == (2, 6, 6)
    with pytest.raises(InputError):
        isotropic_stiffness(-1.0, 1.0)


def test_rotations_are_proper_and_leave_isotropy_invariant():
    R = euler_to_rotation(RNG.uniform(0, 2 * np.pi, 7), RNG.uniform(0, np.pi, 7), RNG.uniform(0, 2 * np.pi, 7))
    np.testing.assert_allclose(R @ R.swapaxes(-1, -2), np.broadcast_to(np.eye(3), R.shape), atol=1e-14)
    np.testing.assert_allclose(np.linalg.det(R), 1.0, rtol=1e-14)
    c = isotropic_stiffness(3.0, 1.0)
    np.testing.assert_allclose(rotate_stiffness(c, R), np.broadcast_to(c, (7, 6, 6)), atol=1e-13)
    np.testing.assert_allclose(rotate_second_order(np.eye(3), R), np.broadcast_to(np.eye(3), R.shape), atol=1e-14)


def test_rotation_about_z_by_45_degrees_mixes_cubic_constants():
    """Cubic crystal turned 45 deg about [001]: C'11 = (c11 + c12)/2 + c44 (Nye 1985, ch. VIII)."""
    c11, c12, c44 = 168.4, 121.4, 75.4
    R = euler_to_rotation(np.pi / 4, 0.0, 0.0)
    cr = rotate_stiffness(cubic_stiffness(c11, c12, c44), R)
    assert cr[0, 0] == pytest.approx((c11 + c12) / 2 + c44, rel=1e-13)
    assert cr[2, 2] == pytest.approx(c11, rel=1e-13)


def test_hill_mandel_residual_zero_for_uniform_fields_and_detects_inconsistency():
    g = np.ones((2, 3, 100))
    q = 2.0 * g
    np.testing.assert_allclose(hill_mandel_residual(g, q), 0.0, atol=1e-13)  # rounding of the means
    q_bad = q.copy()
    q_bad[:, :, :50] *= 3.0  # flux correlated with the gradient pattern below
    g_bad = g.copy()
    g_bad[:, :, :50] *= 2.0
    assert np.all(hill_mandel_residual(g_bad, q_bad) > 0.1)


def test_effective_from_identity_loads_is_the_mean_flux_transposed():
    K = np.array([[2.0, 0.3], [0.3, 1.0]])
    loads = np.eye(2)
    np.testing.assert_allclose(effective_from_loads(loads, loads @ K.T), K, rtol=1e-14)
