"""Nested (double-loop) propagation into p-boxes, against the analytic bounds of a shifted Gaussian."""

import numpy as np
import pytest
from scipy import stats

from scalebridge.core import FunctionModel, InputError, Port, Scale
from scalebridge.uq import Interval, Normal, Uncertain, Uniform, nested, plot_pbox

E1, E2 = -0.5, 1.0


def shifted(e, x):
    return {"y": e + x}


MODEL = FunctionModel(shifted, {"e": Port("eV"), "x": Port("eV")}, {"y": Port("eV")}, Scale(1e-9, 1e-12), "shift")
EV = 1.602176634e-19
INPUTS = [Uncertain("e", Interval(f"{E1} eV", f"{E2} eV"), "epistemic"), Uncertain("x", Normal("0 eV", "1 eV"))]


def analytic_bounds(y):
    """y = e + x, e in [e1, e2] unknown, x ~ N(0, 1): Phi(y - e2) <= F(y) <= Phi(y - e1) (in eV)."""
    return stats.norm.cdf(y / EV - E2), stats.norm.cdf(y / EV - E1)


def test_pbox_of_interval_plus_gaussian_brackets_the_analytic_bounds():
    """Vertices e1, e2 with 4096 Sobol' inner samples: the 99 % DKW-widened envelopes (Ferson et al. 2003;
    Massart 1990) enclose Phi(y - e2) <= F(y) <= Phi(y - e1) everywhere, the raw envelopes match them
    within 2e-3, quantile and mean bounds match e1, e2 shifts."""
    pbox = nested(MODEL, INPUTS, outer="vertices", inner=4096, seed=0)["y"]
    assert pbox.samples.shape == (2, 4096) and pbox.unit == "eV"
    np.testing.assert_allclose(np.sort(pbox.outer_points["e"]), [E1 * EV, E2 * EV])
    y = np.linspace(-5, 6, 1101) * EV
    lower_exact, upper_exact = analytic_bounds(y)
    lower, upper = pbox.bounds(y, confidence=0.99)
    assert np.all(lower <= lower_exact) and np.all(upper >= upper_exact)
    raw_lower, raw_upper = pbox.bounds(y)
    assert np.max(np.abs(raw_lower - lower_exact)) < 2e-3 and np.max(np.abs(raw_upper - upper_exact)) < 2e-3
    q_low, q_high = pbox.quantile_bounds([0.5])
    assert q_low[0] / EV == pytest.approx(E1, abs=0.01) and q_high[0] / EV == pytest.approx(E2, abs=0.01)
    m_low, m_high = pbox.mean_bounds()
    assert m_low / EV == pytest.approx(E1, abs=0.01) and m_high / EV == pytest.approx(E2, abs=0.01)


def test_sampled_outer_loop_stays_inside_the_vertex_box():
    """With 8 points spread over the interval, every CDF lies between the vertex envelopes (monotone model)."""
    vertices = nested(MODEL, INPUTS, inner=1024, seed=1)["y"]
    spread = nested(MODEL, INPUTS, outer=8, inner=1024, seed=1)["y"]
    y = np.linspace(-4, 5, 301) * EV
    lo, hi = vertices.bounds(y)
    cdfs = spread.cdfs(y)
    assert cdfs.shape == (8, 301)
    assert np.all(cdfs >= lo - 0.01) and np.all(cdfs <= hi + 0.01)
    assert plot_pbox(spread, confidence=0.95, analytic=analytic_bounds) is not None


def test_nested_input_errors():
    with pytest.raises(InputError, match="both aleatoric and epistemic"):
        nested(MODEL, [Uncertain("e", Uniform(0, 1)), Uncertain("x", Normal(0, 1))])
    with pytest.raises(InputError, match="vertices need epistemic Intervals"):
        nested(MODEL, [Uncertain("e", Uniform(0, 1), "epistemic"), Uncertain("x", Normal(0, 1))])
    with pytest.raises(InputError, match="outer must be"):
        nested(MODEL, INPUTS, outer=1)
    with pytest.raises(InputError, match="confidence"):
        nested(MODEL, INPUTS, inner=64)["y"].bounds([0.0], confidence=1.5)
