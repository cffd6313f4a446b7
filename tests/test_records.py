"""Run records: run.json, arrays.npz and figures, also for failed runs."""

import json

import matplotlib
import numpy as np

from scalebridge.core import CheckResult
from scalebridge.records import RunRecord, package_versions

matplotlib.use("Agg")


def test_record_writes_metadata_arrays_and_figures(tmp_path):
    import matplotlib.pyplot as plt

    rec = RunRecord(tmp_path, "my run", {"app": "x", "temperature": "500 K"}, seed=7)
    with rec.timed("stage"):
        rec.add_arrays(z=np.linspace(0, 1, 5))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    rec.add_figure(fig, "line")
    rec.add_checks([CheckResult("units a -> b", True, "K -> K")])
    rec.add_results(tof=1.5, bad=float("nan"))
    path = rec.finish()
    meta = json.loads((path / "run.json").read_text())
    assert meta["status"] == "finished" and meta["seed"] == 7
    assert meta["inputs"]["temperature"] == "500 K"
    assert meta["packages"]["numpy"] == np.__version__
    assert "stage" in meta["timings_s"] and meta["results"]["bad"] == "nan"
    assert meta["figures"] == ["line.png"] and (path / "line.png").stat().st_size > 0
    np.testing.assert_array_equal(np.load(path / "arrays.npz")["z"], np.linspace(0, 1, 5))


def test_failed_run_is_recorded(tmp_path):
    rec = RunRecord(tmp_path, "failing", {})
    path = rec.finish(error=RuntimeError("Newton diverged"))
    meta = json.loads((path / "run.json").read_text())
    assert meta["status"] == "failed" and "Newton diverged" in meta["error"]


def test_package_versions_lists_python_and_scalebridge():
    v = package_versions()
    assert "python" in v and "scalebridge" in v
