r"""Global sensitivity: Sobol' indices (from PCE coefficients or Saltelli sampling), Morris screening.

For independent inputs the variance of :math:`y = f(x_1, \dots, x_d)` splits into
contributions of every subset of inputs (Sobol' 1993); the first-order and total
indices of input :math:`i` are

.. math:: S_i = \frac{\mathrm{Var}[E(y \mid x_i)]}{\mathrm{Var}[y]}, \qquad
          S_{T_i} = \frac{E[\mathrm{Var}(y \mid x_{\sim i})]}{\mathrm{Var}[y]}.

**From a polynomial chaos expansion** the partial variances are sums of squared
coefficients (Sudret 2008): :func:`sobol_from_chaos`.

**Saltelli sampling** (:func:`saltelli`): two independent sample matrices
:math:`A, B` (:math:`N \times d`) and, for each :math:`i`, :math:`A_B^{(i)}`, equal to
:math:`A` but with column :math:`i` from :math:`B`; :math:`N(d + 2)` evaluations give

.. math:: V_i = \frac1N \sum_j f(B)_j \big(f(A_B^{(i)})_j - f(A)_j\big), \qquad
          V_{T_i} = \frac1{2N} \sum_j \big(f(A)_j - f(A_B^{(i)})_j\big)^2,

the first-order estimator of Saltelli et al. (2010, Table 2 b) and the total estimator
of Jansen (1999), divided by the variance of :math:`f` over :math:`A \cup B`.
Confidence intervals are bootstrap percentiles over the :math:`N` rows (Efron &
Tibshirani 1993); with Sobol' points (the default) they are conservative.

**Morris screening** (:func:`morris`): :math:`r` one-at-a-time trajectories on a
:math:`p`-level grid of the unit cube of input quantiles, step
:math:`\Delta = p / (2(p - 1))`; the elementary effects
:math:`EE_i = [f(u + \Delta e_i) - f(u)]/\Delta` (output units per unit quantile range)
give :math:`\mu^*_i = \frac1r \sum |EE_i|` (Campolongo et al. 2007) and :math:`\sigma_i`,
their standard deviation (non-linearity or interactions) (Morris 1991). Inputs
with unbounded support are screened over their 1–99 % quantile range.

References
----------
Sobol' I. M. (1993), Math. Model. Comput. Exp. 1, 407. Sudret B. (2008), Reliab. Eng.
Syst. Saf. 93, 964. Saltelli A., Annoni P., Azzini I., Campolongo F., Ratto M. &
Tarantola S. (2010), Comput. Phys. Commun. 181, 259. Jansen M. J. W. (1999), Comput.
Phys. Commun. 117, 35. Efron B. & Tibshirani R. J. (1993), *An Introduction to the
Bootstrap*, Chapman & Hall, ch. 13. Morris M. D. (1991), Technometrics 33, 161.
Campolongo F., Cariboni J. & Saltelli A. (2007), Environ. Model. Softw. 22, 1509.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np

from ..core.errors import InputError
from ..core.model import Model
from ..reduction.polynomial_chaos import PolynomialChaosSurrogate
from .inputs import Uncertain, UncertainInputs, unit_points
from .propagation import Progress, bind, evaluate_checked

__all__ = ["SobolIndices", "MorrisScreening", "sobol_from_chaos", "saltelli", "morris"]

# Quantile range over which inputs with unbounded support are screened (Morris).
_SCREENING_TAIL = 0.01


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total Sobol' indices, ``first[output][input]`` (output item shape).

    Attributes
    ----------
    method : str
        ``"pce"`` or ``"saltelli"``.
    inputs : list of str
    first, total : dict of str to dict of str to ndarray
    first_interval, total_interval : dict or None
        ``[output][input]`` array ``(2, ...)``: lower and upper confidence bounds (Saltelli).
    confidence : float or None
    n_evaluations : int
    """

    method: str
    inputs: list[str]
    first: dict[str, dict[str, np.ndarray]]
    total: dict[str, dict[str, np.ndarray]]
    first_interval: dict[str, dict[str, np.ndarray]] | None = None
    total_interval: dict[str, dict[str, np.ndarray]] | None = None
    confidence: float | None = None
    n_evaluations: int = 0


@dataclass(frozen=True)
class MorrisScreening:
    r"""Morris elementary-effect statistics, ``mu_star[output][input]`` (output units).

    Attributes
    ----------
    inputs : list of str
    mu_star, mu, sigma : dict of str to dict of str to ndarray
        :math:`\mu^*` (mean absolute effect), :math:`\mu` and :math:`\sigma` of the effects.
    elementary_effects : dict of str to ndarray, shape (r, d, ...)
    n_evaluations : int
    """

    inputs: list[str]
    mu_star: dict[str, dict[str, np.ndarray]]
    mu: dict[str, dict[str, np.ndarray]]
    sigma: dict[str, dict[str, np.ndarray]]
    elementary_effects: dict[str, np.ndarray]
    n_evaluations: int

    def ranking(self, output: str) -> list[str]:
        """Inputs by decreasing :math:`\\mu^*` of a scalar ``output``."""
        return sorted(self.inputs, key=lambda k: -float(np.max(self.mu_star[output][k])))


def _per_input(values: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Split an array with the input axis first into ``{input: array}``."""
    return {name: values[j] for j, name in enumerate(names)}


def sobol_from_chaos(surrogate: PolynomialChaosSurrogate) -> SobolIndices:
    r"""First-order and total indices from the coefficients of a fitted PCE (Sudret 2008).

    .. math:: S_i = \sum_{\alpha \in \mathcal A_i} c_\alpha^2 \Big/ \sum_{\alpha \ne 0} c_\alpha^2,

    :math:`\mathcal A_i` the multi-indices with only :math:`\alpha_i > 0` (first order)
    or with :math:`\alpha_i > 0` (total). Exact for the expansion, so its accuracy
    is that of the fit; no model evaluation.
    """
    if not isinstance(surrogate, PolynomialChaosSurrogate) or surrogate.coefficients is None:
        raise InputError(f"sobol_from_chaos: expected a fitted PolynomialChaosSurrogate, got {surrogate!r}")
    first, total = surrogate.sobol_indices(), surrogate.sobol_indices(total=True)
    n = len(next(iter(surrogate.training_set.inputs.values())))
    return SobolIndices("pce", list(surrogate.inputs), first, total, n_evaluations=n)


def _split(values: np.ndarray, n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f(A) (n, ...), f(B) (n, ...), f(A_B^i) (d, n, ...) from the stacked batch [A; B; A_B^1; ...]."""
    return values[:n], values[n:2 * n], values[2 * n:].reshape((d, n) + values.shape[1:])


def _saltelli_estimates(fa, fb, fab, axis):
    """First-order and total indices from f(A), f(B), f(A_B^i); ``axis`` (negative) is the row axis."""
    variance = np.var(np.concatenate([fa, fb], axis=axis), axis=axis)
    first = np.mean(fb * (fab - fa), axis=axis) / variance
    total = 0.5 * np.mean((fa - fab) ** 2, axis=axis) / variance
    return first, total


def saltelli(model: Model, uncertain: UncertainInputs | Iterable[Uncertain], n: int = 1024, seed=0, *,
             sampling: str = "qmc", bootstrap: int = 300, confidence: float = 0.95, executor=None,
             chunk_size: int | None = None, fixed_inputs: Mapping[str, Any] | None = None,
             outputs: Iterable[str] | None = None, progress: Progress | None = None) -> SobolIndices:
    """Sobol' indices by Saltelli sampling with bootstrap confidence intervals.

    Parameters
    ----------
    model, uncertain, fixed_inputs, outputs, executor, chunk_size, progress
        As in :func:`~scalebridge.uq.propagation.propagate`.
    n : int
        Rows :math:`N` of A and B (a power of 2 for ``"qmc"``); :math:`N(d+2)` evaluations.
    seed : int or numpy.random.Generator
    sampling : {"qmc", "mc"}
        A and B from one scrambled Sobol' sequence in :math:`2d` dimensions, or pseudo-random.
    bootstrap : int
        Bootstrap resamples (>= 50).
    confidence : float
        Level of the percentile intervals.

    Returns
    -------
    SobolIndices
    """
    reduced, bound = bind(model, uncertain, fixed_inputs, outputs)
    bound.require_distributions("saltelli")
    if int(bootstrap) != bootstrap or bootstrap < 50 or not 0 < confidence < 1:
        raise InputError(f"saltelli: need an integer bootstrap >= 50 and 0 < confidence < 1, got {bootstrap!r}, "
                         f"{confidence!r}")
    if sampling not in ("qmc", "mc"):
        raise InputError(f"saltelli: unknown sampling {sampling!r}; use 'qmc' or 'mc'")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    d = bound.dimension
    u = unit_points(n, 2 * d, sampling, rng)
    a, b = u[:, :d], u[:, d:]
    ab = np.repeat(a[None], d, axis=0)
    ab[np.arange(d), :, np.arange(d)] = b.T
    x = bound.transform(np.concatenate([a, b, ab.reshape(-1, d)]))
    y = evaluate_checked(reduced, x, executor, chunk_size, progress)
    n = len(a)
    rows = rng.integers(0, n, (int(bootstrap), n))
    tail = 50 * (1 - confidence)
    result: dict[str, dict] = {"first": {}, "total": {}, "first_interval": {}, "total_interval": {}}
    for name, values in y.items():
        fa, fb, fab = _split(values, n, d)
        if np.any(np.var(values[:2 * n], axis=0) == 0):
            raise InputError(f"saltelli: output {name!r} of model {model.name!r} does not vary over the samples; "
                             "its Sobol' indices are undefined")
        axis = -values.ndim
        first, total = _saltelli_estimates(fa, fb, fab, axis)                                  # (d, ...)
        boot_first, boot_total = _saltelli_estimates(fa[rows], fb[rows], fab[:, rows], axis)  # (d, R, ...)
        for key, point, boot in (("first", first, boot_first), ("total", total, boot_total)):
            result[key][name] = _per_input(point, bound.names)
            interval = np.percentile(boot, [tail, 100 - tail], axis=1)                      # (2, d, ...)
            result[key + "_interval"][name] = _per_input(np.moveaxis(interval, 0, 1), bound.names)
    return SobolIndices("saltelli", bound.names, result["first"], result["total"], result["first_interval"],
                        result["total_interval"], confidence, len(a) * (d + 2))


def _trajectories(r: int, d: int, levels: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``r`` Morris trajectories (r, d+1, d) on the grid {0, 1/(p-1), ..., 1} and the input moved at each step.

    With :math:`\\Delta = p/(2(p-1))` (p even) every level has exactly one partner
    level :math:`\\pm\\Delta` away inside [0, 1]; each input moves once, in random order.
    """
    grid = np.arange(levels) / (levels - 1)
    delta = levels / (2 * (levels - 1))
    start = grid[rng.integers(0, levels, (r, d))]
    partner = np.where(start + delta <= 1 + 1e-12, start + delta, start - delta)
    order = np.argsort(rng.random((r, d)), axis=1)                                   # input moved at step k
    moved = np.zeros((r, d + 1, d), dtype=bool)
    rows = np.arange(r)[:, None]
    moved[rows, np.arange(1, d + 1)[None, :], order] = True
    moved = np.cumsum(moved, axis=1) > 0
    points = np.where(moved, partner[:, None, :], start[:, None, :])
    return points, order


def morris(model: Model, uncertain: UncertainInputs | Iterable[Uncertain], trajectories: int = 20,
           levels: int = 4, seed=0, *, executor=None, chunk_size: int | None = None,
           fixed_inputs: Mapping[str, Any] | None = None, outputs: Iterable[str] | None = None,
           progress: Progress | None = None) -> MorrisScreening:
    """Morris elementary-effects screening: :math:`\\mu^*` and :math:`\\sigma` per input.

    Parameters
    ----------
    model, uncertain, fixed_inputs, outputs, executor, chunk_size, progress
        As in :func:`~scalebridge.uq.propagation.propagate` (intervals are screened
        over their range).
    trajectories : int
        Number :math:`r` of trajectories (>= 2); :math:`r(d+1)` evaluations.
    levels : int
        Grid levels :math:`p` (even, >= 2).
    seed : int or numpy.random.Generator

    Returns
    -------
    MorrisScreening
    """
    reduced, bound = bind(model, uncertain, fixed_inputs, outputs)
    if int(trajectories) != trajectories or trajectories < 2 or int(levels) != levels or levels < 2 or levels % 2:
        raise InputError(f"morris: need an integer number of trajectories >= 2 and an even number of levels >= 2, "
                         f"got trajectories={trajectories!r}, levels={levels!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    r, d = int(trajectories), bound.dimension
    points, order = _trajectories(r, d, int(levels), rng)
    unbounded = np.array([not np.all(np.isfinite(dist.support)) for dist in bound.distributions])
    tail = np.where(unbounded, _SCREENING_TAIL, 0.0)
    x = bound.transform(tail + (1 - 2 * tail) * points.reshape(-1, d))
    y = evaluate_checked(reduced, x, executor, chunk_size, progress)
    step = np.diff(points, axis=1)                                                    # (r, d, d)
    signed_delta = step[np.arange(r)[:, None], np.arange(d)[None, :], order]          # (r, d), step k moves order[k]
    result: dict[str, dict] = {"mu_star": {}, "mu": {}, "sigma": {}}
    effects_by_output = {}
    for name, values in y.items():
        f = values.reshape((r, d + 1) + values.shape[1:])
        change = np.diff(f, axis=1)                                                   # (r, d, ...)
        effect_by_step = change / signed_delta.reshape(signed_delta.shape + (1,) * (f.ndim - 2))
        effects = np.empty_like(effect_by_step)
        effects[np.arange(r)[:, None], order] = effect_by_step                         # reorder to input axis
        effects_by_output[name] = effects
        result["mu_star"][name] = _per_input(np.abs(effects).mean(axis=0), bound.names)
        result["mu"][name] = _per_input(effects.mean(axis=0), bound.names)
        result["sigma"][name] = _per_input(effects.std(axis=0, ddof=1), bound.names)
    return MorrisScreening(bound.names, result["mu_star"], result["mu"], result["sigma"], effects_by_output,
                           r * (d + 1))
