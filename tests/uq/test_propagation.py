"""Propagation through a chained model: PCE and MC against closed forms, reproducibility, executors."""

import numpy as np
import pytest

from scalebridge.core import (ConvergenceError, FunctionModel, InputError, Port, Scale, SerialExecutor, UnitError,
                              chain)
from scalebridge.uq import (Empirical, Interval, LogNormal, Normal, TruncatedNormal, Uncertain, Uniform, propagate)

A, B, C, D = 2.0, -3.0, 0.5, 10.0
M1, S1, M2, S2 = 1.5, 0.2, -0.7, 0.05     # x1 ~ N(M1, S1^2) in K, x2 ~ N(M2, S2^2) in K


def linear_step(x1, x2):
    return {"y": A * x1 + B * x2}


def affine_step(y):
    return {"z": C * y + D}


STEP1 = FunctionModel(linear_step, {"x1": Port("K"), "x2": Port("K")}, {"y": Port("K")}, Scale(1e-9, 1e-12), "step1")
STEP2 = FunctionModel(affine_step, {"y": Port("K")}, {"z": Port("K")}, Scale(1e-6, 1e-9), "step2")
CHAIN = chain(STEP1, STEP2)
INPUTS = [Uncertain("x1", Normal(f"{M1} K", f"{S1} K")), Uncertain("x2", Normal(M2, S2), kind="epistemic")]
MEAN_Z = C * (A * M1 + B * M2) + D
VAR_Z = C**2 * (A**2 * S1**2 + B**2 * S2**2)


@pytest.mark.parametrize("rule", ["regression", "quadrature"])
def test_linear_gaussian_chain_pce_matches_closed_form_to_1e_10(rule):
    """z = c (a x1 + b x2) + d with Gaussian x: E z = c (a m1 + b m2) + d, Var z = c^2 (a^2 s1^2 + b^2 s2^2);
    a degree-1 Hermite PCE (orthonormal for the normal inputs) is exact (Xiu & Karniadakis 2002)."""
    result = propagate(CHAIN, INPUTS, "pce", order=1, rule=rule)
    assert result.mean["z"] == pytest.approx(MEAN_Z, rel=1e-10)
    assert result.variance["z"] == pytest.approx(VAR_Z, rel=1e-10)
    assert result.variance["y"] == pytest.approx(A**2 * S1**2 + B**2 * S2**2, rel=1e-10)
    shares = np.array([A**2 * S1**2, B**2 * S2**2]) / (A**2 * S1**2 + B**2 * S2**2)
    np.testing.assert_allclose([result.sobol_first["z"]["x1"], result.sobol_first["z"]["x2"]], shares, rtol=1e-10)


@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_linear_gaussian_chain_sampling_within_three_standard_errors(method):
    """MC and randomised QMC: mean and std of z within 3 of their own standard errors of the closed form;
    the MC standard error is s/sqrt(N) and the history ends at N."""
    result = propagate(CHAIN, INPUTS, method, n=4096, seed=11)
    assert abs(result.mean["z"] - MEAN_Z) < 3 * result.mean_standard_error["z"]
    assert abs(result.std["z"] - np.sqrt(VAR_Z)) < 3 * result.std_standard_error["z"]
    assert result.history["n"][-1] == 4096 and result.history["mean"]["z"][-1] == result.mean["z"]
    if method == "mc":
        assert result.mean_standard_error["z"] == pytest.approx(result.std["z"] / 64, rel=1e-12)
        assert list(result.history["n"][:3]) == [2, 4, 8]
    else:
        assert result.mean_standard_error["z"] < 0.05 * result.std["z"] / 64   # QMC beats MC by far here


def test_mc_standard_error_is_honest_over_repetitions():
    """Over 200 seeds, the MC mean lies within 2 reported standard errors about 95 % of the time."""
    z = [propagate(CHAIN, INPUTS, "mc", n=256, seed=s) for s in range(200)]
    inside = np.mean([abs(r.mean["z"] - MEAN_Z) < 2 * r.mean_standard_error["z"] for r in z])
    assert 0.90 < inside < 0.99


def test_seeded_runs_are_reproducible_and_seeds_differ():
    a, b = (propagate(CHAIN, INPUTS, "mc", n=256, seed=5) for _ in range(2))
    np.testing.assert_array_equal(a.outputs["z"], b.outputs["z"])
    assert not np.array_equal(a.outputs["z"], propagate(CHAIN, INPUTS, "mc", n=256, seed=6).outputs["z"])
    q1, q2 = (propagate(CHAIN, INPUTS, "qmc", n=256, seed=5) for _ in range(2))
    np.testing.assert_array_equal(q1.outputs["z"], q2.outputs["z"])


def test_dask_local_cluster_gives_the_serial_numbers():
    """A LocalCluster with 2 workers evaluates the chunks; MC samples and estimates are identical to serial."""
    distributed = pytest.importorskip("distributed")
    from scalebridge.core import DaskExecutor

    serial = propagate(CHAIN, INPUTS, "mc", n=512, seed=2, executor=SerialExecutor(), chunk_size=64)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = propagate(CHAIN, INPUTS, "mc", n=512, seed=2, executor=DaskExecutor(client), chunk_size=64)
    np.testing.assert_array_equal(dask.outputs["z"], serial.outputs["z"])
    assert dask.mean["z"] == serial.mean["z"] and dask.std["z"] == serial.std["z"]


def test_other_distributions_fixed_inputs_and_progress():
    """Log-normal, truncated normal, uniform and empirical inputs with units; a fixed input; progress calls."""
    def rate(prefactor, barrier, temperature, site, scale):
        return {"k": prefactor * np.exp(-barrier / (1.380649e-23 * temperature)) * site * scale}

    model = FunctionModel(rate, {"prefactor": Port("1/s"), "barrier": Port("J"), "temperature": Port("K"),
                                 "site": Port(""), "scale": Port("")}, {"k": Port("1/s")}, Scale(1e-9, 1e-12), "rate")
    uncertain = [Uncertain("prefactor", LogNormal("1e13 1/s", 0.5)),
                 Uncertain("barrier", TruncatedNormal("0.9 eV", "0.1 eV", "0.8 eV", "1.1 eV"), "epistemic"),
                 Uncertain("site", Empirical([0.9, 1.0, 1.1, 1.3])),
                 Uncertain("scale", Uniform(0.5, 1.5))]
    calls = []
    result = propagate(model, uncertain, "mc", n=2000, seed=0, chunk_size=300,
                       fixed_inputs={"temperature": "600 K"}, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2000, 2000) and len(calls) > 1
    x = result.inputs
    assert np.median(x["prefactor"]) == pytest.approx(1e13, rel=0.1)
    assert x["barrier"].min() >= 0.8 * 1.602176634e-19 and x["barrier"].max() <= 1.1 * 1.602176634e-19
    assert set(np.unique(x["site"])) == {0.9, 1.0, 1.1, 1.3}
    pce = propagate(model, uncertain, "pce", order=2, fixed_inputs={"temperature": 600.0}, seed=0)
    assert pce.mean["k"] == pytest.approx(result.mean["k"], rel=0.2)


def test_lognormal_input_pce_is_exact_in_log_space():
    """A log-normal input is expanded in ln x (Hermite): y = ln x has mean ln(median) and variance s^2,
    reproduced to round-off by a degree-1 expansion on Gauss-Hermite nodes."""
    log_model = FunctionModel(lambda x: {"y": np.log(x)}, {"x": Port("Pa")}, {"y": Port("")}, Scale(1, 1), "log")
    result = propagate(log_model, [Uncertain("x", LogNormal("2 kPa", 0.3))], "pce", order=1, rule="quadrature")
    assert result.mean["y"] == pytest.approx(np.log(2000.0), rel=1e-12)
    assert result.variance["y"] == pytest.approx(0.09, rel=1e-10)


def test_non_finite_outputs_raise_convergence_error():
    sqrt = FunctionModel(lambda x: {"y": np.sqrt(x)}, {"x": Port("")}, {"y": Port("")}, Scale(1, 1), "sqrt")
    with np.errstate(invalid="ignore"), pytest.raises(ConvergenceError, match="'sqrt': output 'y' is not finite"):
        propagate(sqrt, [Uncertain("x", Normal(0.0, 1.0))], "mc", n=64)


def test_propagation_input_errors():
    with pytest.raises(InputError, match="unknown method 'bayes'"):
        propagate(CHAIN, INPUTS, "bayes")
    with pytest.raises(InputError, match="not an input of the model"):
        propagate(CHAIN, [Uncertain("x3", Normal(0, 1))])
    with pytest.raises(InputError, match=r"neither uncertain nor given in fixed_inputs"):
        propagate(CHAIN, INPUTS[:1])
    with pytest.raises(InputError, match="both uncertain and fixed"):
        propagate(CHAIN, INPUTS, fixed_inputs={"x1": 1.0})
    with pytest.raises(InputError, match="epistemic intervals without probability"):
        propagate(CHAIN, [INPUTS[0], Uncertain("x2", Interval(0, 1), "epistemic")])
    with pytest.raises(InputError, match="power of 2"):
        propagate(CHAIN, INPUTS, "qmc", n=1000, replicates=10)
    with pytest.raises(InputError, match="replicates"):
        propagate(CHAIN, INPUTS, "qmc", n=1024, replicates=3)
    with pytest.raises(InputError, match="PCE order"):
        propagate(CHAIN, INPUTS, "pce", order=0)
    with pytest.raises(InputError, match="do not give n"):
        propagate(CHAIN, INPUTS, "pce", n=100, rule="quadrature")
    with pytest.raises(UnitError, match="x1"):
        propagate(CHAIN, [Uncertain("x1", Normal("1 m", "1 m")), INPUTS[1]])
    with pytest.raises(InputError, match="std must be > 0"):
        propagate(CHAIN, [Uncertain("x1", Normal(1.0, -1.0)), INPUTS[1]])
