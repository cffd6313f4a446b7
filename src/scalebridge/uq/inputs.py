r"""Uncertain inputs declared on a model's input ports, with units.

An :class:`Uncertain` names an input port, a distribution of its value and the kind
of uncertainty:

* ``"aleatoric"``: inherent variability (site energies, microstructure realisations),
  described by a probability distribution;
* ``"epistemic"``: lack of knowledge (a DFT functional error, a model-form choice),
  an :class:`Interval` when nothing but bounds is known, or a distribution
  expressing a belief.

Distributions: :class:`Normal`, :class:`LogNormal`, :class:`Uniform`,
:class:`TruncatedNormal`, :class:`Empirical` (given samples) and :class:`Interval`.
Their parameters are plain numbers (SI) or quantities / strings with units
(``Normal("1.2 eV", "0.1 eV")``; molar energies such as ``"10 kJ/mol"`` are taken
per particle at energy ports), converted against the unit of the port when an
:class:`UncertainInputs` collection is bound to a model.

Every distribution is sampled through its inverse CDF (quantile function)
:math:`x = F^{-1}(u)`, so uniform points :math:`u \in (0, 1)^d` from a random
generator (Monte Carlo) or a scrambled Sobol' sequence (quasi-Monte Carlo, Owen
1998) map to input samples, dimension by dimension (independent inputs).

References
----------
Oberkampf W. L., Helton J. C., Joslyn C. A., Wojtkiewicz S. F. & Ferson S. (2004),
Reliab. Eng. Syst. Saf. 85, 11 (aleatoric vs epistemic). Owen A. B. (1998),
J. Complexity 14, 466 (scrambled nets).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields, replace
from typing import Any, Iterable, Mapping

import numpy as np
import pint
from scipy import stats
from scipy.stats import qmc

from ..core.errors import InputError
from ..core.model import Evaluation, Model, Port, prepare_inputs
from ..core.optional import require
from ..core.units import energy_per_particle, same_dimension, to_si

__all__ = ["Normal", "LogNormal", "Uniform", "TruncatedNormal", "Empirical", "Interval", "Uncertain",
           "UncertainInputs", "FixedInputs", "StandardizedInputs", "KINDS"]

#: The two kinds of uncertainty kept apart.
KINDS = ("aleatoric", "epistemic")

# Uniform points are kept this far from 0 and 1 so that unbounded quantile functions stay finite.
_U_MARGIN = 1e-12


def _to_si(value: Any, unit: str, what: str):
    """``to_si``, accepting molar energies (kJ/mol) for energy ports (per particle, J)."""
    unit = unit or "dimensionless"
    return energy_per_particle(value, what) if same_dimension(unit, "J") else to_si(value, unit, what)


def _value(value: Any, unit: str, what: str) -> float:
    """One parameter in SI (checked against ``unit``) as a finite float."""
    try:
        si = _to_si(value, unit, what)
    except pint.errors.PintError as exc:
        raise InputError(f"{what}: cannot read {value!r} ({exc})") from None
    if np.ndim(si) != 0 or not np.isfinite(si):
        raise InputError(f"{what}: expected one finite number, got {value!r}")
    return float(si)


class _Distribution:
    """Common part: SI conversion of the fields, quantile function, support, chaospy form."""

    #: Fields that are dimensionless whatever the port unit.
    dimensionless: tuple[str, ...] = ()
    #: Standardised in ln x rather than x.
    log = False

    def in_si(self, unit: str, what: str):
        """The same distribution with every parameter a float in SI, checked."""
        values = {f.name: (_value(getattr(self, f.name), "" if f.name in self.dimensionless else unit,
                                  f"{what}: {type(self).__name__}.{f.name}"))
                  for f in fields(self)}
        converted = replace(self, **values)
        converted._check(what)
        return converted

    def _check(self, what: str) -> None:
        raise NotImplementedError

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantile function :math:`F^{-1}(u)` (SI), vectorised over ``u``."""
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest possible value (SI; may be infinite)."""
        return float(self.ppf(np.array(0.0))), float(self.ppf(np.array(1.0)))

    @property
    def affine(self) -> tuple[float, float]:
        """Shift and scale :math:`(m, s)` of the standardised variable :math:`\\xi = (z - m)/s`,
        :math:`z = x` (or :math:`\\ln x` when :attr:`log`)."""
        raise NotImplementedError

    def chaospy(self):
        """The chaospy distribution of the standardised variable :math:`\\xi` (order-one numbers,
        so that high-degree orthogonal polynomials stay well conditioned whatever the SI scale)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Normal(_Distribution):
    r"""Gaussian :math:`x \sim \mathcal N(\mu, \sigma^2)`; ``mean`` and ``std`` in the port unit."""

    mean: Any
    std: Any

    def _check(self, what):
        if not self.std > 0:
            raise InputError(f"{what}: Normal std must be > 0, got {self.std} (SI)")

    def ppf(self, u):
        return stats.norm.ppf(u, self.mean, self.std)

    @property
    def affine(self):
        return self.mean, self.std

    def chaospy(self):
        return require("chaospy", extra="surrogates").Normal(0.0, 1.0)


@dataclass(frozen=True)
class LogNormal(_Distribution):
    r"""Log-normal :math:`x = m\, e^{s Z}`, :math:`Z \sim \mathcal N(0, 1)`.

    ``median`` :math:`m` (> 0) in the port unit; ``sigma`` :math:`s` (> 0) is the
    standard deviation of :math:`\ln x` (dimensionless). Mean
    :math:`m e^{s^2/2}`. A polynomial chaos expansion models such an input in
    :math:`\ln x` (Hermite polynomials).
    """

    median: Any
    sigma: Any
    dimensionless = ("sigma",)
    log = True

    def _check(self, what):
        if not (self.median > 0 and self.sigma > 0):
            raise InputError(f"{what}: LogNormal needs median > 0 and sigma > 0, got median={self.median} (SI), "
                             f"sigma={self.sigma}")

    def ppf(self, u):
        return self.median * np.exp(self.sigma * stats.norm.ppf(u))

    @property
    def affine(self):
        return float(np.log(self.median)), self.sigma

    def chaospy(self):
        return require("chaospy", extra="surrogates").Normal(0.0, 1.0)


@dataclass(frozen=True)
class _Range(_Distribution):
    """A range :math:`[a, b]` (``low`` < ``high``, port unit), mapped affinely onto [-1, 1]."""

    low: Any
    high: Any

    def _check(self, what):
        if not self.low < self.high:
            raise InputError(f"{what}: {type(self).__name__} needs low < high, got low={self.low}, "
                             f"high={self.high} (SI)")

    def ppf(self, u):
        """The point at fraction ``u`` of the range (a quantile for :class:`Uniform`)."""
        return self.low + (self.high - self.low) * u

    @property
    def affine(self):
        return 0.5 * (self.low + self.high), 0.5 * (self.high - self.low)


@dataclass(frozen=True)
class Uniform(_Range):
    r"""Uniform on :math:`[a, b]`; ``low`` and ``high`` in the port unit."""

    def chaospy(self):
        return require("chaospy", extra="surrogates").Uniform(-1.0, 1.0)


@dataclass(frozen=True)
class TruncatedNormal(_Distribution):
    r"""Gaussian :math:`\mathcal N(\mu, \sigma^2)` restricted to :math:`[a, b]` (renormalised).

    ``mean`` and ``std`` are those of the parent Gaussian, not of the truncated one.
    """

    mean: Any
    std: Any
    low: Any
    high: Any

    def _check(self, what):
        if not (self.std > 0 and self.low < self.high):
            raise InputError(f"{what}: TruncatedNormal needs std > 0 and low < high, got std={self.std}, "
                             f"low={self.low}, high={self.high} (SI)")

    def ppf(self, u):
        a, b = (self.low - self.mean) / self.std, (self.high - self.mean) / self.std
        return stats.truncnorm.ppf(u, a, b, self.mean, self.std)

    @property
    def affine(self):
        return self.mean, self.std

    def chaospy(self):
        return require("chaospy", extra="surrogates").TruncNormal((self.low - self.mean) / self.std,
                                                                  (self.high - self.mean) / self.std, 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class Empirical(_Distribution):
    r"""The empirical distribution of given samples (port unit), e.g. measured or simulated values.

    Sampling resamples the given values (inverse of the empirical CDF,
    :math:`F_n^{-1}(u) = x_{(\lceil n u \rceil)}`); a polynomial chaos expansion uses
    a Gaussian kernel density estimate of them (chaospy ``GaussianKDE``).
    """

    samples: Any

    def in_si(self, unit, what):
        values = np.asarray(_to_si(self.samples, unit, f"{what}: Empirical.samples"), dtype=float)
        converted = Empirical(np.sort(values.ravel()))
        if values.ndim != 1 or values.size < 2 or not np.all(np.isfinite(values)) or np.ptp(values) == 0:
            raise InputError(f"{what}: Empirical needs a 1-D array of at least 2 finite, not all equal samples, "
                             f"got shape {values.shape}")
        return converted

    def ppf(self, u):
        return np.quantile(self.samples, u, method="inverted_cdf")

    @property
    def affine(self):
        return float(np.mean(self.samples)), float(np.std(self.samples))

    def chaospy(self):
        shift, scale = self.affine
        return require("chaospy", extra="surrogates").GaussianKDE((self.samples - shift) / scale)


@dataclass(frozen=True)
class Interval(_Range):
    r"""An epistemic interval :math:`[a, b]`: bounds only, no probability inside.

    Nested propagation (:func:`~scalebridge.uq.propagation.nested`) evaluates its
    ends (the vertices of the epistemic box) or points spread over it; it cannot be
    propagated as a probability distribution.
    """

    def chaospy(self):
        raise InputError("an Interval carries no probability; propagate it with nested() or give a distribution")


@dataclass(frozen=True)
class Uncertain:
    """An uncertain input of a model: its port, distribution and kind.

    Parameters
    ----------
    port : str
        Name of a (scalar) input port of the model.
    distribution : Normal, LogNormal, Uniform, TruncatedNormal, Empirical or Interval
        Parameters in the port unit (quantities or strings) or plain SI numbers.
    kind : {"aleatoric", "epistemic"}
        Variability or lack of knowledge; an :class:`Interval` is always epistemic.
    """

    port: str
    distribution: _Distribution
    kind: str = "aleatoric"

    def __post_init__(self):
        if not isinstance(self.distribution, _Distribution):
            raise InputError(f"uncertain input {self.port!r}: distribution must be one of Normal, LogNormal, "
                             f"Uniform, TruncatedNormal, Empirical, Interval; got {self.distribution!r}")
        if self.kind not in KINDS:
            raise InputError(f"uncertain input {self.port!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if isinstance(self.distribution, Interval) and self.kind != "epistemic":
            raise InputError(f"uncertain input {self.port!r}: an Interval is epistemic (lack of knowledge), "
                             f"got kind={self.kind!r}; give a distribution for aleatoric variability")


class UncertainInputs:
    """Uncertain inputs bound to a model: distributions in SI, sampling, chaospy marginals.

    Parameters
    ----------
    model : Model
        The model whose input ports are declared uncertain.
    declared : iterable of Uncertain
        One per uncertain port (scalar ports only).

    Raises
    ------
    InputError
        An unknown, repeated or non-scalar port, or bad distribution parameters.
    UnitError
        A parameter in a unit of another dimension than the port.
    """

    def __init__(self, model: Model, declared: Iterable[Uncertain]):
        declared = list(declared)
        if not declared:
            raise InputError(f"model {model.name!r}: no uncertain inputs declared")
        self.model = model
        self.declared: list[Uncertain] = []
        for item in declared:
            if not isinstance(item, Uncertain):
                raise InputError(f"model {model.name!r}: expected Uncertain(port, distribution, kind), got {item!r}")
            where = f"model {model.name!r}, uncertain input {item.port!r}"
            if item.port not in model.inputs:
                raise InputError(f"{where}: not an input of the model; it takes {sorted(model.inputs)}")
            if any(d.port == item.port for d in self.declared):
                raise InputError(f"{where}: declared twice")
            port = model.inputs[item.port]
            if port.shape != ():
                raise InputError(f"{where}: port has item shape {port.shape}; only scalar ports can be "
                                 "declared uncertain")
            self.declared.append(replace(item, distribution=item.distribution.in_si(port.unit, where)))

    @property
    def names(self) -> list[str]:
        """Uncertain port names, in declaration order (the order of every sample column)."""
        return [d.port for d in self.declared]

    @property
    def distributions(self) -> list[_Distribution]:
        """Distributions in SI, in the order of :attr:`names`."""
        return [d.distribution for d in self.declared]

    @property
    def dimension(self) -> int:
        return len(self.declared)

    def of_kind(self, kind: str) -> "UncertainInputs | None":
        """The aleatoric or epistemic part (``None`` if there is none)."""
        if kind not in KINDS:
            raise InputError(f"kind must be one of {KINDS}, got {kind!r}")
        part = [d for d in self.declared if d.kind == kind]
        return UncertainInputs(self.model, part) if part else None

    def require_distributions(self, what: str) -> None:
        """Raise :class:`InputError` if an input is an :class:`Interval` (no probability)."""
        intervals = [d.port for d in self.declared if isinstance(d.distribution, Interval)]
        if intervals:
            raise InputError(f"{what} of model {self.model.name!r}: inputs {intervals} are epistemic intervals "
                             "without probability; propagate them with nested(), or give them a distribution")

    def unit_points(self, n: int, method: str = "mc", seed=0) -> np.ndarray:
        """``n`` points of :math:`(0, 1)^d`: ``"mc"`` (pseudo-random), ``"qmc"`` (scrambled Sobol',
        ``n`` a power of 2) or ``"lhs"`` (Latin hypercube)."""
        return unit_points(n, self.dimension, method, seed)

    def transform(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Map uniform points ``u`` (n, d) to input samples (SI) by the inverse CDFs."""
        u = np.clip(u, _U_MARGIN, 1.0 - _U_MARGIN)
        return {d.port: np.asarray(d.distribution.ppf(u[:, j]), dtype=float) for j, d in enumerate(self.declared)}

    def sample(self, n: int, method: str = "mc", seed=0) -> dict[str, np.ndarray]:
        """``n`` input samples (SI arrays with a batch axis), see :meth:`unit_points`."""
        return self.transform(self.unit_points(n, method, seed))

    def vertices(self) -> dict[str, np.ndarray]:
        """The :math:`2^d` corners of the box of interval ends (every input must be an :class:`Interval`)."""
        bad = [d.port for d in self.declared if not isinstance(d.distribution, Interval)]
        if bad:
            raise InputError(f"model {self.model.name!r}: vertices need epistemic Intervals, but {bad} have "
                             "distributions; give an integer number of outer samples instead")
        corners = np.array(list(itertools.product(*[(d.distribution.low, d.distribution.high)
                                                    for d in self.declared])))
        return {name: corners[:, j] for j, name in enumerate(self.names)}

    def chaospy_marginals(self) -> list:
        """chaospy marginals of the standardised inputs (see :class:`StandardizedInputs`)."""
        self.require_distributions("a polynomial chaos expansion")
        return [d.distribution.chaospy() for d in self.declared]

    def __repr__(self) -> str:
        return f"UncertainInputs({self.model.name!r}, {[(d.port, d.kind) for d in self.declared]})"


def unit_points(n: int, dimension: int, method: str = "mc", seed=0) -> np.ndarray:
    """``n`` points of the unit cube of ``dimension`` (see :meth:`UncertainInputs.unit_points`)."""
    if int(n) != n or n < 1:
        raise InputError(f"number of samples n must be a positive integer, got {n!r}")
    n = int(n)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    if method == "mc":
        return rng.random((n, dimension))
    if method == "qmc":
        if n & (n - 1):
            raise InputError(f"quasi-Monte Carlo needs n a power of 2 (balanced Sobol' points), got n={n}; "
                             f"use {1 << (n - 1).bit_length()}")
        return qmc.Sobol(dimension, scramble=True, rng=rng).random(n)
    if method == "lhs":
        return qmc.LatinHypercube(dimension, rng=rng).random(n)
    raise InputError(f"unknown sampling method {method!r}; use 'mc', 'qmc' or 'lhs'")


class FixedInputs:
    """A model with some inputs held at fixed values: a Model of the remaining ones.

    Parameters
    ----------
    model : Model
    fixed : mapping of str to value
        Values of the inputs held fixed (quantities, strings or SI numbers, one
        item each); checked and converted like :func:`~scalebridge.core.model.prepare_inputs`.
    outputs : iterable of str, optional
        Outputs to keep (default all).
    """

    def __init__(self, model: Model, fixed: Mapping[str, Any], outputs: Iterable[str] | None = None):
        unknown = set(fixed) - set(model.inputs)
        if unknown:
            raise InputError(f"model {model.name!r}: fixed input(s) {sorted(unknown)} are not inputs; "
                             f"it takes {sorted(model.inputs)}")
        names = list(model.outputs) if outputs is None else list(outputs)
        missing = [k for k in names if k not in model.outputs]
        if missing:
            raise InputError(f"model {model.name!r}: no output(s) {missing}; it gives {sorted(model.outputs)}")
        free = {k: p for k, p in model.inputs.items() if k not in fixed}
        placeholders = {k: np.zeros(p.shape) for k, p in free.items()}
        self.fixed = {k: v[0] for k, v in prepare_inputs(model, {**fixed, **placeholders}, batch=1).items()
                      if k in fixed}
        self.model, self.name, self.scale, self.children = model, model.name, model.scale, [model]
        self.inputs, self.outputs = free, {k: model.outputs[k] for k in names}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        n = len(next(iter(inputs.values())))
        full = {**{k: np.broadcast_to(v, (n,) + v.shape) for k, v in self.fixed.items()},
                **{k: inputs[k] for k in self.inputs}}
        ev = self.model.evaluate(full, state)
        return Evaluation({k: ev.outputs[k] for k in self.outputs}, info=ev.info)

    def __repr__(self) -> str:
        return f"FixedInputs({self.model.name!r}, fixed={sorted(self.fixed)})"


class StandardizedInputs:
    r"""A model of the standardised uncertain inputs :math:`\xi_j = (z_j - m_j)/s_j` (dimensionless ports).

    :math:`z = x`, or :math:`\ln x` for log-normal inputs, and :math:`(m_j, s_j)` the
    ``affine`` of each distribution (mean and std of a normal, centre and half-width of
    a uniform, ...). Polynomial chaos expansions are built in :math:`\xi`: order-one
    numbers whatever the SI scale of the port (1e-20 J for an energy), so that the
    orthonormal polynomials of high degree stay well conditioned.

    Parameters
    ----------
    model : Model
        A model whose inputs are exactly the uncertain ones (see :class:`FixedInputs`).
    uncertain : UncertainInputs
        Bound to ``model``.
    """

    def __init__(self, model: Model, uncertain: UncertainInputs):
        if set(uncertain.names) != set(model.inputs):
            raise InputError(f"model {model.name!r}: standardised inputs {uncertain.names} must be all its inputs "
                             f"{sorted(model.inputs)}")
        self.model, self.name, self.scale, self.children = model, model.name, model.scale, [model]
        self.inputs = {k: Port("", description=f"standardised {k}") for k in uncertain.names}
        self.outputs = dict(model.outputs)
        self._affine = {d.port: (*d.distribution.affine, d.distribution.log) for d in uncertain.declared}

    def physical(self, xi: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Input values (SI) at standardised points."""
        out = {k: m + s * np.asarray(xi[k], dtype=float) for k, (m, s, _) in self._affine.items()}
        return {k: np.exp(v) if self._affine[k][2] else v for k, v in out.items()}

    def standardize(self, x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Standardised points of input values (SI)."""
        return {k: ((np.log(x[k]) if log else np.asarray(x[k], dtype=float)) - m) / s
                for k, (m, s, log) in self._affine.items()}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        return self.model.evaluate(self.physical(inputs), state)

    def __repr__(self) -> str:
        return f"StandardizedInputs({self.model.name!r}, inputs={list(self.inputs)})"
