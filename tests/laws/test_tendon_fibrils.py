"""Fibril recruitment: closed forms of the J curve, linear slope, quadrature convergence, tangents."""

import numpy as np
import pytest

from scalebridge.core.consistency import check_tangent
from scalebridge.core.errors import InputError
from scalebridge.laws.tendon import (CrimpDistribution, crosslinked_fibril_modulus, fascicle_model,
                                     recruitment_stress, recruitment_stress_closed_form)

E_F, PHI = 1.5e9, 0.6
UNIFORM = CrimpDistribution("uniform", {"lower": 0.01, "upper": 0.04})
TRIANGULAR = CrimpDistribution("triangular", {"lower": 0.005, "mode": 0.015, "upper": 0.04})


def test_uniform_closed_form_by_hand():
    """Uniform crimp on [a, b] (derived): sigma = phi E_f (e - a)^2 / (2 (b - a)) in the toe, phi E_f (e - (a+b)/2) after."""
    s, t = recruitment_stress_closed_form(np.array([0.005, 0.025, 0.06]), UNIFORM, E_F, PHI)
    assert s[0] == 0 and t[0] == 0
    assert s[1] == pytest.approx(PHI * E_F * 0.015 ** 2 / (2 * 0.03), rel=1e-14)
    assert s[2] == pytest.approx(PHI * E_F * (0.06 - 0.025), rel=1e-14)
    assert t[1] == pytest.approx(PHI * E_F * 0.5, rel=1e-14) and t[2] == PHI * E_F


@pytest.mark.parametrize("dist", [UNIFORM, TRIANGULAR], ids=["uniform", "triangular"])
def test_closed_form_equals_the_recruitment_integral(dist):
    """The derived piecewise polynomials equal the integral phi E_f int F (adaptive quadrature, 1e-8)."""
    e = np.linspace(0.0, 0.06, 61)
    s, t = recruitment_stress_closed_form(e, dist, E_F, PHI)
    q, tq = recruitment_stress(e, dist, E_F, PHI)
    assert np.max(np.abs(s - q)) <= 1e-8 * s.max()
    assert np.allclose(t, tq, rtol=0, atol=1e-12 * PHI * E_F)
    # C1 continuity at the breakpoints and the second derivative = phi E_f p in the toe
    h = 1e-7
    for x in dist.parameters.values():
        lo, hi = recruitment_stress_closed_form(np.array([x - h, x + h]), dist, E_F, PHI)[0]
        assert abs(hi - lo) <= 2 * h * PHI * E_F * (1 + 1e-6)
    mid = np.array([0.02 - h, 0.02, 0.02 + h])
    second = np.diff(recruitment_stress_closed_form(mid, dist, E_F, PHI)[0], 2)[0] / h ** 2
    assert second == pytest.approx(PHI * E_F * dist.pdf(0.02), rel=1e-5)


@pytest.mark.parametrize("dist, order", [(UNIFORM, 2.0), (TRIANGULAR, 1.5)], ids=["uniform", "triangular"])
def test_fibril_population_converges_to_closed_form(dist, order):
    """Quantile (probability-midpoint) placement converges to the closed form at the midpoint-rule order:
    2 for a smooth quantile function (uniform), 3/2 when F^-1(u) - a ~ sqrt(u) (triangular: density
    vanishing linearly at the support ends). Observed order from a least-squares fit over N = 500..4000."""
    e = np.linspace(0.0, 0.06, 121)
    exact = recruitment_stress_closed_form(e, dist, E_F, PHI)[0]
    n = np.array([500, 1000, 2000, 4000])
    errors = [np.max(np.abs(fascicle_model(dist, E_F, PHI, k).evaluate({"strain": e})["stress"] - exact)) for k in n]
    observed = -np.polyfit(np.log(n), np.log(errors), 1)[0]
    assert abs(observed - order) < 0.2, observed
    assert errors[-1] < 2e-7 * exact.max()


def test_linear_region_slope_is_phi_Ef_when_all_recruited():
    """Past the largest critical strain every fibril is taut: d sigma/d eps = phi E_f exactly."""
    law = fascicle_model(TRIANGULAR, E_F, PHI, 500)
    e = np.array([0.045, 0.05, 0.07])
    ev = law.evaluate({"strain": e})
    assert np.allclose(ev["recruited_fraction"], 1.0, rtol=0, atol=1e-12)
    assert np.allclose(ev.tangents[("stress", "strain")], PHI * E_F, rtol=1e-14)
    assert np.allclose(np.diff(ev["stress"]) / np.diff(e), PHI * E_F, rtol=1e-10)


@pytest.mark.parametrize("dist", [TRIANGULAR, CrimpDistribution("weibull", {"location": 0.004, "scale": 0.015,
                                                                            "shape": 2.0}),
                                  CrimpDistribution("lognormal", {"median": 0.02, "sigma": 0.3})],
                         ids=["triangular", "weibull", "lognormal"])
def test_tangent_matches_finite_differences(dist):
    """Analytic tangent of the upscaled law vs central differences (1e-6 relative)."""
    law = fascicle_model(dist, E_F, PHI, 1000)
    (result,) = check_tangent(law, {"strain": np.array([0.012, 0.021, 0.033, 0.09])})
    assert result.data["relative_error"] < 1e-6


def test_crosslinks_raise_the_fibril_modulus_and_saturate():
    E = crosslinked_fibril_modulus(np.array([0.0, 0.5, 1e9]), 0.4e9, 2.0e9, 0.5)
    assert E[0] == 0.4e9 and E[1] == pytest.approx(1.2e9) and E[2] == pytest.approx(2.0e9)


@pytest.mark.parametrize("kind, params, key", [("uniform", {"lower": 0.04, "upper": 0.01}, "lower < upper"),
                                               ("weibull", {"location": 0.0, "scale": 0.01}, "expected"),
                                               ("gamma", {}, "kind")])
def test_bad_distributions_name_the_problem(kind, params, key):
    with pytest.raises(InputError, match=key):
        CrimpDistribution(kind, params)
