r"""Linear viscoelasticity with memory: Prony series, their fit, and recursive stress updates.

A linear viscoelastic solid remembers its strain history through a relaxation
modulus :math:`G(t)` (Boltzmann superposition),

.. math:: \sigma(t) = \int_{-\infty}^{t} G(t-s)\,\dot\varepsilon(s)\,ds, \qquad
          G(t) = G_\infty + \sum_{i=1}^{n} g_i\,e^{-t/\tau_i}

(a Prony series: a generalized Maxwell model of springs :math:`g_i` and dashpots
:math:`\eta_i = g_i\tau_i` in parallel with an equilibrium spring :math:`G_\infty`).
The convolution never has to be stored: with the internal (hereditary) variables
:math:`h_i(t) = \int_{-\infty}^t g_i e^{-(t-s)/\tau_i}\dot\varepsilon(s)\,ds`,
:math:`\sigma = G_\infty\varepsilon + \sum_i h_i`, and for a strain that is linear in
time over a step :math:`\Delta t` (the macro solver's interpolation)

.. math:: h_i^{n+1} = e^{-\Delta t/\tau_i}\,h_i^{n}
          + g_i\,\frac{1 - e^{-\Delta t/\tau_i}}{\Delta t/\tau_i}\,\Delta\varepsilon ,

which is *exact* (no time-discretisation error) for piecewise-linear strain, stable
for any :math:`\Delta t`, and costs :math:`O(n)` per point per step (Taylor, Pister &
Goudreau 1970, Int. J. Numer. Meth. Eng. 2, 45; Simo & Hughes 1998, *Computational
Inelasticity*, Springer, §10.3). The algorithmic tangent is
:math:`d\sigma^{n+1}/d\varepsilon^{n+1} = G_\infty + \sum_i g_i (1-e^{-x_i})/x_i`,
:math:`x_i = \Delta t/\tau_i`. The relaxation data of a fine-scale model (an RVE or
an MD box held at a strain step) is bridged up by a non-negative least-squares fit of
the Prony moduli on log-spaced relaxation times (:func:`fit_prony_series`;
Park & Schapery 1999, Int. J. Solids Struct. 36, 1653).

Units: moduli in Pa (any consistent stress unit), times in s, strain dimensionless.
Stress and strain may be scalars (a shear or uniaxial law) or tensors in any
notation: the same kernel acts on every component.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy.optimize import nnls

from ..core.errors import ConvergenceError, InputError, ShapeError
from ..core.model import Evaluation, Port, Scale
from . import arguments

__all__ = ["PronySeries", "PronyFit", "fit_prony_series", "prony_update", "prony_stress_history",
           "standard_linear_solid_ramp_stress", "ViscoelasticModel"]


@dataclass(frozen=True)
class PronySeries:
    r"""Relaxation modulus :math:`G(t) = G_\infty + \sum_i g_i e^{-t/\tau_i}` (Pa, s).

    Parameters
    ----------
    equilibrium_modulus : float
        :math:`G_\infty \ge 0`, Pa.
    moduli : array_like, shape (n,)
        :math:`g_i \ge 0`, Pa.
    relaxation_times : array_like, shape (n,)
        :math:`\tau_i > 0`, s.
    """

    equilibrium_modulus: float
    moduli: np.ndarray
    relaxation_times: np.ndarray

    def __post_init__(self):
        g_inf = float(arguments.finite(self.equilibrium_modulus, "equilibrium_modulus", lambda a: a < 0,
                                       unit="Pa", expected="a finite modulus >= 0 Pa"))
        g = np.atleast_1d(np.asarray(arguments.finite(self.moduli, "moduli", lambda a: a < 0, unit="Pa",
                                                      expected="finite Prony moduli >= 0 Pa"), dtype=float))
        tau = np.atleast_1d(np.asarray(arguments.finite(self.relaxation_times, "relaxation_times",
                                                        lambda a: a <= 0, unit="s",
                                                        expected="finite relaxation times > 0 s"), dtype=float))
        if g.ndim != 1 or g.shape != tau.shape:
            raise ShapeError(f"PronySeries: moduli {g.shape} and relaxation_times {tau.shape} must be 1-D "
                             "of the same length")
        object.__setattr__(self, "equilibrium_modulus", g_inf)
        object.__setattr__(self, "moduli", g)
        object.__setattr__(self, "relaxation_times", tau)

    @property
    def instantaneous_modulus(self) -> float:
        r""":math:`G(0) = G_\infty + \sum_i g_i`, Pa."""
        return float(self.equilibrium_modulus + self.moduli.sum())

    def relaxation_modulus(self, time) -> np.ndarray:
        """G(t) in Pa at times t >= 0 (s), any shape."""
        t = np.asarray(arguments.finite(time, "time", lambda a: a < 0, unit="s", expected="times >= 0 s"),
                       dtype=float)
        return self.equilibrium_modulus + np.exp(-t[..., None] / self.relaxation_times) @ self.moduli

    def complex_modulus(self, angular_frequency):
        r"""Storage and loss moduli :math:`G'(\omega), G''(\omega)` in Pa (ω in rad/s).

        .. math:: G' = G_\infty + \sum_i g_i\frac{\omega^2\tau_i^2}{1+\omega^2\tau_i^2}, \qquad
                  G'' = \sum_i g_i\frac{\omega\tau_i}{1+\omega^2\tau_i^2}

        (Ferry 1980, *Viscoelastic Properties of Polymers*, 3rd ed., ch. 3).
        """
        wt = np.asarray(angular_frequency, dtype=float)[..., None] * self.relaxation_times
        d = 1.0 + wt ** 2
        return self.equilibrium_modulus + (wt ** 2 / d) @ self.moduli, (wt / d) @ self.moduli


@dataclass(frozen=True)
class PronyFit:
    """A fitted Prony series and its quality on the data.

    Attributes
    ----------
    series : PronySeries
        With the zero (and rounding-level, < 1e-12 max G) moduli of the NNLS solution removed.
    relative_rms_error : float
        Root-mean-square of (G_fit - G_data) / G_data over the data points.
    max_relative_error : float
        Largest |G_fit - G_data| / G_data.
    """

    series: PronySeries
    relative_rms_error: float
    max_relative_error: float


def fit_prony_series(time, modulus, *, relaxation_times=None, terms_per_decade: float = 1.0,
                     equilibrium: bool = True) -> PronyFit:
    r"""Fit :math:`G(t) = G_\infty + \sum_i g_i e^{-t/\tau_i}` to relaxation data by NNLS.

    The relaxation times are fixed on a logarithmic grid (default: ``terms_per_decade``
    per decade from the smallest positive to the largest sample time), so the fit is
    linear in the moduli; :math:`g_i \ge 0` and :math:`G_\infty \ge 0` are imposed by
    non-negative least squares (Lawson & Hanson 1974, *Solving Least Squares
    Problems*, ch. 23; ``scipy.optimize.nnls``), which keeps the fitted model
    thermodynamically admissible (non-negative dissipation). Residuals are relative,
    :math:`\min \sum_k [(G(t_k) - G_k)/G_k]^2`, so every decade of the data counts
    (Park & Schapery 1999, Int. J. Solids Struct. 36, 1653).

    Parameters
    ----------
    time : array_like, shape (m,)
        Sample times t_k >= 0, s.
    modulus : array_like, shape (m,)
        Relaxation modulus G_k > 0 (stress / step strain of the fine model), Pa.
    relaxation_times : array_like, optional
        The candidate :math:`\tau_i` (s); overrides ``terms_per_decade``.
    terms_per_decade : float
        Density of the default log grid (1 or 2 is usual; denser grids are
        ill-conditioned and add nothing).
    equilibrium : bool
        Fit :math:`G_\infty` (True) or fix it to 0 (a fluid).

    Returns
    -------
    PronyFit

    Raises
    ------
    InputError
        For fewer samples than unknowns, negative times or non-positive moduli.
    ConvergenceError
        If NNLS fails.
    """
    t = np.asarray(arguments.finite(time, "time", lambda a: a < 0, unit="s", expected="sample times >= 0 s"),
                   dtype=float).ravel()
    G = np.asarray(arguments.finite(modulus, "modulus", lambda a: a <= 0, unit="Pa",
                                    expected="a relaxation modulus > 0 Pa"), dtype=float).ravel()
    if t.shape != G.shape:
        raise ShapeError(f"fit_prony_series: time {t.shape} and modulus {G.shape} must have the same length")
    if relaxation_times is None:
        if not terms_per_decade > 0:
            raise InputError(f"fit_prony_series: terms_per_decade={terms_per_decade!r}, expected > 0")
        pos = t[t > 0]
        if pos.size < 2 or pos.max() <= pos.min():
            raise InputError("fit_prony_series: need at least two distinct positive sample times")
        lo, hi = np.log10(pos.min()), np.log10(pos.max())
        tau = np.logspace(lo, hi, max(2, int(round((hi - lo) * terms_per_decade)) + 1))
    else:
        tau = np.atleast_1d(np.asarray(arguments.finite(relaxation_times, "relaxation_times", lambda a: a <= 0,
                                                        unit="s", expected="relaxation times > 0 s"), dtype=float))
    basis = np.exp(-t[:, None] / tau)
    if equilibrium:
        basis = np.column_stack([np.ones_like(t), basis])
    if t.size < basis.shape[1]:
        raise InputError(f"fit_prony_series: {t.size} samples for {basis.shape[1]} unknowns; "
                         "give more data or fewer relaxation times")
    try:
        coef, _ = nnls(basis / G[:, None], np.ones_like(G), maxiter=50 * basis.shape[1])
    except RuntimeError as exc:
        raise ConvergenceError(f"fit_prony_series: NNLS did not converge ({exc})") from None
    g_inf, g = (coef[0], coef[1:]) if equilibrium else (0.0, coef)
    keep = g > 1e-12 * max(float(G.max()), 0.0)     # NNLS leaves rounding-level moduli on idle times
    series = PronySeries(g_inf, g[keep], tau[keep])
    rel = series.relaxation_modulus(t) / G - 1.0
    return PronyFit(series, float(np.sqrt(np.mean(rel ** 2))), float(np.max(np.abs(rel))))


def _step_factors(series: PronySeries, dt):
    """exp(-dt/tau) and (1 - exp(-x))/x with x = dt/tau (-> 1 for a jump, dt = 0)."""
    x = np.asarray(dt, dtype=float)[..., None] / series.relaxation_times
    decay = np.exp(-x)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(x > 0, -np.expm1(-x) / np.where(x > 0, x, 1.0), 1.0)
    return decay, weight


def prony_update(series: PronySeries, strain_increment, time_step, hereditary):
    r"""One exact step of the recursive (internal-variable) Prony update, for a batch.

    .. math:: h_i^{n+1} = e^{-\Delta t/\tau_i} h_i^n + g_i\frac{1-e^{-\Delta t/\tau_i}}{\Delta t/\tau_i}
              \Delta\varepsilon, \qquad
              \sigma^{n+1} = G_\infty\varepsilon^{n+1} + \sum_i h_i^{n+1}

    (exact for strain linear in time over the step; ``time_step = 0`` is a jump).

    Parameters
    ----------
    series : PronySeries
    strain_increment : ndarray, shape S
        :math:`\Delta\varepsilon` at every point (any shape S, e.g. (B,) or (B, 6)).
    time_step : float or ndarray broadcastable to S
        :math:`\Delta t \ge 0`, s.
    hereditary : ndarray, shape S + (n,)
        :math:`h_i^n`, Pa.

    Returns
    -------
    (ndarray, ndarray)
        ``sum_i h_i^{n+1}`` (shape S, Pa: add :math:`G_\infty\varepsilon^{n+1}` for the
        stress) and :math:`h^{n+1}` (shape S + (n,)).
    """
    de = np.asarray(strain_increment, dtype=float)
    dt = np.broadcast_to(np.asarray(time_step, dtype=float), de.shape)
    if np.any(dt < 0) or not np.all(np.isfinite(dt)):
        raise InputError(f"prony_update: time_step must be finite and >= 0 s, got min {dt.min():g}")
    decay, weight = _step_factors(series, dt)
    h = decay * hereditary + series.moduli * weight * de[..., None]
    return h.sum(axis=-1), h


def prony_stress_history(series: PronySeries, time, strain) -> np.ndarray:
    r"""Stress history of a batch of points for piecewise-linear strain histories.

    :math:`\sigma(t_n) = \int_0^{t_n} G(t_n-s)\dot\varepsilon(s)\,ds` evaluated by the exact
    recursion of :func:`prony_update` (no stored history; a loop over time steps only,
    vectorised over points). The material is virgin before ``time[0]``: a nonzero
    ``strain[0]`` is a jump applied at ``time[0]`` (stress :math:`G(0)\varepsilon_0`).

    Parameters
    ----------
    time : array_like, shape (n_t,)
        Non-decreasing times, s (equal neighbours are a strain jump).
    strain : array_like, shape (n_t, ...)
        Strain at those times for every point (trailing axes: batch, components).

    Returns
    -------
    ndarray, shape of ``strain``
        Stress, Pa.
    """
    t = np.asarray(time, dtype=float)
    eps = np.asarray(strain, dtype=float)
    if t.ndim != 1 or eps.shape[:1] != t.shape:
        raise ShapeError(f"prony_stress_history: time {t.shape} must be 1-D and strain {eps.shape} must "
                         "have it as its first axis")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(eps))) or np.any(np.diff(t) < 0):
        raise InputError("prony_stress_history: time must be finite and non-decreasing, strain finite")
    h = series.moduli * eps[0][..., None]                    # jump at time[0]
    out = np.empty_like(eps)
    out[0] = series.equilibrium_modulus * eps[0] + h.sum(axis=-1)
    for n in range(1, t.size):
        hsum, h = prony_update(series, eps[n] - eps[n - 1], t[n] - t[n - 1], h)
        out[n] = series.equilibrium_modulus * eps[n] + hsum
    return out


def standard_linear_solid_ramp_stress(time, equilibrium_modulus, arm_modulus, relaxation_time,
                                      strain_rate, ramp_time=np.inf):
    r"""Closed-form stress of the standard linear solid (Zener) under a ramp-and-hold strain.

    Spring :math:`E_\infty` in parallel with a Maxwell arm (:math:`E_1`,
    :math:`\eta = E_1\tau`), :math:`\sigma + \tau\dot\sigma = E_\infty\varepsilon +
    (E_\infty+E_1)\tau\dot\varepsilon`, strain :math:`\varepsilon = \dot\varepsilon\,
    \min(t, t_r)`, virgin at :math:`t=0`:

    .. math::

        \sigma(t) = E_\infty\dot\varepsilon t + E_1\dot\varepsilon\tau(1-e^{-t/\tau}),
        \quad t \le t_r; \qquad
        \sigma(t) = E_\infty\dot\varepsilon t_r + E_1\dot\varepsilon\tau(1-e^{-t_r/\tau})
        e^{-(t-t_r)/\tau}, \quad t > t_r

    (Findley, Lai & Onaran 1976, *Creep and Relaxation of Nonlinear Viscoelastic
    Materials*, North-Holland, §5.3; Lakes 2009, *Viscoelastic Materials*, CUP, §2.6).

    Parameters
    ----------
    time : array_like
        t >= 0, s.
    equilibrium_modulus, arm_modulus : float
        :math:`E_\infty, E_1 \ge 0`, Pa.
    relaxation_time : float
        :math:`\tau > 0`, s.
    strain_rate : float
        :math:`\dot\varepsilon`, 1/s.
    ramp_time : float
        :math:`t_r > 0`, s (default: a ramp without hold).
    """
    t = np.asarray(arguments.finite(time, "time", lambda a: a < 0, unit="s", expected="times >= 0 s"), dtype=float)
    series = PronySeries(equilibrium_modulus, [arm_modulus], [relaxation_time])
    rate = float(arguments.finite(strain_rate, "strain_rate", unit="1/s"))
    if not ramp_time > 0:
        raise InputError(f"standard_linear_solid_ramp_stress: ramp_time={ramp_time!r}, expected > 0 s")
    tau, e_inf, e_1 = series.relaxation_times[0], series.equilibrium_modulus, series.moduli[0]
    tr = np.minimum(t, ramp_time)
    return rate * (e_inf * tr + e_1 * tau * -np.expm1(-tr / tau) * np.exp(-(t - tr) / tau))


class ViscoelasticModel:
    r"""A Prony-series viscoelastic law as a history-dependent ``Model`` (strain, time step -> stress).

    Inputs ``strain`` (dimensionless, per-item shape ``shape``) and ``time_step`` (s)
    of the macro step; output ``stress`` (Pa) with the algorithmic tangent
    :math:`d\sigma/d\varepsilon = [G_\infty + \sum_i g_i(1-e^{-x_i})/x_i]\,I`; the state is
    ``{"strain": (B, *shape), "hereditary": (B, *shape, n)}`` (last committed strain and
    :math:`h_i`). The model never commits: pass the committed state at every macro
    iteration, keep the returned one only when the macro step converged.

    Parameters
    ----------
    series : PronySeries
    shape : tuple of int
        Per-point shape of strain and stress (``()`` for a shear or uniaxial law).
    length : str or quantity
        Characteristic length of the fine model the series was fitted to.
    """

    def __init__(self, series: PronySeries, shape: tuple = (), *, length: Any = "1 um",
                 name: str = "prony viscoelasticity"):
        if not isinstance(series, PronySeries):
            raise InputError(f"{name}: series must be a PronySeries, got {type(series).__name__}")
        self.series, self.name, self.shape = series, name, tuple(int(n) for n in shape)
        self.inputs = {"strain": Port("", self.shape, "total strain at the end of the step"),
                       "time_step": Port("s", (), "macro time step (strain linear over it)")}
        self.outputs = {"stress": Port("Pa", self.shape, "stress (Prony-series hereditary integral)")}
        self.scale = Scale(length, float(series.relaxation_times.max()), name)

    def initial_state(self, n_points: int) -> dict[str, np.ndarray]:
        """Virgin state (zero strain and hereditary stresses) of ``n_points`` points."""
        n = int(n_points)
        return {"strain": np.zeros((n,) + self.shape),
                "hereditary": np.zeros((n,) + self.shape + (self.series.moduli.size,))}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        """One exact Prony step from the committed ``state`` (virgin if None); new state uncommitted."""
        for key in self.inputs:
            if key not in inputs:
                raise InputError(f"{self.name}: missing input {key!r}; expected inputs {list(self.inputs)}")
        eps = np.asarray(inputs["strain"], dtype=float)
        if eps.shape[1:] != self.shape:
            raise ShapeError(f"{self.name}: strain has item shape {eps.shape[1:]}, expected {self.shape}")
        dt = np.asarray(inputs["time_step"], dtype=float).reshape(-1)
        if dt.size not in (1, eps.shape[0]):
            raise ShapeError(f"{self.name}: time_step has {dt.size} entries for {eps.shape[0]} points")
        state = self.initial_state(eps.shape[0]) if state is None else state
        dt = np.broadcast_to(dt.reshape((-1,) + (1,) * len(self.shape)), eps.shape)
        hsum, h = prony_update(self.series, eps - state["strain"], dt, state["hereditary"])
        stress = self.series.equilibrium_modulus * eps + hsum
        _, weight = _step_factors(self.series, dt.reshape(eps.shape[0], -1)[:, 0])
        tangent = self.series.equilibrium_modulus + weight @ self.series.moduli          # (B,)
        m = int(np.prod(self.shape))
        eye = np.eye(m).reshape(self.shape + self.shape)
        return Evaluation(outputs={"stress": stress},
                          tangents={("stress", "strain"): tangent.reshape((-1,) + (1,) * (2 * len(self.shape))) * eye},
                          state={"strain": eps.copy(), "hereditary": h})

    def parameters(self) -> dict[str, Any]:
        return {"equilibrium_modulus": self.series.equilibrium_modulus, "moduli": self.series.moduli.tolist(),
                "relaxation_times": self.series.relaxation_times.tolist(), "shape": list(self.shape)}
