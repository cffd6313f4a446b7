r"""Fidelity checks of a surrogate over its domain: error bound and physics it must keep.

A surrogate is a model *learned* from a finite set of fine evaluations, so nothing
guarantees it keeps the structure of the physics it replaces. The checks here test
that structure on a dense design over the input box and return
:class:`~scalebridge.core.checks.CheckResult` records (printed by
``scalebridge check``):

* **held-out error**: on fine evaluations never used in training,
  :math:`\max_b \lVert \hat y_b - y_b \rVert / \lVert y_b \rVert \le` the declared tolerance;
* **positivity** of outputs declared positive (conductivities, rates, moduli), on
  the box and, if a ``margin`` is declared, on the box grown by that fraction of
  its width (where an extrapolating polynomial typically breaks first);
* **symmetry** :math:`T = T^\mathsf{T}` and **definiteness** of tangents
  :math:`T = \partial y / \partial x` declared so (a conductivity tangent
  :math:`\partial q / \partial \nabla T = -K` is symmetric, negative definite by
  Onsager reciprocity and the second law);
* **monotonicity**: the declared sign of a partial derivative;
* **dissipation**: non-negative entropy production. For a flux/gradient pair
  (Fourier, Fick, Darcy convention :math:`q = -K \nabla T`) the production rate
  :math:`-q \cdot \nabla T / T^2 \ge 0` is tested as :math:`q \cdot \nabla T \le 0`;
  any other production rate is declared as a function;
* **conservation**: a user residual (e.g. a balance of fluxes) that must vanish.

Structural checks pass to a relative tolerance ``rtol`` of the largest magnitude
seen over the design; the held-out check uses the declared error ``tolerance``.

References
----------
de Groot S. R. & Mazur P. (1962), *Non-Equilibrium Thermodynamics*, North-Holland,
ch. IV (entropy production, Onsager relations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ..core.checks import CheckResult
from ..core.errors import InputError
from ..core.model import Model
from .doe import InputBox, input_box, sobol

__all__ = ["Declarations", "relative_errors", "fidelity_checks"]

#: ``residual(inputs, outputs) -> array (B,)``, all arrays SI with a batch axis.
PointFunction = Callable[[Mapping[str, np.ndarray], Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class Declarations:
    """Physical properties a surrogate declares, checked by :func:`fidelity_checks`.

    Attributes
    ----------
    positive : tuple of str
        Outputs whose every component must be > 0 (conductivity, rate constant).
    symmetric : tuple of (output, input)
        Tangents :math:`\\partial y/\\partial x` that must be symmetric (square in
        the flattened components, e.g. flux/gradient of shape (n,)/(n,)).
    positive_definite, negative_definite : tuple of (output, input)
        Tangents whose symmetric part must be positive / negative definite.
    monotone : tuple of (output, input, sign)
        Every component of :math:`\\partial y/\\partial x` has the sign ``+1`` or ``-1``.
    dissipative : tuple of (flux, gradient)
        Pairs with :math:`q \\cdot g \\le 0` (Fourier/Fick convention :math:`q = -K g`).
    entropy_production : mapping of str to callable
        Named ``sigma(inputs, outputs) -> (B,)`` that must be >= 0.
    conserved : mapping of str to callable
        Named dimensionless residuals ``r(inputs, outputs) -> (B,)`` that must vanish (``|r| <= rtol``).
    tolerance : float
        Declared maximum relative error on a held-out set (default 1 %).
    rtol : float
        Relative tolerance of the structural checks (default 1e-6).
    margin : float
        Positivity is also checked on the box grown by ``margin`` times its width
        on every side (0: only inside the box).
    """

    positive: tuple[str, ...] = ()
    symmetric: tuple[tuple[str, str], ...] = ()
    positive_definite: tuple[tuple[str, str], ...] = ()
    negative_definite: tuple[tuple[str, str], ...] = ()
    monotone: tuple[tuple[str, str, int], ...] = ()
    dissipative: tuple[tuple[str, str], ...] = ()
    entropy_production: Mapping[str, PointFunction] = field(default_factory=dict)
    conserved: Mapping[str, PointFunction] = field(default_factory=dict)
    tolerance: float = 0.01
    rtol: float = 1e-6
    margin: float = 0.0

    def __post_init__(self):
        for name in ("positive", "symmetric", "positive_definite", "negative_definite", "monotone", "dissipative"):
            value = getattr(self, name)
            items = (value,) if isinstance(value, str) else value
            object.__setattr__(self, name, tuple(i if isinstance(i, str) else tuple(i) for i in items))
        if any(len(m) != 3 or m[2] not in (1, -1) for m in self.monotone):
            raise InputError(f"Declarations.monotone: give (output, input, sign) with sign +1 or -1, "
                             f"got {self.monotone}")
        if not self.tolerance > 0 or not self.rtol > 0 or self.margin < 0:
            raise InputError(f"Declarations: need tolerance > 0, rtol > 0, margin >= 0; got "
                             f"{self.tolerance}, {self.rtol}, {self.margin}")

    def check_against(self, model: Model) -> None:
        """Raise :class:`InputError` if a declaration names a port ``model`` does not have."""
        pairs = (list(self.symmetric) + list(self.positive_definite) + list(self.negative_definite)
                 + [m[:2] for m in self.monotone])
        bad = [k for k in self.positive if k not in model.outputs]
        bad += [f"{o}/{i}" for o, i in pairs if o not in model.outputs or i not in model.inputs]
        bad += [f"{q}/{g}" for q, g in self.dissipative if q not in model.outputs or g not in model.inputs]
        if bad:
            raise InputError(f"declarations of {model.name!r} name unknown ports {bad}; inputs "
                             f"{sorted(model.inputs)}, outputs {sorted(model.outputs)}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form; functions are recorded by name only (they cannot be saved)."""
        return {"positive": list(self.positive), "symmetric": [list(p) for p in self.symmetric],
                "positive_definite": [list(p) for p in self.positive_definite],
                "negative_definite": [list(p) for p in self.negative_definite],
                "monotone": [list(m) for m in self.monotone], "dissipative": [list(p) for p in self.dissipative],
                "entropy_production": sorted(self.entropy_production), "conserved": sorted(self.conserved),
                "tolerance": self.tolerance, "rtol": self.rtol, "margin": self.margin}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], functions: Mapping[str, PointFunction] | None = None
                  ) -> "Declarations":
        """Rebuild from :meth:`to_dict`; named functions are taken from ``functions`` (missing: ``None``)."""
        functions = functions or {}
        named = {key: {k: functions.get(k) for k in data[key]} for key in ("entropy_production", "conserved")}
        plain = {k: v for k, v in data.items() if k not in named}
        return cls(**plain, **named)


def relative_errors(predicted: np.ndarray, reference: np.ndarray) -> np.ndarray:
    r"""Per-item relative error :math:`\lVert \hat y_b - y_b \rVert / \lVert y_b \rVert`, shape (B,).

    Norms are Euclidean over the item's components. An item with a zero reference
    is measured against the largest reference norm of the batch instead.
    """
    diff = np.linalg.norm(np.reshape(predicted - reference, (len(reference), -1)), axis=1)
    ref = np.linalg.norm(np.reshape(reference, (len(reference), -1)), axis=1)
    return diff / np.where(ref > 0, ref, max(ref.max(), np.finfo(float).tiny))


def _square(t: np.ndarray, out: str, inp: str, what: str) -> np.ndarray:
    batch = t.shape[0]
    n = int(np.sqrt(t[0].size))
    if n * n != t[0].size:
        raise InputError(f"{what} {out}/{inp}: tangent of item shape {t.shape[1:]} is not square")
    return t.reshape(batch, n, n)


def _result(name: str, ok: bool, message: str, **data) -> CheckResult:
    return CheckResult(name, bool(ok), message, {k: (float(v) if np.ndim(v) == 0 else v) for k, v in data.items()})


def _tangent(ev, out: str, inp: str):
    tangents = ev.tangents or {}
    return tangents.get((out, inp))


def _held_out(model: Model, held_out, tolerance: float) -> list[CheckResult]:
    inputs, outputs = held_out
    ev = model.evaluate({k: np.asarray(inputs[k], dtype=float) for k in model.inputs})
    results = []
    for k in model.outputs:
        if k not in outputs:
            continue
        err = relative_errors(np.asarray(ev.outputs[k]), np.asarray(outputs[k], dtype=float))
        worst = float(err.max())
        results.append(_result(f"held-out error {k}", worst <= tolerance,
                               f"max relative error {worst:.2e} over {err.size} points (tolerance {tolerance:.0e})",
                               max_relative_error=worst, rms_relative_error=float(np.sqrt(np.mean(err**2))),
                               points=int(err.size)))
    return results


def _structure(model: Model, d: Declarations, inputs, ev, where: str) -> list[CheckResult]:
    """Symmetry, definiteness, monotonicity, dissipation and conservation on one design."""
    results, rtol = [], d.rtol
    for out, inp in d.symmetric:
        t = _tangent(ev, out, inp)
        if t is None:
            results.append(_result(f"symmetric {out}/{inp}", False, "the model returns no such tangent"))
            continue
        m = _square(t, out, inp, "symmetric")
        asym = np.linalg.norm(m - np.swapaxes(m, 1, 2), axis=(1, 2)) / np.maximum(
            np.linalg.norm(m, axis=(1, 2)), np.finfo(float).tiny)
        results.append(_result(f"symmetric {out}/{inp}", asym.max() <= rtol,
                               f"max |T - T^T| / |T| = {asym.max():.2e} {where} (rtol {rtol:.0e})",
                               max_asymmetry=asym.max()))
    for pairs, sign, word in ((d.positive_definite, 1.0, "positive definite"),
                              (d.negative_definite, -1.0, "negative definite")):
        for out, inp in pairs:
            t = _tangent(ev, out, inp)
            if t is None:
                results.append(_result(f"{word} {out}/{inp}", False, "the model returns no such tangent"))
                continue
            m = sign * _square(t, out, inp, word)
            eig = np.linalg.eigvalsh(0.5 * (m + np.swapaxes(m, 1, 2)))
            worst = float(eig.min())
            results.append(_result(f"{word} {out}/{inp}", worst > 0,
                                   f"extreme eigenvalue of the symmetric part {sign * worst:.3g} {where}",
                                   extreme_eigenvalue=sign * worst))
    for out, inp, sign in d.monotone:
        t = _tangent(ev, out, inp)
        if t is None:
            results.append(_result(f"monotone {out}/{inp}", False, "the model returns no such tangent"))
            continue
        worst = float(np.min(sign * t))
        ok = worst >= -rtol * max(float(np.abs(t).max()), np.finfo(float).tiny)
        results.append(_result(f"monotone {out}/{inp}", ok,
                               f"sign {sign:+d} expected; min of sign * d{out}/d{inp} = {worst:.3g} {where}",
                               min_signed_derivative=worst))
    for q, g in d.dissipative:
        flux = np.reshape(ev.outputs[q], (len(ev.outputs[q]), -1))
        grad = np.reshape(inputs[g], (len(inputs[g]), -1))
        power = np.sum(flux * grad, axis=1)
        scale = float(np.max(np.linalg.norm(flux, axis=1) * np.linalg.norm(grad, axis=1)))
        worst = float(power.max())
        results.append(_result(f"dissipation {q}.{g}", worst <= rtol * scale,
                               f"max {q}.{g} = {worst:.3g} (must be <= 0) {where}", max_flux_dot_gradient=worst))
    for name, function in d.entropy_production.items():
        if function is None:
            results.append(_result(f"entropy production {name}", False,
                                   "declared, but its function was not given (pass it to load_surrogate)"))
            continue
        sigma = np.asarray(function(inputs, ev.outputs), dtype=float)
        worst = float(sigma.min())
        ok = worst >= -rtol * max(float(np.abs(sigma).max()), np.finfo(float).tiny)
        results.append(_result(f"entropy production {name}", ok, f"min {worst:.3g} (must be >= 0) {where}",
                               min_entropy_production=worst))
    for name, function in d.conserved.items():
        if function is None:
            results.append(_result(f"conservation {name}", False,
                                   "declared, but its residual function was not given (pass it to load_surrogate)"))
            continue
        worst = float(np.abs(np.asarray(function(inputs, ev.outputs), dtype=float)).max())
        results.append(_result(f"conservation {name}", worst <= rtol,
                               f"max |residual| = {worst:.2e} {where} (rtol {rtol:.0e})", max_residual=worst))
    return results


def _positivity(model: Model, names, box: InputBox, n: int, seed, where: str) -> list[CheckResult]:
    x = sobol(box, n, seed)
    ev = model.evaluate(x)
    results = []
    for k in names:
        y = np.asarray(ev.outputs[k])
        worst = float(y.min())
        at = box.flatten(x)[int(np.argmin(y.reshape(len(y), -1).min(axis=1)))]
        results.append(_result(f"positive {k} {where}", worst > 0,
                               f"min {k} = {worst:.3g} over {len(y)} points" + ("" if worst > 0 else
                                                                                  f", at inputs {at.tolist()}"),
                               min_value=worst))
    return results


def fidelity_checks(model: Model, declarations: Declarations | None = None, bounds=None, held_out=None,
                    n: int = 256, seed=0) -> list[CheckResult]:
    """Check a surrogate (or any model) over its input box against its declarations.

    Parameters
    ----------
    model : Model
        Usually a surrogate; any model returning the declared outputs and tangents works.
    declarations : Declarations, optional
        Default: ``model.declarations``.
    bounds : mapping or InputBox, optional
        The input box (see :func:`~scalebridge.reduction.doe.input_box`). Default:
        ``model.box``.
    held_out : (inputs, outputs), optional
        Fine evaluations not used in training (SI arrays with a batch axis);
        default ``model.held_out`` if the model has one.
    n : int
        Points of the dense Sobol' design over the box (and over the margin box).
    seed : int

    Returns
    -------
    list of CheckResult
        Held-out error per output, then positivity, symmetry, definiteness,
        monotonicity, dissipation and conservation as declared.

    Raises
    ------
    InputError
        No declarations or box, or declarations naming unknown ports.
    """
    d = declarations if declarations is not None else getattr(model, "declarations", None)
    if d is None:
        raise InputError(f"fidelity_checks of {model.name!r}: no declarations given and the model has none")
    d.check_against(model)
    box = input_box(bounds, model) if bounds is not None else getattr(model, "box", None)
    if box is None:
        raise InputError(f"fidelity_checks of {model.name!r}: no input box given and the model has none")
    held_out = held_out if held_out is not None else getattr(model, "held_out", None)
    results = _held_out(model, held_out, d.tolerance) if held_out is not None else []
    if d.positive:
        results += _positivity(model, d.positive, box, n, seed, "in the box")
        if d.margin > 0:
            results += _positivity(model, d.positive, box.widened(d.margin), n, seed,
                                   f"with margin {d.margin:g} outside the box")
    if d.symmetric or d.positive_definite or d.negative_definite or d.monotone or d.dissipative \
            or d.entropy_production or d.conserved:
        x = sobol(box, n, seed)
        results += _structure(model, d, x, model.evaluate(x), f"over {n} points in the box")
    return results
