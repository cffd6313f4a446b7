"""Orientation sampling and Voigt/Reuss/Hill averages of textured cubic polycrystals."""

import numpy as np
import pytest

from scalebridge.core.errors import InputError
from scalebridge.homogenization.texture import (fibre_texture, isotropic_moduli, orientation_average,
                                                orientations_from_euler, random_orientations)
from scalebridge.solvers.tensors import cubic_stiffness, euler_to_rotation, isotropic_stiffness, rotate_stiffness

C11, C12, C44 = 168.4, 121.4, 75.4  # copper, GPa (Simmons & Wang 1971)
COPPER = cubic_stiffness(C11, C12, C44)
N = 4000


def _is_rotation(r):
    return np.allclose(r @ np.swapaxes(r, -1, -2), np.eye(3), atol=1e-12) and np.allclose(np.linalg.det(r), 1.0)


def test_random_orientations_are_uniform_rotations():
    """Haar measure on SO(3): E[R_ij] = 0 and E[R_ij^2] = 1/3 (5 standard errors, N = 4000)."""
    r = random_orientations(N, seed=1)
    assert r.shape == (N, 3, 3) and _is_rotation(r)
    assert np.abs(r.mean(0)).max() < 5 * np.sqrt(1 / (3 * N))
    assert np.abs((r**2).mean(0) - 1 / 3).max() < 5 * np.sqrt(4 / 45 / N)  # var(R_ij^2) = 1/5 - 1/9
    assert np.array_equal(r, random_orientations(N, seed=1))


def test_copper_random_texture_voigt_reuss_hill():
    """Random texture of copper (Simmons & Wang 1971 constants), 4000 seeded orientations.

    Voigt: K = (c11 + 2c12)/3 and G_V = (c11 - c12 + 3c44)/5 (the isotropic projection of the
    Voigt average equals these for any orientation set, so to round-off). Reuss:
    G_R = 5/(4/(c11 - c12) + 3/c44) (Hill 1952, Proc. Phys. Soc. A 65, 349), within 0.1 %
    (second-order sampling error). The Hill average is isotropic up to sampling error
    ~ a_crystal/sqrt(N) = 0.37 %: we require a relative non-isotropic norm below 1 %,
    against 23 % for the single crystal.
    """
    average = orientation_average(COPPER, random_orientations(N, seed=2))
    K, G_V, G_R = (C11 + 2 * C12) / 3, (C11 - C12 + 3 * C44) / 5, 5 / (4 / (C11 - C12) + 3 / C44)
    voigt, reuss, hill = (isotropic_moduli(c) for c in average)
    assert (voigt.bulk_modulus, voigt.shear_modulus) == pytest.approx((K, G_V), rel=1e-12)
    assert (reuss.bulk_modulus, reuss.shear_modulus) == pytest.approx((K, G_R), rel=1e-3)
    assert hill.shear_modulus == pytest.approx((G_V + G_R) / 2, rel=1e-3)  # 47.3 GPa
    assert isotropic_moduli(COPPER).anisotropy > 0.2
    assert hill.anisotropy < 0.01 and voigt.anisotropy < 0.01 and reuss.anisotropy < 0.01
    # Hill 1952: C_V - C_R is positive semi-definite
    assert np.linalg.eigvalsh(average.voigt - average.reuss).min() > -1e-9


def test_isotropic_moduli_projection():
    iso = isotropic_moduli(isotropic_stiffness(80.0, 30.0))
    assert (iso.bulk_modulus, iso.shear_modulus, iso.anisotropy) == pytest.approx((80.0, 30.0, 0.0), abs=1e-12)
    batch = isotropic_moduli(np.stack([COPPER, isotropic_stiffness(1.0, 1.0)]))
    assert batch.bulk_modulus.shape == (2,) and batch.anisotropy[1] == pytest.approx(0.0, abs=1e-14)


def test_an_isotropic_crystal_averages_to_itself():
    c = isotropic_stiffness(50.0, 20.0)
    average = orientation_average(c, random_orientations(50, seed=3))
    for tensor in average:
        assert tensor == pytest.approx(c, rel=1e-12, abs=1e-10)


def test_single_orientation_and_weights():
    r = orientations_from_euler(0.3, 0.7, 1.1)
    average = orientation_average(COPPER, r[None])
    rotated = rotate_stiffness(COPPER, r)
    assert average.voigt == pytest.approx(rotated, abs=1e-10) and average.reuss == pytest.approx(rotated, abs=1e-9)
    stack = np.stack([r, np.eye(3)])
    weighted = orientation_average(COPPER, stack, weights=[2.0, 0.0])
    assert weighted.hill == pytest.approx(rotated, abs=1e-9)


def test_orientations_from_euler_uses_bunge_convention():
    phi1, Phi, phi2 = np.array([0.1, 2.0]), np.array([0.5, 1.0]), np.array([3.0, 0.2])
    r = orientations_from_euler(phi1, Phi, phi2)
    assert np.array_equal(r, euler_to_rotation(phi1, Phi, phi2)) and _is_rotation(r)
    # Phi alone rotates the crystal about the sample x axis: crystal z goes to (0, -sin, cos)
    assert orientations_from_euler(0, 0.4, 0) @ [0, 0, 1] == pytest.approx([0, -np.sin(0.4), np.cos(0.4)])


def test_sharp_fibre_texture_aligns_the_fibre_and_is_transversely_isotropic():
    """<001> || z with uniform spin: C33 equals the crystal c11 exactly; the average is transversely
    isotropic about z (C11 = C22, C44 = C55, C66 = C11 - C12 in Mandel) to sampling error 1 %."""
    r = fibre_texture(2000, axis=(0, 0, 1), seed=4)
    assert _is_rotation(r) and np.allclose(r @ [0, 0, 1], [0, 0, 1], atol=1e-12)
    v = orientation_average(COPPER, r).voigt
    assert v[2, 2] == pytest.approx(C11, rel=1e-12)
    assert v[0, 0] == pytest.approx(v[1, 1], rel=0.01) and v[3, 3] == pytest.approx(v[4, 4], rel=0.01)
    assert v[5, 5] == pytest.approx(v[0, 0] - v[0, 1], rel=0.01)
    # another crystal direction onto another axis
    r = fibre_texture(10, axis=(1, 1, 0), crystal_direction=(1, 1, 1), seed=5)
    assert np.allclose(r @ (np.ones(3) / np.sqrt(3)), np.array([1, 1, 0]) / np.sqrt(2), atol=1e-12)
    r = fibre_texture(3, axis=(0, 0, -1), seed=5)
    assert np.allclose(r @ [0, 0, 1], [0, 0, -1], atol=1e-12)


def test_fibre_spread_is_gaussian_in_tilt():
    """Tilt angles drawn from N(0, spread^2): mean squared misalignment = spread^2 within 10 %
    (standard error sqrt(2/N) = 2.2 % for N = 4000)."""
    spread = 0.1
    r = fibre_texture(N, axis=(0, 1, 0), spread=spread, seed=6)
    angle = np.arccos(np.clip((r @ [0, 0, 1]) @ [0, 1, 0], -1, 1))
    assert np.mean(angle**2) == pytest.approx(spread**2, rel=0.1)


@pytest.mark.parametrize("call,match", [
    (lambda: orientation_average(np.eye(3), np.eye(3)[None]), "crystal_stiffness"),
    (lambda: orientation_average(COPPER, 2 * np.eye(3)[None]), "rotations"),
    (lambda: orientation_average(COPPER, -np.eye(3)[None]), "rotations"),
    (lambda: orientation_average(COPPER, np.eye(3)[None], weights=[1.0, 2.0]), "weights"),
    (lambda: fibre_texture(5, axis=(0, 0, 0)), "axis"),
    (lambda: fibre_texture(5, spread=-1.0), "spread"),
    (lambda: random_orientations(0), "n"),
    (lambda: orientations_from_euler(np.nan, 0, 0), "phi1"),
    (lambda: isotropic_moduli(np.eye(3)), "c_mandel"),
])
def test_bad_input(call, match):
    with pytest.raises(InputError, match=match):
        call()
