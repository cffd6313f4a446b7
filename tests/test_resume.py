"""Checkpoint and resume: FE² and kMC runs killed with SIGKILL finish bitwise identical to uninterrupted runs."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import skfem
import yaml

from scalebridge.cli import main
from scalebridge.core import InputError
from scalebridge.core.checkpoint import load_checkpoint
from scalebridge.solvers.fem import solve_macro

ROOT = Path(__file__).resolve().parents[1]
FE2_SCRIPT = ROOT / "examples" / "fault_tolerance" / "resume_fe2.py"
ENV = {**os.environ, "MPLBACKEND": "Agg"}


def _wait_for(paths, process, timeout=120.0):
    """Poll until every path exists; fail if the process ends first or the timeout passes."""
    deadline = time.monotonic() + timeout
    while not all(Path(p).exists() for p in paths):
        assert process.poll() is None, f"the run ended (status {process.returncode}) before {paths} appeared"
        assert time.monotonic() < deadline, f"no {paths} after {timeout} s"
        time.sleep(0.005)


def _kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


# ---------------------------------------------------------------- solve_macro in process

MESH = skfem.MeshTri.init_tensor(np.linspace(0, 1, 9), np.linspace(0, 1, 5))
BC = dict(dirichlet={(lambda x: np.isclose(x[0], 0)): 0.0, (lambda x: np.isclose(x[0], 1)): 3.0},
          neumann={(lambda x: np.isclose(x[1], 1)): 2.0})


def _material(g, state, step):
    """k(g) = 1 + |g|^2 with a history variable (the largest |g| so far)."""
    n2 = (g ** 2).sum(1)
    q = (1 + n2)[:, None] * g
    C = (1 + n2)[:, None, None] * np.eye(2) + 2 * np.einsum("pi,pj->pij", g, g)
    return q, C, np.maximum(0.0 if state is None else state, np.sqrt(n2))


class Interrupt(Exception):
    pass


def _interrupt_after(n):
    count = {"steps": 0}

    def progress(info):
        count["steps"] += 1
        if count["steps"] == n:
            raise Interrupt

    return progress


def _same(a, b):
    assert np.array_equal(a.u, b.u) and np.array_equal(a.fluxes, b.fluxes) and np.array_equal(a.state, b.state)
    assert np.array_equal(a.load_factors, b.load_factors) and np.array_equal(a.iterations, b.iterations)
    assert all(np.array_equal(x, y) for x, y in zip(a.residuals, b.residuals)) and len(a.residuals) == len(b.residuals)
    assert a.cutbacks == b.cutbacks and a.failures == b.failures
    assert all(np.array_equal(a.reactions[k], b.reactions[k]) for k in a.reactions)


def test_solve_macro_resumes_bitwise_from_its_checkpoint(tmp_path):
    path = tmp_path / "macro.ckpt"
    reference = solve_macro(MESH, "conduction", _material, load_steps=[0.3, 0.6, 1.0, 0.5, 0.0], **BC)
    with pytest.raises(Interrupt):
        solve_macro(MESH, "conduction", _material, load_steps=[0.3, 0.6, 1.0, 0.5, 0.0], checkpoint=path,
                    checkpoint_every=2, progress=_interrupt_after(3), **BC)
    saved = load_checkpoint(path, "solve_macro")
    assert saved["steps"] == 2 and not saved["complete"] and saved["load_factor"] == 0.6
    committed = []
    resumed = solve_macro(MESH, "conduction", _material, load_steps=[0.3, 0.6, 1.0, 0.5, 0.0], checkpoint=path,
                          resume=True, commit=committed.append, **BC)
    assert resumed.resumed_from == 2 and np.array_equal(committed[0], saved["last"][4])
    _same(resumed, reference)
    calls = []
    again = solve_macro(MESH, "conduction", lambda *a: calls.append(1) or _material(*a),
                        load_steps=[0.3, 0.6, 1.0, 0.5, 0.0], resume=path, **BC)  # complete: nothing to solve
    assert again.resumed_from == 5 and not calls
    _same(again, reference)


def test_resume_options_are_checked(tmp_path):
    path = tmp_path / "macro.ckpt"
    solve_macro(MESH, "conduction", _material, load_steps=2, checkpoint=path, **BC)
    with pytest.raises(InputError, match="checkpoint_every"):
        solve_macro(MESH, "conduction", _material, checkpoint=path, checkpoint_every=0, **BC)
    with pytest.raises(InputError, match="resume=True needs checkpoint"):
        solve_macro(MESH, "conduction", _material, resume=True, **BC)
    with pytest.raises(InputError, match="existing checkpoint file"):
        solve_macro(MESH, "conduction", _material, resume=tmp_path / "missing.ckpt", **BC)
    with pytest.raises(InputError, match=r"another problem \(differs in \['load_path'\]\)"):
        solve_macro(MESH, "conduction", _material, load_steps=3, resume=path, **BC)
    (tmp_path / "junk").write_bytes(b"not a checkpoint")
    with pytest.raises(InputError, match="cannot read"):
        solve_macro(MESH, "conduction", _material, resume=tmp_path / "junk", **BC)


# ---------------------------------------------------------------- kMC sampling in process

def test_kmc_sampling_interrupted_anywhere_resumes_bitwise(tmp_path, monkeypatch):
    pytest.importorskip("numba")
    from scalebridge.solvers.kmc import PairProcess, SiteProcess, LatticeKMC, sample_steady_state_events, square_lattice
    from scalebridge.solvers.kmc import sampling

    def simulation(seed):
        procs = [SiteProcess("CO ads", "*", "CO", 0.5), SiteProcess("CO des", "CO", "*", 0.1),
                 PairProcess("O2 ads", ("*", "*"), ("O", "O"), 0.5),
                 PairProcess("CO hop", ("CO", "*"), ("*", "CO"), 1.0),
                 PairProcess("LH", ("CO", "O"), ("*", "*"), 5.0, gas={"CO2": 1})]
        return LatticeKMC(square_lattice(12), ["CO", "O"], procs, seed=seed)

    reference = sample_steady_state_events(simulation(3), 60_000)
    save = sampling._Checkpointer.save
    for stop in (1, 2, 5):  # in the warm-up, at its end, while sampling
        path = tmp_path / f"kmc-{stop}.npz"
        count = {"saves": 0}

        def interrupting(self, **loop):
            save(self, **loop)
            count["saves"] += 1
            if count["saves"] == stop:
                raise Interrupt

        monkeypatch.setattr(sampling._Checkpointer, "save", interrupting)
        with pytest.raises(Interrupt):
            sample_steady_state_events(simulation(3), 60_000, checkpoint=path, checkpoint_every=5_000)
        monkeypatch.setattr(sampling._Checkpointer, "save", save)
        resumed = sample_steady_state_events(simulation(99), 60_000, checkpoint=path, checkpoint_every=5_000)
        for key in ("times", "coverage_series", "tof_series"):
            assert np.array_equal(getattr(resumed, key), getattr(reference, key)), (stop, key)
        assert resumed.tof == reference.tof and resumed.coverages == reference.coverages
    with pytest.raises(InputError, match="written for"):
        sample_steady_state_events(simulation(3), 80_000, checkpoint=tmp_path / "kmc-5.npz")


# ---------------------------------------------------------------- killed processes

def test_fe2_killed_with_sigkill_resumes_bitwise(tmp_path):
    """The FE² plate of examples/fault_tolerance (an elastoplastic RVE per point, 8 load steps), killed
    after its first checkpoint and restarted: every array of the result equals the uninterrupted run's."""
    solve = [sys.executable, str(FE2_SCRIPT), "--solve"]
    reference = subprocess.Popen(solve + [str(tmp_path / "ref.ckpt"), str(tmp_path / "ref.npz")], env=ENV)
    killed = subprocess.Popen(solve + [str(tmp_path / "run.ckpt"), str(tmp_path / "killed.npz")], env=ENV)
    try:
        _wait_for([tmp_path / "run.ckpt"], killed)
        _kill(killed)
    finally:
        if killed.poll() is None:
            _kill(killed)
    steps = load_checkpoint(tmp_path / "run.ckpt", "solve_macro")["steps"]
    assert 1 <= steps < 8 and not (tmp_path / "killed.npz").exists()
    resumed = subprocess.run(solve + [str(tmp_path / "run.ckpt"), str(tmp_path / "resumed.npz")], env=ENV,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert reference.wait(timeout=300) == 0
    a, b = np.load(tmp_path / "ref.npz"), np.load(tmp_path / "resumed.npz")
    assert int(a["resumed_from"]) == 0 and int(b["resumed_from"]) == steps
    assert sorted(a.files) == sorted(b.files) and len(a["load_factors"]) == 8
    for key in a.files:
        if key != "resumed_from":
            assert np.array_equal(a[key], b[key]), key


def _kmc_scenario(tmp_path) -> Path:
    from scalebridge.apps.catalysis import SCENARIOS

    data = yaml.safe_load(SCENARIOS["co_oxidation"].read_text())
    data["conditions"]["temperature"] = "750 K"
    data["kmc"] = {"lattice_size": 16, "sweep": {"parameter": "CO_g", "start": "100 Pa", "stop": "400 Pa", "points": 4},
                   "hop_rate": "1e7 1/s", "events": 400_000, "seed": 0, "checkpoint_every_events": 20_000}
    path = tmp_path / "kmc.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_kmc_scenario_killed_with_sigkill_resumes_its_record_bitwise(tmp_path, capsys):
    """`scalebridge run` of a catalysis scenario with a kmc block, SIGKILLed after the first sweep point and
    inside the second; `scalebridge run --resume` finishes the same record with every array identical."""
    pytest.importorskip("numba")
    scenario = _kmc_scenario(tmp_path)
    run = [sys.executable, "-m", "scalebridge", "run", str(scenario)]
    reference = subprocess.Popen(run + ["-o", str(tmp_path / "ref")], env=ENV, stdout=subprocess.DEVNULL)
    killed = subprocess.Popen(run + ["-o", str(tmp_path / "runs")], env=ENV, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list((tmp_path / "runs").glob("*/checkpoints")):
            assert killed.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        (checkpoints,) = (tmp_path / "runs").glob("*/checkpoints")
        _wait_for([checkpoints / "kmc_study.npz", checkpoints / "kmc_point_1.npz"], killed)
        _kill(killed)
    finally:
        if killed.poll() is None:
            _kill(killed)
    record = checkpoints.parent
    assert json.loads((record / "run.json").read_text())["status"] == "running"
    assert len(np.load(checkpoints / "kmc_study.npz")["tof"]) < 4
    assert main(["run", str(scenario), "-o", str(tmp_path / "runs"), "--resume"]) == 0
    assert f"resumingrunrecord{record}" in "".join(capsys.readouterr().out.split())
    assert reference.wait(timeout=300) == 0
    (ref_record,) = (tmp_path / "ref").iterdir()
    meta, ref_meta = (json.loads((r / "run.json").read_text()) for r in (record, ref_record))
    assert meta["status"] == "finished" and len(meta["resumed"]) == 1 and not checkpoints.exists()
    assert meta["results"] == ref_meta["results"] and meta["figures"] == ref_meta["figures"]
    a, b = np.load(ref_record / "arrays.npz"), np.load(record / "arrays.npz")
    assert sorted(a.files) == sorted(b.files) and "kmc_tof_per_s" in a.files
    for key in a.files:
        assert np.array_equal(a[key], b[key]), key
    assert main(["run", str(scenario), "-o", str(tmp_path / "runs"), "--resume", str(record)]) == 2
    assert "the run is 'finished'" in capsys.readouterr().err
    assert main(["run", str(scenario), "-o", str(tmp_path / "none"), "--resume"]) == 2
    assert "no unfinished" in capsys.readouterr().err


class _Interrupted(Exception):
    """Stands in for a kill: raised by a model after a set number of evaluations."""


def test_uq_ensemble_interrupted_resumes_from_its_checkpoint_identically(tmp_path):
    """A Monte Carlo ensemble stopped after 3 of 8 blocks resumes: only the 5 missing blocks are evaluated
    and the samples, moments and standard errors equal the uninterrupted run's bitwise."""
    from scalebridge.core import FunctionModel, Port, Scale
    from scalebridge.uq import Normal, Uncertain, propagate

    calls = {"n": 0, "stop_after": None}

    def f(x):
        calls["n"] += 1
        if calls["stop_after"] is not None and calls["n"] > calls["stop_after"]:
            raise _Interrupted
        return {"y": np.sin(x) + 0.1 * x ** 2}

    model = FunctionModel(f, {"x": Port("")}, {"y": Port("")}, Scale(1, 1), "ensemble member")
    inputs = [Uncertain("x", Normal(0.5, 0.3))]
    whole = propagate(model, inputs, "mc", n=800, seed=4, chunk_size=25, checkpoint_every=100)
    path = tmp_path / "ensemble.ckpt"
    calls.update(n=0, stop_after=3 * 4)                   # 4 chunks of 25 per block of 100
    with pytest.raises(_Interrupted):
        propagate(model, inputs, "mc", n=800, seed=4, chunk_size=25, checkpoint=path, checkpoint_every=100)
    assert load_checkpoint(path, "uq_ensemble")["done"] == 300
    calls.update(n=0, stop_after=None)
    resumed = propagate(model, inputs, "mc", n=800, seed=4, chunk_size=25, checkpoint=path, checkpoint_every=100)
    assert calls["n"] == 5 * 4
    np.testing.assert_array_equal(resumed.outputs["y"], whole.outputs["y"])
    assert resumed.mean["y"] == whole.mean["y"] and resumed.std_standard_error["y"] == whole.std_standard_error["y"]
    with pytest.raises(InputError, match="another ensemble"):
        propagate(model, inputs, "mc", n=800, seed=5, chunk_size=25, checkpoint=path, checkpoint_every=100)


def test_projective_integration_interrupted_resumes_identically(tmp_path):
    """Stochastic fine model (random-walk decay, 4 replicas): a projective integration stopped after its
    second checkpoint resumes with the stepper's replica seeds where they were, and every coarse state,
    step and fine-step count equals the uninterrupted run's."""
    from scalebridge.coupling.equation_free import CoarseTimeStepper, projective_integrate
    from scalebridge.solvers.random_walk import RandomWalk

    rw = RandomWalk(1.0, 1.0, 1e-3, n_bins=4, weight=1e-3, boundary="periodic", decay_rate=5.0)

    def stepper(stop_after=None):
        calls = {"n": 0}

        def lift(u, rng):
            calls["n"] += 1
            if stop_after is not None and calls["n"] > stop_after:
                raise _Interrupted
            return rw.particles(u, rng)

        return CoarseTimeStepper(rw, lift, rw.concentration, dt=rw.time_step, burst_steps=10, replicas=4, seed=11)

    options = dict(projective_step=0.02, method="rk2")
    whole = projective_integrate(stepper(), np.ones(4), 0.3, **options)
    path = tmp_path / "projective.ckpt"
    with pytest.raises(_Interrupted):
        projective_integrate(stepper(stop_after=4 * 5), np.ones(4), 0.3, checkpoint=path, **options)
    done = load_checkpoint(path, "projective_integration")["state"][4]
    assert 0 < done < whole.steps
    resumed = projective_integrate(stepper(), np.ones(4), 0.3, checkpoint=path, **options)
    np.testing.assert_array_equal(resumed.t, whole.t)
    np.testing.assert_array_equal(resumed.u, whole.u)
    assert resumed.fine_steps == whole.fine_steps and resumed.steps == whole.steps
