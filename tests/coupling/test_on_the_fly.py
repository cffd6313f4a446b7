"""OnTheFly: same answers as the fine model, caching, chunks over executors, state, failures."""

import numpy as np
import pytest

from scalebridge.core import (ConvergenceError, Evaluation, InputError, Port, ProcessExecutor, Scale,
                              ScalebridgeError)
from scalebridge.coupling.on_the_fly import OnTheFly


class Power:
    """q = k |g|^(p-1) g with tangent; counts evaluated points; optional history state."""

    name = "power law"
    inputs = {"gradient": Port("K/m", (2,))}
    outputs = {"flux": Port("W/m^2", (2,))}
    scale = Scale("10 um", np.inf)

    def __init__(self, fail_above=np.inf):
        self.points = 0
        self.fail_above = fail_above

    def evaluate(self, inputs, state=None):
        g = inputs["gradient"]
        self.points += len(g)
        norm = np.linalg.norm(g, axis=1)
        if np.any(norm > self.fail_above):
            raise ConvergenceError("RVE Newton diverged")
        q = (norm ** 0.5)[:, None] * g
        dq = (norm ** 0.5)[:, None, None] * np.eye(2) + 0.5 * (norm ** -1.5)[:, None, None] * np.einsum(
            "pi,pj->pij", g, g)
        new_state = None if state is None else {"max_norm": np.maximum(state["max_norm"], norm)}
        return Evaluation({"flux": q}, {("flux", "gradient"): dq}, state=new_state)


G = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 0.0], [3.0, 4.0], [0.0, 2.0], [1.0, 0.0]])


def test_answers_equal_the_fine_model_and_repeated_states_are_cached():
    fine = Power()
    otf = OnTheFly(fine, chunk_size=2)
    direct = Power().evaluate({"gradient": G})
    ev = otf.evaluate({"gradient": G})
    np.testing.assert_allclose(ev["flux"], direct["flux"], rtol=1e-15)
    np.testing.assert_allclose(ev.tangents[("flux", "gradient")], direct.tangents[("flux", "gradient")], rtol=1e-15)
    assert fine.points == 3  # three distinct rows
    otf.evaluate({"gradient": G[::-1]})
    assert fine.points == 3 and otf.statistics["cache_hits"] == 9 and otf.statistics["requests"] == 12


def test_process_pool_gives_identical_results():
    serial = OnTheFly(Power(), cache=False).evaluate({"gradient": G})
    pooled = OnTheFly(Power(), ProcessExecutor(2), chunk_size=2, cache=False).evaluate({"gradient": G})
    np.testing.assert_array_equal(pooled["flux"], serial["flux"])


def test_state_is_split_by_chunk_and_returned_not_committed():
    otf = OnTheFly(Power(), chunk_size=4)
    state = {"max_norm": np.full(len(G), 2.5)}
    ev = otf.evaluate({"gradient": G}, state)
    np.testing.assert_array_equal(ev.state["max_norm"], np.maximum(2.5, np.linalg.norm(G, axis=1)))
    np.testing.assert_array_equal(state["max_norm"], 2.5)  # the caller's state is untouched
    assert otf.statistics["cache_hits"] == 0  # stateful calls are never cached


def test_a_failing_point_is_reported_with_its_batch_indices():
    otf = OnTheFly(Power(fail_above=4.0), chunk_size=2, cache=False)
    with pytest.raises(ConvergenceError, match=r"indices \[2, 3\].*RVE Newton diverged"):
        otf.evaluate({"gradient": G})
    with pytest.raises(InputError, match="chunk_size"):
        OnTheFly(Power(), chunk_size=0)
    assert issubclass(ConvergenceError, ScalebridgeError)


def test_strategy_is_not_a_scale_bridge():
    """Wrapping changes when the fine model runs, not its scale: no self-bridge in the checks."""
    from scalebridge.core import run_checks

    assert [c for c in run_checks(OnTheFly(Power())) if "separation" in c.name] == []
