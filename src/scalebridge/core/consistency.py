r"""Consistency checks that evaluate a model at a few sample states: tangents, Hill–Mandel, conservation.

Unlike the structural checks of :mod:`scalebridge.core.checks` (units, scale
separation), these call ``evaluate`` on small batches, never the full coarse problem:

* :func:`check_tangent`: the tangents a model returns against central finite
  differences of its outputs (a wrong consistent tangent costs a macro Newton solver
  its quadratic convergence, or its convergence);
* :func:`check_hill_mandel`: the Hill–Mandel condition
  :math:`\langle q\cdot g\rangle = \langle q\rangle\cdot\langle g\rangle` of an RVE's
  fields (Hill 1963, J. Mech. Phys. Solids 11, 357): boundary conditions that break it
  make the micro energy differ from the macro work;
* :func:`check_conservation`: a scale bridge that must carry a quantity across
  unchanged (a flux, a rate, a mass) does: the coarse output equals the fine
  output's average over the fine problem.

A model tree opts in through two duck-typed hooks that :func:`model_self_checks`
reads (and :func:`scalebridge.core.checks.run_checks` calls):

* ``sample_inputs()``: a small batch of representative inputs (SI arrays); the
  tangent check runs there when the model returns tangents;
* ``self_checks()``: the model's own list of :class:`CheckResult` (an RVE's
  Hill–Mandel residual, a pellet's flux balance, a coupling's patch test).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from .errors import InputError
from .model import Model

__all__ = ["check_tangent", "check_hill_mandel", "check_conservation", "model_self_checks",
           "TANGENT_RTOL", "HILL_MANDEL_TOL", "CONSERVATION_RTOL"]

#: Relative error of a returned tangent vs central differences above which it is called wrong.
TANGENT_RTOL = 1e-4
#: Relative Hill–Mandel residual above which boundary conditions are called inconsistent.
HILL_MANDEL_TOL = 1e-8
#: Relative imbalance above which a transfer is called non-conserving.
CONSERVATION_RTOL = 1e-8


def _result(name: str, passed: bool, message: str, data: dict):
    from .checks import CheckResult  # checks imports this module

    return CheckResult(name, passed, message, data)


def check_tangent(model: Model, inputs: Mapping[str, Any], rtol: float = TANGENT_RTOL,
                  relative_step: float = 1e-6) -> list:
    r"""Every returned tangent d(output)/d(input) against central differences at ``inputs``.

    .. math:: T^{FD}_{ij} = \frac{y_i(x + h_j e_j) - y_i(x - h_j e_j)}{2 h_j},
              \qquad h_j = \epsilon_{rel}\max(|x_j|, \mathrm{RMS}(x)),

    error :math:`\max|T - T^{FD}| / \max|T^{FD}|` per (output, input) pair; the check
    fails above ``rtol`` and names the model, the output and the input. A model that
    returns no tangents gives no result.
    """
    x = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in inputs.items()}
    ev = model.evaluate(x)
    results = []
    for (out, inp), tangent in (ev.tangents or {}).items():
        if inp not in x:
            raise InputError(f"check_tangent: model {model.name!r} returned a tangent with respect to {inp!r}, "
                             f"which is not one of its sample inputs {sorted(x)}")
        base = x[inp]
        item = base.shape[1:]
        scale = max(float(np.sqrt(np.mean(base ** 2))), np.finfo(float).tiny)
        fd = np.empty(np.shape(tangent))
        for j in np.ndindex(*item) if item else [()]:
            h = relative_step * np.maximum(np.abs(base[(slice(None), *j)]), scale)
            plus, minus = dict(x), dict(x)
            plus[inp], minus[inp] = base.copy(), base.copy()
            plus[inp][(slice(None), *j)] += h
            minus[inp][(slice(None), *j)] -= h
            dy = (np.asarray(model.evaluate(plus).outputs[out]) - np.asarray(model.evaluate(minus).outputs[out]))
            fd[(Ellipsis, *j)] = dy / (2 * h).reshape((-1,) + (1,) * (dy.ndim - 1))
        err = float(np.max(np.abs(np.asarray(tangent) - fd)) / max(np.max(np.abs(fd)), np.finfo(float).tiny))
        ok = err <= rtol
        results.append(_result(f"tangent {model.name}: d{out}/d{inp}", ok,
                               f"max relative error vs central differences {err:.2e}"
                               + ("" if ok else f" > {rtol:g}: the returned tangent is inconsistent"),
                               {"model": model.name, "output": out, "input": inp, "relative_error": err,
                                "points": int(len(next(iter(x.values()))))}))
    return results


def check_hill_mandel(residuals, tol: float = HILL_MANDEL_TOL, name: str = "RVE") -> Any:
    r"""Judge the Hill–Mandel residuals of an RVE's solved load cases.

    .. math:: r = \frac{|\langle q\cdot g\rangle - \langle q\rangle\cdot\langle g\rangle|}
                       {|\langle q\rangle\cdot\langle g\rangle|} \le \mathrm{tol}

    ``residuals``: one r per load case, as the cell solvers report them
    (:func:`scalebridge.solvers.cell.hill_mandel_residual`). Periodic, affine and
    uniform-traction boundary conditions satisfy the condition exactly (Hill 1963);
    mixed or ad-hoc conditions need not.
    """
    r = np.atleast_1d(np.asarray(residuals, dtype=float))
    if r.ndim != 1 or r.size == 0:
        raise InputError(f"check_hill_mandel ({name}): expected one residual per load case, got shape {r.shape}")
    worst = float(np.max(np.where(np.isfinite(r), r, np.inf)))
    ok = worst <= tol
    return _result(f"Hill-Mandel {name}", ok,
                   f"max relative residual {worst:.2e} over {r.size} load case(s)"
                   + ("" if ok else f" > {tol:g}: boundary conditions are energetically inconsistent"),
                   {"model": name, "residuals": r.tolist(), "max_residual": worst})


def check_conservation(model: Model, inputs: Mapping[str, Any], pairs: Mapping[str, str],
                       average: Callable[[np.ndarray, Mapping[str, np.ndarray]], np.ndarray] | None = None,
                       rtol: float = CONSERVATION_RTOL) -> list:
    r"""A bridge carries each quantity across unchanged: coarse output = average of the fine output.

    For an ``upscale`` node (``fine``, ``lift``): the fine model is evaluated on
    ``lift(inputs)`` and, for every ``coarse_output: fine_output`` in ``pairs``,

    .. math:: \frac{|Y_\mathrm{coarse} - \bar y_\mathrm{fine}|}{\max|\bar y_\mathrm{fine}|} \le \mathrm{rtol},

    with :math:`\bar y` the mean over the fine batch of each coarse point (``average(y,
    fine_inputs)`` if the fine problem has its own weights). A restriction that loses or
    creates the quantity (a wrong weight, a missing factor) fails, naming both ports.
    """
    fine, lift = getattr(model, "fine", None), getattr(model, "lift", None)
    if fine is None or not callable(lift):
        raise InputError(f"check_conservation: model {model.name!r} is not a bridge with 'fine' and 'lift'")
    x = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in inputs.items()}
    coarse = model.evaluate(x).outputs
    fine_inputs = lift(x)
    fine_out = fine.evaluate(fine_inputs).outputs
    n = len(next(iter(x.values())))
    results = []
    for c_port, f_port in pairs.items():
        y = np.asarray(fine_out[f_port], dtype=float)
        bar = average(y, fine_inputs) if average else y.reshape(n, -1, *y.shape[1:]).mean(axis=1)
        Y = np.asarray(coarse[c_port], dtype=float)
        err = float(np.max(np.abs(Y - bar)) / max(np.max(np.abs(bar)), np.finfo(float).tiny))
        ok = err <= rtol
        results.append(_result(f"conservation {model.name}.{c_port} <- {fine.name}.{f_port}", ok,
                               f"relative imbalance {err:.2e}" + ("" if ok else f" > {rtol:g}: the transfer does "
                                                                  "not conserve the quantity"),
                               {"model": model.name, "port": c_port, "fine_model": fine.name, "fine_port": f_port,
                                "relative_imbalance": err}))
    return results


def model_self_checks(node: Model) -> list:
    """The sample-state checks a node opts into: tangents at ``sample_inputs()`` and its ``self_checks()``."""
    results = []
    sample = getattr(node, "sample_inputs", None)
    if callable(sample):
        results += check_tangent(node, sample())
    own = getattr(node, "self_checks", None)
    if callable(own):
        results += list(own())
    return results
