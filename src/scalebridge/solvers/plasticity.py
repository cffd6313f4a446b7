r"""Small-strain J2 (von Mises) plasticity with linear isotropic hardening: the radial return.

Pointwise constitutive update, vectorised over material (quadrature) points, in Mandel
notation (:mod:`.tensors`). With the elastic trial state

.. math::
    \varepsilon^e_{tr} = \varepsilon - \varepsilon^p_n, \quad
    p = K\,\mathrm{tr}\,\varepsilon^e_{tr}, \quad
    s_{tr} = 2G\,\mathrm{dev}\,\varepsilon^e_{tr}, \quad
    f_{tr} = \|s_{tr}\| - \sqrt{2/3}\,(\sigma_y + H\alpha_n),

the step is elastic if :math:`f_{tr}\le 0`; otherwise the stress is returned radially,
:math:`n = s_{tr}/\|s_{tr}\|`,

.. math::
    \Delta\gamma = \frac{f_{tr}}{2G + \tfrac23 H}, \quad
    s = s_{tr} - 2G\Delta\gamma\,n, \quad
    \varepsilon^p = \varepsilon^p_n + \Delta\gamma\,n, \quad
    \alpha = \alpha_n + \sqrt{2/3}\,\Delta\gamma,

and the consistent (algorithmic) tangent is

.. math::
    \mathbb C = K\,\mathbf 1\otimes\mathbf 1 + 2G\theta\,\mathbb I_{dev} - 2G\bar\theta\,n\otimes n,
    \quad \theta = 1 - \frac{2G\Delta\gamma}{\|s_{tr}\|}, \quad
    \bar\theta = \frac{1}{1 + H/(3G)} - (1-\theta).

Here :math:`\alpha` is the equivalent plastic strain :math:`\int\sqrt{2/3}\|\dot\varepsilon^p\|dt`
and :math:`\sigma_y + H\alpha` the uniaxial yield stress. Plane strain keeps the full
3-D state with :math:`\varepsilon_{zz} = \varepsilon_{yz} = \varepsilon_{xz} = 0`; the
in-plane tangent is the in-plane block of the 3-D consistent tangent.

References: Simo & Hughes (1998), *Computational Inelasticity*, Springer, §3.3,
Box 3.2 (radial return) and eq. (3.3.10) (consistent tangent); de Souza Neto, Perić &
Owen (2008), *Computational Methods for Plasticity*, Wiley, §7.3.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import InputError

__all__ = ["j2_return_mapping", "IN_PLANE"]

#: 3-D Mandel indices of the plane-strain components [11, 22, sqrt2*12].
IN_PLANE = np.array([0, 1, 5])
_UNIT = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
_DEVIATORIC = np.eye(6) - np.outer(_UNIT, _UNIT) / 3.0


def _points(value, n: int, name: str) -> np.ndarray:
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)) if np.ndim(value) <= 1 else None
    if arr is None or not np.all(np.isfinite(arr)):
        raise InputError(f"j2_return_mapping: {name} must be a finite scalar or an array of shape ({n},), "
                         f"got {np.shape(value)}")
    return arr


def j2_return_mapping(strain, plastic_strain, alpha, *, bulk_modulus, shear_modulus, yield_stress,
                      hardening_modulus, plane_strain: bool = False):
    r"""Radial-return update of J2 plasticity at many points (Simo & Hughes 1998, Box 3.2).

    Parameters
    ----------
    strain : ndarray, shape (n, m)
        Total strain at the end of the step, Mandel (m = 3 plane strain, m = 6 3-D); dimensionless.
    plastic_strain : ndarray, shape (n, 6)
        Committed plastic strain (3-D Mandel, also for plane strain); dimensionless.
    alpha : ndarray, shape (n,)
        Committed equivalent plastic strain (hardening variable); dimensionless.
    bulk_modulus, shear_modulus : float or ndarray (n,)
        K and G (Pa).
    yield_stress : float or ndarray (n,)
        Initial uniaxial yield stress :math:`\sigma_y` (Pa).
    hardening_modulus : float or ndarray (n,)
        Linear isotropic hardening modulus H (Pa): yield stress :math:`\sigma_y + H\alpha`.
    plane_strain : bool
        ``strain`` holds the in-plane components [11, 22, sqrt2*12]; the out-of-plane
        total strains are zero.

    Returns
    -------
    stress : ndarray, shape (n, m)
        Cauchy stress (Pa), Mandel; in-plane components for plane strain.
    tangent : ndarray, shape (n, m, m)
        Consistent tangent :math:`\partial\sigma/\partial\varepsilon` (Pa), Mandel.
    plastic_strain : ndarray, shape (n, 6)
        Updated plastic strain (new array; the inputs are not modified).
    alpha : ndarray, shape (n,)
        Updated equivalent plastic strain.
    """
    eps = np.asarray(strain, dtype=float)
    m = 3 if plane_strain else 6
    if eps.ndim != 2 or eps.shape[1] != m:
        raise InputError(f"j2_return_mapping: strain must have shape (n, {m}) "
                         f"({'plane strain' if plane_strain else '3-D'}), got {eps.shape}")
    n = eps.shape[0]
    eps_p = np.asarray(plastic_strain, dtype=float)
    a = np.asarray(alpha, dtype=float)
    if eps_p.shape != (n, 6) or a.shape != (n,):
        raise InputError(f"j2_return_mapping: plastic_strain must have shape ({n}, 6) and alpha ({n},), "
                         f"got {eps_p.shape} and {a.shape}")
    K, G, sy, H = (_points(v, n, name) for v, name in ((bulk_modulus, "bulk_modulus"),
                                                       (shear_modulus, "shear_modulus"),
                                                       (yield_stress, "yield_stress"),
                                                       (hardening_modulus, "hardening_modulus")))
    if plane_strain:
        full = np.zeros((n, 6))
        full[:, IN_PLANE] = eps
    else:
        full = eps
    elastic = full - eps_p
    volumetric = elastic[:, :3].sum(axis=1)
    s_trial = 2.0 * G[:, None] * (elastic - volumetric[:, None] * _UNIT / 3.0)
    norm = np.linalg.norm(s_trial, axis=1)
    f_trial = norm - np.sqrt(2.0 / 3.0) * (sy + H * a)
    plastic = f_trial > 0.0
    gamma = np.where(plastic, f_trial, 0.0) / (2.0 * G + 2.0 * H / 3.0)
    direction = s_trial / np.where(norm > 0.0, norm, 1.0)[:, None]
    stress = s_trial - (2.0 * G * gamma)[:, None] * direction + (K * volumetric)[:, None] * _UNIT
    theta = 1.0 - 2.0 * G * gamma / np.where(norm > 0.0, norm, 1.0)
    theta_bar = np.where(plastic, 1.0 / (1.0 + H / (3.0 * G)) - (1.0 - theta), 0.0)
    tangent = (K[:, None, None] * np.outer(_UNIT, _UNIT) + (2.0 * G * theta)[:, None, None] * _DEVIATORIC
               - (2.0 * G * theta_bar)[:, None, None] * direction[:, :, None] * direction[:, None, :])
    new_plastic = eps_p + gamma[:, None] * direction
    new_alpha = a + np.sqrt(2.0 / 3.0) * gamma
    if plane_strain:
        return stress[:, IN_PLANE], tangent[:, IN_PLANE][:, :, IN_PLANE], new_plastic, new_alpha
    return stress, tangent, new_plastic, new_alpha
