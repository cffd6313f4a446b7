r"""Coarse fixed points and their continuation: Newton-Krylov and pseudo-arclength on a coarse time-stepper.

A coarse steady state is a fixed point of the coarse time-stepper
(:class:`~scalebridge.coupling.coarse_stepper.CoarseTimeStepper`),

.. math:: F(U) = \Phi_T(U) - U = 0,

found without the coarse equations by Newton's method whose linear systems
:math:`(D\Phi_T - I)\,\delta = -F` are solved by GMRES with matrix-free products
(Kelley 2003, ch. 3; Knoll & Keyes 2004):

.. math:: (D\Phi_T - I)\,v \approx \frac{\Phi_T(U + \epsilon v) - \Phi_T(U)}{\epsilon} - v,\qquad
          \epsilon = \epsilon_r\,\frac{1 + \|U\|}{\|v\|}.

Because :math:`D\Phi_T = e^{TJ}` damps the fast coarse modes, the eigenvalues of
:math:`D\Phi_T - I` cluster at -1 except for the few slow ones: GMRES needs about as many
iterations as there are slow modes (Kelley, Kevrekidis & Qiao 2004). For stochastic fine
models use common random numbers (paired replicas) and a larger :math:`\epsilon_r`.

Pseudo-arclength continuation in a parameter p (Keller 1977) traces a branch
:math:`x(s) = (U(s), p(s))` through folds by adding to :math:`F(U, p) = 0` the arclength
condition along the secant tangent :math:`t = (t_U, t_p)`,

.. math:: \theta\,t_U\cdot(U - U_k) + t_p\,(p - p_k) - \Delta s = 0,\qquad \theta = 1/n,

solving the bordered system by Newton-GMRES from the predictor
:math:`x_k + \Delta s\,t`. A fold is where :math:`t_p` changes sign; its parameter is the
vertex of the parabola :math:`p(s)` through the three points around it. Stability of a
point: the multipliers :math:`\mu` of :math:`D_U\Phi_T` (dense from n products for small
n, else Arnoldi, ``scipy.sparse.linalg.eigs``); stable iff :math:`\max|\mu| < 1`; the
coarse growth rates are :math:`\ln\mu / T`.

References
----------
Kelley, C. T. (2003). Solving Nonlinear Equations with Newton's Method, SIAM, ch. 3.
Kelley, C. T., Kevrekidis, I. G. & Qiao, L. (2004). Newton-Krylov solvers for time-steppers.
arXiv:math/0404374.
Knoll, D. A. & Keyes, D. E. (2004). Jacobian-free Newton-Krylov methods. J. Comput. Phys. 193, 357.
Keller, H. B. (1977). Numerical solution of bifurcation and nonlinear eigenvalue problems. In
Applications of Bifurcation Theory (P. H. Rabinowitz, ed.), Academic Press, 359.
Theodoropoulos, C., Qian, Y.-H. & Kevrekidis, I. G. (2000). "Coarse" stability and bifurcation
analysis using time-steppers: a reaction-diffusion example. PNAS 97, 9840.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.sparse.linalg import LinearOperator, eigs, gmres

from ..core.errors import ConvergenceError, InputError

__all__ = ["FixedPointResult", "ContinuationResult", "newton_krylov_fixed_point", "pseudo_arclength_continuation",
           "coarse_multipliers"]


@dataclass
class FixedPointResult:
    """Result of :func:`newton_krylov_fixed_point`.

    Attributes
    ----------
    u : ndarray
        Coarse fixed point.
    converged : bool
    residual : float
        RMS norm of :math:`\\Phi_T(U) - U` at ``u``.
    newton_iterations, gmres_iterations, map_evaluations : int
        Counters (one map evaluation = one coarse time-stepper call).
    residual_history : list of float
    """

    u: np.ndarray
    converged: bool
    residual: float
    newton_iterations: int
    gmres_iterations: int
    map_evaluations: int
    residual_history: list = field(default_factory=list)


def _rms(v) -> float:
    return float(np.sqrt(np.mean(np.square(v))))


class _Counted:
    """A coarse map with an evaluation counter and a NaN check."""

    def __init__(self, phi: Callable, shape):
        if not callable(phi):
            raise InputError(f"coarse map: got {type(phi).__name__}, expected a callable U -> Phi_T(U)")
        self.phi, self.shape, self.count = phi, shape, 0

    def __call__(self, u, *args) -> np.ndarray:
        self.count += 1
        out = np.asarray(self.phi(u.reshape(self.shape), *args), dtype=float).ravel()
        if out.size != u.size or not np.all(np.isfinite(out)):
            raise ConvergenceError(f"coarse map returned {'non-finite values' if out.size == u.size else out.size}"
                                   f" for a state of {u.size} values")
        return out


def _gmres(A: LinearOperator, b: np.ndarray, rtol: float, maxiter: int) -> tuple[np.ndarray, int]:
    its = [0]

    def count(_):
        its[0] += 1

    x, _ = gmres(A, b, rtol=rtol, atol=0.0, restart=maxiter, maxiter=1, callback=count, callback_type="pr_norm")
    return x, its[0]


def newton_krylov_fixed_point(phi: Callable, u0, *, tol: float = 1e-8, max_iter: int = 30, gmres_rtol: float = 1e-3,
                              gmres_maxiter: int = 60, fd_step: float = 1e-7, check: bool = True) -> FixedPointResult:
    r"""Coarse steady state: Newton-GMRES on :math:`F(U) = \Phi_T(U) - U` (module docstring).

    Parameters
    ----------
    phi : callable
        The coarse time-stepper over a fixed horizon, ``phi(U) -> U(T)``, e.g.
        ``lambda U: stepper.evolve(U, T)``.
    u0 : array_like
        Initial guess.
    tol : float
        Convergence when the RMS of :math:`F` is <= ``tol`` (put it at the noise level of
        the fine model for stochastic simulators).
    max_iter : int
        Newton iterations.
    gmres_rtol : float
        Relative residual of the inner GMRES solves (forcing term).
    gmres_maxiter : int
        GMRES iterations per Newton step (no restart).
    fd_step : float
        Relative finite-difference step :math:`\epsilon_r` of the Jacobian-vector products.
    check : bool
        Raise :class:`ConvergenceError` if not converged (otherwise return ``converged=False``).

    Returns
    -------
    FixedPointResult
    """
    u = np.array(u0, dtype=float)
    if u.size == 0 or not np.all(np.isfinite(u)):
        raise InputError(f"u0: expected a finite non-empty array, got shape {u.shape}")
    for key, value in (("tol", tol), ("gmres_rtol", gmres_rtol), ("fd_step", fd_step)):
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"{key}: got {value!r}, expected a positive number")
    shape, u = u.shape, u.ravel()
    F = _Counted(phi, shape)
    r = F(u) - u
    history, total_gmres, it = [_rms(r)], 0, 0
    while history[-1] > tol and it < max_iter:
        it += 1
        phi_u = r + u
        A = LinearOperator((u.size, u.size), dtype=float,
                           matvec=lambda v: _jvp(F, u, phi_u, np.ravel(v), fd_step) - np.ravel(v))
        delta, n_its = _gmres(A, -r, gmres_rtol, gmres_maxiter)
        total_gmres += n_its
        step = 1.0
        for _ in range(6):                                   # backtracking on the residual norm
            trial = u + step * delta
            r_trial = F(trial) - trial
            if _rms(r_trial) < (1 - 1e-4 * step) * history[-1]:
                break
            step /= 2
        u, r = trial, r_trial
        history.append(_rms(r))
    result = FixedPointResult(u=u.reshape(shape), converged=history[-1] <= tol, residual=history[-1],
                              newton_iterations=it, gmres_iterations=total_gmres, map_evaluations=F.count,
                              residual_history=history)
    if check and not result.converged:
        raise ConvergenceError(f"newton_krylov_fixed_point: residual {history[-1]:.3g} > tol = {tol:g} after "
                               f"{it} Newton iterations (history {['%.2e' % h for h in history]})")
    return result


def _jvp(F, u, phi_u, v, fd_step, *args):
    norm = np.linalg.norm(v)
    if norm == 0:
        return np.zeros_like(v)
    eps = fd_step * (1 + np.linalg.norm(u)) / norm
    return (F(u + eps * v, *args) - phi_u) / eps


def coarse_multipliers(phi: Callable, u, *, k: int = 4, fd_step: float = 1e-7, dense_limit: int = 64) -> np.ndarray:
    r"""Leading eigenvalues :math:`\mu` of the coarse Jacobian :math:`D\Phi_T(U)`, by magnitude.

    Dense from n finite-difference products when ``u.size <= dense_limit``, else ``k`` by
    Arnoldi (``scipy.sparse.linalg.eigs``). :math:`|\mu| < 1` for all: stable steady state.
    """
    u = np.asarray(u, dtype=float)
    shape, x = u.shape, u.ravel()
    F = _Counted(phi, shape)
    phi_u = F(x)
    n = x.size
    if n <= dense_limit:
        J = np.column_stack([_jvp(F, x, phi_u, e, fd_step) for e in np.eye(n)])
        mu = np.linalg.eigvals(J)
    else:
        A = LinearOperator((n, n), dtype=float, matvec=lambda v: _jvp(F, x, phi_u, np.ravel(v), fd_step))
        mu = eigs(A, k=min(k, n - 2), which="LM", return_eigenvectors=False)
    return mu[np.argsort(-np.abs(mu))][:k]


@dataclass
class ContinuationResult:
    """Result of :func:`pseudo_arclength_continuation`.

    Attributes
    ----------
    parameters : ndarray, shape (m,)
        Parameter p along the branch.
    states : ndarray, shape (m, ...)
        Coarse steady states.
    arclength : ndarray, shape (m,)
        Arclength s (scaled norm of the module docstring).
    stable : ndarray of bool, shape (m,)
        :math:`\\max|\\mu| < 1` (None entries if stability was not computed).
    multipliers : list of ndarray
        Leading eigenvalues of :math:`D\\Phi_T` at each point.
    folds : list of dict
        ``parameter`` (vertex of the parabola p(s)), ``index`` (point nearest the fold), ``state``.
    map_evaluations, gmres_iterations, newton_iterations : int
        Counters.
    success : bool
        True if ``n_points`` were computed or the parameter left ``bounds``.
    message : str
    """

    parameters: np.ndarray
    states: np.ndarray
    arclength: np.ndarray
    stable: np.ndarray
    multipliers: list
    folds: list
    map_evaluations: int
    gmres_iterations: int
    newton_iterations: int
    success: bool
    message: str


def pseudo_arclength_continuation(phi: Callable, u0, p0: float, *, step: float = 0.1, n_points: int = 50,
                                  bounds: tuple[float, float] = (-np.inf, np.inf), direction: float = 1.0,
                                  tol: float = 1e-8, max_step: float | None = None, min_step: float | None = None,
                                  gmres_rtol: float = 1e-4, gmres_maxiter: int = 80, fd_step: float = 1e-7,
                                  max_newton: int = 8, stability: bool = True, stop_after_folds: int | None = None
                                  ) -> ContinuationResult:
    r"""Trace a branch of coarse steady states :math:`\Phi_T(U; p) = U` in p (module docstring).

    Parameters
    ----------
    phi : callable
        ``phi(U, p) -> U(T)``: the coarse time-stepper at parameter p.
    u0 : array_like
        Guess of the steady state at ``p0`` (converged by :func:`newton_krylov_fixed_point` first).
    p0 : float
        Initial parameter.
    step : float
        Initial arclength step :math:`\Delta s` (adapted: x1.3 after easy corrections, /2 after failures).
    n_points : int
        Maximum number of branch points.
    bounds : (float, float)
        Stop when p leaves this interval.
    direction : float
        Sign of the first parameter step.
    tol : float
        RMS residual of the corrector.
    max_step, min_step : float, optional
        Bounds of :math:`\Delta s` (default ``4 * step`` and ``step / 64``).
    gmres_rtol, gmres_maxiter, fd_step : float, int, float
        Inner solver settings (see :func:`newton_krylov_fixed_point`).
    max_newton : int
        Corrector iterations before the step is halved.
    stability : bool
        Compute the multipliers of :math:`D_U\Phi_T` at every point.
    stop_after_folds : int, optional
        Stop after this many folds (and two more points).

    Returns
    -------
    ContinuationResult

    Raises
    ------
    ConvergenceError
        If the first point does not converge or the step falls below ``min_step``.
    """
    if not callable(phi):
        raise InputError(f"phi: got {type(phi).__name__}, expected a callable phi(U, p)")
    if not (np.isfinite(step) and step > 0):
        raise InputError(f"step: got {step!r}, expected a positive arclength step")
    if int(n_points) != n_points or n_points < 3:
        raise InputError(f"n_points: got {n_points!r}, expected an integer >= 3")
    u0 = np.asarray(u0, dtype=float)
    shape, n = u0.shape, u0.size
    theta = 1.0 / n
    max_step = 4.0 * step if max_step is None else max_step
    min_step = step / 64.0 if min_step is None else min_step
    F = _Counted(phi, shape)
    counters = {"gmres": 0, "newton": 0}

    def residual(x):
        return F(x[:-1], x[-1]) - x[:-1]

    def fixed_point(u, p):
        res = newton_krylov_fixed_point(lambda v: F(v.ravel(), p).reshape(shape), u.reshape(shape), tol=tol,
                                        gmres_rtol=gmres_rtol, gmres_maxiter=gmres_maxiter, fd_step=fd_step)
        counters["gmres"] += res.gmres_iterations
        counters["newton"] += res.newton_iterations
        return np.append(res.u.ravel(), p)

    def scaled(x):
        return np.sqrt(theta * x[:-1] @ x[:-1] + x[-1] ** 2)

    def corrector(x_pred, x_k, t, ds):
        x = x_pred.copy()
        r = residual(x)
        for it in range(max_newton):
            g = theta * t[:-1] @ (x[:-1] - x_k[:-1]) + t[-1] * (x[-1] - x_k[-1]) - ds
            if _rms(r) <= tol and abs(g) <= tol:
                return x, it
            phi_x = r + x[:-1]

            def matvec(w, x=x, phi_x=phi_x):
                w = np.ravel(w)
                norm = np.linalg.norm(w)
                if norm == 0:
                    return np.zeros_like(w)
                eps = fd_step * (1 + np.linalg.norm(x)) / norm
                jw = (F(x[:-1] + eps * w[:-1], x[-1] + eps * w[-1]) - phi_x) / eps - w[:-1]
                return np.append(jw, theta * t[:-1] @ w[:-1] + t[-1] * w[-1])

            A = LinearOperator((n + 1, n + 1), dtype=float, matvec=matvec)
            delta, its = _gmres(A, -np.append(r, g), gmres_rtol, gmres_maxiter)
            counters["gmres"] += its
            counters["newton"] += 1
            x = x + delta
            r = residual(x)
            if not np.all(np.isfinite(r)):
                return None, it
        g = theta * t[:-1] @ (x[:-1] - x_k[:-1]) + t[-1] * (x[-1] - x_k[-1]) - ds
        return (x, max_newton) if _rms(r) <= tol and abs(g) <= tol else (None, max_newton)

    points = [fixed_point(u0.ravel(), float(p0))]
    # second point by a natural-parameter step, then secant predictors
    points.append(fixed_point(points[0][:-1], float(p0) + np.sign(direction or 1.0) * step))
    ds, message, success = step, f"{n_points} points computed", True
    while len(points) < n_points:
        x_k = points[-1]
        secant = x_k - points[-2]
        t = secant / scaled(secant)
        if not bounds[0] <= x_k[-1] <= bounds[1]:
            message = f"parameter left the bounds {bounds} at p = {x_k[-1]:g}"
            break
        try:
            x_new, its = corrector(x_k + ds * t, x_k, t, ds)
        except ConvergenceError:
            x_new, its = None, max_newton
        if x_new is None:
            ds /= 2.0
            if ds < min_step:
                message, success = f"arclength step fell below min_step = {min_step:g} at p = {x_k[-1]:g}", False
                break
            continue
        points.append(x_new)
        if its <= 3:
            ds = min(max_step, 1.3 * ds)
        folds = _folds(np.array(points), theta)
        if stop_after_folds is not None and len(folds) >= stop_after_folds and folds[-1]["index"] + 2 < len(points):
            message = f"stopped after {len(folds)} fold(s)"
            break
    X = np.array(points)
    arclength = np.concatenate([[0.0], np.cumsum([scaled(d) for d in np.diff(X, axis=0)])])
    multipliers, stable = [], []
    for x in X if stability else []:
        mu = coarse_multipliers(lambda v, p=x[-1]: F(v.ravel(), p).reshape(shape), x[:-1].reshape(shape),
                                fd_step=fd_step)
        multipliers.append(mu)
        stable.append(bool(np.abs(mu[0]) < 1.0))
    folds = _folds(X, theta)
    for fold in folds:
        fold["state"] = X[fold["index"], :-1].reshape(shape)
    if not success and len(points) < 3:
        raise ConvergenceError(f"pseudo_arclength_continuation: {message}")
    return ContinuationResult(parameters=X[:, -1], states=X[:, :-1].reshape((len(X),) + shape), arclength=arclength,
                              stable=np.array(stable) if stability else np.array([None] * len(X)),
                              multipliers=multipliers, folds=folds, map_evaluations=F.count,
                              gmres_iterations=counters["gmres"], newton_iterations=counters["newton"],
                              success=success, message=message)


def _folds(X: np.ndarray, theta: float) -> list[dict]:
    """Folds: sign changes of dp/ds along the branch; p at the vertex of the parabola through 3 points."""
    if len(X) < 3:
        return []
    d = np.diff(X, axis=0)
    ds = np.sqrt(theta * np.sum(d[:, :-1] ** 2, axis=1) + d[:, -1] ** 2)
    s = np.concatenate([[0.0], np.cumsum(ds)])
    dp = np.diff(X[:, -1])
    folds = []
    for i in np.nonzero(np.sign(dp[1:]) * np.sign(dp[:-1]) < 0)[0]:
        j = i + 1                                      # the extreme point
        a, b, c = np.polyfit(s[j - 1:j + 2] - s[j], X[j - 1:j + 2, -1], 2)
        vertex = -b / (2 * a) if a != 0 else 0.0
        folds.append({"parameter": float(c - b * b / (4 * a)) if a != 0 else float(X[j, -1]),
                      "arclength": float(s[j] + vertex), "index": int(j)})
    return folds
