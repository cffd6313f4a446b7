r"""Dendrite tip growth in an undercooled pure melt: Ivantsov transport, capillarity, kinetics, selection.

A steady paraboloid-of-revolution tip of radius :math:`R` growing at velocity :math:`V`
into a melt undercooled by :math:`\Delta T` rejects latent heat by diffusion. Ivantsov's
exact solution (Ivantsov 1947) relates the dimensionless thermal undercooling to the
Péclet number :math:`P = VR/(2\alpha)`:

.. math:: \Delta_t = \frac{\Delta T_t}{L/c_p} = \mathrm{Iv}(P) = P\,e^{P} E_1(P)

(:func:`ivantsov`; :func:`ivantsov_series` and :func:`ivantsov_asymptotic` are the
convergent and asymptotic expansions of Abramowitz & Stegun 1964, eqs. 5.1.11 and
5.1.51; :func:`ivantsov_peclet` inverts it). Ivantsov fixes only the product
:math:`VR`. The tip is selected by the marginal-stability criterion of Langer &
Müller-Krumbhaar (1978),

.. math:: \sigma^* = \frac{2 d_0 \alpha}{R^2 V} \approx \frac{1}{4\pi^2},

(:data:`MARGINAL_STABILITY_CONSTANT`), so :math:`R = d_0/(\sigma^* P)` and
:math:`V = 2\alpha\sigma^* P^2/d_0`. Following Lipton, Glicksman & Kurz (1984) the
imposed undercooling is shared between heat diffusion, capillarity (Gibbs–Thomson)
and attachment kinetics,

.. math:: \Delta T = \frac{L}{c_p}\,\mathrm{Iv}(P) + \frac{2\Gamma}{R} + \frac{V}{\mu},
          \qquad \Gamma = d_0 \frac{L}{c_p},

which :func:`dendrite_tip` solves for :math:`P` (the right side increases monotonically
with :math:`P`).

References
----------
Ivantsov, G. P. (1947). Dokl. Akad. Nauk SSSR 58, 567.
Abramowitz, M. & Stegun, I. A. (1964). *Handbook of Mathematical Functions*, ch. 5.
Langer, J. S. & Müller-Krumbhaar, H. (1978). Acta Metall. 26, 1681.
Lipton, J., Glicksman, M. E. & Kurz, W. (1984). Mater. Sci. Eng. 65, 57.
Huang, S.-C. & Glicksman, M. E. (1981). Acta Metall. 29, 701 (measured sigma* of succinonitrile).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy.special import exp1, factorial

from ..core.errors import ConvergenceError
from .arguments import finite, positive

__all__ = ["MARGINAL_STABILITY_CONSTANT", "ivantsov", "ivantsov_derivative", "ivantsov_series",
           "ivantsov_asymptotic", "ivantsov_peclet", "TipState", "dendrite_tip"]

#: Langer & Müller-Krumbhaar (1978) marginal-stability constant sigma* = 1/(4 pi^2) = 0.02533.
MARGINAL_STABILITY_CONSTANT = 1.0 / (4.0 * np.pi**2)

_EULER_GAMMA = 0.57721566490153286061
#: Above this Péclet number e^P E1(P) is taken from its asymptotic series (e^P overflows near 709).
_LARGE_P = 50.0


def _peclet(peclet: Any) -> np.ndarray:
    return np.asarray(positive(peclet, "", "peclet", kind="Péclet number"), dtype=float)


def ivantsov(peclet: Any) -> Any:
    r"""Ivantsov function :math:`\mathrm{Iv}(P) = P e^P E_1(P)` of a paraboloid of revolution, dimensionless.

    Parameters
    ----------
    peclet : float or array_like
        Tip Péclet number :math:`P = VR/(2\alpha)` (> 0).

    Returns
    -------
    float or ndarray
        The dimensionless thermal undercooling, in (0, 1).
    """
    P = _peclet(peclet)
    small = P <= _LARGE_P
    out = np.empty_like(P)
    out[small] = P[small] * np.exp(P[small]) * exp1(P[small])
    out[~small] = ivantsov_asymptotic(P[~small], terms=12) if np.any(~small) else out[~small]
    return float(out) if out.ndim == 0 else out


def ivantsov_derivative(peclet: Any) -> Any:
    r""":math:`d\mathrm{Iv}/dP = \mathrm{Iv}(P)(1 + P)/P - 1` (from :math:`d(e^PE_1)/dP = e^PE_1 - 1/P`)."""
    P = _peclet(peclet)
    return np.asarray(ivantsov(P)) * (1.0 + P) / P - 1.0


def ivantsov_series(peclet: Any, terms: int = 60) -> Any:
    r"""Convergent series of Iv (Abramowitz & Stegun 5.1.11), for :math:`P \lesssim 5`.

    .. math:: \mathrm{Iv}(P) = P e^P\Big[-\gamma - \ln P - \sum_{k\ge1}\frac{(-P)^k}{k\,k!}\Big]
    """
    P = _peclet(peclet)[..., None]
    k = np.arange(1, int(terms) + 1)
    s = np.sum((-P) ** k / (k * factorial(k)), axis=-1)
    P = P[..., 0]
    return P * np.exp(P) * (-_EULER_GAMMA - np.log(P) - s)


def ivantsov_asymptotic(peclet: Any, terms: int = 8) -> Any:
    r"""Asymptotic series of Iv for large P (Abramowitz & Stegun 5.1.51).

    .. math:: \mathrm{Iv}(P) \sim \sum_{k=0}^{n-1} (-1)^k \frac{k!}{P^k}
    """
    P = _peclet(peclet)[..., None]
    k = np.arange(int(terms))
    return np.sum((-1.0) ** k * factorial(k) / P**k, axis=-1)


def _solve_increasing(f, df, target: np.ndarray, what: str, lo: float = 1e-14, hi: float = 1e4,
                      iterations: int = 200) -> np.ndarray:
    """Root of f(P) = target for an increasing f, vectorised: bisection in ln P with Newton steps."""
    a = np.full(target.shape, np.log(lo))
    b = np.full(target.shape, np.log(hi))
    x = 0.5 * (a + b)
    for _ in range(iterations):
        P = np.exp(x)
        r = f(P) - target
        a = np.where(r < 0, x, a)
        b = np.where(r >= 0, x, b)
        step = r / (df(P) * P)
        newton = x - step
        inside = (newton > a) & (newton < b)
        x = np.where(inside, newton, 0.5 * (a + b))
        if np.all(np.abs(r) <= 1e-14 * np.maximum(np.abs(target), 1e-300)) or np.all(b - a < 1e-15):
            break
    P = np.exp(x)
    residual = np.abs(f(P) - target)
    if not np.all(np.isfinite(P)) or np.any(residual > 1e-10 * np.maximum(np.abs(target), 1e-300)):
        raise ConvergenceError(f"{what}: Péclet number did not converge (worst residual {residual.max():.2e})")
    return P


def ivantsov_peclet(undercooling: Any) -> Any:
    r"""Invert Ivantsov: the Péclet number :math:`P` with :math:`\mathrm{Iv}(P) = \Delta`.

    Parameters
    ----------
    undercooling : float or array_like
        Dimensionless thermal undercooling :math:`\Delta = \Delta T_t c_p/L`, in (0, 1).

    Raises
    ------
    InputError
        If :math:`\Delta \notin (0, 1)` (no steady paraboloid: hypercooling for :math:`\Delta \ge 1`).
    ConvergenceError
        If the root is not found to a relative residual of 1e-10.
    """
    d = np.asarray(finite(undercooling, "undercooling", lambda a: (a <= 0) | (a >= 1),
                          expected="a dimensionless undercooling in (0, 1)"), dtype=float)
    P = _solve_increasing(ivantsov, ivantsov_derivative, np.atleast_1d(d), "ivantsov_peclet")
    return float(P[0]) if d.ndim == 0 else P.reshape(d.shape)


class TipState(NamedTuple):
    """Selected dendrite tip (SI): Péclet number, velocity (m/s), radius (m) and the undercooling budget (K)."""

    peclet: np.ndarray
    velocity: np.ndarray
    radius: np.ndarray
    thermal_undercooling: np.ndarray
    capillary_undercooling: np.ndarray
    kinetic_undercooling: np.ndarray


def dendrite_tip(undercooling: Any, unit_undercooling: Any, capillary_length: Any, diffusivity: Any,
                 kinetic_coefficient: Any = np.inf, selection_constant: float = MARGINAL_STABILITY_CONSTANT
                 ) -> TipState:
    r"""Tip velocity and radius of a thermal dendrite (LGK 1984, marginal stability).

    Solves :math:`\Delta T = (L/c_p)[\mathrm{Iv}(P) + 2\sigma^* P] + 2\alpha\sigma^*P^2/(d_0\mu)`
    for :math:`P`, then :math:`V = 2\alpha\sigma^*P^2/d_0`, :math:`R = d_0/(\sigma^*P)`.

    Parameters
    ----------
    undercooling : float or array_like
        Bulk melt undercooling :math:`\Delta T = T_m - T_\infty`, K (> 0).
    unit_undercooling : float
        :math:`L/c_p`, K (> 0).
    capillary_length : float
        :math:`d_0 = \Gamma c_p/L`, m (> 0).
    diffusivity : float
        Thermal diffusivity of the melt :math:`\alpha`, m^2/s (> 0).
    kinetic_coefficient : float
        Linear attachment-kinetic coefficient :math:`\mu` (m/(s K)); ``inf`` (default)
        for no kinetic undercooling.
    selection_constant : float
        :math:`\sigma^*` (default :data:`MARGINAL_STABILITY_CONSTANT`).

    Returns
    -------
    TipState
    """
    dT = np.asarray(positive(undercooling, "K", "undercooling"), dtype=float)
    dTu = float(positive(unit_undercooling, "K", "unit_undercooling"))
    d0 = float(positive(capillary_length, "m", "capillary_length"))
    a = float(positive(diffusivity, "m^2/s", "diffusivity"))
    mu = float(positive(kinetic_coefficient, "m/(s*K)", "kinetic_coefficient")) \
        if np.isfinite(np.asarray(kinetic_coefficient, dtype=float)) else np.inf
    sigma = float(finite(selection_constant, "selection_constant", lambda s: s <= 0,
                         expected="a positive selection constant sigma*"))
    kin = 0.0 if np.isinf(mu) else 2.0 * a * sigma / (d0 * mu * dTu)
    f = lambda P: ivantsov(P) + 2.0 * sigma * P + kin * P**2  # noqa: E731  (dimensionless budget)
    df = lambda P: ivantsov_derivative(P) + 2.0 * sigma + 2.0 * kin * P  # noqa: E731
    P = _solve_increasing(f, df, np.atleast_1d(dT / dTu), "dendrite_tip").reshape(dT.shape)
    V = 2.0 * a * sigma * P**2 / d0
    R = d0 / (sigma * P)
    return TipState(P, V, R, dTu * np.asarray(ivantsov(P)), dTu * 2.0 * sigma * P, dTu * kin * P**2)
