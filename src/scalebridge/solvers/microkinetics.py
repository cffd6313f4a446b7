r"""Batched steady states of mean-field (mass-action) microkinetic models.

A plain numerical engine: arrays in, arrays out. One site type; the surface
species are the adsorbates and the free site ``*``. For elementary step ``j``

.. math::

    r_j = k^f_j \prod_i \theta_i^{a_{ij}} - k^r_j \prod_i \theta_i^{b_{ij}},
    \qquad
    \frac{d\theta}{dt} = (b - a)^\mathsf{T} r ,

where ``a`` and ``b`` are the reactant and product orders of the surface species
(the free site included) and gas pressures are already folded into ``kf``/``kr``
by the caller (rate constants in 1/s, coverages dimensionless, rates in 1/s per
site). The free-site fraction is eliminated by the site balance
:math:`\theta_* = 1 - \sum_{i \ne *}\theta_i`, so the balance holds to rounding
by construction; the unknowns are the adsorbate coverages.

Steady states of ``B`` conditions are found together: the ``B`` systems are
stacked into one stiff ODE system integrated by ``scipy.integrate.solve_ivp``
(BDF/Radau) with a sparse block-diagonal analytic Jacobian, from the initial
coverages until each condition is close to steady state, then polished by a
batched Newton iteration (``numpy.linalg.solve`` on ``(B, n, n)`` stacks). In the
Newton polish each condition eliminates its *most abundant* species by the site
balance instead of the free site, so that a small free-site fraction (a poisoned
surface) keeps its full relative precision; the returned net rates are projected
onto the stationary flux space (see ``_stationary_rates``).

References
----------
Dumesic, J. A., Rudd, D. F., Aparicio, L. M., Rekoske, J. E., Treviño, A. A.
(1993). *The Microkinetics of Heterogeneous Catalysis*. ACS, Washington DC, ch. 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp

from scalebridge.core.errors import ConvergenceError, InputError, ShapeError

__all__ = ["SteadyStateResult", "MassActionNetwork", "solve_steady_state"]

_TINY = np.finfo(float).tiny


@dataclass(frozen=True)
class SteadyStateResult:
    """Steady states of a batch of conditions.

    Attributes
    ----------
    coverages : ndarray, shape (B, n_surface)
        Fractional coverages of all surface species, the free site included
        (same column order as the orders matrices); rows sum to 1 to rounding.
    net_rates : ndarray, shape (B, n_steps)
        Net rate ``r_j`` of every step, 1/s per site.
    residual : ndarray, shape (B,)
        Relative residual ``max_i |dtheta_i/dt| / g_i``, with ``g_i`` the sum of
        the gross (forward + reverse) step rates that produce or consume species
        ``i`` (each species balanced against its own rates); rounding level ~1e-16.
    converged : ndarray of bool, shape (B,)
        True where the residual is below the Newton tolerance and the coverages
        lie in [0, 1].
    newton_iterations : int
        Newton iterations performed on the batch.
    time : float
        Integration time reached before the Newton polish, s.
    """

    coverages: np.ndarray
    net_rates: np.ndarray
    residual: np.ndarray
    converged: np.ndarray
    newton_iterations: int
    time: float


class MassActionNetwork:
    r"""Mass-action rate equations of a single-site surface reaction network.

    Parameters
    ----------
    reactant_orders, product_orders : array_like, shape (n_steps, n_surface)
        Non-negative orders ``a`` and ``b`` of each surface species (free site
        included) on the left and right of every step.
    free_site : int
        Column of the free site ``*``.
    """

    def __init__(self, reactant_orders, product_orders, free_site: int = 0):
        a = np.atleast_2d(np.asarray(reactant_orders, dtype=float))
        b = np.atleast_2d(np.asarray(product_orders, dtype=float))
        if a.shape != b.shape:
            raise ShapeError(f"microkinetics: reactant_orders {a.shape} and product_orders "
                             f"{b.shape} must have the same shape (n_steps, n_surface)")
        if np.any(a < 0) or np.any(b < 0) or not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            raise InputError("microkinetics: reaction orders must be finite and >= 0")
        n_steps, n = a.shape
        if not 0 <= free_site < n:
            raise InputError(f"microkinetics: free_site={free_site} outside 0..{n - 1}")
        self.a, self.b = a, b
        self.n_steps, self.n_surface = n_steps, n
        self.free_site = int(free_site)
        self.adsorbates = np.array([i for i in range(n) if i != free_site], dtype=int)
        self.stoichiometry = b - a                       # (n_steps, n)
        unbalanced = np.flatnonzero(np.abs(self.stoichiometry.sum(axis=1)) > 1e-12)
        if unbalanced.size:
            raise InputError(f"microkinetics: steps {unbalanced.tolist()} do not conserve sites "
                             "(sum of surface orders differs between the two sides)")
        self._s_ads = self.stoichiometry[:, self.adsorbates]  # (n_steps, m)
        self._abs_s = np.abs(self.stoichiometry)
        # exponents of d(prod theta^a)/d theta_i: a_jk - delta_ik where a_ji > 0
        eye = np.eye(n)
        self._ea = a[:, None, :] - eye[None, :, :] * (a[:, :, None] > 0)
        self._eb = b[:, None, :] - eye[None, :, :] * (b[:, :, None] > 0)

    # ------------------------------------------------------------------ kinetics
    def full_coverages(self, x: np.ndarray) -> np.ndarray:
        """Coverages of all species from adsorbate coverages ``x`` (B, m)."""
        theta = np.empty((x.shape[0], self.n_surface))
        theta[:, self.adsorbates] = x
        theta[:, self.free_site] = 1.0 - x.sum(axis=1)
        return theta

    def gross_rates(self, theta, kf, kr):
        """Forward and reverse rates ``kf prod theta^a`` and ``kr prod theta^b`` (B, n_steps)."""
        th = theta[:, None, :]
        return kf * np.prod(th ** self.a, axis=2), kr * np.prod(th ** self.b, axis=2)

    def net_rates(self, theta, kf, kr) -> np.ndarray:
        """Net step rates ``r_j`` (B, n_steps), 1/s per site."""
        rf, rr = self.gross_rates(theta, kf, kr)
        return rf - rr

    def coverage_rates(self, theta, kf, kr) -> np.ndarray:
        """``dtheta/dt = (b - a)^T r`` for all species, free site included (B, n_surface)."""
        return self.net_rates(theta, kf, kr) @ self.stoichiometry

    def _rhs(self, theta, kf, kr):
        r = self.net_rates(theta, kf, kr)
        return r @ self._s_ads, r

    def jacobian_full(self, theta, kf, kr) -> np.ndarray:
        """Analytic ``d(dtheta_i/dt)/d theta_k`` over all species, no elimination (B, n, n).

        ``d prod_k theta_k^a_jk / d theta_i = a_ji prod_k theta_k^(a_jk - delta_ik)``.
        """
        th = theta[:, None, None, :]
        dmf = self.a[None] * np.prod(th ** self._ea[None], axis=3)   # (B, ns, n)
        dmr = self.b[None] * np.prod(th ** self._eb[None], axis=3)
        drdth = kf[:, :, None] * dmf - kr[:, :, None] * dmr
        return np.einsum("ji,bjk->bik", self.stoichiometry, drdth)

    def jacobian(self, theta, kf, kr) -> np.ndarray:
        """Jacobian of the adsorbate rates with theta_* eliminated (B, m, m).

        The site balance adds ``d theta_* / d theta_l = -1`` to every column.
        """
        jf = self.jacobian_full(theta, kf, kr)[:, self.adsorbates, :]
        return jf[:, :, self.adsorbates] - jf[:, :, [self.free_site]]

    # ------------------------------------------------------------------ solver
    def steady_state(self, kf, kr, initial_coverages=None, **options) -> SteadyStateResult:
        """Batched steady state; see :func:`solve_steady_state` for the options."""
        return _steady_state(self, kf, kr, initial_coverages, **options)


def solve_steady_state(kf, kr, reactant_orders, product_orders, *, free_site: int = 0,
                       initial_coverages=None, **options) -> SteadyStateResult:
    r"""Steady-state coverages and rates of a mass-action network for B conditions.

    Solves :math:`(b-a)^\mathsf{T} r(\theta) = 0` with
    :math:`\theta_* = 1 - \sum_{i\ne *}\theta_i`, by integrating
    :math:`d\theta/dt` from ``initial_coverages`` (BDF, sparse block-diagonal analytic
    Jacobian) until the estimated distance to steady state,
    :math:`|J^{-1}\,d\theta/dt|` (i.e. :math:`|d\theta/dt|` measured against
    the relaxation rates of the network), is below ``steady_tol`` times every
    coverage plus ``ode_atol``, or
    ``max|dtheta/dt| <= steady_tol * max|r_j|``, then polishing by Newton
    iterations to a relative residual below ``newton_tol``.

    Parameters
    ----------
    kf, kr : array_like, shape (B, n_steps) or (n_steps,)
        Forward and reverse rate constants, 1/s, with gas pressures folded in;
        ``kr = 0`` for irreversible steps.
    reactant_orders, product_orders : array_like, shape (n_steps, n_surface)
        Orders ``a``, ``b`` of the surface species (free site included).
    free_site : int
        Column of the free site.
    initial_coverages : array_like, shape (B, n_surface) or (n_surface,), optional
        Start of the transient; default the clean surface (``theta_* = 1``).
    **options
        ``method`` ("BDF" or "Radau"), ``t_max`` (s, default 1e12), ``ode_rtol``
        (1e-6), ``ode_atol`` (1e-12), ``steady_tol`` (1e-6), ``newton_tol`` (1e-13),
        ``max_newton`` (40), ``raise_on_failure`` (True).

    Returns
    -------
    SteadyStateResult

    Raises
    ------
    ConvergenceError
        If a condition ends with non-finite coverages, coverages outside [0, 1]
        or a residual above ``newton_tol``; the message names the first such
        condition index, its residual and the iteration count.

    References
    ----------
    Dumesic et al. (1993), *The Microkinetics of Heterogeneous Catalysis*, ch. 2.
    """
    net = MassActionNetwork(reactant_orders, product_orders, free_site)
    return _steady_state(net, kf, kr, initial_coverages, **options)


def _as_batch(net, kf, kr, initial):
    kf = np.atleast_2d(np.asarray(kf, dtype=float))
    kr = np.atleast_2d(np.asarray(kr, dtype=float))
    kf, kr = np.broadcast_arrays(kf, kr)
    if kf.ndim != 2 or kf.shape[1] != net.n_steps:
        raise ShapeError(f"microkinetics: kf/kr have shape {kf.shape}, expected (B, {net.n_steps})")
    for name, k in (("kf", kf), ("kr", kr)):
        if not np.all(np.isfinite(k)) or np.any(k < 0):
            bad = int(np.argwhere(~np.isfinite(k) | (k < 0))[0, 0])
            raise InputError(f"microkinetics: {name} must be finite and >= 0 (condition {bad})")
    n_b = kf.shape[0]
    if initial is None:
        theta0 = np.zeros((n_b, net.n_surface))
        theta0[:, net.free_site] = 1.0
    else:
        theta0 = np.broadcast_to(np.atleast_2d(np.asarray(initial, dtype=float)),
                                 (n_b, net.n_surface)).copy()
        if np.any(theta0 < 0) or np.any(np.abs(theta0.sum(axis=1) - 1.0) > 1e-9):
            raise InputError("microkinetics: initial_coverages must be >= 0 and sum to 1 per condition")
    return np.ascontiguousarray(kf), np.ascontiguousarray(kr), theta0


def _batched_solve(jac, rhs):
    """Solve a (B, n, n) stack; if one matrix is singular, fall back to pseudo-inverses."""
    if jac.shape[1] == 0:
        return np.zeros_like(rhs)
    try:
        return np.linalg.solve(jac, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.einsum("bij,bj->bi", np.linalg.pinv(jac), rhs)


def _distance_to_steady_state(net, x, kf, kr, steady_tol, atol):
    """Per condition: True where the ODE may hand over to Newton.

    Either every coverage is within ``steady_tol |theta_i| + atol`` of its Newton
    estimate ``theta - J^{-1} dtheta/dt`` (free site included; ``atol`` is the
    absolute resolution of the integrator), or
    ``max|dtheta/dt| <= steady_tol max|r_j|``.
    """
    theta = net.full_coverages(x)
    f, r = net._rhs(theta, kf, kr)
    jac = net.jacobian(theta, kf, kr)
    with np.errstate(all="ignore"):
        step = np.zeros_like(theta)
        step[:, net.adsorbates] = _batched_solve(jac, f)
        step[:, net.free_site] = -step[:, net.adsorbates].sum(axis=1)
        close = np.all(np.abs(step) <= steady_tol * np.abs(theta) + atol, axis=1)
    fmax = np.abs(f).max(axis=1)
    return close | (fmax <= steady_tol * np.abs(r).max(axis=1, initial=0.0)) | (fmax == 0.0)


def _integrate(net, x0, kf, kr, t_max, method, rtol, atol, steady_tol):
    n_b, m = x0.shape
    indptr, indices = np.arange(n_b + 1), np.arange(n_b)

    def rhs(_t, y):
        x = y.reshape(n_b, m)
        f, _ = net._rhs(net.full_coverages(x), kf, kr)
        return f.ravel()

    def jac(_t, y):
        x = y.reshape(n_b, m)
        blocks = net.jacobian(net.full_coverages(x), kf, kr)
        return sp.bsr_matrix((blocks, indices, indptr), shape=(n_b * m, n_b * m)).tocsc()

    y, t = x0.ravel().copy(), 0.0
    if _distance_to_steady_state(net, x0, kf, kr, steady_tol, atol).all():
        return x0, t
    gross = np.abs(kf).max() + np.abs(kr).max()
    t_next = min(t_max, 1.0 / max(gross, 1e-300))
    while True:
        sol = solve_ivp(rhs, (t, t_next), y, method=method, jac=jac, rtol=rtol, atol=atol)
        if sol.status < 0:
            break
        y, t = sol.y[:, -1], t_next
        if t >= t_max or _distance_to_steady_state(net, y.reshape(n_b, m), kf, kr, steady_tol, atol).all():
            break
        t_next = min(t_max, 10.0 * t_next)
    return y.reshape(n_b, m), t


def _steady_state(net, kf, kr, initial_coverages=None, *, method="BDF", t_max=1e12,
                  ode_rtol=1e-6, ode_atol=1e-12, steady_tol=1e-6, newton_tol=1e-13,
                  max_newton=40, raise_on_failure=True) -> SteadyStateResult:
    if method not in ("BDF", "Radau"):
        raise InputError(f"microkinetics: method={method!r}; expected 'BDF' or 'Radau'")
    kf, kr, theta0 = _as_batch(net, kf, kr, initial_coverages)
    x0 = theta0[:, net.adsorbates]
    with np.errstate(all="ignore"):
        x, t_reached = _integrate(net, x0, kf, kr, t_max, method, ode_rtol, ode_atol, steady_tol)
        theta, res, it = _newton(net, net.full_coverages(x), kf, kr, newton_tol, max_newton)
        rates = _stationary_rates(net, theta, kf, kr)
    finite = np.all(np.isfinite(theta), axis=1) & np.isfinite(res)
    in_bounds = np.all((theta >= -1e-10) & (theta <= 1.0 + 1e-10), axis=1)
    converged = finite & in_bounds & (res <= newton_tol)
    if raise_on_failure and not converged.all():
        i = int(np.flatnonzero(~converged)[0])
        why = ("non-finite coverages" if not finite[i] else
               "coverages outside [0, 1]" if not in_bounds[i] else "no convergence")
        raise ConvergenceError(
            f"microkinetics steady state: {why} for condition {i} of {len(res)} "
            f"(relative residual {res[i]:.3e}, tolerance {newton_tol:.1e}, after {it} Newton "
            f"iterations, integration to t={t_reached:.3e} s; coverages {np.round(theta[i], 6)})")
    return SteadyStateResult(coverages=theta, net_rates=rates, residual=res,
                             converged=converged, newton_iterations=it, time=float(t_reached))


def _stationary_rates(net, theta, kf, kr):
    r"""Net step rates projected onto the steady-state flux space :math:`S^\mathsf{T} r = 0`.

    The computed :math:`r_j = r^f_j - r^r_j` of a quasi-equilibrated step carries an
    absolute rounding error :math:`\sim\epsilon (r^f_j + r^r_j)`, far larger than
    its net rate. The weighted least-squares projection
    :math:`r' = r - W S (S^\mathsf{T} W S)^{+} S^\mathsf{T} r`, :math:`W =
    \mathrm{diag}(r^f + r^r)`, moves each rate by about its own rounding error only,
    so fast equilibrated steps inherit the accurately known flux of the slow ones.
    """
    rf, rr = net.gross_rates(theta, kf, kr)
    r = rf - rr
    w = rf + rr
    s_ads = net._s_ads
    wm = np.einsum("bj,ji,jk->bik", w, s_ads, s_ads)
    lam = np.einsum("bik,bk->bi", np.linalg.pinv(wm, rcond=1e-13, hermitian=True), r @ s_ads)
    return r - w * (lam @ s_ads.T)


def _residual(net, theta, kf, kr):
    """dtheta/dt (B, n) and max_i |dtheta_i/dt| / g_i, g_i = gross rates touching species i."""
    rf, rr = net.gross_rates(theta, kf, kr)
    f = (rf - rr) @ net.stoichiometry
    scale = (np.abs(rf) + np.abs(rr)) @ net._abs_s
    rel = np.where(scale > 0, np.abs(f) / np.maximum(scale, _TINY), np.where(f == 0, 0.0, np.inf))
    return f, rel.max(axis=1)


def _close_balance(theta, eliminated):
    """Re-impose sum(theta) = 1 through the eliminated (most abundant) species."""
    rows = np.arange(theta.shape[0])
    theta[rows, eliminated] = 0.0
    theta[rows, eliminated] = 1.0 - theta.sum(axis=1)
    return theta


def _newton(net, theta, kf, kr, tol, max_iter):
    r"""Batched Newton polish of the steady-state equations.

    Unknowns are all coverages; per condition the equation of the most abundant
    species ``e`` is replaced by the site balance :math:`\sum_i \delta\theta_i = 0`
    (the dropped equation is the negative sum of the others because every step
    conserves sites), and :math:`\theta_e = 1 - \sum_{i \ne e}\theta_i` after each
    step. Small coverages, the free site in a poisoned regime above all, thus keep
    their full relative precision. Rows are equilibrated before ``np.linalg.solve``.
    """
    n_b, n = theta.shape
    rows = np.arange(n_b)
    eliminated = np.argmax(theta, axis=1)
    theta = _close_balance(theta.copy(), eliminated)
    f, res = _residual(net, theta, kf, kr)
    it = 0
    # Iterate while a condition is above tolerance; a converged condition takes a
    # further step only if that step still lowers its residual.
    while it < max_iter and np.any(~(res <= tol)):
        active = ~(res <= 0.1 * tol)
        jac = net.jacobian_full(theta, kf, kr)
        jac[rows, eliminated, :] = 1.0
        rhs = f.copy()
        rhs[rows, eliminated] = 0.0
        rowscale = 1.0 / np.maximum(np.abs(jac).max(axis=2), _TINY)
        jac *= rowscale[:, :, None]
        jac[~active] = np.eye(n)
        rhs = np.where(active[:, None], rhs * rowscale, 0.0)
        step = _batched_solve(jac, rhs)
        theta_new = _close_balance(theta - step, eliminated)
        f_new, res_new = _residual(net, theta_new, kf, kr)
        accept = active & (~(res <= tol) | (res_new < res))
        theta = np.where(accept[:, None], theta_new, theta)
        f = np.where(accept[:, None], f_new, f)
        res = np.where(accept, res_new, res)
        it += 1
        if not np.all(np.isfinite(res)):
            break
    return theta, res, it
