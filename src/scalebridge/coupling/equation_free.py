r"""Equation-free coarse projective integration over a coarse time-stepper.

The coarse time-stepper (:mod:`scalebridge.coupling.coarse_stepper`: lift, fine bursts after healing,
restrict, replicas) estimates the coarse state :math:`U_e` and its time derivative :math:`\dot U_e`
at the end of each burst; the names of that module are re-exported here.

Coarse projective forward Euler (PFE; Gear & Kevrekidis 2003) jumps over
:math:`\Delta` with the estimated slope; projective Runge-Kutta 2 (projective Heun; Lee &
Gear 2007) averages the slopes at both ends:

.. math::
    \text{PFE:}\quad U(t + \tau + \Delta) = U_e + \Delta\,\dot U_e, \qquad
    \text{PRK2:}\quad \tilde U = U_e + \Delta\dot U_e,\quad
    U(t + \tau + \Delta) = U_e + \tfrac{\Delta}{2}\big(\dot U_e + \dot{\tilde U}_e\big).

The fine model runs :math:`\tau` (PFE) or :math:`2\tau` (PRK2) out of every
:math:`\tau + \Delta`: the saving in fine steps is :math:`(\tau + \Delta)/\tau` (resp. /2τ).

Stability (Gear & Kevrekidis 2003, SIAM J. Sci. Comput. 24, 1091, sec. 3). For a
fine mode :math:`\dot u = \lambda u` the PFE amplification per outer step is
:math:`\sigma(\lambda) = e^{\lambda\tau}(1 + \lambda\Delta)`, PRK2:
:math:`e^{\lambda\tau}\big(1 + \tfrac{\lambda\Delta}{2}[1 + e^{\lambda\tau}(1 + \lambda\Delta)]\big)`
(:func:`projective_amplification`); the region :math:`|\sigma| \le 1` is (for real
:math:`\lambda < 0`) the union of the *slow* disc :math:`|1 + \lambda\Delta| \le 1`,
i.e. :math:`\Delta \le 2/|\lambda|`, and the *fast* region damped by the inner steps,
:math:`e^{-|\lambda|\tau}(|\lambda|\Delta - 1) \le 1`. In Gear & Kevrekidis' discrete form
(inner forward Euler :math:`\rho = 1 + \lambda\delta t`, k inner steps, projection over
:math:`M\delta t`: :math:`\sigma = \rho^k[(M + 1)\rho - M]`) these are the disc near
:math:`\rho = 1` of radius about :math:`1/M` and the disc near :math:`\rho = 0` of radius
about :math:`M^{-1/k}`. Step-size rule: with a spectral gap (slow :math:`|\lambda| \le
\lambda_s`, fast :math:`|\lambda| \ge \lambda_f`) take :math:`\Delta \le 2/\lambda_s`
(accuracy usually asks for :math:`\lambda_s\Delta \ll 1`) and
:math:`\tau \ge \ln(\lambda_f\Delta - 1)/\lambda_f`. Without a gap every mode must satisfy
both, which holds iff :math:`\tau/\Delta \ge 0.2785` (:math:`r e^{1+r} = 1`): savings of at
most 4.6 - hence restrictions that keep only slow coarse variables (cell averages of a
fine field).

Error indicator (adaptive :math:`\Delta`): the local error of the PFE step is estimated by
the change of slope, :math:`\varepsilon = \tfrac{\Delta}{2}\|\dot U_e(t_{n+1}) -
\dot U_e(t_n)\|_\infty / \|U\|_\infty` (the difference between PFE and PRK2, the
Heun-Euler pair); a step with :math:`\varepsilon > \mathrm{tol}` is rejected and
:math:`\Delta \leftarrow \Delta\,\min(2, \max(0.2, 0.9\sqrt{\mathrm{tol}/\varepsilon}))`.
For stochastic fine models the indicator contains the slope noise, so ``tol`` must stay
above :math:`\Delta\,\sigma_{\dot U}`.

References
----------
Gear, C. W. & Kevrekidis, I. G. (2003). Projective methods for stiff differential equations:
problems with gaps in their eigenvalue spectrum. SIAM J. Sci. Comput. 24, 1091.
Kevrekidis, I. G., Gear, C. W., Hyman, J. M., Kevrekidis, P. G., Runborg, O. & Theodoropoulos,
C. (2003). Equation-free, coarse-grained multiscale computation. Comm. Math. Sci. 1, 715.
Lee, S. L. & Gear, C. W. (2007). Second-order accurate projective integrators for multiscale
problems. J. Comput. Appl. Math. 201, 258.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.checkpoint import array_digest, load_checkpoint, save_checkpoint
from ..core.errors import ConvergenceError, InputError
from .coarse_stepper import (CoarseDerivative, CoarseTimeStepper, FineDynamics, _coarse_state, as_dynamics,
                             cell_average, conservative_interpolation)

__all__ = ["CoarseTimeStepper", "CoarseDerivative", "ProjectiveResult", "FineDynamics", "as_dynamics",
           "projective_integrate", "projective_forward_euler", "projective_runge_kutta2",
           "projective_amplification", "cell_average", "conservative_interpolation"]


# ----------------------------------------------------------------------------- projective integration

@dataclass
class ProjectiveResult:
    """Result of :func:`projective_integrate`.

    Attributes
    ----------
    t : ndarray, shape (n,)
        Times of the accepted coarse states (s), from ``t0`` to ``t_end``.
    u : ndarray, shape (n, ...)
        Coarse states.
    success : bool
        True if ``t_end`` was reached.
    message : str
    fine_steps : int
        Fine time steps spent (all replicas, rejected steps included).
    steps, rejected : int
        Accepted and rejected projective steps.
    step_sizes : ndarray
        Projective jumps :math:`\\Delta` of the accepted steps (s).
    error_estimates : ndarray
        Local error indicator of each accepted step (NaN where not available).
    method : str
    """

    t: np.ndarray
    u: np.ndarray
    success: bool
    message: str
    fine_steps: int
    steps: int
    rejected: int
    step_sizes: np.ndarray
    error_estimates: np.ndarray
    method: str


def projective_amplification(lam, burst_time: float, projective_step: float, method: str = "forward_euler"):
    r"""Amplification :math:`\sigma(\lambda)` of one projective step for :math:`\dot u = \lambda u` (module docstring).

    ``lam`` (1/s, complex allowed, array), ``burst_time`` :math:`\tau` (s), ``projective_step`` :math:`\Delta` (s).
    The method is stable for the mode when :math:`|\sigma| \le 1` (Gear & Kevrekidis 2003, sec. 3).
    """
    lam = np.asarray(lam, dtype=complex)
    e, z = np.exp(lam * burst_time), lam * projective_step
    if method == "forward_euler":
        return e * (1 + z)
    if method == "rk2":
        return e * (1 + 0.5 * z * (1 + e * (1 + z)))
    raise InputError(f"method: got {method!r}, expected 'forward_euler' or 'rk2'")


def projective_integrate(stepper: CoarseTimeStepper, u0, t_end: float, *, projective_step: float,
                         method: str = "forward_euler", tol: float | None = None, max_step: float | None = None,
                         min_step: float | None = None, t0: float = 0.0, max_steps: int = 100_000,
                         checkpoint: str | Path | None = None, checkpoint_every: int = 1) -> ProjectiveResult:
    r"""Coarse projective integration of ``stepper`` from ``u0`` at ``t0`` to ``t_end`` (module docstring).

    Parameters
    ----------
    stepper : CoarseTimeStepper
    u0 : array_like
        Initial coarse state.
    t_end : float
        Final time (s).
    projective_step : float
        Projective jump :math:`\Delta` (s); the initial one if ``tol`` is given.
    method : {"forward_euler", "rk2"}
        Projective forward Euler or projective Heun (Runge-Kutta 2).
    tol : float, optional
        Relative local-error tolerance of the step-size control; fixed steps if None.
    max_step, min_step : float, optional
        Bounds of :math:`\Delta` with ``tol`` (default ``100 * projective_step`` and ``projective_step / 1000``).
    t0 : float
        Initial time (s).
    max_steps : int
        Bound on accepted + rejected steps.
    checkpoint : path, optional
        Save the integration (time, coarse state and slope, step size, history, the
        stepper's counters, which fix its replica seeds) every ``checkpoint_every``
        accepted steps, atomically (kind ``"projective_integration"``,
        :mod:`scalebridge.core.checkpoint`); if the file exists, resume from it. The
        fine model is re-lifted from the coarse state at every burst, so a resumed run
        is identical to an uninterrupted one.

    Returns
    -------
    ProjectiveResult

    Raises
    ------
    InputError
        Bad arguments.
    ConvergenceError
        Non-finite coarse states, or the step size fell below ``min_step``.
    """
    if method not in ("forward_euler", "rk2"):
        raise InputError(f"method: got {method!r}, expected 'forward_euler' or 'rk2'")
    if not isinstance(stepper, CoarseTimeStepper):
        raise InputError(f"stepper: got {type(stepper).__name__}, expected a CoarseTimeStepper")
    for key, value in (("projective_step", projective_step), ("tol", tol)):
        if value is not None and not (np.isscalar(value) and np.isfinite(value) and value > 0):
            raise InputError(f"{key}: got {value!r}, expected a finite positive number")
    if not (np.isfinite(t_end) and t_end > t0):
        raise InputError(f"t_end: got {t_end!r}, expected a finite time > t0 = {t0}")
    max_step = 100.0 * projective_step if max_step is None else float(max_step)
    min_step = projective_step / 1000.0 if min_step is None else float(min_step)
    if int(checkpoint_every) != checkpoint_every or checkpoint_every < 1:
        raise InputError(f"checkpoint_every: got {checkpoint_every!r}, expected an integer >= 1 (accepted steps)")
    start = stepper.statistics["fine_steps"]
    tau, dt = stepper.burst_time, stepper.dt
    t, u = float(t0), _coarse_state(u0)
    ts, us, sizes, errors = [t], [u], [], []
    step, rejected, accepted = float(projective_step), 0, 0
    digest = {"method": method, "t0": t, "t_end": float(t_end), "projective_step": float(projective_step),
              "tol": tol, "max_step": max_step, "min_step": min_step, "u0": array_digest(u),
              "stepper": [stepper.dt, stepper.healing_steps, stepper.burst_steps, stepper.replicas,
                          stepper.common_random_numbers, stepper.fit_degree, str(stepper._entropy)]}
    if checkpoint is not None and Path(checkpoint).exists():
        saved = load_checkpoint(checkpoint, "projective_integration")
        if saved["digest"] != digest:
            raise InputError(f"checkpoint {checkpoint}: written for another projective integration (method, times, "
                             "initial state or stepper settings differ); remove it or give another path")
        t, u, d, step, accepted, rejected, ts, us, sizes, errors, fine = saved["state"]
        stepper.statistics.update(saved["statistics"])
        start = stepper.statistics["fine_steps"] - fine
    else:
        d = stepper.derivative(u)
    while t_end - t > 1e-12 * max(abs(t_end), 1.0):
        if accepted + rejected >= max_steps:
            return _result(ts, us, False, f"max_steps = {max_steps} reached at t = {t:g} s", stepper, start,
                           accepted, rejected, sizes, errors, method)
        remaining = t_end - t
        if remaining <= tau + dt:                         # finish with the fine model alone
            n = int(round(remaining / dt))
            u = stepper.evolve(u, n * dt) if n else u
            ts.append(t_end), us.append(u), sizes.append(0.0), errors.append(np.nan)
            t = t_end
            break
        jump = min(step, remaining - tau)
        with np.errstate(over="ignore", invalid="ignore"):
            u_new, d_new, change = _projective_step(stepper, d, jump, method, t)
        err = 0.5 * jump * np.max(np.abs(change)) / max(np.max(np.abs(u_new)), np.finfo(float).tiny)
        if not np.isfinite(err):
            raise ConvergenceError(f"projective_integrate: non-finite coarse slope at t = {t:g} s "
                                   "(projective step beyond the stability region?)")
        if tol is not None and err > tol and jump > min_step:
            rejected += 1
            step = max(jump * max(0.2, 0.9 * np.sqrt(tol / err)), min_step)
            continue
        if tol is not None and err > tol and jump <= min_step:
            raise ConvergenceError(f"projective_integrate: local error {err:.3g} > tol = {tol:g} at the minimum "
                                   f"step {min_step:g} s (t = {t:g} s)")
        if method == "rk2":
            d_new = stepper.derivative(_finite(u_new, t))
        t, u, d = t + tau + jump, u_new, d_new
        accepted += 1
        ts.append(t), us.append(u), sizes.append(jump), errors.append(err)
        if tol is not None:
            step = min(max_step, jump * min(2.0, max(0.2, 0.9 * np.sqrt(tol / max(err, 1e-300)))))
        if checkpoint is not None and accepted % int(checkpoint_every) == 0:
            save_checkpoint(checkpoint, "projective_integration", {
                "digest": digest, "statistics": dict(stepper.statistics),
                "state": (t, u, d, step, accepted, rejected, ts, us, sizes, errors,
                          stepper.statistics["fine_steps"] - start)})
    return _result(ts, us, True, "reached t_end", stepper, start, accepted, rejected, sizes, errors, method)


def _projective_step(stepper, d, jump, method, t):
    """One PFE or PRK2 jump from the burst ``d``: new state, its burst (PFE) and the slope change."""
    if method == "forward_euler":
        u_new = _finite(d.value + jump * d.slope, t)
        d_new = stepper.derivative(u_new)
        return u_new, d_new, d_new.slope - d.slope
    d_pred = stepper.derivative(_finite(d.value + jump * d.slope, t))
    u_new = _finite(d.value + 0.5 * jump * (d.slope + d_pred.slope), t)
    return u_new, None, d_pred.slope - d.slope


def _finite(u, t):
    if not np.all(np.isfinite(u)):
        raise ConvergenceError(f"projective_integrate: non-finite coarse state at t = {t:g} s "
                               "(projective step beyond the stability region?)")
    return u


def _result(ts, us, success, message, stepper, start, accepted, rejected, sizes, errors, method):
    return ProjectiveResult(t=np.array(ts), u=np.array(us), success=success, message=message,
                            fine_steps=stepper.statistics["fine_steps"] - start, steps=accepted, rejected=rejected,
                            step_sizes=np.array(sizes), error_estimates=np.array(errors), method=method)


def projective_forward_euler(stepper: CoarseTimeStepper, u0, t_end: float, projective_step: float,
                             **options) -> ProjectiveResult:
    """Coarse projective forward Euler with a fixed jump (``tol`` in ``options`` makes it adaptive)."""
    return projective_integrate(stepper, u0, t_end, projective_step=projective_step, method="forward_euler", **options)


def projective_runge_kutta2(stepper: CoarseTimeStepper, u0, t_end: float, projective_step: float,
                            **options) -> ProjectiveResult:
    """Coarse projective Runge-Kutta 2 (projective Heun, Lee & Gear 2007), fixed or adaptive jump."""
    return projective_integrate(stepper, u0, t_end, projective_step=projective_step, method="rk2", **options)
