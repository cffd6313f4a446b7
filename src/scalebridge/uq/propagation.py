r"""Forward propagation of input uncertainty through any Model: MC, QMC, PCE, nested.

**Monte Carlo** (``method="mc"``): :math:`N` independent samples; the sample mean
:math:`\bar y` and standard deviation :math:`s` come with standard errors

.. math:: \mathrm{SE}(\bar y) = \frac{s}{\sqrt N}, \qquad
          \mathrm{SE}(s) \approx \frac{\sqrt{(m_4 - s^4)/N}}{2 s}

(central limit theorem; delta method on :math:`s^2`, :math:`m_4` the fourth central
moment). **Randomised quasi-Monte Carlo** (``"qmc"``): :math:`R` independently
scrambled Sobol' sequences of :math:`N/R` points; the estimate is the average of the
:math:`R` replicate estimates and its standard error their spread,
:math:`\mathrm{SE} = \mathrm{sd}_r/\sqrt R` (L'Ecuyer & Lemieux 2002). The
convergence history holds the estimates after :math:`N = 2^k` samples (:math:`R\,2^k` for QMC).

**Polynomial chaos** (``"pce"``): a :class:`~scalebridge.reduction.polynomial_chaos.PolynomialChaosSurrogate`
orthonormal for the input distribution, fitted by regression on a Sobol' design or
by Gauss quadrature (spectral projection); then :math:`E[y] = c_0`,
:math:`\mathrm{Var}[y] = \sum_{\alpha \ne 0} c_\alpha^2` and Sobol' indices from the
coefficients (Sudret 2008).

**Nested** (double-loop) propagation (:func:`nested`): for every epistemic point
(vertex of the box of intervals, or sample of epistemic distributions) the aleatoric
distribution of the outputs, kept apart in a :class:`~scalebridge.uq.pbox.PBox`.

Every batch of evaluations goes through
:func:`~scalebridge.core.executors.evaluate_in_chunks`, so serial, process and dask
executors give the same numbers; non-finite outputs raise
:class:`~scalebridge.core.errors.ConvergenceError`.

References
----------
L'Ecuyer P. & Lemieux C. (2002), in *Modeling Uncertainty*, Kluwer, 419 (RQMC).
Sudret B. (2008), Reliab. Eng. Syst. Saf. 93, 964. Xiu D. (2010), *Numerical
Methods for Stochastic Computations*, Princeton, ch. 5 and 7.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from ..core.checkpoint import array_digest, load_checkpoint, save_checkpoint
from ..core.errors import ConvergenceError, InputError
from ..core.executors import evaluate_in_chunks
from ..core.model import Model
from ..core.optional import require
from ..reduction.polynomial_chaos import PolynomialChaosSurrogate
from .inputs import FixedInputs, StandardizedInputs, Uncertain, UncertainInputs
from .pbox import PBox

__all__ = ["Propagation", "propagate", "nested", "bind", "evaluate_checked"]

#: Progress callback: ``progress(done, total)`` in model evaluations.
Progress = Callable[[int, int], None]


def bind(model: Model, uncertain: UncertainInputs | Iterable[Uncertain], fixed_inputs: Mapping[str, Any] | None,
         outputs: Iterable[str] | None = None) -> tuple[FixedInputs, UncertainInputs]:
    """The model of the uncertain inputs only (others fixed) and the bound uncertain inputs.

    Raises
    ------
    InputError
        An input neither uncertain nor fixed, or both.
    """
    declared = uncertain.declared if isinstance(uncertain, UncertainInputs) else list(uncertain)
    bound = UncertainInputs(model, declared)
    fixed = dict(fixed_inputs or {})
    both = sorted(set(fixed) & set(bound.names))
    if both:
        raise InputError(f"model {model.name!r}: inputs {both} are both uncertain and fixed")
    missing = sorted(set(model.inputs) - set(fixed) - set(bound.names))
    if missing:
        raise InputError(f"model {model.name!r}: inputs {missing} are neither uncertain nor given in fixed_inputs")
    reduced = FixedInputs(model, fixed, outputs)
    return reduced, UncertainInputs(reduced, bound.declared)


def evaluate_checked(model: Model, inputs: Mapping[str, np.ndarray], executor=None, chunk_size: int | None = None,
                     progress: Progress | None = None, checkpoint: str | Path | None = None,
                     checkpoint_every: int | None = None) -> dict[str, np.ndarray]:
    """Evaluate a batch through the executor; raise :class:`ConvergenceError` on non-finite outputs.

    With ``progress`` or ``checkpoint``, the batch is run in blocks (``checkpoint_every``
    samples, default about a tenth, rounded up to whole chunks) and ``progress(done,
    total)`` is called after each. With ``checkpoint`` (a path) the outputs of the
    finished blocks are saved atomically after each block (kind ``"uq_ensemble"``,
    :mod:`scalebridge.core.checkpoint`); a later call with the same path, model name and
    inputs (compared by digest) resumes after the last saved block, so an ensemble
    killed midway loses at most one block and finishes with identical outputs.
    """
    n = len(next(iter(inputs.values())))
    blocks = [(0, n)]
    if progress is not None or checkpoint is not None:
        step = int(checkpoint_every) if checkpoint_every else max(int(chunk_size or 1), -(-n // 10))
        if step < 1:
            raise InputError(f"evaluate_checked: checkpoint_every must be a positive number of samples, got "
                             f"{checkpoint_every!r}")
        step = -(-step // int(chunk_size or 1)) * int(chunk_size or 1)
        blocks = [(i, min(i + step, n)) for i in range(0, n, step)]
    parts, done = [], 0
    if checkpoint is not None:
        digest = {"model": model.name, "keys": sorted(inputs), "n": n, "blocks": blocks,
                  "inputs": array_digest(*(np.asarray(inputs[k]) for k in sorted(inputs)))}
        if Path(checkpoint).exists():
            saved = load_checkpoint(checkpoint, "uq_ensemble")
            if saved["digest"] != digest:
                raise InputError(f"checkpoint {checkpoint}: written for another ensemble (model, inputs or blocks "
                                 "differ); remove it or give another path")
            parts, done = saved["parts"], saved["done"]
    for start, stop in blocks:
        if stop <= done:
            continue
        parts.append(evaluate_in_chunks(model, {k: v[start:stop] for k, v in inputs.items()}, executor, chunk_size))
        if checkpoint is not None:
            save_checkpoint(checkpoint, "uq_ensemble", {"digest": digest, "done": stop, "parts": parts})
        if progress is not None:
            progress(stop, n)
    outputs = {k: np.concatenate([p[k] for p in parts]) for k in model.outputs}
    for name, y in outputs.items():
        bad = np.nonzero(~np.all(np.isfinite(y.reshape(n, -1)), axis=1))[0]
        if bad.size:
            first = {k: float(v[bad[0]]) for k, v in inputs.items()}
            raise ConvergenceError(f"model {model.name!r}: output {name!r} is not finite at {bad.size} of {n} "
                                   f"samples (first at inputs {first}, SI)")
    return outputs


@dataclass(frozen=True)
class Propagation:
    """Outcome of :func:`propagate`: samples and moment estimates of every output (SI).

    Attributes
    ----------
    method : str
        ``"mc"``, ``"qmc"`` or ``"pce"``.
    n_evaluations : int
        Model evaluations spent.
    inputs, outputs : dict of str to ndarray
        The evaluated input samples and outputs (batch axis first); for PCE the
        regression design or quadrature nodes.
    mean, std : dict of str to ndarray
        Estimates of :math:`E[y]` and :math:`\\sqrt{\\mathrm{Var}[y]}` (output item shape).
    mean_standard_error, std_standard_error : dict of str to ndarray or None
        Sampling standard errors (MC, QMC); ``None`` for PCE.
    history : dict or None
        ``{"n": (K,), "mean": {output: (K, ...)}, "std": ..., "mean_standard_error": ...}``,
        the estimates after :math:`N = 2^k` (QMC: :math:`R\\,2^k`) samples.
    surrogate : PolynomialChaosSurrogate or None
        The fitted expansion (PCE), a model of the standardised inputs; its
        ``model`` (a :class:`~scalebridge.uq.inputs.StandardizedInputs`) maps them to SI
        values (``physical``) and back (``standardize``).
    sobol_first, sobol_total : dict or None
        ``[output][input]`` Sobol' indices from the PCE coefficients.
    """

    method: str
    n_evaluations: int
    inputs: dict[str, np.ndarray]
    outputs: dict[str, np.ndarray]
    mean: dict[str, np.ndarray]
    std: dict[str, np.ndarray]
    mean_standard_error: dict[str, np.ndarray] | None = None
    std_standard_error: dict[str, np.ndarray] | None = None
    history: dict[str, Any] | None = None
    surrogate: PolynomialChaosSurrogate | None = None
    sobol_first: dict[str, dict[str, np.ndarray]] | None = None
    sobol_total: dict[str, dict[str, np.ndarray]] | None = None

    @property
    def variance(self) -> dict[str, np.ndarray]:
        """:math:`\\mathrm{Var}[y]` (SI²)."""
        return {k: s**2 for k, s in self.std.items()}


def _sample_moments(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean, std (ddof 1) and their standard errors along axis 0."""
    n = len(y)
    mean, std = y.mean(axis=0), y.std(axis=0, ddof=1)
    m4 = np.mean((y - mean) ** 4, axis=0)
    var_of_var = np.maximum(m4 - std**4, 0.0) / n
    se_std = np.divide(np.sqrt(var_of_var), 2 * std, out=np.zeros_like(std), where=std > 0)
    return mean, std, std / np.sqrt(n), se_std


def _replicate_moments(y: np.ndarray, replicates: int) -> tuple[np.ndarray, ...]:
    """RQMC: mean and std over ``replicates`` equal blocks, SEs from their spread."""
    blocks = y.reshape((replicates, -1) + y.shape[1:])
    means, stds = blocks.mean(axis=1), blocks.std(axis=1, ddof=1)
    root = np.sqrt(replicates)
    return (means.mean(axis=0), stds.mean(axis=0), means.std(axis=0, ddof=1) / root,
            stds.std(axis=0, ddof=1) / root)


def _sampled(method, y_all, replicates):
    """Final estimates and their history for MC (one block) or RQMC (``replicates`` blocks)."""
    history: dict[str, Any] = {"n": [], "mean": {}, "std": {}, "mean_standard_error": {}}
    final: dict[str, dict] = {"mean": {}, "std": {}, "mean_standard_error": {}, "std_standard_error": {}}
    for name, y in y_all.items():
        if method == "mc":
            sizes = [2**k for k in range(1, int(np.log2(len(y))) + 1)]
            sizes += [len(y)] if sizes[-1] != len(y) else []
            steps = [_sample_moments(y[:m]) for m in sizes]
        else:
            blocks = y.reshape((replicates, -1) + y.shape[1:])
            sizes = [replicates * 2**k for k in range(1, int(np.log2(blocks.shape[1])) + 1)]
            steps = [_replicate_moments(blocks[:, :m // replicates].reshape((-1,) + y.shape[1:]), replicates)
                     for m in sizes]
        history["n"] = np.array(sizes)
        for key, index in (("mean", 0), ("std", 1), ("mean_standard_error", 2)):
            history[key][name] = np.stack([s[index] for s in steps])
        for key, value in zip(final, steps[-1]):
            final[key][name] = value
    return final, history


def _chaos(reduced, bound, order, rule, n, seed, executor, chunk_size, progress, checkpoint=None, every=None):
    """Fit a PCE of ``reduced`` over ``bound`` (in standardised inputs) by regression or quadrature."""
    chaospy = require("chaospy", extra="surrogates")
    marginals = bound.chaospy_marginals()
    standard = StandardizedInputs(reduced, bound)
    surrogate = PolynomialChaosSurrogate(standard, degree=order, distributions=marginals)
    if rule == "regression":
        n = n if n is not None else 1 << (2 * comb(bound.dimension + order, order) - 1).bit_length()
        x = bound.sample(n, "qmc" if not n & (n - 1) else "lhs", seed)
        xi, weights = standard.standardize(x), None
    elif rule == "quadrature":
        if n is not None:
            raise InputError(f"quadrature uses (order + 1)^d = {(order + 1) ** bound.dimension} nodes; "
                             f"do not give n (got {n})")
        nodes, weights = chaospy.generate_quadrature(order, chaospy.J(*marginals), rule="gaussian")
        xi = dict(zip(bound.names, np.atleast_2d(nodes)))
        x = standard.physical(xi)
    else:
        raise InputError(f"unknown PCE rule {rule!r}; use 'regression' or 'quadrature'")
    y = evaluate_checked(reduced, x, executor, chunk_size, progress, checkpoint, every)
    surrogate.fit(xi, y, weights=weights)
    if not np.all(np.isfinite(surrogate.coefficients)):
        raise ConvergenceError(f"polynomial chaos of model {reduced.name!r}, order {order}: non-finite coefficients")
    variance = surrogate.variance
    return Propagation("pce", len(next(iter(x.values()))), x, y, surrogate.mean,
                       {k: np.sqrt(v) for k, v in variance.items()}, surrogate=surrogate,
                       sobol_first=surrogate.sobol_indices(), sobol_total=surrogate.sobol_indices(total=True))


def propagate(model: Model, uncertain: UncertainInputs | Iterable[Uncertain], method: str = "mc",
              n: int | None = None, seed=0, *, order: int = 3, rule: str = "regression", replicates: int = 8,
              executor=None, chunk_size: int | None = None, fixed_inputs: Mapping[str, Any] | None = None,
              outputs: Iterable[str] | None = None, progress: Progress | None = None,
              checkpoint: str | Path | None = None, checkpoint_every: int | None = None) -> Propagation:
    r"""Propagate input distributions through ``model`` (a Model or a chain).

    Parameters
    ----------
    model : Model
    uncertain : UncertainInputs or iterable of Uncertain
        Every uncertain input needs a distribution (intervals: use :func:`nested`);
        aleatoric and epistemic distributions are propagated alike.
    method : {"mc", "qmc", "pce"}
    n : int, optional
        Samples (MC default 1024; QMC: :math:`R\,2^k`, default 1024), or PCE
        regression points (default: the power of 2 at or above :math:`2P`,
        :math:`P = \binom{d+p}{p}`).
    seed : int or numpy.random.Generator
    order : int
        PCE total degree :math:`p`.
    rule : {"regression", "quadrature"}
        PCE coefficients by least squares or by Gauss quadrature (:math:`(p+1)^d` nodes).
    replicates : int
        QMC: independent scramblings :math:`R` (>= 2) for the standard errors.
    executor, chunk_size
        Where the batch runs (:func:`~scalebridge.core.executors.evaluate_in_chunks`).
    fixed_inputs : mapping, optional
        Values of the model inputs that are not uncertain (quantities or SI).
    outputs : iterable of str, optional
        Outputs to study (default all).
    progress : callable, optional
        ``progress(done, total)`` after each block of evaluations.
    checkpoint, checkpoint_every : optional
        Save the finished evaluations to this file every ``checkpoint_every`` samples
        and resume from it (:func:`evaluate_checked`): a killed ensemble restarted with
        the same arguments finishes with identical results.

    Returns
    -------
    Propagation

    Raises
    ------
    InputError
        Bad method, sizes, or inputs (unknown, missing, interval without probability).
    ConvergenceError
        The model returned non-finite outputs.

    Examples
    --------
    >>> import numpy as np
    >>> from scalebridge.core import FunctionModel, Port, Scale
    >>> from scalebridge.uq import Normal, Uncertain, propagate
    >>> m = FunctionModel(lambda x: {"y": 2 * x}, {"x": Port("K")}, {"y": Port("K")}, Scale(1, 1), "m")
    >>> r = propagate(m, [Uncertain("x", Normal("300 K", "2 K"))], "pce", order=1)
    >>> round(float(r.mean["y"]), 6), round(float(r.std["y"]), 6)
    (600.0, 4.0)
    """
    if method not in ("mc", "qmc", "pce"):
        raise InputError(f"propagate: unknown method {method!r}; use 'mc', 'qmc' or 'pce'")
    reduced, bound = bind(model, uncertain, fixed_inputs, outputs)
    bound.require_distributions("propagate")
    if method == "pce":
        if int(order) != order or order < 1:
            raise InputError(f"propagate: PCE order must be an integer >= 1, got {order!r}")
        return _chaos(reduced, bound, int(order), rule, n, seed, executor, chunk_size, progress, checkpoint,
                      checkpoint_every)
    n = 1024 if n is None else n
    if method == "mc":
        u = bound.unit_points(n, "mc", seed)
    else:
        if int(replicates) != replicates or replicates < 2 or int(n) != n or n % replicates:
            raise InputError(f"propagate: QMC needs an integer replicates >= 2 dividing n, got n={n}, "
                             f"replicates={replicates}")
        rng = np.random.default_rng(seed) if not isinstance(seed, np.random.Generator) else seed
        u = np.concatenate([bound.unit_points(n // replicates, "qmc", rng) for _ in range(int(replicates))])
    x = bound.transform(u)
    y = evaluate_checked(reduced, x, executor, chunk_size, progress, checkpoint, checkpoint_every)
    final, history = _sampled(method, y, int(replicates))
    return Propagation(method, len(u), x, y, final["mean"], final["std"], final["mean_standard_error"],
                       final["std_standard_error"], history)


def nested(model: Model, uncertain: UncertainInputs | Iterable[Uncertain], outer: str | int = "vertices",
           inner: int = 1024, *, method: str = "qmc", seed=0, executor=None, chunk_size: int | None = None,
           fixed_inputs: Mapping[str, Any] | None = None, outputs: Iterable[str] | None = None,
           progress: Progress | None = None, checkpoint: str | Path | None = None,
           checkpoint_every: int | None = None) -> dict[str, PBox]:
    r"""Double-loop propagation: the aleatoric distribution for every epistemic point.

    The outer loop runs over the epistemic inputs: ``outer="vertices"`` takes every
    corner of the box of :class:`~scalebridge.uq.inputs.Interval` ends
    (:math:`2^{d_e}` points; exact envelopes when the outputs are monotone in the
    epistemic inputs), an integer takes that many points spread over the intervals
    and sampled from epistemic distributions (Latin hypercube). The inner loop
    draws ``inner`` aleatoric samples, the same ones for every outer point (common
    random numbers, so differences between the CDFs are not sampling noise). All
    :math:`n_\mathrm{outer} \times n_\mathrm{inner}` evaluations run as one batch.

    Parameters
    ----------
    model, uncertain
        As in :func:`propagate`; needs at least one input of each kind.
    outer : "vertices" or int
    inner : int
        Aleatoric samples per epistemic point (a power of 2 for ``method="qmc"``).
    method : {"qmc", "mc"}
        Sampling of the inner loop.
    seed, executor, chunk_size, fixed_inputs, outputs, progress, checkpoint, checkpoint_every
        As in :func:`propagate`.

    Returns
    -------
    dict of str to PBox
        One probability box per (scalar) output.

    References
    ----------
    Ferson S., Kreinovich V., Ginzburg L., Myers D. S. & Sentz K. (2003), *Constructing
    Probability Boxes and Dempster-Shafer Structures*, Sandia SAND2002-4015.
    Helton J. C. & Johnson J. D. (2011), Reliab. Eng. Syst. Saf. 96, 1034.
    """
    reduced, bound = bind(model, uncertain, fixed_inputs, outputs)
    aleatoric, epistemic = bound.of_kind("aleatoric"), bound.of_kind("epistemic")
    if aleatoric is None or epistemic is None:
        raise InputError(f"nested: model {model.name!r} needs both aleatoric and epistemic inputs, got "
                         f"{[(d.port, d.kind) for d in bound.declared]}; use propagate() for one kind")
    aleatoric.require_distributions("the inner (aleatoric) loop")
    bad = [k for k, p in reduced.outputs.items() if p.shape != ()]
    if bad:
        raise InputError(f"nested: outputs {bad} of model {model.name!r} are not scalar; select scalar outputs")
    if method not in ("mc", "qmc"):
        raise InputError(f"nested: unknown inner sampling {method!r}; use 'qmc' or 'mc'")
    rng = np.random.default_rng(seed) if not isinstance(seed, np.random.Generator) else seed
    if outer == "vertices":
        outer_points = epistemic.vertices()
    elif isinstance(outer, (int, np.integer)) and not isinstance(outer, bool) and outer >= 2:
        outer_points = epistemic.sample(int(outer), "lhs", rng)
    else:
        raise InputError(f"nested: outer must be 'vertices' or an integer >= 2, got {outer!r}")
    n_outer = len(next(iter(outer_points.values())))
    inner_points = aleatoric.sample(inner, method, rng)
    x = {**{k: np.repeat(v, inner) for k, v in outer_points.items()},
         **{k: np.tile(v, n_outer) for k, v in inner_points.items()}}
    y = evaluate_checked(reduced, x, executor, chunk_size, progress, checkpoint, checkpoint_every)
    return {name: PBox(name, reduced.outputs[name].unit, values.reshape(n_outer, inner), outer_points)
            for name, values in y.items()}
