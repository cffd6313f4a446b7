"""Fault tolerance of on-the-fly coupling: retry policy, non-finite answers, timeouts, dying workers, cut-back."""

import os
import signal
import sys
import threading
import time

import numpy as np
import pytest
import skfem

from scalebridge.core import ConvergenceError, Evaluation, InputError, Port, ProcessExecutor, Scale
from scalebridge.coupling.fe2 import fe2_solve
from scalebridge.coupling.on_the_fly import OnTheFly, RetryPolicy


class Power:
    """q = |g|^(1/2) g with its tangent; a batched solver that gives up on the whole chunk if one
    point has |g| > ``chunk_limit``, fails alone above ``limit`` unless given ``substeps >= needs``,
    and returns NaN at |g| == ``nan_at``."""

    name = "power law"
    inputs = {"gradient": Port("K/m", (2,))}
    outputs = {"flux": Port("W/m^2", (2,))}
    scale = Scale("10 um", np.inf)

    def __init__(self, chunk_limit=np.inf, limit=np.inf, needs=1, nan_at=None):
        self.chunk_limit, self.limit, self.needs, self.nan_at = chunk_limit, limit, needs, nan_at
        self.calls = []

    def evaluate(self, inputs, state=None, substeps=1):
        g = inputs["gradient"]
        norm = np.linalg.norm(g, axis=1)
        self.calls.append((len(g), substeps))
        if len(g) > 1 and np.any(norm > self.chunk_limit):
            raise ConvergenceError("batched RVE Newton gave up")
        if np.any(norm > self.limit) and substeps < self.needs:
            raise ConvergenceError(f"RVE Newton diverged with {substeps} substep(s)")
        q = (norm ** 0.5)[:, None] * g
        if self.nan_at is not None:
            q[np.isclose(norm, self.nan_at)] = np.nan
        dq = (norm ** 0.5)[:, None, None] * np.eye(2) + 0.5 * (norm ** -1.5)[:, None, None] * np.einsum(
            "pi,pj->pij", g, g)
        new_state = None if state is None else {"max_norm": np.maximum(state["max_norm"], norm)}
        return Evaluation({"flux": q}, {("flux", "gradient"): dq}, state=new_state)


class Guessing(Power):
    """Converges at |g| > limit only from an initial guess (the nearest converged point)."""

    def evaluate(self, inputs, state=None, initial_guess=None):
        if initial_guess is not None:
            self.guess = initial_guess
            return Power.evaluate(self, inputs, state, substeps=self.needs)
        return Power.evaluate(self, inputs, state)


G = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0], [0.5, 0.5], [2.0, 1.0], [1.0, 1.0]])


def test_one_bad_point_does_not_poison_its_chunk():
    """The chunk [2, 3] fails as a batch; alone each point converges: same answer as the plain model."""
    fine = Power(chunk_limit=4.0)
    otf = OnTheFly(fine, chunk_size=2, cache=False, retry=RetryPolicy(attempts=0))
    ev = otf.evaluate({"gradient": G}, {"max_norm": np.zeros(len(G))})
    direct = Power().evaluate({"gradient": G}, {"max_norm": np.zeros(len(G))})
    np.testing.assert_array_equal(ev["flux"], direct["flux"])
    np.testing.assert_array_equal(ev.tangents[("flux", "gradient")], direct.tangents[("flux", "gradient")])
    np.testing.assert_array_equal(ev.state["max_norm"], direct.state["max_norm"])
    assert otf.statistics["retries"] == 2 and otf.statistics["recovered"] == 2 and otf.statistics["failed"] == 0
    assert [f["index"] for f in otf.failures] == [2, 3] and all(f["recovered"] for f in otf.failures)


def test_substeps_strategy_recovers_and_exhausted_retries_name_the_point_and_state():
    """|g| = 5 converges only with >= 16 substeps: retries with 4 then 16 substeps recover it; one retry does not."""
    policy = RetryPolicy(attempts=2, strategies=("substeps",), substep_factor=4)
    fine = Power(limit=4.0, needs=16)
    ev = OnTheFly(fine, chunk_size=3, cache=False, retry=policy).evaluate({"gradient": G})
    np.testing.assert_array_equal(ev["flux"], Power().evaluate({"gradient": G})["flux"])
    assert (1, 4) in fine.calls and (1, 16) in fine.calls
    state = {"max_norm": np.arange(len(G), dtype=float)}
    otf = OnTheFly(Power(limit=4.0, needs=16), chunk_size=3, cache=False,
                   retry=RetryPolicy(attempts=1, strategies=("substeps",)))
    with pytest.raises(ConvergenceError) as info:
        otf.evaluate({"gradient": G}, state)
    message = str(info.value)
    assert "batch index 2" in message and "[3., 4.]" in message and "max_norm: [2.]" in message
    assert "substeps=4" in message and "diverged with 4 substep(s)" in message
    assert otf.statistics["failed"] == 1 and otf.statistics["recovered"] == 2  # its chunk neighbours, alone


def test_initial_guess_strategy_passes_the_nearest_converged_point():
    fine = Guessing(limit=4.0, needs=2)
    ev = OnTheFly(fine, cache=False, retry=RetryPolicy(attempts=1, strategies=("initial_guess",))).evaluate(
        {"gradient": G})
    np.testing.assert_array_equal(ev["flux"], Power().evaluate({"gradient": G})["flux"])
    np.testing.assert_array_equal(fine.guess["inputs"]["gradient"], [2.0, 1.0])  # nearest to (3, 4)
    np.testing.assert_array_equal(fine.guess["outputs"]["flux"], Power().evaluate({"gradient": G[4:5]})["flux"][0])


def test_non_finite_answers_are_failures_never_numbers():
    nan_at = float(np.hypot(2.0, 1.0))
    with pytest.raises(ConvergenceError, match=r"non-finite outputs or tangents at batch indices \[4\]"):
        OnTheFly(Power(nan_at=nan_at), cache=False).evaluate({"gradient": G})
    otf = OnTheFly(Power(nan_at=nan_at), chunk_size=2, retry=RetryPolicy(attempts=2))
    with pytest.raises(ConvergenceError,
                       match=r"1 point\(s\).*batch index 4: inputs \{gradient: \[2., 1.\]\}, state None"):
        otf.evaluate({"gradient": G})
    assert otf.statistics["retries"] == 3 and otf.statistics["failed"] == 1
    assert not otf._cache  # nothing of the failed batch was cached


def test_policy_and_hooks_are_validated():
    with pytest.raises(InputError, match="attempts"):
        RetryPolicy(attempts=-1)
    with pytest.raises(InputError, match="strategies"):
        RetryPolicy(strategies=("smaller",))
    with pytest.raises(InputError, match="initial_guess"):  # Power.evaluate has no initial_guess keyword
        OnTheFly(Power(), retry=RetryPolicy(strategies=("initial_guess",)))
    with pytest.raises(InputError, match="retry"):
        OnTheFly(Power(), retry=3)
    assert OnTheFly(Power(), retry=RetryPolicy()).parameters()["retry"]["strategies"] == ["repeat"]


class Softening:
    """A history-dependent point that cannot jump: fails when |g| grows by more than 0.6 over its committed state."""

    name = "rate-limited RVE"
    inputs = {"gradient": Port("K/m", (2,))}
    outputs = {"flux": Port("W/m^2", (2,))}
    scale = Scale("10 um", np.inf)

    def evaluate(self, inputs, state=None):
        g = inputs["gradient"]
        norm = np.linalg.norm(g, axis=1)
        if np.any(norm - state > 0.6):
            raise ConvergenceError("micro Newton diverged: increment too large")
        return Evaluation({"flux": 2.0 * g}, {("flux", "gradient"): np.broadcast_to(2.0 * np.eye(2), (len(g), 2, 2))},
                          state=np.maximum(state, norm))


def test_unrecoverable_points_make_the_macro_step_cut_back():
    """FE²: points that fail every retry raise ConvergenceError; solve_macro halves the load step and converges."""
    mesh = skfem.MeshTri.init_tensor(np.linspace(0, 1, 5), np.linspace(0, 1, 3))
    material = OnTheFly(Softening(), chunk_size=8, retry=RetryPolicy(attempts=1))
    sol = fe2_solve(mesh, "conduction", material, state=np.zeros(mesh.nelements * 3),
                    dirichlet={(lambda x: np.isclose(x[0], 0)): 0.0, (lambda x: np.isclose(x[0], 1)): 1.0})
    assert sol.cutbacks >= 1 and np.allclose(sol.gradients[:, 0], 1.0)
    assert "batch index" in sol.failures[0] and "increment too large" in sol.failures[0]
    assert material.statistics["failed"] > 0


def _hang(x):
    if x == 2:
        time.sleep(600)
    return x * x


def _die_once(item):
    """SIGKILL its own worker process the first time it sees item 1 (a marker file remembers)."""
    x, marker = item
    if x == 1 and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return x * x


def test_a_hanging_chunk_times_out_instead_of_hanging():
    start = time.perf_counter()
    with pytest.raises(ConvergenceError, match=r"within 2 s \(item\(s\) \[2\]\)"):
        ProcessExecutor(2, timeout=2).map(_hang, range(4))
    assert time.perf_counter() - start < 60
    with pytest.raises(InputError, match="timeout"):
        ProcessExecutor(timeout=0)


def test_a_dead_process_worker_is_replaced_and_its_items_rerun(tmp_path):
    items = [(x, str(tmp_path / "died")) for x in range(5)]
    assert ProcessExecutor(2).map(_die_once, items) == [0, 1, 4, 9, 16]
    assert (tmp_path / "died").exists()


class Slow(Power):
    """Power that leaves a marker ``<pid>-<first gradient>`` when it starts a chunk, then works 0.25 s."""

    def __init__(self, directory):
        super().__init__()
        self.directory = directory

    def evaluate(self, inputs, state=None, substeps=1):
        open(os.path.join(self.directory, f"{os.getpid()}-{inputs['gradient'][0, 0]:.0f}"), "w").close()
        time.sleep(0.25)  # the chunk's work (not synchronisation)
        return Power.evaluate(self, inputs, state)


def test_dask_worker_killed_mid_run_does_not_change_the_result(tmp_path):
    """LocalCluster with 2 worker processes; one is SIGKILLed while it runs a chunk: dask reschedules
    its tasks and OnTheFly returns bitwise the serial answer."""
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    from scalebridge.core import DaskExecutor

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    gradients = np.stack([np.arange(16.0) + 1, np.linspace(0.5, 2, 16)], axis=1)
    serial = OnTheFly(Power(), cache=False).evaluate({"gradient": gradients})
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        victim = list(client.run(os.getpid).values())[0]
        killed = threading.Event()

        def killer():
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if any(name.startswith(f"{victim}-") for name in os.listdir(tmp_path)):
                    os.kill(victim, signal.SIGKILL)
                    killed.set()
                    return
                time.sleep(0.005)

        thread = threading.Thread(target=killer, daemon=True)
        thread.start()
        otf = OnTheFly(Slow(str(tmp_path)), DaskExecutor(client), chunk_size=1, cache=False)
        ev = otf.evaluate({"gradient": gradients})
        thread.join()
        assert killed.is_set() and victim not in client.run(os.getpid).values()
    np.testing.assert_array_equal(ev["flux"], serial["flux"])
    np.testing.assert_array_equal(ev.tangents[("flux", "gradient")], serial.tangents[("flux", "gradient")])
