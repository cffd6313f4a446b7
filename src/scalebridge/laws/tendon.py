r"""Tendon: sequential recruitment of crimped collagen fibrils gives the J-shaped stress–strain curve.

A fascicle is a parallel bundle of collagen fibrils (volume fraction :math:`\phi`) in a
compliant matrix. Fibrils are crimped: fibril :math:`i` carries load only once the
tissue strain exceeds its critical (straightening, recruitment) strain
:math:`\varepsilon_{c,i}`, then responds linearly with the fibril modulus :math:`E_f`
(small strain, affine kinematics: every fibril sees the tissue strain),

.. math:: \sigma_f(\varepsilon; \varepsilon_c) = E_f\,(\varepsilon - \varepsilon_c)_+ .

With the critical strains distributed with density :math:`p` and CDF :math:`F`, the
fibril-population (volume-fraction weighted) average stress and its tangent are

.. math:: \sigma(\varepsilon) = \phi E_f \int_0^\infty (\varepsilon - x)_+\,p(x)\,dx
          = \phi E_f \int_{-\infty}^{\varepsilon} F(x)\,dx, \qquad
          \frac{d\sigma}{d\varepsilon} = \phi E_f\,F(\varepsilon),

a toe region while fibrils are recruited (:math:`\sigma'' = \phi E_f p`) and a linear
region of slope :math:`\phi E_f` once all are recruited, where
:math:`\sigma = \phi E_f(\varepsilon - \langle\varepsilon_c\rangle)`. The matrix
contribution is neglected (its modulus is ~10^3 times smaller). This is the
structural model of Kastelic, Palley & Baer (1980), J. Biomech. 13, 887, in the
statistical form of Hansen, Weiss & Barton (2002), J. Biomech. Eng. 124, 72 and
Shearer (2015), J. Biomech. 48, 290 (which uses the finite-strain fibril strain
:math:`(1+\varepsilon)/(1+\varepsilon_c) - 1`; the small-strain form here is its
first-order limit, accurate while strains stay below ~10 %).

Closed forms (derived here by integrating the CDF twice, see
:func:`recruitment_stress_closed_form`): a **uniform** distribution on :math:`[a, b]`
gives a quadratic toe,

.. math:: \sigma = \phi E_f\,\frac{(\varepsilon-a)^2}{2(b-a)}\ (a\le\varepsilon\le b),\qquad
          \sigma = \phi E_f\left(\varepsilon - \tfrac{a+b}{2}\right)\ (\varepsilon\ge b);

a **triangular** distribution on :math:`[a, b]` with mode :math:`c` a cubic toe,

.. math:: \sigma = \phi E_f\,\frac{(\varepsilon-a)^3}{3(b-a)(c-a)}\ (a\le\varepsilon\le c),\quad
          \sigma = \phi E_f\left[\frac{(c-a)^2}{3(b-a)} + (\varepsilon-c)
          - \frac{(b-c)^3-(b-\varepsilon)^3}{3(b-a)(b-c)}\right]\ (c\le\varepsilon\le b),

and :math:`\phi E_f(\varepsilon - (a+b+c)/3)` beyond :math:`b`.

The fibril modulus rises with the density of enzymatic crosslinks
(:func:`crosslinked_fibril_modulus`), a saturating interpolation of the trend of
molecular simulations (Buehler 2006, PNAS 103, 12285: fibril modulus and strength
grow with crosslink density and saturate) and of crosslink-inhibition experiments
(Svensson et al. 2013, J. Biomech. 46, 2311, in rat tendon fibrils).

Units: strains dimensionless, moduli and stresses in Pa.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy import integrate, stats

from ..core.combinators import upscale
from ..core.errors import InputError
from ..core.model import Evaluation, Port, Scale

__all__ = ["CrimpDistribution", "crosslinked_fibril_modulus", "recruitment_stress",
           "recruitment_stress_closed_form", "quantile_quadrature", "FibrilPopulationModel", "fascicle_model",
           "DISTRIBUTIONS"]

#: Supported crimp (critical-strain) distributions and their parameters.
DISTRIBUTIONS = {"uniform": ("lower", "upper"), "triangular": ("lower", "mode", "upper"),
                 "weibull": ("location", "scale", "shape"), "lognormal": ("median", "sigma")}


@dataclass(frozen=True)
class CrimpDistribution:
    r"""Distribution of fibril critical (recruitment) strains :math:`\varepsilon_c \ge 0`.

    Parameters
    ----------
    kind : {"uniform", "triangular", "weibull", "lognormal"}
    parameters : mapping
        ``uniform``: ``lower``, ``upper``; ``triangular``: ``lower``, ``mode``, ``upper``;
        ``weibull``: ``location`` (strain of the first fibril), ``scale``, ``shape``
        (three-parameter Weibull, as used for tendon by Hansen et al. 2002); ``lognormal``:
        ``median``, ``sigma`` (of log strain). All dimensionless.
    """

    kind: str
    parameters: Mapping[str, float]

    def __post_init__(self):
        if self.kind not in DISTRIBUTIONS:
            raise InputError(f"crimp distribution kind: got {self.kind!r}, expected one of {sorted(DISTRIBUTIONS)}")
        names = DISTRIBUTIONS[self.kind]
        given = dict(self.parameters)
        if set(given) != set(names):
            raise InputError(f"crimp distribution {self.kind!r}: parameters {sorted(given)}, expected {list(names)}")
        for k, v in given.items():
            if not np.isfinite(v) or v < 0:
                raise InputError(f"crimp distribution {self.kind!r}: {k} = {v!r}, expected a finite number >= 0")
        p = given
        if self.kind == "uniform" and not p["lower"] < p["upper"]:
            raise InputError(f"crimp distribution uniform: need lower < upper, got {p['lower']} and {p['upper']}")
        if self.kind == "triangular" and not p["lower"] <= p["mode"] <= p["upper"] or \
                self.kind == "triangular" and not p["lower"] < p["upper"]:
            raise InputError(f"crimp distribution triangular: need lower <= mode <= upper and lower < upper, got {p}")
        for k in {"weibull": ("scale", "shape"), "lognormal": ("median", "sigma")}.get(self.kind, ()):
            if p[k] <= 0:
                raise InputError(f"crimp distribution {self.kind!r}: {k} must be > 0, got {p[k]}")
        object.__setattr__(self, "parameters", given)

    @property
    def frozen(self):
        """The scipy.stats frozen distribution."""
        p = self.parameters
        if self.kind == "uniform":
            return stats.uniform(loc=p["lower"], scale=p["upper"] - p["lower"])
        if self.kind == "triangular":
            width = p["upper"] - p["lower"]
            return stats.triang((p["mode"] - p["lower"]) / width, loc=p["lower"], scale=width)
        if self.kind == "weibull":
            return stats.weibull_min(p["shape"], loc=p["location"], scale=p["scale"])
        return stats.lognorm(p["sigma"], scale=p["median"])

    def cdf(self, strain):
        """Recruited fraction :math:`F(\\varepsilon)`."""
        return self.frozen.cdf(strain)

    def pdf(self, strain):
        """Density :math:`p(\\varepsilon)` (1/strain)."""
        return self.frozen.pdf(strain)

    def ppf(self, q):
        """Quantile function :math:`F^{-1}(q)`."""
        return self.frozen.ppf(q)

    @property
    def mean(self) -> float:
        """Mean critical strain :math:`\\langle\\varepsilon_c\\rangle`."""
        return float(self.frozen.mean())


def crosslinked_fibril_modulus(crosslink_density, modulus_uncrosslinked, modulus_saturated,
                               half_saturation_density):
    r"""Fibril modulus as a saturating function of crosslink density.

    .. math:: E_f(n) = E_0 + (E_\infty - E_0)\,\frac{n}{n + n_{1/2}}

    Parameters
    ----------
    crosslink_density : float or array
        Crosslinks per collagen molecule :math:`n \ge 0` (dimensionless).
    modulus_uncrosslinked, modulus_saturated : float
        :math:`E_0 < E_\infty` in Pa (Buehler 2006 finds a several-fold rise).
    half_saturation_density : float
        :math:`n_{1/2} > 0`, crosslinks per molecule at half the rise.
    """
    n = np.asarray(crosslink_density, dtype=float)
    if np.any(~np.isfinite(n)) or np.any(n < 0):
        raise InputError(f"crosslink_density: got {crosslink_density!r}, expected finite values >= 0")
    if not 0 < modulus_uncrosslinked <= modulus_saturated:
        raise InputError(f"fibril moduli: need 0 < modulus_uncrosslinked <= modulus_saturated, got "
                         f"{modulus_uncrosslinked} and {modulus_saturated} Pa")
    if not half_saturation_density > 0:
        raise InputError(f"half_saturation_density: got {half_saturation_density!r}, expected > 0")
    return modulus_uncrosslinked + (modulus_saturated - modulus_uncrosslinked) * n / (n + half_saturation_density)


def _check(strain, fibril_modulus, volume_fraction):
    e = np.asarray(strain, dtype=float)
    if not np.all(np.isfinite(e)):
        raise InputError("strain: non-finite values")
    if not fibril_modulus > 0:
        raise InputError(f"fibril_modulus: got {fibril_modulus!r}, expected > 0 Pa")
    if not 0 < volume_fraction <= 1:
        raise InputError(f"volume_fraction: got {volume_fraction!r}, expected 0 < phi <= 1")
    return e


def recruitment_stress_closed_form(strain, distribution: CrimpDistribution, fibril_modulus: float,
                                   volume_fraction: float):
    r"""Exact :math:`\sigma(\varepsilon)` and :math:`d\sigma/d\varepsilon` for uniform and triangular crimp.

    The piecewise-polynomial closed forms of the module docstring (Pa). Raises
    InputError for other distributions (use :func:`recruitment_stress`).
    """
    e = _check(strain, fibril_modulus, volume_fraction)
    scale = volume_fraction * fibril_modulus
    p = distribution.parameters
    if distribution.kind == "uniform":
        a, b = p["lower"], p["upper"]
        s = np.where(e <= a, 0.0, np.where(e <= b, (e - a) ** 2 / (2 * (b - a)), e - 0.5 * (a + b)))
        t = np.clip((e - a) / (b - a), 0.0, 1.0)
        return scale * s, scale * t
    if distribution.kind == "triangular":
        a, c, b = p["lower"], p["mode"], p["upper"]
        w = b - a
        rising = (e - a) ** 3 / (3 * w * (c - a)) if c > a else np.zeros_like(e)
        falling = (c - a) ** 2 / (3 * w) + (e - c) - ((b - c) ** 3 - (b - e) ** 3) / (3 * w * (b - c)) \
            if b > c else np.zeros_like(e)
        s = np.where(e <= a, 0.0, np.where(e <= c, rising, np.where(e <= b, falling, e - (a + b + c) / 3)))
        return scale * s, scale * distribution.cdf(e)
    raise InputError(f"recruitment_stress_closed_form: no closed form for a {distribution.kind!r} distribution; "
                     "expected 'uniform' or 'triangular'")


def recruitment_stress(strain, distribution: CrimpDistribution, fibril_modulus: float, volume_fraction: float):
    r""":math:`\sigma = \phi E_f \int_{-\infty}^{\varepsilon} F(x)\,dx` for any distribution (Pa), and its tangent.

    The integral of the CDF from the lower end of the support is evaluated per strain
    with adaptive Gauss–Kronrod quadrature (``scipy.integrate.quad``, relative tolerance
    1e-12, breakpoints of bounded distributions passed as points): a reference for
    distributions without a closed form.
    """
    e = _check(strain, fibril_modulus, volume_fraction)
    d = distribution.frozen
    lo = float(d.ppf(0.0))
    breaks = [v for v in distribution.parameters.values()] if distribution.kind in ("uniform", "triangular") else []
    flat = e.ravel()
    s = np.array([integrate.quad(d.cdf, lo, x, epsabs=0.0, epsrel=1e-12, limit=200,
                                 points=[b for b in breaks if lo < b < x] or None)[0] if x > lo else 0.0
                  for x in flat])
    F = d.cdf(flat)
    return (volume_fraction * fibril_modulus * s.reshape(e.shape),
            volume_fraction * fibril_modulus * F.reshape(e.shape))


def quantile_quadrature(distribution: CrimpDistribution, points: int):
    r"""Critical strains at the probability midpoints :math:`\varepsilon_{c,i} = F^{-1}((i-\tfrac12)/N)`, equal weights.

    The midpoint rule in the probability variable :math:`u = F(x)`: the fibril
    population average of any function is :math:`\int_0^1 g(F^{-1}(u))\,du \approx
    \frac1N\sum_i g(\varepsilon_{c,i})`. The error is :math:`O(N^{-2})` when the quantile
    function is smooth (uniform crimp), and :math:`O(N^{-3/2})` when the density vanishes
    linearly at an end of the support (triangular crimp: :math:`F^{-1}(u) - a \propto \sqrt u`,
    whose unbounded derivative costs the end cells half an order). Returns ``(critical_strains (N,), weights (N,))``.
    """
    if isinstance(points, bool) or int(points) != points or points < 2:
        raise InputError(f"quadrature points: got {points!r}, expected an integer >= 2")
    u = (np.arange(int(points)) + 0.5) / int(points)
    return np.asarray(distribution.ppf(u), dtype=float), np.full(int(points), 1.0 / int(points))


class FibrilPopulationModel:
    r"""Fine scale: collagen fibrils, :math:`\sigma_f = E_f\,(\varepsilon_f)_+`, one fibril per batch item.

    Input ``fibril_strain`` (strain beyond the fibril's slack length); output
    ``fibril_stress`` in Pa with the tangent :math:`E_f H(\varepsilon_f)`. The batch is
    the fibril population of every macro point (the lift of :func:`fascicle_model`
    flattens points x fibrils). Characteristic length: the fibril diameter.
    """

    card = {
        "role": "solver",
        "physics": "linear-elastic collagen fibrils that carry load only when straight: sigma_f = E_f (eps_f)_+",
        "assumptions": ["fibrils carry no compression (buckle)", "small strain", "no fibril sliding or failure"],
        "references": ["J. Kastelic, I. Palley, E. Baer (1980), J. Biomech. 13, 887",
                       "T. Shearer (2015), J. Biomech. 48, 290"],
        "validation": [{"test": "tests/laws/test_tendon_fibrils.py", "reference": "closed-form J curve of uniform and "
                        "triangular crimp (derived)", "status": "passing"}],
    }

    def __init__(self, fibril_modulus: float, diameter: float = 100e-9):
        if not fibril_modulus > 0:
            raise InputError(f"fibril_modulus: got {fibril_modulus!r}, expected > 0 Pa")
        self.modulus = float(fibril_modulus)
        self.name = "collagen fibril"
        self.inputs = {"fibril_strain": Port("", description="fibril strain beyond its slack (crimp) length")}
        self.outputs = {"fibril_stress": Port("Pa", description="axial fibril stress")}
        self.scale = Scale(diameter, math.inf, "fibril")

    def parameters(self) -> dict[str, Any]:
        return {"fibril_modulus_Pa": self.modulus}

    def sample_inputs(self) -> dict[str, np.ndarray]:
        return {"fibril_strain": np.array([-0.01, 0.02])}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        e = np.asarray(inputs["fibril_strain"], dtype=float)
        taut = (e > 0).astype(float)
        return Evaluation(outputs={"fibril_stress": self.modulus * e * taut},
                          tangents={("fibril_stress", "fibril_strain"): self.modulus * taut})


def fascicle_model(distribution: CrimpDistribution, fibril_modulus: float, volume_fraction: float,
                   points: int = 2000, length: float = 1e-3, fibril_diameter: float = 100e-9,
                   name: str = "fascicle (fibril recruitment)"):
    r"""The fascicle as ``upscale(fibril population)``: macro strain -> fibril strains -> average stress.

    lift: :math:`\varepsilon_{f,i} = \varepsilon - \varepsilon_{c,i}` (affine, every fibril sees
    the tissue strain beyond its slack); restrict: :math:`\sigma = \phi\sum_i w_i\sigma_{f,i}`
    with the tangent :math:`d\sigma/d\varepsilon = \phi\sum_i w_i\,\partial\sigma_{f,i}/\partial\varepsilon_{f,i}`
    (chain rule through the lift, exact). Fibrils are placed by :func:`quantile_quadrature`.
    Ports: ``strain`` () -> ``stress`` () in Pa and ``recruited_fraction`` (). The fine
    batch is points x fibrils.
    """
    if not 0 < volume_fraction <= 1:
        raise InputError(f"volume_fraction: got {volume_fraction!r}, expected 0 < phi <= 1")
    critical, weights = quantile_quadrature(distribution, points)
    fine = FibrilPopulationModel(fibril_modulus, fibril_diameter)
    n = critical.size

    def lift(coarse):
        return {"fibril_strain": (np.asarray(coarse["strain"], dtype=float)[:, None] - critical[None, :]).ravel()}

    def restrict(ev, coarse):
        stress = volume_fraction * ev["fibril_stress"].reshape(-1, n) @ weights
        tangent = volume_fraction * ev.tangents[("fibril_stress", "fibril_strain")].reshape(-1, n) @ weights
        recruited = (np.asarray(coarse["strain"])[:, None] > critical[None, :]) @ weights
        return {"stress": stress, "recruited_fraction": recruited}, {("stress", "strain"): tangent}

    model = upscale(fine, lift, restrict, inputs={"strain": Port("", description="tissue (fascicle) axial strain")},
                    outputs={"stress": Port("Pa", description="volume-fraction weighted average axial stress"),
                             "recruited_fraction": Port("", description="fraction of fibrils taut")},
                    scale=Scale(length, math.inf, "fascicle"), name=name)
    model.card = {
        "role": "bridging law",
        "physics": "sequential fibril recruitment: sigma = phi E_f int F(x) dx (toe), slope phi E_f (linear region)",
        "assumptions": ["affine fibril kinematics", "matrix stress neglected", "fibrils independent"],
        "references": ["S. P. Hansen, J. A. Weiss, E. S. Barton (2002), J. Biomech. Eng. 124, 72",
                       "T. Shearer (2015), J. Biomech. 48, 290"],
        "validation": [{"test": "tests/laws/test_tendon_fibrils.py", "reference": "piecewise-polynomial closed forms "
                        "(uniform, triangular crimp); tangent vs finite differences", "status": "passing"}],
    }
    model.critical_strains, model.weights, model.volume_fraction = critical, weights, volume_fraction
    model.sample_inputs = lambda: {"strain": np.array([0.5 * distribution.mean, 2.0 * distribution.ppf(0.999)])}
    return model
