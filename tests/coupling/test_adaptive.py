"""Adaptive strategy: surrogate where confident, fine model where not, inside FE²."""

import numpy as np
import pytest
import skfem
from scipy.stats import qmc

from scalebridge.core import FunctionModel, InputError, Port, Scale
from scalebridge.coupling.adaptive import Adaptive
from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly
from scalebridge.homogenization.microstructure import random_inclusions
from scalebridge.homogenization.nonlinear_cell import NonlinearCellModel
from scalebridge.reduction.surrogate import GaussianProcessSurrogate

MESH = skfem.MeshTri.init_lshaped().refined(2)
BC = {"dirichlet": {(lambda x: np.isclose(x[0], -1)): 0.0, (lambda x: np.isclose(x[1], 1)): 1.0}}


def rve():
    """Nonlinear conduction cell: matrix k = 1 + 0.5 |g|^2, inclusions k = 10 (30 %, 8^2 voxels)."""
    return NonlinearCellModel(random_inclusions(8, 0.3, 0.25, dim=2, seed=1),
                              [dict(conductivity=1.0, nonlinearity=0.5), dict(conductivity=10.0, nonlinearity=0.0)],
                              problem="conduction", cell_size="20 um")


def initial_design(n=16, box=3.0):
    return {"gradient": qmc.scale(qmc.Sobol(2, seed=0).random(n), [-box, -box], [box, box])}


def adaptive(fine, tolerance=1e-2, **options):
    return Adaptive(fine, GaussianProcessSurrogate(fine), tolerance, initial=initial_design(), **options)


def test_adaptive_fe2_needs_20x_fewer_fine_solves_within_1_percent():
    """Nonlinear-conduction FE² on the L-shaped domain (3 macro Newton iterations, 1,440
    point requests), tolerance 1e-2 on the calibrated std relative to the local flux. Measured:
    27x fewer cell solves than on-the-fly FE² (53 vs 1,440, the 16-point initial design
    included), macro temperature within 6e-4 of it (max norm)."""
    fine = rve()
    reference = fe2_solve(MESH, "conduction", OnTheFly(fine, cache=False), **BC)
    strategy = adaptive(fine)
    sol = fe2_solve(MESH, "conduction", strategy, newton_tol=1e-7, **BC)
    stats = strategy.statistics
    assert stats["requests"] == sol.timings["micro_solves"]
    assert stats["fine_evaluations"] == sol.timings["fine_evaluations"]
    assert stats["saved"] == stats["requests"] - stats["fine_evaluations"]
    assert reference.timings["micro_solves"] >= 20 * stats["fine_evaluations"]
    assert np.abs(sol.u - reference.u).max() <= 1e-2 * np.abs(reference.u).max()
    flow, flow_ref = (sum(abs(r) for r in s.reactions.values()) for s in (sol, reference))
    assert abs(flow / flow_ref - 1) <= 1e-2
    assert stats["max_relative_std"] <= stats["tolerance"] and stats["unsure_answers"] == 0
    # confident now: the same requests again cost no fine solve
    before = stats["fine_evaluations"]
    strategy.evaluate({"gradient": sol.gradients})
    assert strategy.statistics["fine_evaluations"] == before


def cubic():
    def law(gradient):
        return {"flux": -(1 + np.sum(gradient**2, axis=1))[:, None] * gradient}
    return FunctionModel(law, {"gradient": Port("K/m", (2,))}, {"flux": Port("W/m^2", (2,))},
                         Scale("1 um", np.inf, "cubic law"), "cubic law")


def test_unreachable_tolerance_stops_after_max_rounds_and_is_reported():
    """Below the surrogate's noise floor the tolerance cannot be met: the strategy stops
    after ``max_rounds`` and counts the answers it gave while unsure."""
    strategy = Adaptive(cubic(), GaussianProcessSurrogate(cubic()), 1e-12, batch_size=4, max_rounds=3)
    g = np.random.default_rng(0).uniform(-1, 1, size=(50, 2))
    ev = strategy.evaluate({"gradient": g})
    assert strategy.statistics["fine_evaluations"] <= 3 * 4
    assert strategy.statistics["unsure_answers"] > 0
    assert ev["flux"].shape == (50, 2) and np.all(np.isfinite(ev["flux"]))
    assert np.all(ev.info["relative_std"] >= 0)


def test_bad_input_is_refused():
    fine = cubic()
    with pytest.raises(InputError, match="tolerance"):
        Adaptive(fine, GaussianProcessSurrogate(fine), 0.0)
    with pytest.raises(InputError, match="initial design"):
        Adaptive(fine, GaussianProcessSurrogate(fine), 1e-3, initial={"strain": np.zeros((3, 2))})
    other = FunctionModel(lambda temperature: {"flux": temperature}, {"temperature": Port("K", (2,))},
                          {"flux": Port("W/m^2", (2,))}, Scale("1 um", np.inf, "t"), "other")
    with pytest.raises(InputError, match="ports"):
        Adaptive(fine, GaussianProcessSurrogate(other), 1e-3)
    strategy = Adaptive(fine, GaussianProcessSurrogate(fine), 1e-3)
    with pytest.raises(InputError, match="stateless"):
        strategy.evaluate({"gradient": np.zeros((2, 2))}, state={"history": 1})
