"""The offline step of a surrogate: design, one batched fine solve, fit; k-fold cross-validation."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from ..core.errors import ConvergenceError, InputError
from ..core.executors import evaluate_in_chunks
from ..core.model import Model
from .doe import design, input_box
from .fidelity import Declarations, relative_errors
from .polynomial_chaos import PolynomialChaosSurrogate
from .surrogate import GaussianProcessSurrogate, Surrogate

__all__ = ["KINDS", "fit_surrogate", "CrossValidation", "cross_validate"]

#: Surrogate classes by the ``kind`` names of :func:`~scalebridge.reduction.training.fit_surrogate`.
KINDS: dict[str, type[Surrogate]] = {"gp": GaussianProcessSurrogate, "gaussian_process": GaussianProcessSurrogate,
                                     "pce": PolynomialChaosSurrogate, "polynomial_chaos": PolynomialChaosSurrogate}


def _run_fine(model: Model, inputs: dict[str, np.ndarray], executor, chunk_size) -> dict[str, np.ndarray]:
    if executor is None and chunk_size is None:
        outputs = {k: np.asarray(v, dtype=float) for k, v in model.evaluate(inputs).outputs.items()}
    else:
        outputs = evaluate_in_chunks(model, inputs, executor, chunk_size)
    bad = sorted({int(b) for v in outputs.values() for b in np.nonzero(~np.isfinite(v.reshape(len(v), -1)))[0]})
    if bad:
        raise ConvergenceError(f"fine model {model.name!r} returned non-finite outputs at design points {bad[:10]}")
    return outputs


def fit_surrogate(model: Model, kind: str, bounds, n: int, method: str = "sobol", seed: int = 0, *,
                  log_inputs: Iterable[str] = (), outputs: Iterable[str] | None = None, held_out: int = 0,
                  executor=None, chunk_size: int | None = None, declarations: Declarations | None = None,
                  **options) -> Surrogate:
    """Design, evaluate the fine model once on the whole batch, fit: the offline step.

    Parameters
    ----------
    model : Model
        The fine model.
    kind : {"gp", "gaussian_process", "pce", "polynomial_chaos"}
    bounds : mapping or InputBox
        Box of every input of ``model`` (quantities with units allowed), see
        :func:`~scalebridge.reduction.doe.input_box`.
    n : int
        Training points.
    method : {"sobol", "lhs"}
    seed : int
        Seed of the design (and of the GP optimiser restarts).
    log_inputs : iterable of str
        Inputs sampled log-uniformly and modelled in :math:`\\ln x`.
    outputs : iterable of str, optional
        Outputs to replace (default all).
    held_out : int
        Extra fine evaluations on an independent Latin hypercube, stored as
        ``surrogate.held_out`` for the held-out error check.
    executor, chunk_size
        Spread the fine evaluations (:func:`~scalebridge.core.executors.evaluate_in_chunks`).
    declarations : Declarations, optional
    **options
        Passed to the surrogate class (``degree``, ``log_outputs``, ``n_restarts``, ...).

    Returns
    -------
    Surrogate
        Fitted, with ``surrogate.model`` the fine model.
    """
    if kind not in KINDS:
        raise InputError(f"fit_surrogate: unknown kind {kind!r}; use one of {sorted(KINDS)}")
    cls = KINDS[kind]
    if cls is GaussianProcessSurrogate:
        options.setdefault("seed", seed)
    box = input_box(bounds, model, log_inputs)
    surrogate = cls(model, outputs=outputs, bounds=box, log_inputs=log_inputs, declarations=declarations, **options)
    x = design(model, box, n, method, seed)
    y = _run_fine(model, x, executor, chunk_size)
    surrogate.fit(x, {k: y[k] for k in surrogate.outputs})
    if held_out:
        xh = design(model, box, held_out, "lhs", np.random.default_rng([seed, 1]))
        yh = _run_fine(model, xh, executor, chunk_size)
        surrogate.held_out = (xh, {k: yh[k] for k in surrogate.outputs})
    return surrogate


@dataclass(frozen=True)
class CrossValidation:
    """k-fold cross-validation errors per output (relative errors, see
    :func:`~scalebridge.reduction.fidelity.relative_errors`).

    Attributes
    ----------
    rms_relative_error, max_relative_error : dict of str to float
        Over all held-out predictions of all folds.
    fold_rms_relative_error, fold_max_relative_error : dict of str to list of float
        Per fold.
    k : int
    """

    rms_relative_error: dict[str, float]
    max_relative_error: dict[str, float]
    fold_rms_relative_error: dict[str, list[float]]
    fold_max_relative_error: dict[str, list[float]]
    k: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cross_validate(surrogate: Surrogate | Callable[[], Surrogate], inputs: Mapping[str, Any],
                   outputs: Mapping[str, Any], k: int = 5, seed: int = 0) -> CrossValidation:
    """k-fold cross-validation: fit on k-1 folds, predict the k-th, for every fold.

    Parameters
    ----------
    surrogate : Surrogate or callable
        A surrogate (its unfitted :meth:`~Surrogate.clone` is fitted per fold) or
        a factory returning a fresh unfitted surrogate.
    inputs, outputs : mapping of str to ndarray
        Fine evaluations (SI, batch axis first).
    k : int
        Number of folds (2 <= k <= number of points).
    seed : int
        Seed of the random split into folds.
    """
    factory = surrogate.clone if isinstance(surrogate, Surrogate) else surrogate
    n = len(next(iter(inputs.values())))
    if int(k) != k or not 2 <= k <= n:
        raise InputError(f"cross_validate: need an integer 2 <= k <= {n} (points), got {k!r}")
    folds = np.array_split(np.random.default_rng(seed).permutation(n), int(k))
    errors: dict[str, list[np.ndarray]] = {}
    for fold in folds:
        train = np.setdiff1d(np.arange(n), fold)
        model = factory().fit({a: np.asarray(v)[train] for a, v in inputs.items()},
                              {a: np.asarray(v)[train] for a, v in outputs.items()})
        pred = model.evaluate({a: np.asarray(inputs[a])[fold] for a in model.inputs}).outputs
        for name in model.outputs:
            errors.setdefault(name, []).append(relative_errors(pred[name], np.asarray(outputs[name])[fold]))
    return CrossValidation(
        {o: float(np.sqrt(np.mean(np.concatenate(e) ** 2))) for o, e in errors.items()},
        {o: float(np.concatenate(e).max()) for o, e in errors.items()},
        {o: [float(np.sqrt(np.mean(f**2))) for f in e] for o, e in errors.items()},
        {o: [float(f.max()) for f in e] for o, e in errors.items()}, int(k))
