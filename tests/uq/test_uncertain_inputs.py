"""Uncertain inputs: units converted against the ports, sampling by inverse CDF, clear errors, plots."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats

from scalebridge.core import FunctionModel, InputError, Port, Scale, UnitError
from scalebridge.uq import (Empirical, Interval, LogNormal, Normal, TruncatedNormal, Uncertain, UncertainInputs,
                            Uniform, plot_distribution, plot_sobol, propagate, saltelli, sobol_from_chaos)

MODEL = FunctionModel(lambda barrier, temperature, strain: {"y": barrier / temperature + strain.sum(axis=1)},
                      {"barrier": Port("J"), "temperature": Port("K"), "strain": Port("", (3,))},
                      {"y": Port("J/K")}, Scale(1e-9, 1e-12), "model")


def test_units_are_converted_against_the_port():
    bound = UncertainInputs(MODEL, [Uncertain("barrier", Normal("96.485 kJ/mol", "0.1 eV")),
                                    Uncertain("temperature", Uniform("300 K", 600.0))])
    normal, uniform = bound.distributions
    assert normal.std == pytest.approx(1.602176634e-20)
    assert normal.mean == pytest.approx(1.602176634e-19 * 1.00000, rel=1e-4)   # 96.485 kJ/mol = 1 eV per particle
    assert (uniform.low, uniform.high) == (300.0, 600.0)
    assert bound.names == ["barrier", "temperature"] and bound.of_kind("epistemic") is None


def test_inverse_cdf_sampling_matches_the_distributions():
    """Kolmogorov-Smirnov distance of 4096 QMC samples to each exact CDF below 0.01."""
    model = FunctionModel(lambda a, b, c, d: {"y": a + b + c + d}, {k: Port("") for k in "abcd"}, {"y": Port("")},
                          Scale(1, 1), "m")
    bound = UncertainInputs(model, [Uncertain("a", Normal(1.0, 2.0)), Uncertain("b", LogNormal(3.0, 0.4)),
                                    Uncertain("c", TruncatedNormal(0.0, 1.0, -0.5, 2.0)),
                                    Uncertain("d", Uniform(-1.0, 1.0))])
    x = bound.sample(4096, "qmc", seed=0)
    exact = {"a": stats.norm(1, 2).cdf, "b": stats.lognorm(0.4, scale=3.0).cdf,
             "c": stats.truncnorm(-0.5, 2.0).cdf, "d": stats.uniform(-1, 2).cdf}
    for k, cdf in exact.items():
        assert stats.kstest(x[k], cdf).statistic < 0.01
    np.testing.assert_array_equal(x["a"], bound.sample(4096, "qmc", seed=0)["a"])


def test_interval_vertices_and_empirical_resampling():
    model = FunctionModel(lambda a, b, c: {"y": a + b + c}, {k: Port("eV") for k in "abc"}, {"y": Port("eV")},
                          Scale(1, 1), "m")
    bound = UncertainInputs(model, [Uncertain("a", Interval("-0.1 eV", "0.1 eV"), "epistemic"),
                                    Uncertain("b", Interval(0.0, 1e-20), "epistemic"),
                                    Uncertain("c", Empirical(["0.1 eV", "0.3 eV", "0.2 eV"]))])
    corners = bound.of_kind("epistemic").vertices()
    assert len(corners["a"]) == 4 and set(corners["b"]) == {0.0, 1e-20}
    c = bound.of_kind("aleatoric").sample(300, "mc", seed=1)["c"]
    assert set(np.round(c / 1.602176634e-19, 12)) == {0.1, 0.2, 0.3}


@pytest.mark.parametrize("declared, error, match", [
    ([Uncertain("pressure", Normal(1, 1))], InputError, "not an input of the model; it takes"),
    ([Uncertain("strain", Normal(1, 1))], InputError, "only scalar ports"),
    ([Uncertain("barrier", Normal(1, 1)), Uncertain("barrier", Normal(2, 1))], InputError, "declared twice"),
    ([Uncertain("barrier", Normal("1 K", "1 K"))], UnitError, "barrier"),
    ([Uncertain("temperature", Uniform(600, 300))], InputError, "low < high"),
    ([Uncertain("temperature", LogNormal(-1, 0.1))], InputError, "median > 0"),
    ([Uncertain("temperature", Empirical([300.0]))], InputError, "at least 2"),
    ([Uncertain("temperature", TruncatedNormal(300, 0, 200, 400))], InputError, "std > 0"),
    ([Uncertain("temperature", Normal("3 hot", 1))], UnitError, "cannot read"),
    ([], InputError, "no uncertain inputs"),
])
def test_bad_declarations_name_the_port_and_the_problem(declared, error, match):
    with pytest.raises(error, match=match):
        UncertainInputs(MODEL, declared)


def test_bad_uncertain_items():
    with pytest.raises(InputError, match="an Interval is epistemic"):
        Uncertain("barrier", Interval(0, 1))
    with pytest.raises(InputError, match="kind must be one of"):
        Uncertain("barrier", Normal(0, 1), kind="ontological")
    with pytest.raises(InputError, match="distribution must be one of"):
        Uncertain("barrier", (0, 1))
    bound = UncertainInputs(MODEL, [Uncertain("barrier", Normal(1, 1))])
    with pytest.raises(InputError, match="unknown sampling method"):
        bound.sample(8, "grid")


def test_plots_return_figures():
    model = FunctionModel(lambda a, b: {"y": a + 2 * b}, {"a": Port(""), "b": Port("")}, {"y": Port("K")},
                          Scale(1, 1), "m")
    inputs = [Uncertain("a", Normal(0, 1)), Uncertain("b", Uniform(0, 1))]
    result = propagate(model, inputs, "mc", n=256)
    assert isinstance(plot_distribution(result, "y"), Figure)
    assert isinstance(plot_sobol(saltelli(model, inputs, n=256), "y"), Figure)
    assert isinstance(plot_sobol(sobol_from_chaos(propagate(model, inputs, "pce", order=1).surrogate), "y"), Figure)
