"""Sobol' indices from PCE coefficients and Saltelli sampling, and Morris screening, against analytic values."""

import pytest
from uq_functions import G_INPUTS, G_MODEL, G_NAMES, ISHIGAMI, ISHIGAMI_INPUTS, g_exact, ishigami_exact

from scalebridge.core import FunctionModel, InputError, Port, Scale
from scalebridge.uq import Uncertain, Uniform, morris, propagate, saltelli, sobol_from_chaos


def test_ishigami_indices_from_pce_within_0_01():
    """Order-12 PCE by regression on 2048 Sobol' points: S_i and S_Ti within 0.01 of the closed
    forms of Sobol' & Levitan (1999) for the Ishigami function (Ishigami & Homma 1990), and
    mean and variance within 0.1 %. Measured: largest index error 2e-4."""
    mean, variance, first, total = ishigami_exact()
    result = propagate(ISHIGAMI, ISHIGAMI_INPUTS, "pce", n=2048, order=12, seed=1)
    indices = sobol_from_chaos(result.surrogate)
    assert indices.n_evaluations == 2048
    for k in first:
        assert abs(indices.first["y"][k] - first[k]) < 0.01
        assert abs(indices.total["y"][k] - total[k]) < 0.01
        assert indices.first["y"][k] == pytest.approx(result.sobol_first["y"][k])
    assert result.mean["y"] == pytest.approx(mean, rel=1e-3)
    assert result.variance["y"] == pytest.approx(variance, rel=1e-3)


def test_ishigami_pce_by_gauss_quadrature():
    """Spectral projection on 11^3 Gauss-Legendre nodes (order 10): indices within 0.01 and mean exact to
    1e-8 (the quadrature integrates sin^2 and x^4 sin x to near round-off)."""
    mean, variance, first, total = ishigami_exact()
    result = propagate(ISHIGAMI, ISHIGAMI_INPUTS, "pce", order=10, rule="quadrature")
    assert result.n_evaluations == 11**3
    assert result.mean["y"] == pytest.approx(mean, rel=1e-8)
    for k in first:
        assert abs(result.sobol_first["y"][k] - first[k]) < 0.01
        assert abs(result.sobol_total["y"][k] - total[k]) < 0.01


@pytest.mark.parametrize("model, inputs, exact", [(ISHIGAMI, ISHIGAMI_INPUTS, ishigami_exact()[2:]),
                                                  (G_MODEL, G_INPUTS, g_exact())], ids=["ishigami", "g-function"])
def test_saltelli_indices_within_their_confidence_intervals(model, inputs, exact):
    """Saltelli (2010) first-order and Jansen (1999) total estimators on N = 8192 Sobol' rows: every
    analytic index (Sobol' & Levitan 1999; Saltelli & Sobol' 1995) lies in its 95 % bootstrap
    interval, and the intervals are narrower than 0.1."""
    first, total = exact
    indices = saltelli(model, inputs, n=8192, seed=3)
    assert indices.n_evaluations == 8192 * (len(first) + 2)
    for k in first:
        for estimate, interval, value in ((indices.first, indices.first_interval, first[k]),
                                          (indices.total, indices.total_interval, total[k])):
            low, high = interval["y"][k]
            assert low <= value <= high, (k, value, low, high)
            assert low <= estimate["y"][k] <= high
            assert high - low < 0.1


def test_saltelli_with_plain_monte_carlo_is_unbiased_within_the_interval():
    """Pseudo-random A and B (no QMC): the Ishigami indices still fall in the bootstrap intervals."""
    first, total = ishigami_exact()[2:]
    indices = saltelli(ISHIGAMI, ISHIGAMI_INPUTS, n=8000, seed=7, sampling="mc")
    for k in first:
        assert indices.first_interval["y"][k][0] <= first[k] <= indices.first_interval["y"][k][1]
        assert indices.total_interval["y"][k][0] <= total[k] <= indices.total_interval["y"][k][1]


def test_morris_linear_effects_are_exact_and_g_function_ranked():
    """For y = sum c_i x_i on U(0, 1) every elementary effect is c_i exactly (mu* = |c_i|, sigma = 0);
    for the G-function mu* ranks the inputs by increasing a_i, the order of the total indices
    (Campolongo et al. 2007)."""
    c = {"x1": 3.0, "x2": -1.0, "x3": 0.25}
    linear = FunctionModel(lambda x1, x2, x3: {"y": c["x1"] * x1 + c["x2"] * x2 + c["x3"] * x3},
                           {k: Port("") for k in c}, {"y": Port("")}, Scale(1.0, 1.0), "linear")
    screening = morris(linear, [Uncertain(k, Uniform(0.0, 1.0)) for k in c], trajectories=10, seed=0)
    assert screening.n_evaluations == 10 * 4
    for k, value in c.items():
        assert screening.mu_star["y"][k] == pytest.approx(abs(value), rel=1e-9)
        assert screening.mu["y"][k] == pytest.approx(value, rel=1e-9)
        assert screening.sigma["y"][k] == pytest.approx(0.0, abs=1e-9)
    g = morris(G_MODEL, G_INPUTS, trajectories=40, seed=1)
    assert g.ranking("y") == G_NAMES


def test_sensitivity_input_errors():
    with pytest.raises(InputError, match="power of 2"):
        saltelli(ISHIGAMI, ISHIGAMI_INPUTS, n=1000)
    with pytest.raises(InputError, match="bootstrap"):
        saltelli(ISHIGAMI, ISHIGAMI_INPUTS, n=64, bootstrap=3)
    with pytest.raises(InputError, match="even number of levels"):
        morris(ISHIGAMI, ISHIGAMI_INPUTS, levels=3)
    flat = FunctionModel(lambda x: {"y": 0 * x}, {"x": Port("")}, {"y": Port("")}, Scale(1.0, 1.0), "flat")
    with pytest.raises(InputError, match="does not vary"):
        saltelli(flat, [Uncertain("x", Uniform(0, 1))], n=64)
    with pytest.raises(InputError, match="fitted PolynomialChaosSurrogate"):
        sobol_from_chaos(object())
