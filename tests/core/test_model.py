"""Ports, scales, evaluations and input preparation."""

import numpy as np
import pytest

from scalebridge.core import (ConvergenceError, FunctionModel, InputError, Port, Scale, ShapeError,
                              UnitError, prepare_inputs, ureg)


def square_model():
    return FunctionModel(lambda x: {"y": x**2}, inputs={"x": Port("m")}, outputs={"y": Port("m^2")},
                         scale=Scale("1 m", "1 s"), name="square")


def test_scale_accepts_quantities_and_si_numbers():
    s = Scale("1 nm", ureg.Quantity(2, "ps"), "atoms")
    assert s.length_si == pytest.approx(1e-9)
    assert s.time_si == pytest.approx(2e-12)
    assert Scale(1e-3, 10.0).length_si == 1e-3


@pytest.mark.parametrize("length, time", [("-1 m", "1 s"), ("1 m", "0 s"), ("1 K", "1 s")])
def test_scale_rejects_bad_values(length, time):
    with pytest.raises(InputError):
        Scale(length, time, "bad")


def test_port_rejects_unknown_unit():
    with pytest.raises(InputError, match="not a known unit"):
        Port("blorps")


def test_prepare_inputs_converts_and_broadcasts():
    m = square_model()
    arrays = prepare_inputs(m, {"x": "3 cm"})
    np.testing.assert_allclose(arrays["x"], [0.03])
    two = FunctionModel(lambda a, b: {"c": a + b}, {"a": Port("K"), "b": Port("K")}, {"c": Port("K")},
                        Scale(1, 1))
    arrays = prepare_inputs(two, {"a": [300.0, 400.0, 500.0], "b": 1.0})
    assert arrays["b"].shape == (3,)


def test_prepare_inputs_errors_name_model_and_port():
    m = square_model()
    with pytest.raises(UnitError, match="model 'square', input 'x'"):
        prepare_inputs(m, {"x": "3 K"})
    with pytest.raises(InputError, match="unknown input"):
        prepare_inputs(m, {"x": 1.0, "z": 2.0})
    with pytest.raises(InputError, match="missing input"):
        prepare_inputs(m, {})
    with pytest.raises(InputError, match="non-finite"):
        prepare_inputs(m, {"x": [1.0, np.nan]})
    tensor = FunctionModel(lambda e: {"s": e}, {"e": Port("", (3, 3))}, {"s": Port("Pa", (3, 3))}, Scale(1, 1))
    with pytest.raises(ShapeError, match="item shape"):
        prepare_inputs(tensor, {"e": np.zeros((4, 2, 2))})


def test_function_model_evaluates_batches():
    ev = square_model().evaluate({"x": np.array([1.0, 2.0, 3.0])})
    np.testing.assert_array_equal(ev["y"], [1.0, 4.0, 9.0])


def test_non_finite_outputs_are_reported_not_returned():
    from scalebridge.core import chain
    bad = FunctionModel(lambda x: {"y": np.log(x - 2)}, {"x": Port("m")}, {"y": Port("")}, Scale(1, 1), "log")
    with np.errstate(invalid="ignore"), pytest.raises(ConvergenceError, match=r"output 'y'.*indices \[0\]"):
        chain(bad).evaluate({"x": np.array([1.0, 3.0])})
