"""Tabulated: a fine model sampled once and interpolated, with spline tangents."""

import numpy as np
import pytest

from scalebridge.core import FunctionModel, InputError, Port, Scale
from scalebridge.coupling.hierarchical import Tabulated

CALLS = []


def langmuir_hinshelwood(pressure, temperature):
    """r = k K p / (1 + K p)^2, a rate law with a maximum (negative order at high p)."""
    CALLS.append(len(pressure))
    K = 1e-3 * np.exp(500.0 / temperature)
    return {"rate": 5.0 * K * pressure / (1 + K * pressure) ** 2}


MODEL = FunctionModel(langmuir_hinshelwood, {"pressure": Port("Pa"), "temperature": Port("K")},
                      {"rate": Port("1/s")}, Scale("1 nm", "1 ps"), "LH")


def exact(p, T=500.0):
    K = 1e-3 * np.exp(500.0 / T)
    return 5.0 * K * p / (1 + K * p) ** 2, 5.0 * K * (1 - K * p) / (1 + K * p) ** 3


def test_log_log_table_interpolates_values_and_derivatives():
    """Cubic spline in log-log axes: 121 points over 6 decades resolve a smooth law to < 1e-5."""
    CALLS.clear()
    table = Tabulated(MODEL, "pressure", np.logspace(-1, 5, 121), fixed={"temperature": "500 K"},
                      log_input=True, log_outputs=True)
    assert CALLS == []  # lazy: nothing sampled at construction
    p = np.logspace(-0.9, 4.9, 37)
    ev = table.evaluate({"pressure": p})
    assert CALLS == [121]  # one batched evaluation of the fine model
    r, dr = exact(p)
    np.testing.assert_allclose(ev["rate"], r, rtol=1e-5)
    np.testing.assert_allclose(ev.tangents[("rate", "pressure")], dr, rtol=1e-3, atol=1e-4 * np.abs(dr).max())
    table.evaluate({"pressure": p})
    assert CALLS == [121]  # sampled once


def test_table_refuses_to_extrapolate_and_validates_construction():
    table = Tabulated(MODEL, "pressure", np.linspace(1.0, 10.0, 10), fixed={"temperature": 500.0})
    with pytest.raises(InputError, match="outside the tabulated range"):
        table.evaluate({"pressure": np.array([20.0])})
    with pytest.raises(InputError, match="no input 'volume'"):
        Tabulated(MODEL, "volume", np.linspace(1, 2, 5))
    with pytest.raises(InputError, match="strictly increasing"):
        Tabulated(MODEL, "pressure", [1.0, 3.0, 2.0, 4.0])
    with pytest.raises(InputError, match="log_input needs a positive grid"):
        Tabulated(MODEL, "pressure", np.linspace(-1, 1, 5), log_input=True)
    negative = FunctionModel(lambda pressure: {"rate": -pressure}, {"pressure": Port("Pa")}, {"rate": Port("1/s")},
                             Scale(1, 1), "neg")
    with pytest.raises(InputError, match="log_outputs needs positive values"):
        Tabulated(negative, "pressure", np.linspace(1, 2, 5), log_outputs=True).table
