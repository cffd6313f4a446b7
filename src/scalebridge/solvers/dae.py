r"""Variable-order, variable-step NDF/BDF integrator for semi-explicit index-1 DAEs.

Solves ``M y' = f(t, y)`` with a diagonal 0/1 mass matrix ``M`` (1 on differential
rows, 0 on algebraic rows), a sparse analytic Jacobian ``J = df/dy`` and one
factorisation of ``M - c J`` reused over many steps (modified Newton; SuperLU by
default, or a model's own, e.g. the DFN's static condensation of its particles,
:class:`~scalebridge.apps.battery.assembly.ParticleCondensation`). It is
the quasi-constant step-size numerical differentiation formulas of orders 1-5 in
backward-difference form of Shampine & Reichelt (1997), with the mass-matrix / DAE
extension of Shampine, Reichelt & Kierzenka (1999) (MATLAB's ``ode15s``):

.. math::

    (1-\kappa_k)\gamma_k\,(y_{n+1} - y^{(0)}_{n+1}) + \sum_{m=1}^{k}\gamma_m \nabla^m y_n
    = h\,M^{-1}\!\!\!\!\!\quad f(t_{n+1}, y_{n+1})\ \text{(as } M d - c f + M\psi = 0),
    \qquad \gamma_k = \sum_{j=1}^k 1/j,

with the local error estimate ``(kappa_k gamma_k + 1/(k+1)) d``. Because every step
is a linear combination of the history plus a multiple of ``f``, linear invariants of
the DAE (``w^T f = 0`` for all ``y``: total lithium in a cell model) are conserved to
round-off, whatever the Newton tolerance.

It also has what a cell simulation needs: dense output (the interpolating polynomial of
the backward differences), terminal events located on it (cut-off voltages), stops
that the integrator lands on exactly without restarting (kinks of a drive cycle), and
counters (steps, rejections, residual and Jacobian evaluations, LU factorisations).

References
----------
L. F. Shampine, M. W. Reichelt, "The MATLAB ODE suite", SIAM J. Sci. Comput. 18, 1 (1997).
L. F. Shampine, M. W. Reichelt, J. A. Kierzenka, "Solving index-1 DAEs in MATLAB and
Simulink", SIAM Rev. 41, 538 (1999).
E. Hairer, G. Wanner, "Solving Ordinary Differential Equations II", Springer (1996), ch. VI.
K. E. Brenan, S. L. Campbell, L. R. Petzold, "Numerical Solution of Initial-Value
Problems in Differential-Algebraic Equations", SIAM (1996) (consistent initialisation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import brentq
from scipy.sparse.linalg import splu

from ..core.errors import ConvergenceError

__all__ = ["DAEResult", "Event", "solve_dae", "consistent_algebraic"]

MAX_ORDER = 5
_KAPPA = np.array([0.0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0.0])
_GAMMA = np.concatenate(([0.0], np.cumsum(1.0 / np.arange(1, MAX_ORDER + 1))))
_ALPHA = (1.0 - _KAPPA) * _GAMMA
_ERROR_CONST = _KAPPA * _GAMMA + 1.0 / np.arange(1, MAX_ORDER + 2)
_NEWTON_MAXITER = 4
_MIN_FACTOR, _MAX_FACTOR, _SAFETY = 0.2, 10.0, 0.9
_LU_REUSE = 0.3   # keep the factorisation while c = h/alpha_k changes by less than 30 % (as IDA)


@dataclass
class Event:
    """A scalar function ``g(t, y)`` whose zero ends the integration (if ``terminal``).

    ``direction`` > 0 triggers only on rising, < 0 only on falling zero crossings.
    ``name`` is reported as the reason the run stopped.
    """

    function: Callable
    name: str
    terminal: bool = True
    direction: float = 0.0


@dataclass
class DAEResult:
    """Output of :func:`solve_dae` (SI numbers)."""

    t: np.ndarray
    y: np.ndarray                     # shape (n, len(t))
    t_final: float
    y_final: np.ndarray
    status: str                       # "end" or the name of the terminal event
    n_steps: int = 0
    n_rejected: int = 0
    n_residuals: int = 0
    n_jacobians: int = 0
    n_factorisations: int = 0
    event_times: dict = field(default_factory=dict)


def _difference_rescaling(order, factor):
    """Matrix that rescales backward differences to a new step ``factor * h``."""
    i = np.arange(1, order + 1)[:, None]
    j = np.arange(1, order + 1)
    m = np.zeros((order + 1, order + 1))
    m[1:, 1:] = (i - 1 - factor * j) / i
    m[0] = 1.0
    return np.cumprod(m, axis=0)


_UNIT_RESCALING = [_difference_rescaling(k, 1.0) for k in range(MAX_ORDER + 1)]


def _rescale(D, order, factor):
    ru = _difference_rescaling(order, factor) @ _UNIT_RESCALING[order]
    D[: order + 1] = ru.T @ D[: order + 1]


def _rms(x):
    return math.sqrt(x.dot(x) / x.size)


def consistent_algebraic(residual, jacobian, algebraic, t, y, scale, tol=1e-10, max_iter=50):
    """Solve the algebraic rows ``f_a(t, y) = 0`` for the algebraic variables (Newton).

    Parameters
    ----------
    residual, jacobian : callable
        ``f(t, y)`` and its sparse Jacobian.
    algebraic : numpy.ndarray of bool
        Mask of algebraic rows/variables.
    t : float
    y : numpy.ndarray
        Initial guess; its differential part is kept.
    scale : numpy.ndarray
        Scale of each variable for the convergence test ``max |dy/scale| < tol``.

    Returns
    -------
    y, n_residuals, n_jacobians
    """
    y = np.array(y, dtype=float)
    idx = np.flatnonzero(algebraic)
    if idx.size == 0:
        return y, 0, 0
    contiguous = idx[-1] - idx[0] + 1 == idx.size          # (then a slice: cheaper than fancy indexing)
    f = residual(t, y)
    nres, njac = 1, 0
    for _ in range(max_iter):
        J = jacobian(t, y).tocsc()
        njac += 1
        try:
            J_aa = J[idx[0]: idx[-1] + 1, idx[0]: idx[-1] + 1] if contiguous else J[idx][:, idx]
            step = splu(J_aa.tocsc()).solve(-f[idx])
        except RuntimeError as exc:
            raise ConvergenceError(f"consistent initialisation: singular algebraic Jacobian ({exc})") from exc
        if not np.all(np.isfinite(step)):
            raise ConvergenceError("consistent initialisation: non-finite Newton step")
        # damped Newton: halve until the algebraic residual decreases
        f0 = np.linalg.norm(f[idx])
        alpha = 1.0
        for _ in range(20):
            trial = y.copy()
            trial[idx] += alpha * step
            ft = residual(t, trial)
            nres += 1
            if np.all(np.isfinite(ft)) and np.linalg.norm(ft[idx]) <= (1 - 1e-4 * alpha) * f0:
                break
            alpha *= 0.5
        y, f = trial, ft
        if np.max(np.abs(alpha * step) / scale[idx]) < tol:
            return y, nres, njac
    raise ConvergenceError(f"consistent initialisation: Newton did not converge in {max_iter} iterations "
                           f"(last step {np.max(np.abs(step) / scale[idx]):.2e} > {tol:.1e})")


def solve_dae(residual: Callable, jacobian: Callable, differential: np.ndarray, t0: float,
              y0: np.ndarray, t_end: float, t_eval: np.ndarray | None = None, *, rtol: float = 1e-6,
              atol: float | np.ndarray = 1e-8, events: Sequence[Event] = (), tstops: Sequence[float] = (),
              max_step: float = np.inf, first_step: float | None = None,
              max_steps: int = 100_000, error_test: np.ndarray | None = None,
              linear_solver: Callable | None = None) -> DAEResult:
    """Integrate ``M y' = f(t, y)`` from consistent ``y0`` at ``t0`` to ``t_end`` or a terminal event.

    Parameters
    ----------
    residual : callable
        ``f(t, y) -> ndarray (n,)``; differential rows give ``y'``, algebraic rows are 0
        on the solution.
    jacobian : callable
        ``J(t, y) -> scipy.sparse matrix (n, n)``, ``df/dy``; must have the diagonal in
        its sparsity pattern only if it is used so (any sparse format is accepted).
    differential : numpy.ndarray of bool, shape (n,)
        True on differential rows (the diagonal of ``M``).
    t0, t_end : float
    y0 : numpy.ndarray
        Consistent initial values (algebraic rows satisfied; see :func:`consistent_algebraic`).
    t_eval : array_like, optional
        Output times in ``[t0, t_end]`` (default: every step).
    rtol, atol : float or numpy.ndarray
        Error test ``rms(err / (atol + rtol |y|)) <= 1``.
    events : sequence of Event
        Located on the dense output by Brent's method.
    tstops : sequence of float
        Times the integrator lands on exactly (kinks in the forcing).
    max_step, first_step : float
    max_steps : int
    error_test : numpy.ndarray of bool, optional
        Variables in the local error test (default all). Leaving out algebraic
        variables (IDA's ``suppressalg``) suits prescribed forcings with kinks.
    linear_solver : callable, optional
        ``linear_solver(J, c)`` factorises the iteration matrix ``M - c J`` for the
        Jacobian ``J`` returned by ``jacobian`` and returns an object with ``solve(r)``
        (e.g. :meth:`~.assembly.ParticleCondensation.factorise`); default SuperLU on the
        sparse matrix.

    Returns
    -------
    DAEResult

    Raises
    ------
    ConvergenceError
        If the step size underflows, ``max_steps`` is exceeded, or ``f`` turns non-finite.
    """
    y0 = np.asarray(y0, dtype=float)
    n = y0.size
    mass = np.asarray(differential, dtype=float)
    if linear_solver is None:
        mass_sparse = sparse.diags(mass, format="csc")

        def linear_solver(J, c):
            return splu((mass_sparse - c * J).tocsc())
    atol = np.broadcast_to(np.asarray(atol, dtype=float), (n,))
    weight = np.ones(n) if error_test is None else np.asarray(error_test, dtype=float)
    weight *= np.sqrt(n / max(weight.sum(), 1.0))   # rms over the tested variables
    newton_tol = max(10 * np.finfo(float).eps / rtol, min(0.03, rtol ** 0.5))
    stops = np.sort([s for s in tstops if t0 < s < t_end])
    counters = dict(n_steps=0, n_rejected=0, n_residuals=0, n_jacobians=0, n_factorisations=0)

    def fun(t, y):
        counters["n_residuals"] += 1
        return residual(t, y)

    def jac(t, y):
        counters["n_jacobians"] += 1
        return jacobian(t, y)

    t = float(t0)
    f0 = fun(t, y0)
    if not np.all(np.isfinite(f0)):
        raise ConvergenceError(f"solve_dae: non-finite residual at t = {t:g} s")
    scale0 = atol + rtol * np.abs(y0)
    if first_step is None:
        d0 = _rms((y0 / scale0)[mass > 0]) if np.any(mass > 0) else 1.0
        d1 = _rms((f0 / scale0)[mass > 0]) if np.any(mass > 0) else 0.0
        h = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
        h = min(h, 1e-2 * max(t_end - t0, 1e-12))
    else:
        h = float(first_step)
    h = min(h, max_step, t_end - t)

    D = np.zeros((MAX_ORDER + 3, n))
    D[0] = y0
    D[1] = h * f0 * mass
    order, n_equal = 1, 0
    J = jac(t, y0)
    J_current = True
    lu, lu_c = None, None

    t_eval = None if t_eval is None else np.asarray(t_eval, dtype=float)
    out_t, out_y = [], []
    next_eval = 0
    if t_eval is None:
        out_t.append(t)
        out_y.append(y0.copy())
    else:
        while next_eval < t_eval.size and t_eval[next_eval] <= t:
            out_t.append(t_eval[next_eval])
            out_y.append(y0.copy())
            next_eval += 1
    g_old = [ev.function(t, y0) for ev in events]
    status, event_times = "end", {}
    y = y0

    def predict(D, order, t, h):
        """Predicted state, its error scale, the step's c = h/alpha and the mass times psi term."""
        y_pred = D[: order + 1].sum(axis=0)
        psi = (D[1: order + 1].T @ _GAMMA[1: order + 1]) / _ALPHA[order]
        return t + h, h / _ALPHA[order], y_pred, atol + rtol * np.abs(y_pred), mass * psi

    def dense(D, order, t_new, h, tq):
        x = (np.atleast_1d(tq) - t_new) / h
        p = np.ones((order + 1, x.size))
        for j in range(1, order + 1):
            p[j] = p[j - 1] * (x + j - 1) / j
        return D[: order + 1].T @ p

    while True:
        if counters["n_steps"] >= max_steps:
            raise ConvergenceError(f"solve_dae: more than {max_steps} steps before t = {t_end:g} s (at t = {t:g} s)")
        # land exactly on the end and on stops
        limit = t_end
        if stops.size:
            upcoming = stops[stops > t + 1e-12 * max(1.0, abs(t))]
            if upcoming.size:
                limit = min(limit, upcoming[0])
        h_new = min(h, max_step, limit - t)
        if h_new != h:
            _rescale(D, order, h_new / h)
            h = h_new
        if h < 1e-14 * max(1.0, abs(t)):
            raise ConvergenceError(f"solve_dae: step size underflow ({h:.2e} s) at t = {t:g} s")

        t_new, c, y_pred, scale, mpsi = predict(D, order, t, h)

        converged = False
        while not converged:
            if lu is None or abs(c / lu_c - 1.0) > _LU_REUSE:
                try:
                    lu = linear_solver(J, c)
                except RuntimeError as exc:
                    raise ConvergenceError(f"solve_dae: singular iteration matrix at t = {t_new:g} s ({exc})") from exc
                lu_c = c
                counters["n_factorisations"] += 1
            y_new = y_pred.copy()
            d = np.zeros(n)
            dy_norm_old = None
            for k in range(_NEWTON_MAXITER):
                dy = lu.solve(c * fun(t_new, y_new) - mass * d - mpsi)
                dy_norm = _rms(dy / scale)
                if not math.isfinite(dy_norm):   # f (hence dy) not finite: the trial left the domain
                    break
                rate = None if dy_norm_old is None else dy_norm / dy_norm_old
                if rate is not None and (rate >= 1 or rate ** (_NEWTON_MAXITER - k) / (1 - rate) * dy_norm > newton_tol):
                    break
                y_new += dy
                d += dy
                if dy_norm == 0 or (rate is not None and rate / (1 - rate) * dy_norm < newton_tol):
                    converged = True
                    break
                dy_norm_old = dy_norm
            if converged:
                break
            if not J_current:
                J = jac(t_new, y_pred)
                J_current = True
                lu = None
                continue
            if lu_c != c:
                # a fresh Jacobian but a factorisation for another step size: refactorise first
                lu = None
                continue
            # Newton failed with a fresh Jacobian and matrix: halve the step
            counters["n_rejected"] += 1
            _rescale(D, order, 0.5)
            h *= 0.5
            n_equal = 0
            if h < 1e-14 * max(1.0, abs(t)):
                raise ConvergenceError(f"solve_dae: Newton failed and the step size underflowed at t = {t:g} s")
            t_new, c, y_pred, scale, mpsi = predict(D, order, t, h)
            lu = None

        scale = atol + rtol * np.maximum(np.abs(y), np.abs(y_new))
        err_norm = _rms(weight * _ERROR_CONST[order] * d / scale)
        if err_norm > 1.0:
            counters["n_rejected"] += 1
            # the first step's size is a guess: trust the error estimate below the usual floor
            factor = max(_MIN_FACTOR if counters["n_steps"] else 0.01, _SAFETY * err_norm ** (-1.0 / (order + 1)))
            _rescale(D, order, factor)
            h *= factor
            n_equal = 0
            continue

        g_trial = [ev.function(t_new, y_new) for ev in events]
        if not all(math.isfinite(g) for g in g_trial):
            # the step left the domain where the events (the terminal voltage) are defined
            counters["n_rejected"] += 1
            _rescale(D, order, 0.25)
            h *= 0.25
            n_equal = 0
            continue

        # accepted
        counters["n_steps"] += 1
        J_current = False
        D[order + 2] = d - D[order + 1]
        D[order + 1] = d
        for i in range(order, -1, -1):
            D[i] += D[i + 1]
        t_old, t = t, t_new
        y = y_new
        n_equal += 1

        # events on the dense output of this step
        stop_here = False
        for i, ev in enumerate(events):
            g_new = g_trial[i]
            crossed = (g_old[i] < 0 <= g_new and ev.direction >= 0) or (g_old[i] > 0 >= g_new and ev.direction <= 0)
            if crossed and np.isfinite(g_new):
                def g(tq, ev=ev):
                    return ev.function(tq, dense(D, order, t, h, tq)[:, 0])
                try:
                    t_root = brentq(g, t_old, t, xtol=1e-10 * max(1.0, abs(t)), rtol=4 * np.finfo(float).eps)
                except ValueError:
                    t_root = t
                event_times[ev.name] = t_root
                if ev.terminal:
                    stop_here = True
                    status = ev.name
                    t_stop = t_root
            g_old[i] = g_new
        if stop_here:
            # keep the earliest terminal event
            t_stop = min(event_times[e.name] for e in events if e.terminal and e.name in event_times
                         and event_times[e.name] >= t_old)
            status = [e.name for e in events if e.terminal and event_times.get(e.name) == t_stop][0]

        t_hi = t_stop if stop_here else t
        if t_eval is None:
            if stop_here:
                out_t.append(t_stop)
                out_y.append(dense(D, order, t, h, t_stop)[:, 0])
            else:
                out_t.append(t)
                out_y.append(y.copy())
        else:
            upto = next_eval
            while upto < t_eval.size and t_eval[upto] <= t_hi:
                upto += 1
            if upto > next_eval:
                ys = dense(D, order, t, h, t_eval[next_eval:upto])
                out_t.extend(t_eval[next_eval:upto])
                out_y.extend(ys.T)
                next_eval = upto
            if stop_here and (not out_t or out_t[-1] < t_stop):
                out_t.append(t_stop)
                out_y.append(dense(D, order, t, h, t_stop)[:, 0])
        if stop_here:
            y_final = dense(D, order, t, h, t_stop)[:, 0]
            return DAEResult(np.asarray(out_t), np.asarray(out_y).T, t_stop, y_final, status,
                             event_times=event_times, **counters)
        if t >= t_end - 1e-12 * max(1.0, abs(t_end)):
            return DAEResult(np.asarray(out_t), np.asarray(out_y).T, t, y.copy(), "end",
                             event_times=event_times, **counters)
        if stops.size and np.any(np.abs(stops - t) <= 1e-12 * max(1.0, abs(t))):
            # a kink of the forcing: restart at order 1 from the current point (the higher
            # differences straddle the kink and would spoil the next error estimates)
            order, n_equal = 1, 0
            continue

        # step size and order for the next step
        if n_equal < order + 1:
            continue
        norms = [np.inf, err_norm, np.inf]
        if order > 1:
            norms[0] = _rms(weight * _ERROR_CONST[order - 1] * D[order] / scale)
        if order < MAX_ORDER:
            norms[2] = _rms(weight * _ERROR_CONST[order + 1] * D[order + 2] / scale)
        # (an order that does not exist has norm inf, hence factor 0; a zero error norm, factor inf)
        factors = [norm ** (-1.0 / (k + order)) if norm > 0 else np.inf for k, norm in enumerate(norms)]
        best = int(np.argmax(factors))
        order += best - 1
        factor = min(_MAX_FACTOR, _SAFETY * factors[best])
        _rescale(D, order, factor)
        h *= factor
        n_equal = 0
