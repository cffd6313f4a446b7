"""Designs of experiments: in the box, units converted, reproducible, and clear errors for bad bounds."""

import numpy as np
import pytest

from scalebridge.core import FunctionModel, InputError, Port, Scale, ShapeError, UnitError
from scalebridge.reduction.doe import design, input_box, latin_hypercube, sobol


def reactor():
    """A toy model with a temperature, a pressure and a 2-vector port."""
    return FunctionModel(lambda temperature, pressure, velocity: {"rate": temperature * pressure},
                         {"temperature": Port("K"), "pressure": Port("Pa"), "velocity": Port("m/s", (2,))},
                         {"rate": Port("1/s")}, Scale("1 mm", "1 s", "reactor"), "reactor")


BOUNDS = {"temperature": ("300 K", "600 K"), "pressure": ("1 bar", "10 bar"), "velocity": ([0, -1], [1, "1 m/s"])}


@pytest.mark.parametrize("method", ["sobol", "lhs"])
def test_design_in_box_with_units_converted(method):
    x = design(reactor(), BOUNDS, n=64, method=method, seed=0)
    assert x["temperature"].shape == (64,) and x["velocity"].shape == (64, 2)
    assert 300 <= x["temperature"].min() and x["temperature"].max() <= 600
    assert 1e5 <= x["pressure"].min() and x["pressure"].max() <= 1e6      # 1 bar = 1e5 Pa
    assert np.all(x["velocity"] >= [0, -1]) and np.all(x["velocity"] <= [1, 1])
    # space filling: every quarter of the temperature range holds a quarter of the points
    counts = np.histogram(x["temperature"], bins=4, range=(300, 600))[0]
    assert np.all(counts == 16)


def test_designs_are_reproducible_with_a_seed():
    a, b, c = (sobol(BOUNDS, 32, seed=s, model=reactor()) for s in (1, 1, 2))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["temperature"], c["temperature"])
    lhs1, lhs2 = latin_hypercube({"x": (0, 1)}, 10, seed=3), latin_hypercube({"x": (0, 1)}, 10, seed=3)
    assert np.array_equal(lhs1["x"], lhs2["x"])
    # a Latin hypercube puts exactly one point in each of the n strata
    assert np.array_equal(np.sort(np.floor(lhs1["x"] * 10)), np.arange(10))


def test_log_uniform_sampling_spans_decades():
    x = sobol({"contrast": (1, 1e4)}, 256, seed=0, log=["contrast"])["contrast"]
    decades = np.histogram(np.log10(x), bins=4, range=(0, 4))[0]
    assert np.all(decades == 64)        # as many points per decade


def test_design_without_a_model_converts_to_si_base_units():
    x = sobol({"temperature": ("300 K", "600 K"), "length": ("1 mm", "1 cm")}, 16, seed=0)
    assert 1e-3 <= x["length"].min() and x["length"].max() <= 1e-2


@pytest.mark.parametrize("bounds, error, text", [
    ({**BOUNDS, "temperature": ("600 K", "300 K")}, InputError, "need low < high"),
    ({**BOUNDS, "temperature": (300, 300)}, InputError, "need low < high"),
    ({**BOUNDS, "pressur": (1, 2)}, InputError, "unknown input(s) ['pressur']"),
    ({k: v for k, v in BOUNDS.items() if k != "pressure"}, InputError, "no bounds for input(s) ['pressure']"),
    ({**BOUNDS, "temperature": ("300 m", "600 m")}, UnitError, "temperature"),
    ({**BOUNDS, "velocity": ([0, 0, 0], [1, 1, 1])}, ShapeError, "velocity"),
    ({**BOUNDS, "temperature": (300,)}, InputError, "a pair (low, high)"),
])
def test_bad_bounds_are_named(bounds, error, text):
    with pytest.raises(error, match=None) as info:
        design(reactor(), bounds, 8)
    assert text in str(info.value)


def test_log_sampling_needs_positive_bounds_and_methods_are_checked():
    with pytest.raises(InputError, match="positive bounds"):
        input_box({"x": (0, 1)}, log=["x"])
    with pytest.raises(InputError, match="unknown method 'grid'"):
        design(reactor(), BOUNDS, 8, method="grid")
    with pytest.raises(InputError, match="positive integer"):
        sobol({"x": (0, 1)}, 0)


def test_widened_box_keeps_log_ranges_positive():
    box = input_box({"a": (1.0, 2.0), "b": (1.0, 100.0)}, log=["b"]).widened(0.5)
    assert np.allclose(box.low, [0.5, 0.1]) and np.allclose(box.high, [2.5, 1000.0])
