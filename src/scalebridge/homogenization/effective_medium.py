r"""Effective-medium estimates: Maxwell Garnett / Mori–Tanaka and self-consistent / Bruggeman.

Estimates, unlike bounds, give one number for a stated microstructure:

* **Maxwell Garnett / Mori–Tanaka**: dilute inclusions (spheres, or aligned
  cylinders in 2-D) in a continuous matrix; the matrix is the comparison medium, so
  the estimate equals the Hashin–Shtrikman bound whose reference is the matrix (the
  lower bound when the matrix is the softer / less conducting phase);
* **Bruggeman / self-consistent**: a granular aggregate in which no phase is the
  matrix; each grain sits in the effective medium itself. In 3-D conduction the
  estimate percolates at :math:`f = 1/3` (:math:`1/d` in general).

Inputs are in any consistent unit (results in that unit); fractions and phase
properties of the multi-phase functions have the phases along the last axis and
broadcast over leading batch axes. The Bruggeman pore tortuosity
:math:`\tau = \varepsilon^{-1/2}` is the default of
:func:`scalebridge.laws.transport.effective_diffusivity`.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ConvergenceError, InputError
from .bounds import _check_dim, check_mixture, walpole_average

__all__ = ["maxwell_garnett_conductivity", "mori_tanaka_elastic", "bruggeman_conductivity",
           "self_consistent_elastic"]


def maxwell_garnett_conductivity(k_matrix, k_inclusion, volume_fraction, dim: int = 3):
    r"""Maxwell Garnett (Clausius–Mossotti) conductivity of inclusions in a matrix.

    .. math:: \frac{k - k_m}{k + (d-1)k_m} = f\,\frac{k_i - k_m}{k_i + (d-1)k_m}
              \;\Rightarrow\; k = k_m\,\frac{1 + (d-1) f\beta}{1 - f\beta},\quad
              \beta = \frac{k_i - k_m}{k_i + (d-1)k_m}

    Spheres for ``dim=3``, aligned cylinders (transverse conductivity) for ``dim=2``.
    Maxwell (1873), *Treatise on Electricity and Magnetism*, sec. 314; Maxwell
    Garnett (1904), Phil. Trans. R. Soc. A 203, 385.

    Parameters
    ----------
    k_matrix, k_inclusion : float or array_like
        Conductivities (matrix positive, inclusion non-negative), consistent units.
    volume_fraction : float or array_like
        Inclusion fraction :math:`f` in [0, 1]; all broadcast.
    dim : {2, 3}
    """
    d = _check_dim(dim)
    km, ki, f = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (k_matrix, k_inclusion, volume_fraction)))
    if np.any(~np.isfinite(km) | (km <= 0) | ~np.isfinite(ki) | (ki < 0)):
        raise InputError(f"k_matrix, k_inclusion: got {k_matrix!r}, {k_inclusion!r}; expected a positive "
                         "matrix and a non-negative inclusion conductivity")
    if np.any(~np.isfinite(f) | (f < 0) | (f > 1)):
        raise InputError(f"volume_fraction: got {volume_fraction!r}, expected values in [0, 1]")
    beta = (ki - km) / (ki + (d - 1) * km)
    return km * (1 + (d - 1) * f * beta) / (1 - f * beta)


def mori_tanaka_elastic(K_m, G_m, K_i, G_i, volume_fraction):
    r"""Mori–Tanaka bulk and shear moduli of spherical inclusions in a matrix (3-D).

    .. math:: K = K_m + \frac{f (K_i - K_m)}{1 + (1-f)\frac{K_i - K_m}{K_m + \frac43 G_m}},\qquad
              G = G_m + \frac{f (G_i - G_m)}{1 + (1-f)\frac{G_i - G_m}{G_m + \zeta_m}},\quad
              \zeta_m = \frac{G_m}{6}\frac{9K_m + 8G_m}{K_m + 2G_m}

    Mori & Tanaka (1973), Acta Metall. 21, 571; Benveniste (1987), Mech. Mater. 6,
    147, eqs. (31)-(32). Equals the Hashin–Shtrikman lower bound when the matrix is
    the softer phase in both moduli, the upper bound when it is the stiffer one.

    Parameters
    ----------
    K_m, G_m, K_i, G_i : float or array_like
        Positive bulk and shear moduli of matrix and inclusion (Pa).
    volume_fraction : float or array_like
        Inclusion fraction in [0, 1]; all broadcast.

    Returns
    -------
    (K, G) : ndarray
    """
    Km, Gm, Ki, Gi, f = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (K_m, G_m, K_i, G_i,
                                                                                   volume_fraction)))
    if np.any(~np.isfinite(np.stack([Km, Gm, Ki, Gi])) | (np.stack([Km, Gm, Ki, Gi]) <= 0)):
        raise InputError(f"K_m, G_m, K_i, G_i: got {K_m!r}, {G_m!r}, {K_i!r}, {G_i!r}; expected positive moduli")
    if np.any(~np.isfinite(f) | (f < 0) | (f > 1)):
        raise InputError(f"volume_fraction: got {volume_fraction!r}, expected values in [0, 1]")
    zeta = Gm / 6.0 * (9 * Km + 8 * Gm) / (Km + 2 * Gm)
    K = Km + f * (Ki - Km) / (1 + (1 - f) * (Ki - Km) / (Km + 4.0 * Gm / 3.0))
    G = Gm + f * (Gi - Gm) / (1 + (1 - f) * (Gi - Gm) / (Gm + zeta))
    return K, G


def _bisect_log(residual, lo, hi, what: str, rtol: float = 1e-14, max_iter: int = 200):
    """Vectorised bisection on log x of a residual decreasing in x, bracketed by ``[lo, hi]``.

    Returns the root (``lo`` where the residual is already <= 0 at ``lo``, ``hi`` where it is
    >= 0 at ``hi``). Raises ConvergenceError on non-finite residuals or unmet tolerance.
    """
    a, b = np.log(lo), np.log(hi)
    r_lo, r_hi = residual(lo), residual(hi)
    if not (np.all(np.isfinite(r_lo)) and np.all(np.isfinite(r_hi))):
        raise ConvergenceError(f"{what}: non-finite residual at the bracket ends")
    for _ in range(max_iter):
        if np.all(b - a <= rtol * np.maximum(1.0, np.abs(a) + np.abs(b))):  # round-off of ln x
            break
        mid = 0.5 * (a + b)
        r = residual(np.exp(mid))
        if not np.all(np.isfinite(r)):
            raise ConvergenceError(f"{what}: non-finite residual during bisection")
        a, b = np.where(r > 0, mid, a), np.where(r > 0, b, mid)
    else:
        raise ConvergenceError(f"{what}: bisection did not reach relative width {rtol} in {max_iter} steps")
    root = np.exp(0.5 * (a + b))
    return np.where(r_lo <= 0, lo, np.where(r_hi >= 0, hi, root))[()]


def bruggeman_conductivity(volume_fractions, conductivities, dim: int = 3):
    r"""Bruggeman symmetric effective-medium (self-consistent) conductivity.

    Solves, for each batch entry,

    .. math:: \sum_i f_i \frac{k_i - k}{k_i + (d-1)k} = 0,

    whose left side decreases strictly in :math:`k > 0`, so the root is unique and
    bracketed by the smallest and largest phase conductivity; it is found by
    vectorised bisection on :math:`\ln k` to relative precision 1e-14. A phase with
    :math:`k_i = 0` (pores, insulator) is allowed: the estimate vanishes when the
    conducting fraction is below the percolation threshold :math:`1/d`.
    In 2-D at :math:`f_1 = f_2 = 1/2`, :math:`k = \sqrt{k_1 k_2}`, the exact
    Keller–Dykhne value.

    Bruggeman (1935), Ann. Phys. 416, 636; Landauer (1952), J. Appl. Phys. 23, 779;
    Torquato (2002), *Random Heterogeneous Materials*, sec. 18.1.

    Parameters
    ----------
    volume_fractions, conductivities : array_like, shape (..., P)
        Fractions summing to 1 and non-negative conductivities (one positive).
    dim : {2, 3}

    Returns
    -------
    ndarray, shape (...)

    Raises
    ------
    ConvergenceError
        If the bisection meets non-finite numbers.
    """
    d = _check_dim(dim)
    f, k = check_mixture(volume_fractions, conductivities, "conductivities", allow_zero=True)
    present = f > 0
    k_max = np.where(present, k, -np.inf).max(axis=-1)
    k_min = np.where(present, k, np.inf).min(axis=-1)
    if np.any(k_max <= 0):
        raise InputError(f"conductivities: got {conductivities!r}, expected at least one positive present phase")
    lo = np.where(k_min > 0, k_min, k_max * 1e-300)

    def residual(x):
        return np.sum(np.where(present, f * (k - x[..., None]) / (k + (d - 1) * x[..., None]), 0.0), axis=-1)

    root = _bisect_log(residual, lo, k_max, "bruggeman_conductivity")
    return np.where((k_min <= 0) & (residual(lo) <= 0), 0.0, root)[()]


def self_consistent_elastic(volume_fractions, bulk_moduli, shear_moduli):
    r"""Self-consistent (Hill 1965, Budiansky 1965) moduli of an aggregate of spherical grains.

    The effective :math:`(K, G)` solve

    .. math:: \sum_i f_i\frac{K_i - K}{K_i + \frac43 G} = 0, \qquad
              \sum_i f_i\frac{G_i - G}{G_i + \zeta(K, G)} = 0, \qquad
              \zeta = \frac{G}{6}\frac{9K + 8G}{K + 2G}.

    The first gives :math:`K(G) = \Lambda_K(\tfrac43 G)` explicitly; the second,
    with :math:`K = K(G)`, is bracketed by the smallest and largest phase shear
    moduli and solved by vectorised bisection on :math:`\ln G`. Hill (1965), J. Mech.
    Phys. Solids 13, 213; Budiansky (1965), J. Mech. Phys. Solids 13, 223.

    Parameters
    ----------
    volume_fractions, bulk_moduli, shear_moduli : array_like, shape (..., P)
        Fractions summing to 1, positive moduli (Pa).

    Returns
    -------
    (K, G) : ndarray, shape (...)

    Raises
    ------
    ConvergenceError
        If the shear equation is not met to 1e-10 (its terms are dimensionless) or the
        result is not finite; the bulk equation holds exactly by construction.
    """
    f, K = check_mixture(volume_fractions, bulk_moduli, "bulk_moduli")
    f, G = check_mixture(f, shear_moduli, "shear_moduli")
    present = f > 0

    def bulk(g):
        return walpole_average(f, K, 4.0 * g / 3.0)

    def shear_residual(g):
        k = bulk(g)
        zeta = g / 6.0 * (9 * k + 8 * g) / (k + 2 * g)
        return np.sum(np.where(present, f * (G - g[..., None]) / (G + zeta[..., None]), 0.0), axis=-1)

    g_lo, g_hi = np.where(present, G, np.inf).min(-1), np.where(present, G, -np.inf).max(-1)
    g = _bisect_log(shear_residual, g_lo, g_hi, "self_consistent_elastic")
    k, res = bulk(g), np.abs(shear_residual(g))
    if np.any(~np.isfinite(k)) or np.any(res > 1e-10):
        raise ConvergenceError(f"self_consistent_elastic: shear residual {np.max(res):.2e} above 1e-10 "
                               f"or non-finite bulk modulus {k}")
    return k[()], g[()]
