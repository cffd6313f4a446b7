r"""Voigt, Reuss and Hashin–Shtrikman bounds on effective properties of isotropic mixtures.

All functions take the volume fractions and the phase properties with the phases
along the **last axis** and broadcast over any leading (batch) axes; fractions must
be non-negative and sum to 1. Properties are in any consistent unit (W/(m K), S/m,
m^2/s for conductivities; Pa for moduli); results are in that unit.

Every Hashin–Shtrikman bound here is one evaluation of Walpole's form

.. math:: \Lambda(y) = \Big(\sum_i \frac{f_i}{p_i + y}\Big)^{-1} - y,

which increases with the comparison parameter :math:`y`, so the lower (upper) bound
is :math:`\Lambda` at the softest (stiffest) comparison medium among the phases that
are present (Walpole 1966, J. Mech. Phys. Solids 14, 151; Milton, *The Theory of
Composites*, 2002, sec. 23.2).

==============  ==================  ===============================================
property        :math:`p_i`          comparison parameter :math:`y`
==============  ==================  ===============================================
conductivity    :math:`k_i`          :math:`(d-1)k_0`, :math:`k_0` min / max of k
bulk, 3-D       :math:`K_i`          :math:`\tfrac43 G_0`, :math:`G_0` min / max of G
shear, 3-D      :math:`G_i`          :math:`\zeta = \tfrac{G_0}{6}\tfrac{9K_0+8G_0}{K_0+2G_0}`
bulk, 2-D       :math:`k_i = K_i + G_i/3`  :math:`G_0`
shear, 2-D      :math:`G_i`          :math:`\zeta = \tfrac{k_0 G_0}{k_0+2G_0}`
==============  ==================  ===============================================

with :math:`(K_0, G_0)` both the minima (lower bound) or both the maxima (upper).
"""

from __future__ import annotations

import numpy as np

from ..core.errors import InputError

__all__ = ["voigt_bound", "reuss_bound", "hashin_shtrikman_conductivity", "hashin_shtrikman_elastic",
           "plane_strain_bulk_modulus", "plane_moduli_from_mandel", "walpole_average"]


def check_mixture(volume_fractions, values, name: str = "values", allow_zero: bool = False):
    """Broadcast fractions and phase values (phases last) and validate them.

    Returns the float arrays ``(f, v)`` of a common shape ``(..., P)``.
    """
    f = np.asarray(volume_fractions, dtype=float)
    v = np.asarray(values, dtype=float)
    if f.ndim == 0 or v.ndim == 0:
        raise InputError(f"volume_fractions, {name}: expected arrays with the phases along the last axis, "
                         f"got shapes {f.shape} and {v.shape}")
    try:
        f, v = np.broadcast_arrays(f, v)
    except ValueError:
        raise InputError(f"volume_fractions, {name}: shapes {f.shape} and {v.shape} do not broadcast") from None
    if np.any(~np.isfinite(f) | (f < 0)) or not np.allclose(f.sum(axis=-1), 1.0, rtol=0, atol=1e-6):
        raise InputError(f"volume_fractions: got {volume_fractions!r}, expected non-negative fractions "
                         "summing to 1 along the last axis")
    if np.any(~np.isfinite(v) | (v < 0 if allow_zero else v <= 0)):
        raise InputError(f"{name}: got {values!r}, expected finite {'non-negative' if allow_zero else 'positive'} "
                         "phase properties")
    return f, v


def _present_extremes(f: np.ndarray, v: np.ndarray):
    """Minimum and maximum of ``v`` over the phases with a non-zero fraction."""
    present = f > 0
    return np.where(present, v, np.inf).min(axis=-1), np.where(present, v, -np.inf).max(axis=-1)


def walpole_average(volume_fractions, values, shift) -> np.ndarray:
    r"""Walpole's form :math:`\Lambda(y) = (\sum_i f_i/(p_i + y))^{-1} - y` over the last axis.

    Phases with a zero fraction do not contribute; ``shift`` (``y``) broadcasts with
    the batch shape. :math:`\Lambda(0)` is the Reuss (harmonic) mean and
    :math:`\Lambda(\infty)` the Voigt (arithmetic) mean.
    """
    f, p = np.asarray(volume_fractions, float), np.asarray(values, float)
    y = np.asarray(shift, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(f > 0, f / (p + y[..., None]), 0.0)
        return 1.0 / terms.sum(axis=-1) - y


def voigt_bound(volume_fractions, values) -> np.ndarray:
    r"""Voigt (arithmetic, uniform-gradient) upper bound :math:`\sum_i f_i p_i`.

    Voigt (1889), Ann. Phys. 274, 573; Hill (1952), Proc. Phys. Soc. A 65, 349.
    Works for conductivities or for each modulus separately (phases last).
    """
    f, v = check_mixture(volume_fractions, values, allow_zero=True)
    return np.sum(f * v, axis=-1)


def reuss_bound(volume_fractions, values) -> np.ndarray:
    r"""Reuss (harmonic, uniform-flux) lower bound :math:`(\sum_i f_i/p_i)^{-1}`.

    Reuss (1929), Z. Angew. Math. Mech. 9, 49; Hill (1952). A present phase with
    ``p_i = 0`` gives 0.
    """
    f, v = check_mixture(volume_fractions, values, allow_zero=True)
    return walpole_average(f, v, np.zeros(f.shape[:-1]))


def _check_dim(dim) -> int:
    if dim not in (2, 3):
        raise InputError(f"dim: got {dim!r}, expected 2 or 3")
    return int(dim)


def hashin_shtrikman_conductivity(volume_fractions, conductivities, dim: int = 3):
    r"""Hashin–Shtrikman bounds on the conductivity of an isotropic mixture of isotropic phases.

    .. math:: k_{HS}^{\mp} = \Big(\sum_i \frac{f_i}{k_i + (d-1)k_0}\Big)^{-1} - (d-1)k_0,
              \quad k_0 = \min_i k_i \;(\text{lower}),\ \max_i k_i \;(\text{upper})

    For two phases (:math:`k_1 < k_2`) the lower bound is
    :math:`k_1 + f_2/(1/(k_2-k_1) + f_1/(d\,k_1))`. ``dim=3``: Hashin & Shtrikman
    (1962), J. Appl. Phys. 33, 3125; ``dim=2``: the transverse conductivity of a
    fibre composite (aligned cylinders), Hashin (1970) / Milton (2002) sec. 23.2.
    Valid for thermal or electrical conductivity, permittivity, diffusivity.

    Parameters
    ----------
    volume_fractions : array_like, shape (..., P)
    conductivities : array_like, shape (..., P)
        Non-negative phase conductivities (any consistent unit).
    dim : {2, 3}

    Returns
    -------
    (lower, upper) : tuple of ndarray, shape (...)
    """
    d = _check_dim(dim)
    f, k = check_mixture(volume_fractions, conductivities, "conductivities", allow_zero=True)
    k_min, k_max = _present_extremes(f, k)
    return walpole_average(f, k, (d - 1) * k_min), walpole_average(f, k, (d - 1) * k_max)


def plane_strain_bulk_modulus(bulk_modulus, shear_modulus):
    r"""Plane-strain (transverse, 2-D) bulk modulus :math:`k = K + G/3 = \lambda + G` (Pa).

    The in-plane response of an isotropic phase under plane strain to an in-plane
    dilatation, :math:`\tfrac12(\sigma_{11}+\sigma_{22}) = k(\varepsilon_{11}+\varepsilon_{22})`;
    the 2-D bounds of :func:`hashin_shtrikman_elastic` bound this modulus.
    """
    return np.asarray(bulk_modulus, float) + np.asarray(shear_modulus, float) / 3.0


def plane_moduli_from_mandel(c_mandel):
    r"""Isotropic 2-D projection ``(k, G)`` of plane-strain Mandel stiffnesses ``(..., 3, 3)``.

    :math:`k = (C_{11} + C_{22} + 2C_{12})/4`, :math:`G = (C_{11} + C_{22} - 2C_{12} + 2C_{33})/8`
    (in Mandel :math:`C_{33} = 2G` for an isotropic medium), for comparing a 2-D cell
    solution with the 2-D bounds.
    """
    c = np.asarray(c_mandel, dtype=float)
    k = (c[..., 0, 0] + c[..., 1, 1] + 2 * c[..., 0, 1]) / 4.0
    g = (c[..., 0, 0] + c[..., 1, 1] - 2 * c[..., 0, 1] + 2 * c[..., 2, 2]) / 8.0
    return k, g


def hashin_shtrikman_elastic(volume_fractions, bulk_moduli, shear_moduli, dim: int = 3):
    r"""Hashin–Shtrikman–Walpole bounds on the moduli of an isotropic mixture of isotropic phases.

    ``dim=3`` bounds the bulk modulus :math:`K` and shear modulus :math:`G`
    (Hashin & Shtrikman 1963, J. Mech. Phys. Solids 11, 127; Walpole 1966 for phases
    whose stiffest bulk and shear moduli belong to different phases):

    .. math:: K^{\mp} = \Lambda_K(\tfrac43 G_0), \qquad
              G^{\mp} = \Lambda_G\big(\tfrac{G_0}{6}\tfrac{9K_0+8G_0}{K_0+2G_0}\big)

    ``dim=2`` bounds the plane-strain (transverse) bulk modulus
    :math:`k = K + G/3` and the transverse shear modulus :math:`G` of a fibre
    composite or of a 2-D plane-strain cell (Hashin 1965, J. Mech. Phys. Solids 13,
    119; Hill 1964, J. Mech. Phys. Solids 12, 199):

    .. math:: k^{\mp} = \Lambda_k(G_0), \qquad G^{\mp} = \Lambda_G\big(\tfrac{k_0 G_0}{k_0 + 2G_0}\big)

    with :math:`\Lambda` of :func:`walpole_average` and :math:`(K_0, G_0)` resp.
    :math:`(k_0, G_0)` the minima for the lower and the maxima for the upper bound.

    Parameters
    ----------
    volume_fractions : array_like, shape (..., P)
    bulk_moduli : array_like, shape (..., P)
        The **3-D** bulk moduli :math:`K_i` (Pa) in both dimensions, as for
        :func:`scalebridge.solvers.tensors.isotropic_stiffness`; for ``dim=2`` they are
        turned into :math:`k_i = K_i + G_i/3` (:func:`plane_strain_bulk_modulus`).
    shear_moduli : array_like, shape (..., P)
        Shear moduli :math:`G_i` (Pa).
    dim : {2, 3}

    Returns
    -------
    ((bulk_lower, bulk_upper), (shear_lower, shear_upper))
        :math:`K` bounds for ``dim=3``, plane-strain :math:`k` bounds for ``dim=2``
        (compare with :func:`plane_moduli_from_mandel` of a 2-D cell stiffness).
    """
    d = _check_dim(dim)
    f, K = check_mixture(volume_fractions, bulk_moduli, "bulk_moduli")
    f, G = check_mixture(f, shear_moduli, "shear_moduli")
    bulk = K if d == 3 else plane_strain_bulk_modulus(K, G)
    bounds_k, bounds_g = [], []
    for b0, g0 in zip(_present_extremes(f, bulk), _present_extremes(f, G)):
        if d == 3:
            bounds_k.append(walpole_average(f, bulk, 4.0 * g0 / 3.0))
            bounds_g.append(walpole_average(f, G, g0 / 6.0 * (9 * b0 + 8 * g0) / (b0 + 2 * g0)))
        else:
            bounds_k.append(walpole_average(f, bulk, g0))
            bounds_g.append(walpole_average(f, G, b0 * g0 / (b0 + 2 * g0)))
    return tuple(bounds_k), tuple(bounds_g)
