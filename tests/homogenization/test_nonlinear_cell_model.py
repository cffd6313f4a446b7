"""NonlinearCellModel: the history-dependent RVE of FE² as a Model (ports, tangents, uncommitted state, pickling)."""

import copy
import pickle

import numpy as np
import pytest

from scalebridge.core import InputError
from scalebridge.core.executors import ProcessExecutor
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.solvers.plasticity import j2_return_mapping
from scalebridge.solvers.tensors import isotropic_stiffness

J2 = dict(bulk_modulus=58.3e9, shear_modulus=26.9e9, yield_stress=100e6, hardening_modulus=2e9)
INCLUSION = dict(stiffness=isotropic_stiffness(220e9, 190e9, 2))


def fibre_cell(n=10):
    x = (np.arange(n) + 0.5) / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    return ((X - 0.5) ** 2 + (Y - 0.5) ** 2 < 0.3 ** 2).astype(int)


def test_ports_state_and_tangent_of_the_mechanical_model():
    model = NonlinearCellModel(fibre_cell(), [J2, INCLUSION], cell_size="20 um")
    assert model.inputs["strain"].shape == (3,) and model.outputs["stress"].shape == (3,)
    state = model.initial_state(2)
    committed = copy.deepcopy(state)
    E = np.array([[5e-3, -2e-3, 1e-3], [1e-5, 0.0, 0.0]])
    ev = model.evaluate({"strain": E}, state)
    assert ev["stress"].shape == (2, 3) and ev.tangents[("stress", "strain")].shape == (2, 3, 3)
    assert ev.state["alpha"].shape == state["alpha"].shape and ev.state["alpha"][0].max() > 0
    assert ev.state["alpha"][1].max() == 0  # the small strain stays elastic
    for key in state:  # evaluate never commits
        np.testing.assert_array_equal(state[key], committed[key])
    # the tangent is d(stress)/d(strain) of the model itself (central differences, Miehe & Koch 2002)
    h, first = 1e-8, {k: v[:1] for k, v in state.items()}
    fd = np.stack([(model.evaluate({"strain": E[:1] + h * e}, first)["stress"][0]
                    - model.evaluate({"strain": E[:1] - h * e}, first)["stress"][0]) / (2 * h)
                   for e in np.eye(3)], axis=-1)
    T = ev.tangents[("stress", "strain")][0]
    np.testing.assert_allclose(T, fd, rtol=0, atol=1e-6 * np.abs(fd).max())


def test_homogeneous_model_is_the_point_law():
    """A one-phase cell is the material point: Model output = J2 return mapping (Simo & Hughes 1998, Box 3.2)."""
    model = NonlinearCellModel(np.zeros((3, 3), dtype=int), [J2])
    E = np.array([[4e-3, -1e-3, 2e-3]])
    ev = model.evaluate({"strain": E}, model.initial_state(1))
    stress, tangent, _, _ = j2_return_mapping(E, np.zeros((1, 6)), np.zeros(1), plane_strain=True, **J2)
    np.testing.assert_allclose(ev["stress"], stress, rtol=1e-10)
    np.testing.assert_allclose(ev.tangents[("stress", "strain")], tangent, rtol=0, atol=1e-10 * np.abs(tangent).max())


def test_model_pickles_and_runs_on_the_fly_in_worker_processes():
    model = NonlinearCellModel(fibre_cell(8), [J2, INCLUSION])
    clone = pickle.loads(pickle.dumps(model))
    E = np.array([[5e-3, -2e-3, 1e-3], [2e-3, 1e-3, -1e-3], [1e-5, 0.0, 0.0]])
    state = model.initial_state(3)
    direct = model.evaluate({"strain": E}, state)
    np.testing.assert_array_equal(clone.evaluate({"strain": E}, state)["stress"], direct["stress"])
    distributed = OnTheFly(model, executor=ProcessExecutor(2), chunk_size=2).evaluate({"strain": E}, state)
    np.testing.assert_allclose(distributed["stress"], direct["stress"], rtol=1e-12)
    np.testing.assert_allclose(distributed.state["plastic_strain"], direct.state["plastic_strain"], rtol=1e-12,
                               atol=1e-18)


def test_conduction_model_ports_and_validation():
    materials = [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=5.0, nonlinearity=2.0)]
    model = NonlinearCellModel(fibre_cell(), materials, problem="conduction")
    assert list(model.inputs) == ["gradient"] and list(model.outputs) == ["flux"]
    ev = model.evaluate({"gradient": np.array([[1.0, 0.0], [0.0, 2.0]])}, model.initial_state(2))
    assert ev["flux"].shape == (2, 2) and np.all(np.linalg.eigvalsh(ev.tangents[("flux", "gradient")]) > 0)
    with pytest.raises(InputError, match="problem"):
        NonlinearCellModel(fibre_cell(), materials, problem="viscosity")
    with pytest.raises(InputError, match="missing input 'gradient'"):
        model.evaluate({"strain": np.zeros((1, 3))})
