r"""Time scales of a dynamical system: spectral gap of a Jacobian, autocorrelation times.

Two estimates of the fast and slow time scales of fine dynamics, both reduced to one
scale-separation parameter

.. math:: \varepsilon = \frac{\tau_\mathrm{fast}}{\tau_\mathrm{slow}},

the ratio across the *largest gap* of the sorted time scales (the slowest of the fast
ones over the fastest of the slow ones):

* :func:`spectral_time_scales`: from a Jacobian :math:`J = \partial f/\partial y`
  of :math:`\dot y = f(y)`, :math:`\tau_i = 1/|\mathrm{Re}\,\lambda_i|`. Eigenvalues
  with :math:`|\mathrm{Re}\,\lambda| \le` ``zero_tol`` :math:`\max|\mathrm{Re}\,\lambda|`
  (conservation laws, neutral directions) carry no relaxation time and are set
  aside. The gap of the spectrum is what projective integration exploits: inner
  steps damp the modes below it, the extrapolation step is bounded by the modes
  above it (Gear & Kevrekidis 2003, SIAM J. Sci. Comput. 24, 1091).
* :func:`autocorrelation_times`: from a sampled trajectory, the integrated
  autocorrelation time of every component,
  :math:`\tau_\mathrm{int} = \int_0^\infty \rho(t)\,dt` (:math:`=\tau_c` for an
  Ornstein–Uhlenbeck process, :math:`\rho = e^{-t/\tau_c}`), with Sokal's automatic
  window and his estimate of the statistical error (Sokal 1997, "Monte Carlo
  methods in statistical mechanics", in *Functional Integration*, Plenum, §3;
  Madras & Sokal 1988, J. Stat. Phys. 50, 109).

The verdict follows :func:`scalebridge.core.checks.scale_separation`; see
:func:`scalebridge.core.checks.check_time_scale_separation`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConvergenceError, InputError, ShapeError

__all__ = ["TimeScales", "spectral_time_scales", "autocorrelation_times", "separation_of"]


@dataclass(frozen=True)
class TimeScales:
    """Sorted relaxation times and the largest gap between them.

    Attributes
    ----------
    time_scales : ndarray
        Relaxation times in s, ascending (fast first); neutral modes left out.
    n_fast : int
        Number of time scales below the largest gap (0 if there is no gap: fewer
        than two time scales).
    fast_time, slow_time : float
        The slowest fast and the fastest slow time scale around the gap, s.
    epsilon : float
        ``fast_time / slow_time`` (1 without a gap).
    n_neutral : int
        Modes set aside as neutral (zero eigenvalues: conservation laws).
    method : str
        ``"spectrum"`` or ``"autocorrelation"``.
    errors : ndarray or None
        One-sigma statistical errors of ``time_scales`` (autocorrelation only).
    order : ndarray of int
        ``time_scales[i]`` belongs to mode/component ``order[i]`` of the input.
    """

    time_scales: np.ndarray
    n_fast: int
    fast_time: float
    slow_time: float
    epsilon: float
    n_neutral: int = 0
    method: str = "spectrum"
    errors: np.ndarray | None = None
    order: np.ndarray | None = None


def separation_of(times, *, method: str = "spectrum", n_neutral: int = 0, errors=None) -> TimeScales:
    """Sort ``times`` (s, > 0) and locate their largest ratio gap."""
    times = np.asarray(times, dtype=float).ravel()
    order = np.argsort(times)
    times = times[order]
    errors = None if errors is None else np.asarray(errors, dtype=float).ravel()[order]
    if times.size < 2:
        t = float(times[0]) if times.size else np.nan
        return TimeScales(times, 0, t, t, 1.0, n_neutral, method, errors, order)
    ratios = times[1:] / times[:-1]
    k = int(np.argmax(ratios))
    return TimeScales(times, k + 1, float(times[k]), float(times[k + 1]), float(1.0 / ratios[k]),
                      n_neutral, method, errors, order)


def spectral_time_scales(jacobian, zero_tol: float = 1e-10) -> TimeScales:
    r"""Relaxation times :math:`\tau_i = 1/|\mathrm{Re}\,\lambda_i(J)|` and their largest gap.

    Parameters
    ----------
    jacobian : array_like, shape (n, n)
        :math:`\partial f/\partial y` of :math:`\dot y = f(y)` at a state, 1/s.
    zero_tol : float
        Eigenvalues with :math:`|\mathrm{Re}\,\lambda| \le` ``zero_tol`` times the
        largest one are neutral (conservation laws, purely oscillatory modes) and
        are left out.

    Returns
    -------
    TimeScales

    Raises
    ------
    ShapeError
        If ``jacobian`` is not square.
    InputError
        If it has non-finite entries or no non-neutral mode.

    References
    ----------
    Gear & Kevrekidis (2003), SIAM J. Sci. Comput. 24, 1091 (gap and projective
    integration); Lam & Goussis (1994), Int. J. Chem. Kinet. 26, 461 (time scales
    from the Jacobian spectrum).
    """
    J = np.asarray(jacobian, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] == 0:
        raise ShapeError(f"spectral_time_scales: jacobian has shape {J.shape}, expected a square (n, n) matrix")
    if not np.all(np.isfinite(J)):
        raise InputError("spectral_time_scales: jacobian has non-finite entries")
    if not 0 <= zero_tol < 1:
        raise InputError(f"spectral_time_scales: zero_tol={zero_tol!r}, expected 0 <= zero_tol < 1")
    rates = np.abs(np.linalg.eigvals(J).real)
    top = rates.max()
    keep = rates > zero_tol * top
    if top == 0 or not keep.any():
        raise InputError("spectral_time_scales: every eigenvalue of the jacobian is neutral (Re = 0); "
                         "the dynamics has no relaxation time")
    ts = separation_of(1.0 / rates[keep], method="spectrum", n_neutral=int((~keep).sum()))
    return TimeScales(**{**ts.__dict__, "order": np.flatnonzero(keep)[ts.order]})


def _autocorrelation(x: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation of every column of ``x`` (n, m) by zero-padded FFT."""
    n = x.shape[0]
    x = x - x.mean(axis=0)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(x, size, axis=0)
    acov = np.fft.irfft(f * np.conj(f), size, axis=0)[:n] / n
    return acov / acov[0]


def autocorrelation_times(trajectory, dt: float, *, window_factor: float = 5.0) -> TimeScales:
    r"""Integrated autocorrelation time of every component of a sampled trajectory.

    .. math::

        \tau_\mathrm{int} = \Delta t\left(\tfrac12 + \sum_{k=1}^{M}\rho_k\right),
        \qquad
        \sigma(\tau_\mathrm{int}) \approx \tau_\mathrm{int}\sqrt{\frac{2(2M+1)}{N}},

    (the trapezoidal rule for :math:`\int_0^\infty\rho\,dt`), with :math:`\rho_k` the
    normalised autocorrelation at lag :math:`k\Delta t` and the window :math:`M` the
    smallest lag with :math:`M \ge c\,\tau_\mathrm{int}(M)/\Delta t`, :math:`c =`
    ``window_factor`` (Sokal 1997, §3; Madras & Sokal 1988). For an
    Ornstein–Uhlenbeck process :math:`\tau_\mathrm{int}` is its correlation time.

    Parameters
    ----------
    trajectory : array_like, shape (n_times,) or (n_times, n_components)
        Equally spaced samples of a stationary trajectory.
    dt : float
        Sampling interval, s (> 0).
    window_factor : float
        Sokal's :math:`c`, default 5 (bias :math:`\sim e^{-c}` for an exponential decay).

    Returns
    -------
    TimeScales
        ``method="autocorrelation"``, with one-sigma ``errors``.

    Raises
    ------
    InputError
        For a non-finite trajectory, ``dt <= 0``, fewer than 16 samples, or a
        constant component.
    ConvergenceError
        If no window is found within the first tenth of the record (the record is
        shorter than about ``10 * window_factor`` correlation times, relative error
        above 60 %): a longer trajectory is needed.
    """
    x = np.asarray(trajectory, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ShapeError(f"autocorrelation_times: trajectory has shape {x.shape}, expected (n_times,) "
                         "or (n_times, n_components)")
    if not (np.isfinite(dt) and dt > 0):
        raise InputError(f"autocorrelation_times: dt={dt!r}, expected a sampling interval > 0 s")
    if not window_factor > 0:
        raise InputError(f"autocorrelation_times: window_factor={window_factor!r}, expected > 0")
    n = x.shape[0]
    if n < 16 or not np.all(np.isfinite(x)):
        raise InputError(f"autocorrelation_times: trajectory needs >= 16 finite samples, got {n} "
                         f"({int((~np.isfinite(x)).sum())} non-finite)")
    if np.any(np.ptp(x, axis=0) == 0):
        raise InputError("autocorrelation_times: a component of the trajectory is constant; "
                         "it has no autocorrelation time")
    rho = _autocorrelation(x)
    tau_steps = 0.5 + np.cumsum(rho[1:], axis=0)          # tau(M) / dt for M = 1..n-1
    lags = np.arange(1, n)[:, None]
    ok = lags >= window_factor * tau_steps
    if not np.all(ok.any(axis=0)):
        bad = int(np.flatnonzero(~ok.any(axis=0))[0])
        raise ConvergenceError(f"autocorrelation_times: no self-consistent window for component {bad} within "
                               f"{n} samples; the record is too short for its correlation time")
    m = np.argmax(ok, axis=0)                                     # index into lags (M = m + 1)
    if np.any(m + 1 > n // 10):
        bad = int(np.flatnonzero(m + 1 > n // 10)[0])
        raise ConvergenceError(f"autocorrelation_times: component {bad} needs a window of {int(m[bad]) + 1} of "
                               f"{n} samples (> 10 %, relative error > 60 %); the record is too short for its "
                               "correlation time")
    tau = tau_steps[m, np.arange(x.shape[1])] * dt
    err = tau * np.sqrt(2.0 * (2.0 * (m + 1) + 1.0) / n)
    if np.any(tau <= 0):
        raise ConvergenceError(f"autocorrelation_times: non-positive integrated time {tau.min():.3g} s "
                               "(anti-correlated or too short record)")
    return separation_of(tau, method="autocorrelation", errors=err)
