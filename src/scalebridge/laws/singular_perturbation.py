r"""Matched asymptotics of a relaxing variable: :math:`\varepsilon y' + y = f(t)`, :math:`y(0) = y_0`.

The prototype of a fast variable slaved to a slow forcing (a quasi-steady species,
a viscous strain, a thermal boundary layer in time). For :math:`0 < \varepsilon \ll 1`
(with :math:`t` and :math:`\varepsilon` in the same time unit):

* **outer** solution (away from :math:`t = 0`), a regular expansion
  :math:`y_\mathrm{out} = \sum_{n=0}^{N} (-\varepsilon)^n f^{(n)}(t)` (the
  quasi-steady state :math:`f` and its corrections);
* **inner** solution in the initial layer, :math:`T = t/\varepsilon`, with the
  forcing Taylor-expanded, :math:`f(\varepsilon T) = \sum_m f^{(m)}(0)(\varepsilon T)^m/m!`:
  at leading order :math:`y_\mathrm{in} = f(0) + (y_0 - f(0))e^{-T}`, and to order N
  :math:`y_\mathrm{in} = \sum_{k\le N} f^{(k)}(0)\sum_{m\le k}(-\varepsilon)^{k-m}
  (\varepsilon T)^m/m! + (y_0 - y_\mathrm{out}(0))e^{-T}`;
* **composite** :math:`y_c = y_\mathrm{out} + y_\mathrm{in} - y_\mathrm{match}`,
  which by matching (:math:`\lim_{T\to\infty}y_\mathrm{in} = \lim_{t\to0}y_\mathrm{out}`)
  reduces to :math:`y_c = y_\mathrm{out}(t) + (y_0 - y_\mathrm{out}(0))\,e^{-t/\varepsilon}`,
  uniformly valid with error :math:`O(\varepsilon^{N+1})` for smooth :math:`f`.

The exact solution :math:`y = y_0e^{-t/\varepsilon} + \varepsilon^{-1}\int_0^t
e^{-(t-s)/\varepsilon}f(s)\,ds` is given for comparison. Bender & Orszag 1999,
*Advanced Mathematical Methods for Scientists and Engineers I*, Springer, ch. 9
(boundary-layer theory: §9.1–9.2 outer/inner expansions and matching, §9.3
composite approximations); Holmes 2013, *Introduction to Perturbation Methods*,
2nd ed., Springer, ch. 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy.integrate import quad_vec

from ..core.errors import ConvergenceError, InputError

__all__ = ["MatchedAsymptotics", "relaxation_layer", "relaxation_exact"]


@dataclass(frozen=True)
class MatchedAsymptotics:
    """Outer, inner and composite approximations on a time grid.

    Attributes
    ----------
    time : ndarray
    outer, inner, composite : ndarray
        The three approximations at ``time``.
    layer_thickness : float
        :math:`\\varepsilon`: the inner solution holds for t = O(eps).
    order : int
        Order N of the outer expansion.
    """

    time: np.ndarray
    outer: np.ndarray
    inner: np.ndarray
    composite: np.ndarray
    layer_thickness: float
    order: int


def _check_epsilon(epsilon):
    if not (np.isfinite(epsilon) and epsilon > 0):
        raise InputError(f"relaxation_layer: epsilon={epsilon!r}, expected a relaxation time > 0")
    return float(epsilon)


def relaxation_layer(forcing: Callable, time, epsilon: float, initial: float,
                     derivatives: Sequence[Callable] = ()) -> MatchedAsymptotics:
    r"""Outer, inner and composite solutions of :math:`\varepsilon y' + y = f(t)`, :math:`y(0) = y_0`.

    Parameters
    ----------
    forcing : callable
        f(t), vectorised over an array of times.
    time : array_like
        Times t >= 0 (same unit as epsilon).
    epsilon : float
        Relaxation time :math:`\varepsilon > 0`.
    initial : float
        :math:`y_0`.
    derivatives : sequence of callable
        :math:`f', f'', \dots, f^{(N)}`: the outer expansion is carried to order
        :math:`N` = ``len(derivatives)`` (0: the quasi-steady state :math:`y = f`).

    Returns
    -------
    MatchedAsymptotics
        Composite error :math:`O(\varepsilon^{N+1})` uniformly in t (Bender & Orszag
        1999, §9.3).
    """
    eps = _check_epsilon(epsilon)
    t = np.asarray(time, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise InputError("relaxation_layer: time must be finite and >= 0")
    if not np.isfinite(initial):
        raise InputError(f"relaxation_layer: initial={initial!r}, expected a finite y(0)")
    funcs = [forcing, *derivatives]
    weights = [(-eps) ** n for n in range(len(funcs))]
    outer = sum(w * np.broadcast_to(np.asarray(f(t), dtype=float), t.shape) for w, f in zip(weights, funcs))
    outer0 = float(sum(w * float(np.asarray(f(np.array(0.0)))) for w, f in zip(weights, funcs)))
    if not np.all(np.isfinite(outer)):
        raise InputError("relaxation_layer: the forcing or its derivatives are not finite on the time grid")
    layer = (initial - outer0) * np.exp(-t / eps)
    # inner expansion: the outer terms Taylor-expanded about t = 0 to the same order (t = eps T)
    at0 = [float(np.asarray(f(np.array(0.0)))) for f in funcs]
    taylor = sum(at0[k] * sum((-eps) ** (k - m) * t ** m / np.prod(np.arange(1, m + 1)) for m in range(k + 1))
                 for k in range(len(funcs)))
    inner = taylor + layer
    return MatchedAsymptotics(t, outer, inner, outer + layer, eps, len(funcs) - 1)


def relaxation_exact(forcing: Callable, time, epsilon: float, initial: float) -> np.ndarray:
    r"""Exact solution :math:`y_0e^{-t/\varepsilon} + \varepsilon^{-1}\int_0^t e^{-(t-s)/\varepsilon}f(s)\,ds`.

    The convolution is computed by adaptive vector quadrature (``scipy.integrate.quad_vec``)
    in the layer variable :math:`u = (t-s)/\varepsilon`.
    """
    eps = _check_epsilon(epsilon)
    t = np.asarray(time, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise InputError("relaxation_exact: time must be finite and >= 0")
    umax = t / eps

    def integrand(u):
        # e^{-u} f(t - eps u) on [0, t/eps] per time; mapped to u in [0, 1] * umax
        return umax * np.exp(-u * umax) * np.asarray(forcing(t - eps * u * umax), dtype=float)

    conv, err = quad_vec(integrand, 0.0, 1.0, epsabs=1e-13, epsrel=1e-11)
    if not np.all(np.isfinite(conv)):
        raise ConvergenceError("relaxation_exact: non-finite convolution integral")
    return initial * np.exp(-umax) + conv
