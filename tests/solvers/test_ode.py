"""Plug-flow reactor engine: validation against closed-form design equations."""

import numpy as np
import pytest
from scipy.optimize import brentq

from scalebridge.core.errors import ConvergenceError, InputError
from scalebridge.solvers.ode import PlugFlowSolution, plug_flow_reactor

U, LENGTH, C_IN = 0.4, 2.5, 12.0   # m/s, m, mol/m^3


@pytest.mark.parametrize("method, rtol", [("Radau", 1e-9), ("BDF", 1e-7), ("LSODA", 1e-8)])
def test_first_order_matches_exponential_decay(method, rtol):
    """First order: C = C_in exp(-k z/u), X = 1 - exp(-k z/u), within 1e-9 relative
    with the default Radau at rtol = 1e-10 (BDF, LSODA accumulate more global error:
    1e-7, 1e-8) over four decades of decay (Fogler, Elements of Chemical Reaction
    Engineering, ch. 4, PFR design equation; Levenspiel 1999, eq. 5.23)."""
    k = 1.5
    sol = plug_flow_reactor(lambda c: k * c, C_IN, U, LENGTH, method=method)
    exact = C_IN * np.exp(-k * sol.z / U)
    assert isinstance(sol, PlugFlowSolution) and sol.success
    assert sol.z[0] == 0.0 and sol.z[-1] == LENGTH and sol.z.size == 201
    assert np.allclose(sol.concentration, exact, rtol=rtol, atol=0)
    assert np.allclose(sol.conversion, 1 - np.exp(-k * sol.z / U), rtol=rtol, atol=1e-14)


def test_second_order_matches_closed_form_and_batches():
    """Second order r = k C^2: C = C_in/(1 + k C_in z/u), i.e. X/(1 - X) = k C_in tau
    (Fogler, ch. 4; Levenspiel 1999, eq. 5.24), within 1e-8 relative, for a batch of
    inlet concentrations and with the analytic Jacobian."""
    k = 0.05
    c_in = np.array([1.0, C_IN, 40.0])
    sol = plug_flow_reactor(lambda c: k * c**2, c_in, U, LENGTH,
                            rate_derivative=lambda c: 2 * k * c)
    exact = c_in[:, None] / (1 + k * c_in[:, None] * sol.z / U)
    assert sol.concentration.shape == (3, sol.z.size)
    assert np.allclose(sol.concentration, exact, rtol=1e-8, atol=0)
    tau = LENGTH / U
    x_out = sol.conversion[:, -1]
    assert np.allclose(x_out / (1 - x_out), k * c_in * tau, rtol=1e-8)


def test_langmuir_hinshelwood_matches_implicit_design_equation():
    """r = k C/(1 + K C): ln(C_in/C) + K (C_in - C) = k z/u (Fogler, ch. 4 and 10,
    integrated design equation), each outlet point within 1e-8 relative."""
    k, K = 3.0, 0.5
    sol = plug_flow_reactor(lambda c: k * c / (1 + K * c), C_IN, U, LENGTH, n_points=11)
    for z, c in zip(sol.z, sol.concentration):
        exact = brentq(lambda x: np.log(C_IN / x) + K * (C_IN - x) - k * z / U,
                       1e-12, C_IN, xtol=1e-15, rtol=1e-14)
        assert c == pytest.approx(exact, rel=1e-8)


def test_zero_inlet_concentration_gives_zero_conversion():
    sol = plug_flow_reactor(lambda c: 2.0 * c, np.array([0.0, 1.0]), U, LENGTH)
    assert np.all(sol.concentration[0] == 0.0) and np.all(sol.conversion[0] == 0.0)


def test_integrator_failure_raises_convergence_error():
    """A rate that makes C blow up (r = -C^2, C = C_in/(1 - C_in z/u)) before the outlet."""
    with pytest.raises(ConvergenceError, match="failed"):
        plug_flow_reactor(lambda c: -(c**2), 1.0, 1.0, 2.0)
    with pytest.raises(ConvergenceError):
        plug_flow_reactor(lambda c: np.full_like(c, np.nan), 1.0, 1.0, 2.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"superficial_velocity": 0.0},
        {"superficial_velocity": -1.0},
        {"length": 0.0},
        {"inlet_concentration": -1.0},
        {"inlet_concentration": np.inf},
        {"n_points": 1},
        {"method": "Euler"},
        {"rate": "fast"},
    ],
)
def test_bad_inputs_raise_input_error(kwargs):
    args = {"rate": lambda c: c, "inlet_concentration": C_IN, "superficial_velocity": U,
            "length": LENGTH}
    args.update(kwargs)
    with pytest.raises(InputError):
        plug_flow_reactor(**args)
