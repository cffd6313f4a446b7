"""GP and PCE surrogates: accuracy on a homogenised conductivity, exactness, tangents, std, save/load.

Fine model of the validation: the effective conductivity of a square array of discs
(matrix conductivity 1), closed form of Rayleigh's multipole method as truncated by
Perrins, McKenzie & McPhedran (1979), Proc. R. Soc. Lond. A 369, 207.
"""

import json
import sys

import numpy as np
import pytest

from scalebridge.core import (FunctionModel, InputError, MissingDependencyError, Port, Scale, SerialExecutor,
                              describe_json)
from scalebridge.reduction import (Declarations, GaussianProcessSurrogate, PolynomialChaosSurrogate, cross_validate,
                                   design, fit_surrogate, load_surrogate, save)


def perrins_square_array(f, ratio):
    """k_eff / k_matrix of a square array of discs (area fraction f, conductivity ratio ``ratio``).

    Perrins, McKenzie & McPhedran (1979), Proc. R. Soc. Lond. A 369, 207, square array:
    1 - 2f / (T + f - 0.305827 f^4 T / (T^2 - 1.402958 f^8) - 0.013362 f^8), T = (1 + ratio)/(1 - ratio).
    """
    T = (1.0 + ratio) / (1.0 - ratio)
    return 1.0 - 2.0 * f / (T + f - 0.305827 * f**4 * T / (T**2 - 1.402958 * f**8) - 0.013362 * f**8)


CELL = Scale("10 um", np.inf, "disc array cell")
DISC_ARRAY = FunctionModel(
    lambda volume_fraction, contrast: {"conductivity": perrins_square_array(volume_fraction, contrast)},
    {"volume_fraction": Port("", description="disc area fraction"),
     "contrast": Port("", description="disc / matrix conductivity")},
    {"conductivity": Port("W/(m*K)", description="effective conductivity, matrix 1 W/(m K)")}, CELL, "square array")
BOUNDS = {"volume_fraction": (0.05, 0.45), "contrast": (2.0, 50.0)}


@pytest.fixture(scope="module")
def training():
    x = design(DISC_ARRAY, BOUNDS, 64, seed=0, log=["contrast"])
    return x, DISC_ARRAY.evaluate(x).outputs


@pytest.mark.parametrize("surrogate", [
    GaussianProcessSurrogate(DISC_ARRAY, log_inputs=["contrast"]),
    PolynomialChaosSurrogate(DISC_ARRAY, bounds=BOUNDS, log_inputs=["contrast"], degree=6),
], ids=["gp", "pce"])
def test_cross_validated_error_below_one_percent(surrogate, training):
    """5-fold CV on 64 Sobol' points of (f, log contrast): every held-out prediction within 1 %."""
    cv = cross_validate(surrogate, *training, k=5, seed=0)
    assert cv.rms_relative_error["conductivity"] < 1e-3
    assert cv.max_relative_error["conductivity"] < 1e-2
    assert len(cv.fold_rms_relative_error["conductivity"]) == 5


def test_fit_surrogate_is_a_model_with_the_fine_ports(training):
    s = fit_surrogate(DISC_ARRAY, "gp", BOUNDS, 32, log_inputs=["contrast"], executor=SerialExecutor(),
                      chunk_size=8, held_out=16)
    assert s.inputs == DISC_ARRAY.inputs and s.outputs == DISC_ARRAY.outputs and s.scale is CELL
    assert s.model is DISC_ARRAY and s.children == [DISC_ARRAY]
    assert len(s.held_out[0]["contrast"]) == 16 and len(s.training_set.inputs["contrast"]) == 32
    doc = json.loads(describe_json(s))
    assert doc["parameters"]["training_points"] == 32 and doc["children"][0]["name"] == "square array"


def polynomial(x, t):
    """A polynomial of total degree 3 in (x0, x1, t), and its gradient."""
    y = 1 + 2 * x[:, 0] - 3 * x[:, 1] * t + x[:, 0] ** 2 * t + 0.5 * t**3
    dx = np.stack([2 + 2 * x[:, 0] * t, -3 * t], axis=1)
    dt = -3 * x[:, 1] + x[:, 0] ** 2 + 1.5 * t**2
    return {"y": y}, {("y", "x"): dx, ("y", "t"): dt}


POLY = FunctionModel(polynomial, {"x": Port("", (2,)), "t": Port("")}, {"y": Port("")}, CELL, "cubic")


def test_pce_reproduces_a_polynomial_to_round_off():
    bounds = {"x": ([-1, 0], [2, 3]), "t": (0.5, 1.5)}
    s = fit_surrogate(POLY, "pce", bounds, 64, degree=3)
    x = design(POLY, bounds, 50, method="lhs", seed=7)
    exact, grads = polynomial(**x)
    ev = s.evaluate(x)
    assert np.abs(ev["y"] - exact["y"]).max() < 1e-12 * np.abs(exact["y"]).max()
    assert ev.tangents[("y", "x")].shape == (50, 2)
    for key, g in grads.items():
        assert np.allclose(ev.tangents[key], g, rtol=1e-11, atol=1e-11)


def test_pce_moments_and_sobol_indices_match_analytic_values():
    """y = a + b x1 + c x2^2, x1 ~ U(0, 2), x2 ~ U(-1, 1):
    E y = a + b + c/3, Var y = b^2/3 + 4c^2/45, S1 = (b^2/3)/Var (Sudret 2008)."""
    a, b, c = 1.0, 2.0, 3.0
    model = FunctionModel(lambda x1, x2: {"y": a + b * x1 + c * x2**2}, {"x1": Port(""), "x2": Port("")},
                          {"y": Port("")}, CELL, "quadratic")
    s = fit_surrogate(model, "pce", {"x1": (0, 2), "x2": (-1, 1)}, 32, degree=2)
    var = b**2 / 3 + 4 * c**2 / 45
    assert s.mean["y"] == pytest.approx(a + b + c / 3, rel=1e-12)
    assert s.variance["y"] == pytest.approx(var, rel=1e-12)
    first = s.sobol_indices()
    assert first["y"]["x1"] == pytest.approx(b**2 / 3 / var, rel=1e-10)
    assert first["y"]["x2"] == pytest.approx(4 * c**2 / 45 / var, rel=1e-10)
    assert s.sobol_indices(total=True)["y"]["x1"] == pytest.approx(first["y"]["x1"], rel=1e-10)


def test_pce_with_given_chaospy_distributions_gets_their_moments():
    chaospy = pytest.importorskip("chaospy")
    model = FunctionModel(lambda x: {"y": 2 * x + x**2}, {"x": Port("")}, {"y": Port("")}, CELL, "square")
    x = {"x": np.linspace(-3, 3, 20)}
    s = PolynomialChaosSurrogate(model, degree=2, distributions=[chaospy.Normal(0.5, 2.0)])
    s.fit(x, model.evaluate(x).outputs)
    # x ~ N(0.5, 4): E y = 2*0.5 + (4 + 0.25) = 5.25
    assert s.mean["y"] == pytest.approx(5.25, rel=1e-10)


def heat_flux(volume_fraction, gradient):
    """q = -k_eff(f) grad T (Fourier), vector in and out."""
    k = perrins_square_array(volume_fraction, 10.0)
    return {"flux": -k[:, None] * gradient}


FOURIER = FunctionModel(heat_flux, {"volume_fraction": Port(""), "gradient": Port("K/m", (2,))},
                        {"flux": Port("W/m^2", (2,))}, CELL, "fourier")
FLUX_BOUNDS = {"volume_fraction": (0.1, 0.4), "gradient": (-1.0, 1.0)}


def test_gp_tangent_matches_central_differences():
    s = fit_surrogate(FOURIER, "gp", FLUX_BOUNDS, 64)
    x = design(FOURIER, FLUX_BOUNDS, 6, method="lhs", seed=4)
    ev = s.evaluate(x)
    t = ev.tangents[("flux", "gradient")]
    assert t.shape == (6, 2, 2) and ev.tangents[("flux", "volume_fraction")].shape == (6, 2)
    h = 1e-3        # the flux is linear in the gradient: no truncation error, little cancellation
    for j in range(2):
        plus, minus = {**x, "gradient": x["gradient"].copy()}, {**x, "gradient": x["gradient"].copy()}
        plus["gradient"][:, j] += h
        minus["gradient"][:, j] -= h
        fd = (s.evaluate(plus)["flux"] - s.evaluate(minus)["flux"]) / (2 * h)
        assert np.allclose(t[:, :, j], fd, atol=1e-5 * np.abs(t).max())
    plus, minus = {**x, "volume_fraction": x["volume_fraction"] + h}, {**x, "volume_fraction": x["volume_fraction"] - h}
    fd = (s.evaluate(plus)["flux"] - s.evaluate(minus)["flux"]) / (2 * h)
    dq_df = ev.tangents[("flux", "volume_fraction")]
    assert np.allclose(dq_df, fd, atol=1e-5 * np.abs(dq_df).max())
    # and the surrogate learned Fourier's law: -k_eff I
    assert np.allclose(t, -perrins_square_array(x["volume_fraction"], 10.0)[:, None, None] * np.eye(2), atol=1e-3)


def test_gp_std_is_small_at_training_points_and_grows_away():
    model = FunctionModel(lambda x: {"y": np.sin(3 * x)}, {"x": Port("m")}, {"y": Port("")}, CELL, "sine")
    x = {"x": np.linspace(0.0, 2.0, 6)}
    s = GaussianProcessSurrogate(model).fit(x, model.evaluate(x).outputs)
    at_training = s.evaluate(x).info["std"]["y"]
    between = s.evaluate({"x": x["x"][:-1] + 0.2}).info["std"]["y"]
    outside = s.evaluate({"x": np.array([2.5, 3.0])}).info["std"]["y"]
    assert at_training.max() < 0.1 * between.min()
    assert between.max() < outside[0] < outside[1]


def test_refit_without_optimising_keeps_hyperparameters_and_learns(training):
    x, y = training
    s = GaussianProcessSurrogate(DISC_ARRAY, log_inputs=["contrast"])
    with pytest.raises(InputError, match="needs hyperparameters"):
        s.fit(x, y, optimize=False)
    half = {k: v[:32] for k, v in x.items()}
    s.fit(half, {k: v[:32] for k, v in y.items()})
    before = s.hyperparameters[0]["length_scales"]
    err_half = np.abs(s.evaluate(x)["conductivity"] - y["conductivity"]).max()
    assert s.fit(x, y, optimize=False) is s
    assert s.hyperparameters[0]["length_scales"] == before and len(s.training_set.inputs["contrast"]) == 64
    assert np.abs(s.evaluate(x)["conductivity"] - y["conductivity"]).max() < 0.1 * err_half


@pytest.mark.parametrize("kind, options", [("gp", {"log_outputs": ["conductivity"]}), ("pce", {"degree": 5})])
def test_save_and_load_reproduce_the_surrogate(tmp_path, kind, options):
    declared = Declarations(positive=("conductivity",), monotone=(("conductivity", "volume_fraction", 1),))
    s = fit_surrogate(DISC_ARRAY, kind, BOUNDS, 64, log_inputs=["contrast"], held_out=8, declarations=declared,
                      **options)
    path = save(s, tmp_path / "k_eff")
    assert path.suffix == ".npz"
    with np.load(path, allow_pickle=False) as data:          # plain arrays, no pickled objects
        meta = json.loads(str(data["metadata"]))
    assert meta["kind"] == s.kind and meta["inputs"]["contrast"]["unit"] == ""
    assert {"numpy", "scipy", "scalebridge"} <= set(meta["versions"])
    loaded = load_surrogate(path)
    x = design(DISC_ARRAY, BOUNDS, 40, method="lhs", seed=11)
    a, b = s.evaluate(x), loaded.evaluate(x)
    assert np.allclose(b["conductivity"], a["conductivity"], rtol=1e-12, atol=0)
    for key in a.tangents:
        assert np.allclose(b.tangents[key], a.tangents[key], rtol=1e-10, atol=1e-14)
    if kind == "gp":
        assert np.allclose(b.info["std"]["conductivity"], a.info["std"]["conductivity"], rtol=1e-8, atol=1e-14)
    assert loaded.declarations == s.declarations and loaded.scale.length_si == pytest.approx(1e-5)
    assert [c.passed for c in loaded.fidelity_checks()] == [c.passed for c in s.fidelity_checks()]


def test_clear_errors(tmp_path):
    s = GaussianProcessSurrogate(DISC_ARRAY)
    with pytest.raises(InputError, match="not fitted"):
        s.evaluate({"volume_fraction": np.ones(2), "contrast": np.ones(2)})
    bad = {"volume_fraction": np.array([0.1, np.nan]), "contrast": np.array([2.0, 3.0])}
    with pytest.raises(InputError, match="non-finite"):
        s.fit(bad, {"conductivity": np.ones(2)})
    x = design(DISC_ARRAY, BOUNDS, 8)
    with pytest.raises(InputError, match="determine only"):
        PolynomialChaosSurrogate(DISC_ARRAY, bounds=BOUNDS, degree=6).fit(x, DISC_ARRAY.evaluate(x).outputs)
    with pytest.raises(InputError, match="unknown kind 'kriging'"):
        fit_surrogate(DISC_ARRAY, "kriging", BOUNDS, 8)
    with pytest.raises(InputError, match="log_outputs"):
        PolynomialChaosSurrogate(DISC_ARRAY, log_outputs=["conductivity"])
    np.savez(tmp_path / "other.npz", metadata=np.array("{}"))
    with pytest.raises(InputError, match="not a scalebridge surrogate"):
        load_surrogate(tmp_path / "other.npz")


def test_missing_optional_dependency_names_the_extra(monkeypatch, training):
    monkeypatch.setitem(sys.modules, "sklearn.gaussian_process", None)
    with pytest.raises(MissingDependencyError, match=r"scalebridge\[surrogates\]"):
        GaussianProcessSurrogate(DISC_ARRAY).fit(*training)
