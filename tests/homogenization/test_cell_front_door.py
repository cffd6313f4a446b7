"""homogenize / CellModel / rve_model: dispatch, units, tangents, scale separation."""

import numpy as np
import pytest

from scalebridge.core import InputError, Scale, run_checks
from scalebridge.homogenization.cell import CellModel, effective_tensor, homogenize, rve_model
from scalebridge.homogenization.microstructure import laminate


def test_front_door_validates_problem_method_and_boundary_condition():
    phases = laminate(8, 0.5)
    k = np.array([1.0, 10.0])
    with pytest.raises(InputError, match="problem"):
        homogenize(phases, k, "viscosity")
    with pytest.raises(InputError, match="method"):
        homogenize(phases, k, method="lbm")
    with pytest.raises(InputError, match="not available with method 'fft'"):
        homogenize(phases, k, method="fft", boundary_condition="affine")


def test_effective_tensor_carries_the_property_unit():
    """Layers normal to x: series (harmonic) across, parallel (arithmetic) along (Milton 2002, ch. 9)."""
    sol = homogenize(laminate(16, 0.5, axis=0), np.array([1.0, 10.0]), method="fe", unit="W/(m*K)")
    k = effective_tensor(sol).to("W/(m*K)").magnitude
    assert k[0, 0] == pytest.approx(2 / (1 / 1.0 + 1 / 10.0), rel=1e-8)
    assert k[1, 1] == pytest.approx(5.5, rel=1e-8)


def test_rve_model_is_a_model_with_tangent_and_checked_scale_separation():
    cell = CellModel(laminate(16, 0.5), np.array([1.0, 10.0]), method="fe", cell_size="10 um",
                     property_unit="W/(m*K)", gradient_unit="K/m")
    point = rve_model(cell, scale=Scale("5 mm", np.inf, "macro"))
    g = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    ev = point.evaluate({"gradient": g})
    K = cell.solution.effective
    np.testing.assert_allclose(ev["flux"], g @ K.T, rtol=1e-12)
    np.testing.assert_allclose(ev.tangents[("flux", "gradient")], np.broadcast_to(K, (3, 2, 2)), rtol=1e-12)
    (sep,) = [c for c in run_checks(point) if "separation" in c.name]
    assert sep.passed and sep.data["length_ratio"] == pytest.approx(2e-3)
    assert point.outputs["flux"].unit == "(W/(m*K))*(K/m)"


def test_cell_model_pickles_for_process_and_dask_executors():
    import pickle

    from scalebridge.core import ProcessExecutor, evaluate_in_chunks

    cell = CellModel(laminate(8, 0.5), np.array([1.0, 10.0]), method="fft")
    clone = pickle.loads(pickle.dumps(cell))
    g = {"gradient": np.eye(2)}
    np.testing.assert_allclose(clone.evaluate(g)["flux"], cell.evaluate(g)["flux"], rtol=1e-12)
    pooled = evaluate_in_chunks(cell, {"gradient": np.tile(np.eye(2), (3, 1))}, ProcessExecutor(2), chunk_size=2)
    np.testing.assert_allclose(pooled["flux"], np.tile(cell.solution.effective.T, (3, 1)), rtol=1e-12)
