r"""Crystallographic texture: orientation sampling and Voigt/Reuss/Hill orientation averages.

Orientations are rotation matrices ``R`` of shape ``(n, 3, 3)`` mapping crystal to
sample coordinates, :math:`x_s = R\,x_c`, the convention of
:func:`scalebridge.solvers.tensors.euler_to_rotation`; a crystal stiffness seen in the
sample frame is :func:`scalebridge.solvers.tensors.rotate_stiffness` of it.
Stiffnesses are 6x6 Mandel matrices (Pa) as in :mod:`scalebridge.solvers.tensors`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..core.errors import InputError
from ..solvers.tensors import euler_to_rotation, rotate_stiffness
from ..solvers.validation import count_at_least

__all__ = ["random_orientations", "fibre_texture", "orientations_from_euler", "orientation_average",
           "OrientationAverage", "isotropic_moduli", "IsotropicProjection", "quaternion_to_rotation"]

_I = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
_J = np.outer(_I, _I) / 3.0  # Mandel projector on spherical (volumetric) tensors


def quaternion_to_rotation(q) -> np.ndarray:
    r"""Rotation matrices ``(..., 3, 3)`` of quaternions ``(..., 4)`` = :math:`(w, x, y, z)`.

    Quaternions are normalised first; :math:`q` and :math:`-q` give the same rotation.
    """
    q = np.asarray(q, dtype=float)
    w, x, y, z = np.moveaxis(q / np.linalg.norm(q, axis=-1, keepdims=True), -1, 0)
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
        np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
        np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
    ], -2)


def _axis_angle(axes: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Rotations by ``angles`` (rad) about unit ``axes`` (..., 3)."""
    half = 0.5 * np.asarray(angles, dtype=float)[..., None]
    return quaternion_to_rotation(np.concatenate([np.cos(half), np.sin(half) * axes], axis=-1))


def _unit(vector, name: str) -> np.ndarray:
    v = np.asarray(vector, dtype=float)
    if v.shape != (3,) or not np.all(np.isfinite(v)) or np.linalg.norm(v) == 0:
        raise InputError(f"{name}: got {vector!r}, expected a non-zero 3-vector")
    return v / np.linalg.norm(v)


def random_orientations(n: int, seed=None) -> np.ndarray:
    """``n`` orientations uniform on SO(3) (Haar measure), shape ``(n, 3, 3)``.

    Unit quaternions from normalised 4-D Gaussian vectors are uniform on the 3-sphere,
    hence their rotations uniform on SO(3) (Shoemake 1992, *Graphics Gems III*, 124).
    """
    n = count_at_least("n", n, 1)
    return quaternion_to_rotation(np.random.default_rng(seed).standard_normal((n, 4)))


def fibre_texture(n: int, axis=(0, 0, 1), spread: float = 0.0, seed=None, crystal_direction=(0, 0, 1)):
    r"""Fibre texture: a crystal direction along a sample axis, random rotation about it.

    Each orientation is :math:`R = T\,Z(\omega)\,A`: :math:`A` turns
    ``crystal_direction`` (default <001>) onto the sample ``axis``, :math:`Z(\omega)`
    rotates about that axis by :math:`\omega` uniform in :math:`[0, 2\pi)`, and
    :math:`T` tilts by an angle drawn from :math:`N(0, \text{spread}^2)` (rad) about
    a random axis perpendicular to the fibre (no tilt for ``spread=0``).

    Returns
    -------
    ndarray, shape (n, 3, 3)
    """
    n = count_at_least("n", n, 1)
    axis, c = _unit(axis, "axis"), _unit(crystal_direction, "crystal_direction")
    if not (np.isfinite(spread) and spread >= 0):
        raise InputError(f"spread: got {spread!r}, expected a non-negative angle in radians")
    rng = np.random.default_rng(seed)
    cross, cos = np.cross(c, axis), float(np.dot(c, axis))
    if np.linalg.norm(cross) < 1e-12:  # parallel or antiparallel: any perpendicular axis will do
        cross = np.cross(c, np.eye(3)[np.argmin(np.abs(c))]) if cos < 0 else np.array([0.0, 0.0, 1.0])
    align = _axis_angle(cross / np.linalg.norm(cross), np.arccos(np.clip(cos, -1, 1)))
    spin = _axis_angle(np.broadcast_to(axis, (n, 3)), rng.uniform(0.0, 2 * np.pi, n))
    helper = np.eye(3)[np.argmin(np.abs(axis))]
    e1 = np.cross(axis, helper) / np.linalg.norm(np.cross(axis, helper))
    psi = rng.uniform(0.0, 2 * np.pi, n)[:, None]
    tilt_axes = np.cos(psi) * e1 + np.sin(psi) * np.cross(axis, e1)
    tilt = _axis_angle(tilt_axes, rng.normal(0.0, 1.0, n) * spread)
    return tilt @ spin @ align


def orientations_from_euler(phi1, Phi, phi2) -> np.ndarray:
    """Rotation matrices (crystal to sample) from Bunge Euler angles in radians, ``(..., 3, 3)``.

    Uses :func:`scalebridge.solvers.tensors.euler_to_rotation` (ZXZ, Bunge 1982).
    """
    angles = [np.asarray(a, dtype=float) for a in (phi1, Phi, phi2)]
    if not all(np.all(np.isfinite(a)) for a in angles):
        raise InputError(f"phi1, Phi, phi2: got {phi1!r}, {Phi!r}, {phi2!r}; expected finite angles (rad)")
    return euler_to_rotation(*angles)


class OrientationAverage(NamedTuple):
    """Voigt, Reuss and Hill averages of a textured aggregate, 6x6 Mandel stiffnesses (Pa)."""

    voigt: np.ndarray
    reuss: np.ndarray
    hill: np.ndarray


def orientation_average(crystal_stiffness, rotations, weights=None) -> OrientationAverage:
    r"""Voigt, Reuss and Hill stiffness of a polycrystal with the given orientations.

    .. math:: C_V = \sum_g w_g\,C^{(g)}, \qquad
              C_R = \Big(\sum_g w_g\,(C^{(g)})^{-1}\Big)^{-1}, \qquad
              C_H = \tfrac12 (C_V + C_R),

    :math:`C^{(g)}` the crystal stiffness rotated to the sample frame. Voigt assumes
    uniform strain, Reuss uniform stress; they bound the aggregate (Hill 1952, Proc.
    Phys. Soc. A 65, 349), whose Hill average is the usual estimate.

    Parameters
    ----------
    crystal_stiffness : array_like, shape (6, 6)
        Mandel stiffness in crystal axes (Pa), symmetric positive definite.
    rotations : array_like, shape (n, 3, 3)
        Crystal-to-sample rotations (proper, orthogonal).
    weights : array_like, shape (n,), optional
        Non-negative volume weights (normalised); equal by default.
    """
    c = np.asarray(crystal_stiffness, dtype=float)
    r = np.asarray(rotations, dtype=float).reshape(-1, 3, 3)
    if c.shape != (6, 6) or not np.allclose(c, c.T) or np.any(np.linalg.eigvalsh(c) <= 0):
        raise InputError(f"crystal_stiffness: shape {c.shape}; expected a symmetric positive-definite "
                         "6x6 Mandel matrix")
    if r.shape[0] == 0 or not np.allclose(r @ np.swapaxes(r, -1, -2), np.eye(3), atol=1e-8) \
            or np.any(np.linalg.det(r) < 0):
        raise InputError("rotations: expected a non-empty stack of proper rotation matrices (n, 3, 3)")
    w = np.full(len(r), 1.0 / len(r)) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (len(r),) or np.any(~np.isfinite(w) | (w < 0)) or w.sum() <= 0:
        raise InputError(f"weights: got shape {w.shape}, expected {len(r)} non-negative weights with a positive sum")
    w = w / w.sum()
    voigt = np.einsum("g,gij->ij", w, rotate_stiffness(c, r))
    # Mandel rotations are orthogonal 6x6 maps, so a compliance rotates like a stiffness
    reuss = np.linalg.inv(np.einsum("g,gij->ij", w, rotate_stiffness(np.linalg.inv(c), r)))
    reuss = 0.5 * (reuss + reuss.T)
    return OrientationAverage(voigt, reuss, 0.5 * (voigt + reuss))


class IsotropicProjection(NamedTuple):
    """Isotropic part of a stiffness: bulk and shear modulus (Pa) and relative anisotropy."""

    bulk_modulus: np.ndarray
    shear_modulus: np.ndarray
    anisotropy: np.ndarray


def isotropic_moduli(c_mandel) -> IsotropicProjection:
    r"""Closest isotropic stiffness :math:`3K\,J + 2G\,\mathbb K` to a 6x6 Mandel stiffness.

    Orthogonal projection on the isotropic tensors (Frobenius norm, which in Mandel
    notation is the tensor norm):

    .. math:: K = \tfrac19 \sum_{i,j\le3} C_{ij}, \qquad
              G = \tfrac1{10}\,(\operatorname{tr} C - 3K), \qquad
              a = \frac{\lVert C - C_\text{iso}\rVert}{\lVert C\rVert}

    For a cubic crystal :math:`K = (c_{11}+2c_{12})/3` and :math:`G` is the Voigt shear
    modulus :math:`(c_{11}-c_{12}+3c_{44})/5`. :math:`a = 0` exactly for an isotropic
    stiffness (Browaeys & Chevrot 2004, Geophys. J. Int. 159, 667, for this norm-based
    measure). Batched over leading axes.
    """
    c = np.asarray(c_mandel, dtype=float)
    if c.shape[-2:] != (6, 6):
        raise InputError(f"c_mandel: got shape {c.shape}, expected (..., 6, 6)")
    bulk = c[..., :3, :3].sum(axis=(-1, -2)) / 9.0
    shear = (np.trace(c, axis1=-2, axis2=-1) - 3.0 * bulk) / 10.0
    iso = 3.0 * bulk[..., None, None] * _J + 2.0 * shear[..., None, None] * (np.eye(6) - _J)
    anisotropy = np.linalg.norm(c - iso, axis=(-2, -1)) / np.linalg.norm(c, axis=(-2, -1))
    return IsotropicProjection(bulk, shear, anisotropy)
