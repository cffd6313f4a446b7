r"""Second- and fourth-order tensors in Mandel notation, isotropic and cubic stiffness, rotations.

Mandel (orthonormal Kelvin) notation maps symmetric tensors to vectors so that double
contraction is the ordinary dot product and a stiffness is a symmetric matrix:

* 3-D: :math:`[\varepsilon_{11}, \varepsilon_{22}, \varepsilon_{33}, \sqrt2\varepsilon_{23},
  \sqrt2\varepsilon_{13}, \sqrt2\varepsilon_{12}]`, stiffness 6x6;
* 2-D (plane strain): :math:`[\varepsilon_{11}, \varepsilon_{22}, \sqrt2\varepsilon_{12}]`, 3x3.

Then :math:`\sigma:\varepsilon = \sigma_I \varepsilon_I` and :math:`C_{IJ}` has the
same eigenvalues as the fourth-order tensor. Reference: Mehrabadi & Cowin,
Q. J. Mech. Appl. Math. 43, 15 (1990).
"""

from __future__ import annotations

import numpy as np

from ..core.errors import InputError

__all__ = ["MANDEL_PAIRS", "mandel_size", "to_mandel", "from_mandel", "stiffness_to_mandel",
           "stiffness_from_mandel", "isotropic_stiffness", "cubic_stiffness", "rotate_stiffness",
           "rotate_second_order", "euler_to_rotation"]

#: Index pairs (i, j) of the Mandel components, by dimension.
MANDEL_PAIRS = {2: ((0, 0), (1, 1), (0, 1)), 3: ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1))}


def mandel_size(dim: int) -> int:
    """Number of Mandel components of a symmetric dim x dim tensor (3 or 6)."""
    if dim not in MANDEL_PAIRS:
        raise InputError(f"dimension must be 2 or 3, got {dim}")
    return len(MANDEL_PAIRS[dim])


def _weights(dim: int) -> np.ndarray:
    return np.array([1.0 if i == j else np.sqrt(2.0) for i, j in MANDEL_PAIRS[dim]])


def to_mandel(t: np.ndarray) -> np.ndarray:
    """Symmetric tensors (..., d, d) -> Mandel vectors (..., m)."""
    t = np.asarray(t, dtype=float)
    d = t.shape[-1]
    pairs = MANDEL_PAIRS[d]
    return np.stack([t[..., i, j] for i, j in pairs], axis=-1) * _weights(d)


def from_mandel(v: np.ndarray) -> np.ndarray:
    """Mandel vectors (..., m) -> symmetric tensors (..., d, d)."""
    v = np.asarray(v, dtype=float)
    d = {3: 2, 6: 3}[v.shape[-1]]
    t = np.zeros(v.shape[:-1] + (d, d))
    for a, (i, j) in enumerate(MANDEL_PAIRS[d]):
        t[..., i, j] = t[..., j, i] = v[..., a] / _weights(d)[a]
    return t


def stiffness_to_mandel(c: np.ndarray) -> np.ndarray:
    """Fourth-order tensors (..., d, d, d, d) with minor symmetries -> Mandel matrices (..., m, m)."""
    c = np.asarray(c, dtype=float)
    d = c.shape[-1]
    pairs, w = MANDEL_PAIRS[d], _weights(d)
    m = np.empty(c.shape[:-4] + (len(pairs), len(pairs)))
    for a, (i, j) in enumerate(pairs):
        for b, (k, l) in enumerate(pairs):
            m[..., a, b] = c[..., i, j, k, l] * w[a] * w[b]
    return m


def stiffness_from_mandel(m: np.ndarray) -> np.ndarray:
    """Mandel matrices (..., m, m) -> fourth-order tensors (..., d, d, d, d)."""
    m = np.asarray(m, dtype=float)
    d = {3: 2, 6: 3}[m.shape[-1]]
    pairs, w = MANDEL_PAIRS[d], _weights(d)
    c = np.zeros(m.shape[:-2] + (d,) * 4)
    for a, (i, j) in enumerate(pairs):
        for b, (k, l) in enumerate(pairs):
            v = m[..., a, b] / (w[a] * w[b])
            for p, q in {(i, j), (j, i)}:
                for r, s in {(k, l), (l, k)}:
                    c[..., p, q, r, s] = v
    return c


def isotropic_stiffness(bulk_modulus, shear_modulus, dim: int = 3) -> np.ndarray:
    r"""Isotropic stiffness in Mandel notation, :math:`C = 3K\,J + 2G\,K_{dev}`.

    For ``dim=2`` the plane-strain restriction of the 3-D tensor (in-plane
    components), so ``bulk_modulus`` is always the 3-D bulk modulus K (Pa) and
    ``shear_modulus`` the shear modulus G (Pa). Broadcasts over phases: returns
    ``(..., m, m)``.
    """
    K = np.asarray(bulk_modulus, dtype=float)[..., None, None]
    G = np.asarray(shear_modulus, dtype=float)[..., None, None]
    if np.any(K <= 0) or np.any(G <= 0):
        raise InputError(f"isotropic_stiffness: moduli must be positive, got K={bulk_modulus}, G={shear_modulus}")
    lam = K - 2.0 * G / 3.0
    n = mandel_size(dim)
    normal = np.zeros((n, n))
    normal[:dim, :dim] = 1.0
    return lam * normal + 2.0 * G * np.eye(n)


def cubic_stiffness(c11, c12, c44) -> np.ndarray:
    """Cubic single-crystal stiffness (Pa) in Mandel notation (6x6), crystal axes."""
    c = np.zeros((6, 6))
    c[:3, :3] = c12
    c[np.arange(3), np.arange(3)] = c11
    c[np.arange(3, 6), np.arange(3, 6)] = 2.0 * c44
    return c


def rotate_second_order(k: np.ndarray, rotation: np.ndarray) -> np.ndarray:
    """:math:`K' = R K R^T`, batched over leading axes of either argument."""
    return np.einsum("...ip,...pq,...jq->...ij", rotation, k, rotation)


def rotate_stiffness(c_mandel: np.ndarray, rotation: np.ndarray) -> np.ndarray:
    r""":math:`C'_{ijkl} = R_{ip}R_{jq}R_{kr}R_{ls}C_{pqrs}` for Mandel matrices, batched."""
    c = stiffness_from_mandel(c_mandel)
    r = np.asarray(rotation, dtype=float)
    out = np.einsum("...ip,...jq,...pqrs,...kr,...ls->...ijkl", r, r, c, r, r, optimize=True)
    return stiffness_to_mandel(out)


def euler_to_rotation(phi1, Phi, phi2) -> np.ndarray:
    r"""Rotation matrices from Bunge Euler angles (rad), ZXZ convention, shape (..., 3, 3).

    The matrix maps crystal to sample coordinates, :math:`x_s = R\,x_c`
    (Bunge, *Texture Analysis in Materials Science*, 1982, eq. 2.17, transposed).
    """
    p1, P, p2 = (np.asarray(a, dtype=float) for a in np.broadcast_arrays(phi1, Phi, phi2))
    c1, s1, c, s, c2, s2 = np.cos(p1), np.sin(p1), np.cos(P), np.sin(P), np.cos(p2), np.sin(p2)
    g = np.stack([
        np.stack([c1 * c2 - s1 * s2 * c, s1 * c2 + c1 * s2 * c, s2 * s], -1),
        np.stack([-c1 * s2 - s1 * c2 * c, -s1 * s2 + c1 * c2 * c, c2 * s], -1),
        np.stack([s1 * s, -c1 * s, c], -1),
    ], -2)  # Bunge g: sample -> crystal
    return np.swapaxes(g, -1, -2)
